"""A pasted error checked against the connected cluster (issue 82 item 5): the match, then
confirming evidence.

The paste is asked through the one question every door asks (the Diagnoser), with the real
gateway reading the Kubernetes API stand-in over HTTP. What the named pod shows now confirms
the text's answer (the fact shown), contradicts it (dropped), says the failure is over, or,
unknown (not found, refused), changes nothing and says what was not read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.answering.diagnosing import Diagnoser, OneReader
from bot.cluster.gateway import KubeGateway
from bot.cluster.kubeconfig import connect
from bot.diagnosis.naming import Names
from bot.diagnosis.paste_check import Connected, check_paste
from bot.settings import Settings
from intents.decision.rules import FAILURE_OVER
from intents.matcher import Matcher
from responses.diagnosis import Diagnosis
from responses.redaction import redact_paste
from tests.answering.test_answers import NoClusters
from tests.standins import kube_objects as k
from tests.standins.kube_api import KubeStandIn, running_kube_standin, write_kubeconfig
from tests.standins.kube_cluster import event

OOM_POD = "report-builder-6d5f7c9b8-x2x9k"
SAID_137 = f'pod "{OOM_POD}" keeps restarting, exit code 137, any idea?'
"""Words alone: exit code 137 is a kill, an OOM kill or another SIGKILL; the text cannot tell."""
BACKOFF = (
    "$ kubectl get events -n shop\n"
    "LAST SEEN   TYPE      REASON    OBJECT      MESSAGE\n"
    "2m          Warning   BackOff   pod/web-0   Back-off restarting failed container\n"
)
"""The kubelet's own words: a crash loop, high from the text alone."""


@asynccontextmanager
async def gateway(kube: KubeStandIn, tmp_path: Path) -> AsyncIterator[KubeGateway]:
    async with running_kube_standin(kube) as url:
        kubeconfig = write_kubeconfig(tmp_path / "kubeconfig", {"lab": url})
        reader = connect(Settings(KUBECONFIG=str(kubeconfig), KUBEMEDIC_KUBE_REQUEST_TIMEOUT=5))
        assert isinstance(reader, KubeGateway)
        try:
            yield reader
        finally:
            reader.close()


async def asked(matcher: Matcher, text: str, kube: KubeStandIn | None, tmp_path: Path) -> Diagnosis:
    """The paste's answer from a door with the stand-in as its cluster (None: no cluster)."""
    if kube is None:
        alone = Diagnoser(matcher=matcher, readers=NoClusters())
        return (await alone.paste(redact_paste(text))).diagnosis
    async with gateway(kube, tmp_path) as reader:
        door = Diagnoser(matcher=matcher, readers=OneReader(reader))
        return (await door.paste(redact_paste(text))).diagnosis


def oom_looping() -> KubeStandIn:
    kube = KubeStandIn(latency=0.0)
    kube.add(
        k.pod(
            name=OOM_POD,
            namespace="shop",
            container_statuses=[k.crashloop_status(last_reason="OOMKilled")],
        )
    )
    return kube


def pulling_web() -> KubeStandIn:
    kube = KubeStandIn(latency=0.0)
    kube.add(
        k.pod(name="web-0", namespace="shop", container_statuses=[k.image_pull_backoff_status()])
    )
    return kube


def ids(diagnosis: Diagnosis) -> list[str]:
    return [finding.match.id for finding in diagnosis.findings]


async def test_a_low_paste_the_pod_confirms_is_answered_with_the_fact_read(
    matcher: Matcher, tmp_path: Path
) -> None:
    alone = await asked(matcher, SAID_137, None, tmp_path)
    assert alone.answer is None  # the words alone: no answer
    checked = await asked(matcher, SAID_137, oom_looping(), tmp_path)
    answer = checked.answer
    assert answer is not None and answer.match.id == "oom-killed"
    assert any(
        "OOMKilled" in fact and f"cluster lab: pod shop/{OOM_POD}" in fact
        for fact in answer.evidence
    )
    assert checked.preface.startswith(f"pod shop/{OOM_POD} in cluster lab: CrashLoopBackOff")
    confirmed = checked.preface.partition("; it confirms ")[2].split(";")[0]
    assert "oom-killed" in confirmed.split(", ")
    # the pod's last exit was the kernel's OOM kill: not another SIGKILL
    assert "exit-code-137-sigkill" not in ids(checked)


async def test_a_paste_the_pod_contradicts_is_dropped_and_the_answer_says_what_was_read(
    matcher: Matcher, tmp_path: Path
) -> None:
    alone = await asked(matcher, BACKOFF, None, tmp_path)
    assert alone.answer is not None and alone.answer.match.id == "crashloop-backoff"
    checked = await asked(matcher, BACKOFF, pulling_web(), tmp_path)
    # the pod does not crash now: it waits for its image; the crash loop is neither said nor offered
    assert checked.answer is None
    assert "crashloop-backoff" not in ids(checked) + list(checked.offered or ())
    assert checked.preface == (
        "pod shop/web-0 in cluster lab: ImagePullBackOff; it contradicts crashloop-backoff (dropped)"
    )


async def test_a_pod_the_cluster_does_not_hold_changes_nothing(
    matcher: Matcher, tmp_path: Path
) -> None:
    alone = await asked(matcher, BACKOFF, None, tmp_path)
    checked = await asked(matcher, BACKOFF, KubeStandIn(latency=0.0), tmp_path)
    assert [(f.match.id, f.match.score) for f in checked.findings] == [
        (f.match.id, f.match.score) for f in alone.findings
    ]
    # it changed nothing: said with the details, not before the answer
    assert checked.preface == ""
    assert checked.notes[-1] == (
        "pod shop/web-0 not found in cluster lab: answered from the pasted text alone"
    )


async def test_a_refused_read_is_a_named_gap_and_the_answer_stays_the_texts(
    matcher: Matcher, tmp_path: Path
) -> None:
    kube = pulling_web()
    kube.fail("GET", r"/namespaces/shop/pods/web-0$", 403)
    alone = await asked(matcher, BACKOFF, None, tmp_path)
    checked = await asked(matcher, BACKOFF, kube, tmp_path)
    assert checked.answer is not None and checked.answer.match.id == "crashloop-backoff"
    assert checked.answer.match.score == pytest.approx(alone.answer.match.score)  # type: ignore[union-attr]
    assert checked.preface == ""
    assert checked.notes[-1].startswith("could not check pod shop/web-0 in cluster lab: forbidden")
    assert checked.notes[-1].endswith("answered from the pasted text alone")


async def test_a_pod_ready_since_its_failure_recovered_and_is_not_answered_high(
    matcher: Matcher, tmp_path: Path
) -> None:
    kube = KubeStandIn(latency=0.0)
    ready_since = [
        {"type": kind, "status": "True", "lastTransitionTime": k.ago(120)}
        for kind in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
    ]
    web = kube.add(k.running_ready_pod(name="web-0", namespace="shop", conditions=ready_since))
    kube.add(
        event(
            involved=web,
            reason="BackOff",
            message="Back-off restarting failed container",
            first=900,
            last=600,
        )
    )
    checked = await asked(matcher, BACKOFF, kube, tmp_path)
    answer = checked.answer
    assert answer is not None and answer.match.id == "crashloop-backoff"
    assert answer.match.confidence == "medium"  # high from its words, but the loop is over
    assert any(step.rule == FAILURE_OVER.name for step in answer.match.why)
    assert "history: pod web-0 is Running and ready since" in checked.preface


async def test_a_workload_is_checked_through_its_least_healthy_pod(
    matcher: Matcher, tmp_path: Path
) -> None:
    kube = KubeStandIn(latency=0.0)
    labels = {"app": "checkout"}
    kube.add(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "checkout", "namespace": "shop"},
            "spec": {
                "selector": {"matchLabels": labels},
                "template": {"metadata": {"labels": labels}},
            },
        }
    )
    kube.add(k.running_ready_pod(name="checkout-7d9f8b6c5d-aaaaa", namespace="shop", labels=labels))
    kube.add(
        k.pod(
            name="checkout-7d9f8b6c5d-bbbbb",
            namespace="shop",
            labels=labels,
            container_statuses=[k.crashloop_status(last_reason="OOMKilled")],
        )
    )
    oom = next(entry for entry in matcher.index.entries if entry.id == "oom-killed")
    async with gateway(kube, tmp_path) as reader:
        checked = await check_paste(
            Connected(reader),
            Names.of(deployment="checkout", namespace="shop"),
            [oom],
            timeout=5,
        )
    assert checked is not None and list(checked.confirmations) == ["oom-killed"]
    assert checked.said.startswith(
        "pod shop/checkout-7d9f8b6c5d-bbbbb in cluster lab: CrashLoopBackOff"
    )


async def test_a_namespace_kubemedic_may_not_read_is_not_read(
    matcher: Matcher, tmp_path: Path
) -> None:
    kube = pulling_web()
    async with gateway(kube, tmp_path) as reader:
        checked = await check_paste(
            Connected(reader, frozenset({"payments"})),
            Names.of(pod="web-0", namespace="shop"),
            list(matcher.index.entries)[:3],
            timeout=5,
        )
    assert checked is not None and not checked.changes
    assert "may not read namespace shop" in checked.said
    assert kube.requests_to("GET", "/pods") == []


def ready_after_two_crashes(*, ready: int, crashed: int) -> dict[str, object]:
    """Pod shop/web-0, Running and ready since `ready` seconds ago, after two restarts, its last
    run crashing (at once) `crashed` seconds ago."""
    ready_since = [
        {"type": kind, "status": "True", "lastTransitionTime": k.ago(ready)}
        for kind in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
    ]
    restarted = k.running_status(restarts=2, started_at=ready)
    restarted["lastState"] = k.terminated_state(
        reason="Error", exit_code=1, started=crashed, finished=crashed
    )
    return k.pod(
        name="web-0", namespace="shop", container_statuses=[restarted], conditions=ready_since
    )


def backing_off(*, ready: int, crashed: int, count: int, first: int, last: int) -> KubeStandIn:
    """A cluster holding `ready_after_two_crashes` and its back-off events (`count` of them,
    `first` to `last` seconds ago)."""
    kube = KubeStandIn(latency=0.0)
    web = kube.add(ready_after_two_crashes(ready=ready, crashed=crashed))
    backoff = "Back-off restarting failed container"
    kube.add(
        event(involved=web, reason="BackOff", message=backoff, count=count, first=first, last=last)
    )
    return kube


@pytest.mark.parametrize(
    ("times", "said"),
    [
        # as a pod that recovered on a real node shows: restarted, its last crash minutes ago
        # (the pod list calls it "Restarting (2)"), ready since after its back-offs: it is over
        ((120, 150, 2, 160, 140), "pod shop/web-0 in cluster lab: Restarting (2); history: "),
        # ready again 20 s ago, after back-offs about once a minute until 30 s ago: past them
        # now, not yet long enough to call them over
        ((20, 40, 5, 300, 30), "too soon to call them over, so not said high"),
    ],
    ids=["recovered", "too lately to tell"],
)
async def test_a_pod_ready_since_its_back_offs_is_not_answered_high(
    matcher: Matcher, tmp_path: Path, times: tuple[int, int, int, int, int], said: str
) -> None:
    ready, crashed, count, first, last = times
    kube = backing_off(ready=ready, crashed=crashed, count=count, first=first, last=last)
    checked = await asked(matcher, BACKOFF, kube, tmp_path)
    answer = checked.answer
    assert answer is not None and answer.match.id == "crashloop-backoff"
    assert answer.match.confidence == "medium"  # not confirmed high, nor dropped
    assert any(step.rule == FAILURE_OVER.name for step in answer.match.why)
    assert said in checked.preface, checked.preface


async def test_a_ready_pod_whose_failures_cannot_be_dated_is_neither_confirmed_nor_dropped(
    matcher: Matcher, tmp_path: Path
) -> None:
    # ready again after crashes that ran under a second (the moment between two crashes looks
    # the same) and no event left: nothing tells whether the pasted back-off is over, so the
    # cluster's state neither confirms nor contradicts it; the answer stays the text's
    kube = KubeStandIn(latency=0.0)
    kube.add(ready_after_two_crashes(ready=20, crashed=21))
    checked = await asked(matcher, BACKOFF, kube, tmp_path)
    answer = checked.answer
    assert answer is not None and answer.match.id == "crashloop-backoff"
    said = " ".join((checked.preface, *checked.notes))
    assert "every container ready now" in said and "contradicts" not in said, said


async def test_a_logged_cause_the_pods_own_log_confirms_is_said_sure(
    matcher: Matcher, tmp_path: Path
) -> None:
    # a log line alone is quiet; the pod crash loops now and its last run logged the same cause:
    # the cluster's log confirms what the paste states (read only when a candidate reads logs)
    said = (
        "$ kubectl logs web-0 -n shop --previous\n"
        "FATAL: could not connect to db:5432: connection refused\n"
    )
    assert (await asked(matcher, said, None, tmp_path)).answer is None
    kube = KubeStandIn(latency=0.0)
    pod = kube.add(k.pod(name="web-0", namespace="shop", container_statuses=[k.crashloop_status()]))
    container = pod["spec"]["containers"][0]["name"]
    kube.set_log("shop", "web-0", container, said.splitlines()[1], previous=True)
    checked = await asked(matcher, said, kube, tmp_path)
    answer = checked.answer
    assert answer is not None and answer.match.id == "dependency-unreachable"
    assert answer.match.confidence in ("high", "medium")
    assert any("cluster lab: pod shop/web-0" in fact for fact in answer.evidence), answer.evidence
