"""Write `examples/dump`: a small cluster in exactly the layout of
`kubectl cluster-info dump --all-namespaces --output-directory DIR`.

The example must never drift from what this script produces (a test
regenerates it and compares), so the stand-in builders' clock and uids are
frozen while it runs. kubectl writes typed Lists (`"kind": "PodList"`, items
without kind/apiVersion) indented by four spaces, and every container's log
between START/END lines in `<ns>/<pod>/logs.txt`; `-o yaml` gives `.yaml`
files with sorted keys. Kinds kubectl does not dump (StatefulSets, PVCs, PVs,
StorageClasses) are written as `kubectl get -o json` output (`"kind": "List"`).

    python examples/make_example_dump.py [--output examples/dump] [--format json|yaml]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import yaml
from example_cluster import ExampleCluster, kube_system, nodes_and_defaults, shop
from example_tidb import tidb_cluster

from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko

NOW = datetime(2024, 5, 14, 8, 30, 0, tzinfo=UTC)
NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system", "shop", "tidb-cluster")
#: file stem -> (List kind, apiVersion, item kind), in the order kubectl writes them
DUMPED = {
    "events": ("EventList", "v1", "Event"),
    "replication-controllers": ("ReplicationControllerList", "v1", "ReplicationController"),
    "services": ("ServiceList", "v1", "Service"),
    "daemonsets": ("DaemonSetList", "apps/v1", "DaemonSet"),
    "deployments": ("DeploymentList", "apps/v1", "Deployment"),
    "replicasets": ("ReplicaSetList", "apps/v1", "ReplicaSet"),
    "pods": ("PodList", "v1", "Pod"),
}
ATTACHED = {
    "StatefulSet": "statefulsets",
    "PersistentVolumeClaim": "persistentvolumeclaims",
    "PersistentVolume": "persistentvolumes",
    "StorageClass": "storageclasses",
}


@contextmanager
def frozen_builders() -> Iterator[None]:
    """Pin the builders' "now" to NOW and make every random uid a counter-derived one."""
    counter = itertools.count()

    def ago(seconds: float = 0) -> str:
        return (NOW - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def micro_ago(seconds: float = 0) -> str:
        return (NOW - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def new_uid(seed: str | None = None) -> str:
        return str(
            uuid.UUID(hashlib.md5((seed or f"example-{next(counter)}").encode()).hexdigest())
        )

    with ExitStack() as stack:
        for module, name, fake in (
            (ko, "ago", ago),
            (ko, "micro_ago", micro_ago),
            (kc, "ago", ago),
            (kc, "micro_ago", micro_ago),
            (ko, "new_uid", new_uid),
        ):
            stack.enter_context(mock.patch.object(module, name, fake))
        yield


def build() -> ExampleCluster:
    with frozen_builders():
        cluster = ExampleCluster()
        for part in (nodes_and_defaults, kube_system, shop, tidb_cluster):
            part(cluster)
    for i, obj in enumerate(cluster.objects):
        obj["metadata"].setdefault("resourceVersion", str(184000 + 7 * i))
    return cluster


def _by_name(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(objs, key=lambda o: o["metadata"]["name"])


def _typed_list(list_kind: str, api_version: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A List as kubectl prints a typed client's result: items carry no kind/apiVersion."""
    bare = [
        {k: v for k, v in o.items() if k not in ("kind", "apiVersion")} for o in _by_name(items)
    ]
    return {
        "kind": list_kind,
        "apiVersion": api_version,
        "metadata": {"resourceVersion": "184467"},
        "items": bare,
    }


def _write(path: Path, doc: dict[str, Any], fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "yaml":
        text = yaml.safe_dump(doc, sort_keys=True, default_flow_style=False, allow_unicode=True)
    else:
        text = json.dumps(doc, indent=4, ensure_ascii=False) + "\n"
    path.with_suffix(f".{fmt}").write_text(text, encoding="utf-8")


def _logs_txt(pod: dict[str, Any], logs: dict[str, str]) -> str:
    ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
    spec = pod["spec"]
    out = []
    for c in [*spec.get("initContainers", []), *spec["containers"]]:
        what = f"container {c['name']} of pod {ns}/{name}"
        out += [
            f"==== START logs for {what} ====\n",
            logs.get(c["name"], ""),
            f"==== END logs for {what} ====\n",
        ]
    return "".join(out)


def write_dump(directory: Path, *, fmt: str = "json") -> None:
    """(Re)create `directory` with the example cluster in kubectl's layout."""
    cluster = build()
    shutil.rmtree(directory, ignore_errors=True)
    objs = cluster.objects
    _write(
        directory / "nodes",
        _typed_list("NodeList", "v1", [o for o in objs if o["kind"] == "Node"]),
        fmt,
    )
    for ns in NAMESPACES:
        mine = [o for o in objs if o["metadata"].get("namespace") == ns]
        for stem, (list_kind, api_version, kind) in DUMPED.items():
            items = [o for o in mine if o["kind"] == kind]
            _write(directory / ns / stem, _typed_list(list_kind, api_version, items), fmt)
        for pod in _by_name([o for o in mine if o["kind"] == "Pod"]):
            text = _logs_txt(pod, cluster.logs.get((ns, pod["metadata"]["name"]), {}))
            (log_dir := directory / ns / pod["metadata"]["name"]).mkdir()
            (log_dir / "logs.txt").write_text(text, encoding="utf-8")
    for kind, stem in ATTACHED.items():
        for ns in sorted({o["metadata"].get("namespace", "") for o in objs if o["kind"] == kind}):
            items = _by_name(
                [o for o in objs if o["kind"] == kind and o["metadata"].get("namespace", "") == ns]
            )
            doc = {
                "apiVersion": "v1",
                "items": items,
                "kind": "List",
                "metadata": {"resourceVersion": ""},
            }
            _write(directory / ns / stem, doc, fmt)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=HERE / "dump")
    parser.add_argument("--format", choices=("json", "yaml"), default="json")
    args = parser.parse_args(argv)
    write_dump(args.output, fmt=args.format)
    print(f"Cluster info dumped to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
