"""The stand-in's objects have the real shapes, and the captured real failures are diagnosed in the fast tier.

tests/standins/captured/ holds what a real 1.20 node reported for each failure
(`python -m tests.realnode.capture`). Two checks keep the fast tier honest:

- Every hand-made stand-in scenario (kube_scenarios.SCENARIOS) carries the fields
  the real objects of its kind always carry (the fields every captured Pod, Event,
  Node, ReplicaSet or Deployment has; for a container status, every captured status
  in the same state has), and every pod mounts a ServiceAccount token. A builder
  that drops one fails here, naming the field.
- Each captured failure, loaded into the stand-in (kube_captured), is diagnosed by
  `kubemedic diagnose` exactly as on the real node (tests/realnode/scenarios.py: the
  same catalog id, confirmed, quoting the same real texts). The command runs in this
  process (tests/cli/runner.kubemedic_in_process): the real node tier runs the console
  script itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.cli.runner import kubemedic_in_process
from tests.realnode.scenarios import BY_NAME
from tests.realnode.test_failures import assert_no_overcome_mount_failure, evidence_of
from tests.standins import kube_captured as captured
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig

KINDS = ("Pod", "Event", "Node", "ReplicaSet", "Deployment")
VARIES = (".metadata.labels", ".spec.volumes[].secret", ".spec.volumes[].projected")
"""Fields that are real but not universal: labels are the user's; the token volume is a
Secret up to 1.20 and projected from 1.21 (checked separately, in either form)."""
TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"


def paths(value: Any, prefix: str = "") -> set[str]:
    """Every field path in `value` (list items share one path: `a[].b`)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found |= {f"{prefix}.{key}"} | paths(item, f"{prefix}.{key}")
    elif isinstance(value, list):
        for item in value:
            found |= paths(item, f"{prefix}[]")
    return found


def statuses(pod: dict[str, Any]) -> list[dict[str, Any]]:
    status = pod.get("status", {})
    return [*(status.get("containerStatuses") or []), *(status.get("initContainerStatuses") or [])]


def state_of(status: dict[str, Any]) -> tuple[str, str]:
    """(state, lastState): e.g. ("waiting", "terminated") for a crash loop."""
    return (
        next(iter(status.get("state") or {"none": 0})),
        next(iter(status.get("lastState") or {"none": 0})),
    )


@cache
def real_objects() -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for name in captured.names():
        for obj in captured.objects(name):
            found.setdefault(obj["kind"], []).append(obj)
    return found


@cache
def always(kind: str) -> frozenset[str]:
    """The fields every captured object of `kind` carries."""
    common = set.intersection(*(paths(obj) for obj in real_objects()[kind]))
    return frozenset(p for p in common if not p.startswith(VARIES))


@cache
def always_in_state() -> dict[tuple[str, str], frozenset[str]]:
    by_state: dict[tuple[str, str], list[set[str]]] = {}
    for pod in real_objects()["Pod"]:
        for status in statuses(pod):
            by_state.setdefault(state_of(status), []).append(paths(status))
    return {state: frozenset(set.intersection(*found)) for state, found in by_state.items()}


def missing_fields(si: KubeStandIn) -> dict[str, list[str]]:
    """Object -> the real fields it lacks, for every object of the stand-in."""
    missing: dict[str, list[str]] = {}
    for kind in KINDS:
        for obj in si.objects(kind):
            lacks = sorted(always(kind) - paths(obj))
            if lacks:
                missing[f"{kind} {obj['metadata']['name']}"] = lacks
    for pod in si.objects("Pod"):
        for status in statuses(pod):
            real = always_in_state().get(state_of(status), frozenset())
            if lacks := sorted(real - paths(status)):
                missing[f"Pod {pod['metadata']['name']} status of {status['name']}"] = lacks
        for container in [*pod["spec"]["containers"], *pod["spec"].get("initContainers", [])]:
            mounts = {m["mountPath"]: m for m in container.get("volumeMounts") or []}
            volume = mounts.get(TOKEN_PATH, {}).get("name")
            tokens = [
                v
                for v in pod["spec"]["volumes"]
                if v["name"] == volume
                and ("secret" in v or "serviceAccountToken" in str(v.get("projected")))
            ]
            if not tokens or not mounts[TOKEN_PATH].get("readOnly"):
                missing[f"Pod {pod['metadata']['name']} container {container['name']}"] = [
                    f"a read-only ServiceAccount token volume mounted at {TOKEN_PATH}"
                ]
    return missing


def test_the_captures_are_there_and_real() -> None:
    assert set(captured.names()) >= {s.name for s in BY_NAME.values()} | {"node-not-ready"}
    assert {captured.document(name)["kubernetes"] for name in captured.names()} == {"v1.20.2"}
    assert {"spec.serviceAccountName", "spec.volumes", "status.phase"} <= {
        p.lstrip(".") for p in always("Pod")
    }


@pytest.mark.parametrize("name", sorted(scenarios.SCENARIOS))
def test_a_stand_in_scenario_carries_every_field_real_objects_carry(name: str) -> None:
    si = KubeStandIn(latency=0.0)
    scenarios.SCENARIOS[name](si)
    assert missing_fields(si) == {}


def test_the_check_names_a_field_a_builder_drops() -> None:
    si = KubeStandIn(latency=0.0)
    case = scenarios.oom_killed_deployment(si)
    pod = si.get_object("Pod", case.namespace, str(case.pod))
    assert pod is not None
    status = pod["status"]["containerStatuses"][0]
    del status["imageID"]
    del pod["spec"]["serviceAccountName"]
    si.add(pod)
    missing = missing_fields(si)
    assert ".spec.serviceAccountName" in missing[f"Pod {case.pod}"]
    assert ".imageID" in missing[f"Pod {case.pod} status of {status['name']}"]


# ---------------------------------------------------------------- the captured failures, fast


@pytest.fixture(scope="module")
def standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[KubeStandIn, Path]]:
    si = KubeStandIn(latency=0.0)
    for name in captured.names():
        if name != "node-not-ready":  # (its node is NotReady: loaded alone, below)
            captured.load(si, name)
    with start_in_thread(si) as server:
        path = write_kubeconfig(
            tmp_path_factory.mktemp("kube") / "config", {"lab": server.url}, current="lab"
        )
        yield si, path


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_a_captured_real_failure_is_diagnosed_on_the_stand_in_as_on_the_node(
    name: str, standin: tuple[KubeStandIn, Path]
) -> None:
    scenario, doc = BY_NAME[name], captured.document(name)
    subject = doc["subject"]
    target = (
        ["pod", f"{subject['namespace']}/{subject['name']}"]
        if subject["kind"] == "pod"
        else ["namespace", subject["namespace"]]
    )
    result = kubemedic_in_process(
        "diagnose",
        *target,
        "--json",
        env={"KUBECONFIG": str(standin[1]), "HOME": str(standin[1].parent)},
    )
    assert result.code == 0, result.stderr
    body = result.json()
    assert body["answer"] == scenario.entry, body
    assert body["matches"][0]["confirmed"] is True
    assert_no_overcome_mount_failure(body, scenario)
    for entry, facts in {scenario.entry: scenario.facts, **scenario.also}.items():
        evidence = evidence_of(body, entry)
        for fact in facts:
            assert any(fact in line for line in evidence), (entry, fact, evidence)


def test_the_captured_not_ready_node_is_diagnosed_on_the_stand_in(tmp_path: Path) -> None:
    si = KubeStandIn(latency=0.0)
    node = captured.load(si, "node-not-ready").expected and captured.document("node-not-ready")
    name = node["subject"]["name"]
    with start_in_thread(si) as server:
        path = write_kubeconfig(tmp_path / "config", {"lab": server.url}, current="lab")
        result = kubemedic_in_process(
            "diagnose", "node", name, "--json", env={"KUBECONFIG": str(path), "HOME": str(tmp_path)}
        )
    assert result.code == 0, result.stderr
    body = result.json()
    assert body["answer"] == "node-not-ready", body
    assert any(
        "Kubelet stopped posting node status" in line for line in body["matches"][0]["evidence"]
    )


def test_a_one_off_event_before_the_repeated_one_does_not_hide_the_cause(tmp_path: Path) -> None:
    """On a slow node the kubelet's first mount attempt can time out syncing its secret cache
    (one event) before it settles on `secret "tls-certs" not found` (repeated): the evidence
    quotes what the kubelet keeps saying. Seen on CI's real node; the capture lacks the one-off."""
    si = KubeStandIn(latency=0.0)
    subject = captured.document("mount-secret")["subject"]
    repeated = next(
        obj
        for obj in captured.objects("mount-secret")
        if obj["kind"] == "Event" and obj.get("count", 1) > 1 and obj["reason"] == "FailedMount"
    )
    one_off = {
        **repeated,
        "count": 1,
        "lastTimestamp": repeated["firstTimestamp"],
        "metadata": {
            **repeated["metadata"],
            "name": subject["name"] + ".0000000000000001",
            "uid": "one-off",
        },
        "message": 'MountVolume.SetUp failed for volume "certs" : failed to sync secret '
        "cache: timed out waiting for the condition",
    }
    si.add(one_off)
    captured.load(si, "mount-secret")
    with start_in_thread(si) as server:
        path = write_kubeconfig(tmp_path / "config", {"lab": server.url}, current="lab")
        result = kubemedic_in_process(
            "diagnose",
            "pod",
            f"{subject['namespace']}/{subject['name']}",
            "--json",
            env={"KUBECONFIG": str(path), "HOME": str(tmp_path)},
        )
    assert result.code == 0, result.stderr
    body = result.json()
    assert body["answer"] == "volume-mount-failed", body
    evidence = evidence_of(body, "volume-mount-failed")
    assert any('secret "tls-certs" not found' in line and "x8" in line for line in evidence), (
        evidence
    )
