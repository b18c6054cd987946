"""The shipped examples stay true: `examples/dump` is exactly what the generator
writes (so it never drifts), it shows what examples/README.md promises, and each
paste under `examples/pastes` matches the catalog entry the README names."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.cluster.dump import DumpReader
from tests.cli.runner import kubemedic_in_process
from tests.dump.conftest import EXAMPLE, ROOT, generate

PASTES = ROOT / "examples" / "pastes"

#: (namespace, pod, waiting/terminated reason or phase reason, catalog id a diagnosis should give)
EXAMPLE_PODS = [
    ("tidb-cluster", "basic-tikv-1", "CrashLoopBackOff", "tikv-cluster-id-mismatch"),
    ("tidb-cluster", "basic-pd-1", "CrashLoopBackOff", "pd-waiting-for-discovery"),
    ("shop", "checkout-t6ljkgdzfx-bzm4s", "CrashLoopBackOff", "oom-killed"),
    ("shop", "frontend-pqgxt7pwvd-ngbgr", "ImagePullBackOff", "image-not-found"),
    (
        "shop",
        "payments-hnrm2dbvhq-5fhjq",
        "CreateContainerConfigError",
        "create-container-config-error",
    ),
    ("shop", "reports-jqw86dv22t-pxmc5", "Unschedulable", "node-disk-pressure"),
    ("shop", "reports-jqw86dv22t-d6nkh", "Evicted", "pod-evicted"),
]


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_committed_example_dump_equals_a_fresh_generation(tmp_path: Path) -> None:
    fresh = tmp_path / "dump"
    generate(fresh)
    committed, regenerated = tree(EXAMPLE), tree(fresh)
    changed = sorted(
        k for k in committed.keys() | regenerated.keys() if committed.get(k) != regenerated.get(k)
    )
    assert not changed, f"examples/dump drifted; run examples/make_example_dump.py ({changed[:5]})"


def _reason(pod: dict) -> str:
    status = pod["status"]
    if status.get("reason"):
        return str(status["reason"])
    for cs in status.get("containerStatuses") or []:
        for state in cs["state"].values():
            if state.get("reason"):
                return str(state["reason"])
    return next(c.get("reason", "") for c in status["conditions"] if c["type"] == "PodScheduled")


@pytest.mark.parametrize(("namespace", "name", "reason", "catalog_id"), EXAMPLE_PODS)
def test_example_pods_show_what_the_readme_says(
    namespace: str, name: str, reason: str, catalog_id: str
) -> None:
    pod = asyncio.run(DumpReader(EXAMPLE).get("pods", name, namespace))
    assert _reason(pod) == reason
    assert catalog_id in (ROOT / "examples" / "README.md").read_text()


def test_worker3_has_disk_pressure_and_its_taint() -> None:
    node = asyncio.run(DumpReader(EXAMPLE).get("nodes", "worker-3"))
    pressure = next(c for c in node["status"]["conditions"] if c["type"] == "DiskPressure")
    assert (pressure["status"], pressure["reason"]) == ("True", "KubeletHasDiskPressure")
    assert node["spec"]["taints"] == [
        {"key": "node.kubernetes.io/disk-pressure", "effect": "NoSchedule"}
    ]


@pytest.mark.parametrize(
    ("paste", "expected"),
    [
        ("tikv-cluster-id-mismatch.txt", "tikv-cluster-id-mismatch"),
        ("pending-disk-pressure.txt", "node-disk-pressure"),
        ("oom-killed-describe.txt", "oom-killed"),
        ("leader-election-lost.log", "leader-election-lost"),
        ("image-pull-not-found.txt", "image-not-found"),
        ("chat-not-an-error.txt", None),  # ordinary chat: the bot must stay quiet
        ("pending-unsure.txt", None),  # nothing says why it is Pending: a question, not an answer
    ],
)
def test_example_pastes_match_their_entry(paste: str, expected: str | None) -> None:
    result = kubemedic_in_process("match", "--json", str(PASTES / paste))
    assert result.code == 0, result.stderr
    matches = result.json()["matches"]
    answer = (
        matches[0]["id"] if matches and matches[0]["confidence"] in ("high", "medium") else None
    )
    assert answer == expected
    assert paste in (ROOT / "examples" / "README.md").read_text()


def _readme_dump_table() -> list[tuple[str, str]]:
    """(namespace/pod, expected id) for every row of the README's `dump/` table."""
    readme = (ROOT / "examples" / "README.md").read_text()
    section = readme.split("## `dump/`", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(
        r"^\| `([a-z0-9-]+/[a-z0-9-]+)` \|.*\| `([a-z0-9-]+)` \|$", section, re.MULTILINE
    )
    return [(pod, expected) for pod, expected in rows]


def test_readme_lists_every_broken_example_pod() -> None:
    assert sorted(pod for pod, _ in _readme_dump_table()) == sorted(
        f"{ns}/{name}" for ns, name, *_ in EXAMPLE_PODS
    )


@pytest.mark.parametrize(("pod", "expected"), _readme_dump_table())
def test_diagnosing_each_example_pod_answers_what_the_readme_states(
    pod: str, expected: str
) -> None:
    # the reports pod is pinned by its local PV to worker-3, the one node with disk pressure:
    # the disk pressure explains both its volume-affinity and its taint clauses, so it leads
    result = kubemedic_in_process("diagnose", "pod", pod, "--from-dump", str(EXAMPLE), "--json")
    assert result.code == 0, result.stderr
    assert result.json()["answer"] == expected
