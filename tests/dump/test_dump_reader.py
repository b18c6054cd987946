"""DumpReader reads a `kubectl cluster-info dump` tree the way the live gateway reads
the API: same JSON shapes, selectors with API-server semantics, bounded log tails,
and a clear reason whenever the dump cannot answer."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.cluster import dump_files
from bot.cluster.dump import NO_PREVIOUS_LOGS, DumpReader, NotInDump
from bot.cluster.dump_files import CorruptDump
from bot.cluster.errors import ClusterError, NotFound
from bot.errors import BadInput
from tests.dump.conftest import EXAMPLE, MakeDump

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def names(objs: list[dict[str, Any]]) -> list[str]:
    return sorted(o["metadata"]["name"] for o in objs)


def pod_named(reader: DumpReader, namespace: str, app: str) -> str:
    (pod,) = run(reader.list("pods", namespace, label_selector=f"app={app}"))
    return str(pod["metadata"]["name"])


def test_get_returns_the_object_as_the_api_would(any_dump: Path) -> None:
    reader = DumpReader(any_dump)
    pod = run(reader.get("pods", "basic-tikv-1", "tidb-cluster"))
    # kubectl strips kind/apiVersion from typed List items; the API's GET has them
    assert (pod["apiVersion"], pod["kind"]) == ("v1", "Pod")
    status = pod["status"]["containerStatuses"][0]
    assert status["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert (
        status["lastState"]["terminated"]["finishedAt"] == "2024-05-14T08:28:25Z"
    )  # a str in YAML too
    node = run(reader.get("nodes", "worker-3", "ignored-for-cluster-scoped"))
    assert {"key": "node.kubernetes.io/disk-pressure", "effect": "NoSchedule"} in node["spec"][
        "taints"
    ]
    assert reader.cluster_name == str(any_dump)  # the folder as given, not "dump:dump"


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("app=checkout", ["checkout"]),  # equality
        ("app==checkout", ["checkout"]),  # double-equals is equality too
        ("app in (catalog, payments)", ["catalog", "catalog", "payments"]),  # set-based
        ("app notin (catalog,reports),app", ["checkout", "frontend", "payments"]),  # notin + exists
        ("app!=catalog,app!=reports", ["checkout", "frontend", "payments"]),
        ("!app", []),  # every shop pod has an app label
        ("app=checkout,pod-template-hash=nope", []),  # terms are ANDed
    ],
)
def test_label_selectors(any_dump: Path, selector: str, expected: list[str]) -> None:
    pods = run(DumpReader(any_dump).list("pods", "shop", label_selector=selector))
    assert sorted(p["metadata"]["labels"]["app"] for p in pods) == expected


def test_field_selectors_on_events_pods_and_nodes(any_dump: Path) -> None:
    reader = DumpReader(any_dump)
    front = pod_named(reader, "shop", "frontend")
    events = run(
        reader.list(
            "events", "shop", field_selector=f"involvedObject.name={front},involvedObject.kind=Pod"
        )
    )
    assert sorted(e["reason"] for e in events) == [
        "BackOff",
        "Failed",
        "Failed",
        "Failed",
        "Pulling",
    ]
    uid = run(reader.get("pods", front, "shop"))["metadata"]["uid"]
    by_uid = run(
        reader.list("events", "shop", field_selector=f"involvedObject.uid={uid},type=Warning")
    )
    assert len(by_uid) == 3
    node_events = run(
        reader.list(
            "events",
            "default",
            field_selector="involvedObject.kind=Node,involvedObject.name=worker-3",
        )
    )
    assert names(node_events) and {e["reason"] for e in node_events} == {
        "NodeHasDiskPressure",
        "EvictionThresholdMet",
    }
    on_worker3 = run(
        reader.list("pods", None, field_selector="spec.nodeName=worker-3,status.phase!=Running")
    )
    assert [p["status"]["reason"] for p in on_worker3] == ["Evicted"]
    pending = run(reader.list("pods", "shop", field_selector="status.phase=Pending"))
    assert len(pending) == 3  # ImagePullBackOff, CreateContainerConfigError, unschedulable
    assert names(run(reader.list("nodes", field_selector="metadata.name=worker-1"))) == ["worker-1"]
    assert names(run(reader.list("nodes", field_selector="spec.unschedulable=false"))) == [
        "worker-1",
        "worker-2",
        "worker-3",
    ]  # absent field compares as "false", as on the API


def test_events_k8s_io_serves_the_dumped_core_events(any_dump: Path) -> None:
    """Both event APIs serve the same objects; a dump holds them in core/v1 form."""
    reader = DumpReader(any_dump)
    (pod,) = run(
        reader.list(
            "pods", "shop", label_selector="app=reports", field_selector="status.phase=Pending"
        )
    )
    pending = pod["metadata"]["name"]
    (event,) = run(
        reader.list(
            "events.k8s.io", "shop", field_selector=f"regarding.kind=Pod,regarding.name={pending}"
        )
    )
    assert (event["apiVersion"], event["reason"], event["reportingController"]) == (
        "events.k8s.io/v1",
        "FailedScheduling",
        "default-scheduler",
    )
    assert event["series"]["count"] == 38
    assert "untolerated taint {node.kubernetes.io/disk-pressure: }" in event["note"]


def test_list_all_namespaces_and_limit(any_dump: Path) -> None:
    reader = DumpReader(any_dump)
    every = run(reader.list("pods"))
    assert {p["metadata"]["namespace"] for p in every} == {"kube-system", "shop", "tidb-cluster"}
    assert len(run(reader.list("pods", limit=2))) == 2
    assert run(reader.list("pods", "kube-public")) == []  # dumped, but empty


def test_logs_come_from_each_containers_section(any_dump: Path) -> None:
    reader = DumpReader(any_dump)
    tikv = run(reader.logs("tidb-cluster", "basic-tikv-1", "tikv"))
    assert "cluster ID mismatch, local 7262388432156321285 != remote" in tikv
    assert "==== " not in tikv
    # basic-tidb-0 has two containers in one logs.txt; each gets only its own section
    assert run(reader.logs("tidb-cluster", "basic-tidb-0", "slowlog")) == ""
    tidb = run(reader.logs("tidb-cluster", "basic-tidb-0", "tidb"))
    assert tidb.startswith("[2024/05/13") and "server is running MySQL protocol" in tidb
    assert run(reader.logs("tidb-cluster", "basic-pd-1", "pd", tail_lines=2)) == (
        "waiting for discovery service to return start args ...\n" * 2
    )


def test_logs_bound_like_the_api_tail_lines_then_limit_bytes(any_dump: Path) -> None:
    """The live gateway passes tailLines and limitBytes to the API; the dump answers alike."""
    text = run(DumpReader(any_dump).logs("tidb-cluster", "basic-tikv-1", "tikv", limit_bytes=120))
    assert len(text.encode()) == 120 and text.startswith("[2024/05/14 08:27:51.391 +00:00] [INFO]")


def test_previous_logs_are_never_in_a_dump() -> None:
    with pytest.raises(NotInDump, match=NO_PREVIOUS_LOGS) as info:
        run(DumpReader(EXAMPLE).logs("tidb-cluster", "basic-tikv-1", "tikv", previous=True))
    assert isinstance(info.value, ClusterError)  # collectors turn it into a named evidence gap


def test_log_errors_kubectl_wrote_become_a_reason() -> None:
    reader = DumpReader(EXAMPLE)
    front = pod_named(reader, "shop", "frontend")
    with pytest.raises(NotInDump, match="is waiting to start: trying and failing to pull image"):
        run(reader.logs("shop", front, "frontend"))
    with pytest.raises(NotFound, match="no logs for container nope"):
        run(reader.logs("shop", front, "nope"))
    with pytest.raises(NotFound, match="no logs for pod shop/ghost"):
        run(reader.logs("shop", "ghost", "app"))


def test_huge_logs_are_scanned_in_chunks(
    make_dump: MakeDump, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Markers straddling chunk boundaries are found; only the section's tail is returned;
    an END marker glued to a last line without a newline (as kubectl writes it) still ends it."""
    start = "==== START logs for container {c} of pod ns/p ====\n"
    end = "==== END logs for container {c} of pod ns/p ====\n"
    body = "".join(f"line {i:05d}\n" for i in range(5000))
    text = (
        start.format(c="a")
        + body
        + end.format(c="a")
        + start.format(c="b")
        + "no newline at the end"
        + end.format(c="b")
    )
    root = make_dump({"ns/pods.json": {"items": []}, "ns/p/logs.txt": text})
    monkeypatch.setattr(dump_files, "SCAN_CHUNK", 7)
    reader = DumpReader(root)
    assert run(reader.logs("ns", "p", "a", tail_lines=2)) == "line 04998\nline 04999\n"
    assert run(reader.logs("ns", "p", "a", tail_lines=2, limit_bytes=15)) == "line 04998\nline"
    assert run(reader.logs("ns", "p", "b")) == "no newline at the end"
    # only a bounded window at the section's end is read; a line cut by it is dropped
    monkeypatch.setattr(dump_files, "TAIL_WINDOW", 30)
    assert run(reader.logs("ns", "p", "a", limit_bytes=25)) == "line 04998\nline 04999\n"


@pytest.mark.parametrize(
    ("kind", "namespace", "reason"),
    [
        (
            "persistentvolumeclaims",
            "kube-system",
            "kubectl cluster-info dump does not include persistentvolumeclaims",
        ),
        ("statefulsets", "shop", "does not include statefulsets"),
        ("jobs", None, "does not include jobs"),
        ("endpoints", "shop", "does not include endpoints"),
        ("resourcequotas", "tidb-cluster", "does not include resourcequotas"),
        ("apiservices", None, "does not include apiservices"),
        ("pods", "payments", "the dump does not include namespace payments (it has: default, "),
    ],
)
def test_what_the_dump_lacks_is_named(kind: Any, namespace: str | None, reason: str) -> None:
    with pytest.raises(NotInDump, match=reason.replace("(", r"\(")):
        run(DumpReader(EXAMPLE).list(kind, namespace))


def test_files_added_next_to_the_dump_are_read(any_dump: Path) -> None:
    """`kubectl get sts,pvc,pv,sc -o json` output that people attach with the dump."""
    reader = DumpReader(any_dump)
    assert names(run(reader.list("statefulsets", "tidb-cluster"))) == [
        "basic-pd",
        "basic-tidb",
        "basic-tikv",
    ]
    pvc = run(reader.get("persistentvolumeclaims", "tikv-basic-tikv-1", "tidb-cluster"))
    pv = run(reader.get("persistentvolumes", pvc["spec"]["volumeName"]))
    assert pv["spec"]["claimRef"]["name"] == "tikv-basic-tikv-1"
    assert (
        run(reader.get("storageclasses", "local-storage"))["provisioner"]
        == "kubernetes.io/no-provisioner"
    )
    assert len(run(reader.list("persistentvolumeclaims"))) == 7


def test_a_top_level_file_of_a_namespaced_kind_is_filtered(make_dump: MakeDump) -> None:
    jobs = {
        "kind": "List",
        "items": [
            {"kind": "Job", "apiVersion": "batch/v1", "metadata": {"name": n, "namespace": ns}}
            for n, ns in (("a", "x"), ("b", "y"))
        ],
    }
    reader = DumpReader(make_dump({"x/pods.json": {"items": []}, "jobs.json": jobs}))
    assert names(run(reader.list("jobs", "x"))) == ["a"]
    assert names(run(reader.list("jobs"))) == ["a", "b"]
    with pytest.raises(NotFound, match='jobs "x/b" not found'):
        run(reader.get("jobs", "b", "x"))


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ("missing", "is not a kubectl cluster-info dump: no such directory"),
        ("file", "is not a kubectl cluster-info dump: it is a file"),
        ("no-nodes", "is not a kubectl cluster-info dump: no nodes.json"),
    ],
)
def test_not_a_dump_is_bad_input(
    make_dump: MakeDump, tmp_path: Path, setup: str, reason: str
) -> None:
    target = {
        "missing": lambda: tmp_path / "absent",
        "file": lambda: make_dump() / "nodes.json",
        "no-nodes": lambda: make_dump({"shop/pods.json": {"items": []}}, nodes=False),
    }[setup]()
    with pytest.raises(BadInput) as info:
        DumpReader(target)
    assert info.value.reason.startswith(f"{target} {reason}")


@pytest.mark.parametrize(
    ("rel", "content", "reason"),
    [
        (
            "shop/pods.json",
            '{"kind": "PodList", "items": [',
            "shop/pods.json is not valid JSON: line 1 column",
        ),
        ("shop/pods.yaml", "items: [unclosed", "shop/pods.yaml cannot be parsed"),
        (
            "shop/pods.json",
            '["not", "a", "list"]',
            "shop/pods.json is not a Kubernetes List or object",
        ),
    ],
)
def test_corrupt_files_are_named(make_dump: MakeDump, rel: str, content: str, reason: str) -> None:
    reader = DumpReader(make_dump({rel: content}))
    with pytest.raises(CorruptDump, match=reason):
        run(reader.list("pods", "shop"))


def test_names_cannot_escape_the_dump(make_dump: MakeDump) -> None:
    reader = DumpReader(make_dump({"shop/pods.json": {"items": []}}))
    for call in (
        reader.logs("..", "etc", "passwd"),
        reader.logs("shop", "../../x", "app"),
        reader.list("pods", "../shop"),
    ):
        with pytest.raises(BadInput, match="is not a valid Kubernetes name"):
            run(call)


def test_files_are_parsed_once(make_dump: MakeDump) -> None:
    root = make_dump(
        {"shop/pods.json": {"items": [{"metadata": {"name": "a", "namespace": "shop"}}]}}
    )
    reader = DumpReader(root)
    assert names(run(reader.list("pods", "shop"))) == ["a"]
    (root / "shop" / "pods.json").write_text("corrupt now")
    assert names(run(reader.list("pods", "shop"))) == ["a"]


def test_bad_selectors_are_cluster_errors() -> None:
    reader = DumpReader(EXAMPLE)
    with pytest.raises(ClusterError, match="invalid label selector"):
        run(reader.list("pods", "shop", label_selector="app in"))
    with pytest.raises(ClusterError, match="invalid field selector"):
        run(reader.list("pods", "shop", field_selector="status.phase"))
