"""Rule evaluation on hand-built facts, and the ranking/confidence policy (no HTTP)."""

from __future__ import annotations

import pytest

from bot.evidence.health import FAILING, HEALTHY, NOT_READY, PENDING, classify
from bot.evidence.rules import check_rule, confirm
from intents.facts.model import ContainerFacts, EventFacts, NodeCondition, PodFacts, VolumeFacts
from intents.findings import Confirmation
from intents.loaded import LoadedCatalog
from intents.results import Match
from intents.schema import EvidenceRule
from tests.decision.boards import decided

CRASHED = ContainerFacts(
    name="app",
    state="waiting",
    reason="CrashLoopBackOff",
    restarts=5,
    last_reason="OOMKilled",
    last_exit_code=137,
)
SIDECAR = ContainerFacts(
    name="proxy",
    state="running",
    ready=True,
    restarts=0,
    previous_log=None,
    current_log="all good\n",
)


def facts(**kw: object) -> PodFacts:
    base = PodFacts(namespace="shop", name="web-0", phase="Running", containers=[CRASHED, SIDECAR])
    for key, value in kw.items():
        setattr(base, key, value)
    return base


RULES = {
    # reason of the previous run matches; the fact names the container and exit code
    "last-reason": ({"container_reason": "OOMKilled"}, facts(), "container app last terminated"),
    # reason and name must hold on the SAME container: proxy never crashed
    "same-container": ({"container_reason": "OOMKilled", "container_name": "proxy"}, facts(), None),
    # restart threshold not reached
    "restarts-below": ({"min_restarts": 6}, facts(), None),
    # the event must carry both the reason and a message matching the regex
    "event-both": (
        {"event_reason": "BackOff", "event_message": "(?i)back-off restarting"},
        facts(events=[EventFacts("BackOff", "Back-off restarting failed container", count=4)]),
        "event BackOff x4",
    ),
    "event-wrong-message": (
        {"event_reason": "BackOff", "event_message": "pulling image"},
        facts(events=[EventFacts("BackOff", "Back-off restarting failed container")]),
        None,
    ),
    # StorageClass existence unknown (not readable): the rule does not claim it is missing
    "sc-unknown": (
        {"pvc_phase": "Pending", "storageclass_missing": True},
        facts(volumes=[VolumeFacts("data", "Pending", "fast", None)]),
        None,
    ),
    "sc-missing": (
        {"pvc_phase": "Pending", "storageclass_missing": True},
        facts(volumes=[VolumeFacts("data", "Pending", "fast", False)]),
        "StorageClass fast does not exist",
    ),
    # a node rule on a pod that is not scheduled yet: no node, no confirmation
    "no-node": ({"node_condition": "DiskPressure=True"}, facts(node_name=None), None),
    # previous_log looks at the previous instance only
    "log-previous-only": ({"log_pattern": "all good", "previous_log": True}, facts(), None),
    "log-current": ({"log_pattern": "all good"}, facts(), "container proxy current log: all good"),
    # pod condition messages are searched (PodScheduled=False keeps the scheduler's reason)
    "pod-message": (
        {"pod_phase": "Pending", "pod_message": "Insufficient memory"},
        facts(
            phase="Pending",
            containers=[],
            conditions=[
                NodeCondition(
                    "PodScheduled", "False", "Unschedulable", "0/3 nodes: 3 Insufficient memory."
                )
            ],
        ),
        "pod phase Pending: 0/3 nodes: 3 Insufficient memory.",
    ),
}


@pytest.mark.parametrize(("predicates", "subject", "expected"), RULES.values(), ids=RULES.keys())
def test_rule_groups(predicates: dict, subject: PodFacts, expected: str | None) -> None:
    rule = EvidenceRule(describe="why", **predicates)
    result = check_rule(rule, subject)
    if expected is None:
        assert result is None
    else:
        assert result is not None and result.startswith("why: ") and expected in result


SCORES = [
    # (text score, confirmed, contradicted, expected) and why
    (None, True, False, 0.50),  # evidence alone: at least medium
    (0.30, True, False, 0.50),  # evidence lifts a low text match to medium
    (0.55, True, False, 0.72),  # evidence + medium text: at least high
    (0.95, True, False, 0.95),  # never lowers a strong match
    (0.80, False, False, 0.80),  # text only: unchanged
    (0.80, False, True, 0.49),  # text only, but the cluster checked and disagrees: low
]


@pytest.mark.parametrize(("text", "confirmed", "contradicted", "expected"), SCORES)
def test_evidence_weighs_the_text_score(
    text: float | None,
    confirmed: bool,
    contradicted: bool,
    expected: float,
    builtin_catalog: LoadedCatalog,
) -> None:
    entry = builtin_catalog.entries["oom-killed"]  # an entry with evidence rules
    matches = [Match(entry, text)] if text is not None else []
    confirmations = (
        {"oom-killed": Confirmation(("oom",), direct=True, strength=1)} if confirmed else {}
    )
    found = decided(matches, confirmations, complete=contradicted)
    assert found[0].match.score == pytest.approx(expected)


def test_ranking_groups(builtin_catalog: LoadedCatalog) -> None:
    entries = builtin_catalog.entries
    matches = [
        Match(entries["crashloop-backoff"], 0.9),
        Match(entries["liveness-probe-failed"], 0.95),
        Match(entries["oom-killed"], 0.6),
    ]
    confirmations = {
        "crashloop-backoff": Confirmation(("crash",), direct=True, strength=1),  # fallback
        "oom-killed": Confirmation(("oom",), direct=True, strength=1),  # specific, direct
        "node-disk-pressure": Confirmation(("node",), direct=False, strength=1),  # context only
    }
    found = decided(matches, confirmations, top=4, complete=False)
    # liveness-probe-failed, matched high, explains the crash loop: it goes just before it
    assert [f.match.id for f in found] == [
        "oom-killed",
        "liveness-probe-failed",
        "crashloop-backoff",
        "node-disk-pressure",
    ]
    assert found[2].because == ("oom-killed", "liveness-probe-failed")
    assert found[0].match.confidence == "high" and found[0].text_score == 0.6
    assert found[3].match.confidence == "medium"  # confirmed by evidence alone


def test_a_symptom_its_cause_explains_takes_no_slot_from_another_problem(
    builtin_catalog: LoadedCatalog,
) -> None:
    # a pasted "CrashLoopBackOff" matches high, as does its cause (the OOM kill) and two
    # independent problems; the symptom follows its cause and the top three problems all stay
    entries = builtin_catalog.entries
    matches = [
        Match(entries["oom-killed"], 0.95),
        Match(entries["crashloop-backoff"], 0.94),
        Match(entries["pending-insufficient-resources"], 0.9),
        Match(entries["kube-proxy-service-broken"], 0.7),
        Match(entries["dns-resolution-failure"], 0.5),
    ]
    found = decided(matches, {}, top=3, complete=False)
    assert [f.match.id for f in found] == [
        "oom-killed",
        "crashloop-backoff",
        "pending-insufficient-resources",
        "kube-proxy-service-broken",
    ]
    assert found[1].because == ("oom-killed",)


def test_more_specific_rule_wins_a_tie(builtin_catalog: LoadedCatalog) -> None:
    confirmations = {
        "create-container-config-error": Confirmation(("a",), True, 1),
        "run-as-non-root-image-root": Confirmation(("b",), True, 2),
    }
    found = decided([], confirmations, top=1)
    assert [f.match.id for f in found] == [
        "run-as-non-root-image-root",
        "create-container-config-error",
    ]


HEALTH = [
    # (pod facts, severity, status) and why
    (facts(), FAILING, "CrashLoopBackOff"),  # the worst container decides
    (facts(phase="Failed", reason="Evicted", containers=[]), FAILING, "Evicted"),
    (facts(phase="Pending", containers=[]), PENDING, "Pending"),  # not scheduled yet
    (
        facts(containers=[ContainerFacts("app", state="running", ready=False)]),
        NOT_READY,
        "NotReady",
    ),
    (facts(containers=[SIDECAR]), HEALTHY, "Running"),
    (facts(phase="Succeeded", containers=[]), HEALTHY, "Completed"),  # a finished Job pod is fine
    (
        facts(
            containers=[ContainerFacts("i", init=True, state="waiting", reason="CrashLoopBackOff")]
        ),
        FAILING,
        "Init:CrashLoopBackOff",
    ),
]


@pytest.mark.parametrize(("subject", "severity", "status"), HEALTH)
def test_health(subject: PodFacts, severity: int, status: str) -> None:
    health = classify(subject)
    assert (health.severity, health.status) == (severity, status)


def test_confirmed_entries_are_never_cut_by_top(builtin_catalog: LoadedCatalog) -> None:
    # top bounds the text-only guesses, not the facts: three confirmed causes survive top=1
    entries = builtin_catalog.entries
    confirmations = {
        i: Confirmation((i,), True, 1) for i in ("oom-killed", "pod-evicted", "pvc-pending")
    }
    found = decided([Match(entries["liveness-probe-failed"], 0.9)], confirmations, top=1)
    assert sorted(f.match.id for f in found) == ["oom-killed", "pod-evicted", "pvc-pending"]


@pytest.mark.parametrize(
    "message",
    [
        "No nodes are available that match all of the following predicates:: PodToleratesNodeTaints (3).",
        "0/3 nodes are available: 3 node(s) had taints that the pod didn't tolerate.",
        (
            "0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are "
            "available: 3 Preemption is not helpful for scheduling."
        ),
    ],
)
def test_a_scheduling_event_in_any_release_wording_confirms_its_entry(
    builtin_catalog: LoadedCatalog, message: str
) -> None:
    """The scheduler's grammar, not one regex per wording, decides what a FailedScheduling
    event confirms: 1.6-1.8 predicate names count as much as today's sentences."""
    pod = PodFacts(
        namespace="shop",
        name="web-0",
        phase="Pending",
        events=[EventFacts("FailedScheduling", message, "Warning", 4)],
    )
    found = confirm(builtin_catalog.entries["pending-untolerated-taint"], pod)
    assert found and found.direct
    assert "FailedScheduling" in found.evidence[0]
    assert not confirm(builtin_catalog.entries["pending-insufficient-resources"], pod)
