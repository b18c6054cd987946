"""The cost of reading: the suspects walk on a big namespace, and a big recorded output.

    python -m bench.walk_cost

1. CPU seconds of `diagnose namespace`'s walk (`walk_namespace`: the unhealthy pods judged, the
   namespace read once, the graph, every check, the ranking) on a generated namespace of N pods
   behind S Services (one in a hundred crash-looping), read from memory so only the walk's own
   work is counted. Issue 66's target: at most 2 s for 3,000 pods + 3,000 Services; issue 73's: at most
   1.5 s for 10,000 pods + 10,000 Services.
2. Peak memory per input byte and CPU of `--from-outputs` reading one `kubectl get pods` table
   of 1, 10 and 60 MB (tracemalloc's peak over the input's size).

A script, not a test: the figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import builtins
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from bot.cluster.errors import NotFound
from bot.cluster.reader import JsonObject
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko

SIZES = ((300, 100), (1200, 1200), (3000, 3000), (10_000, 10_000))
TABLE_MB = (1, 10, 60)
NS = "shop"


class MemoryReader:
    """A ClusterReader over objects held in memory (no parsing, no network)."""

    cluster_name = "memory"

    def __init__(self, objects: list[JsonObject]) -> None:
        self._by_kind: dict[str, list[JsonObject]] = {}
        for obj in objects:
            self._by_kind.setdefault(_plural(obj["kind"]), []).append(obj)

    async def get(self, kind: str, name: str, namespace: str | None = None) -> JsonObject:
        for obj in await self.list(kind, namespace):
            if obj["metadata"]["name"] == name:
                return obj
        raise NotFound(f"{kind} {name} not found")

    async def list(
        self, kind: str, namespace: str | None = None, **_: Any
    ) -> builtins.list[JsonObject]:
        found = self._by_kind.get(kind, [])
        return [o for o in found if namespace in (None, o["metadata"].get("namespace"))]

    async def logs(self, namespace: str, pod: str, container: str, **_: Any) -> str:
        return ""


def _plural(kind: str) -> str:
    special = {"Endpoints": "endpoints", "ResourceQuota": "resourcequotas"}
    return special.get(kind, kind.lower() + ("es" if kind.endswith("s") else "s"))


def namespace_of(pods: int, services: int) -> list[JsonObject]:
    """`services` apps, their pods spread over them (at least one each where pods allow), each
    app calling the next one (env NEXT_ADDR=appN:80): a dependency graph of `services` edges."""
    objects: list[JsonObject] = [kc.node(name="worker-1"), kc.node(name="worker-2")]
    apps = max(services, 1)
    for number in range(pods):
        app = f"app{number % apps:05d}"
        status = (
            ko.crashloop_status(name=app, restarts=7)
            if number % 100 == 7
            else ko.running_status(name=app)
        )
        objects.append(
            ko.pod(
                name=f"{app}-5d8f7c9b4-{number:05d}",
                namespace=NS,
                labels={"app": app},
                containers=[_calling(ko.container(name=app), number % apps, apps)],
                node_name="worker-1" if number % 2 else "worker-2",
                container_statuses=[status],
            )
        )
    for number in range(services):
        app = f"app{number:05d}"
        objects.append(kc.service(name=app, namespace=NS, selector={"app": app}, ports=[(80, 80)]))
    return objects


def _calling(container: JsonObject, app: int, apps: int) -> JsonObject:
    """The container with an env value naming the next app's Service (the last calls none)."""
    if app + 1 < apps:
        container["env"] = [{"name": "NEXT_ADDR", "value": f"app{app + 1:05d}:80"}]
    return container


def walk_cpu(pods: int, services: int) -> float:
    """CPU seconds of one walk of the generated namespace."""
    from bot.diagnosis.pod import Judge
    from bot.diagnosis.suspects.walk import walk_namespace
    from bot.knowledge import load_knowledge
    from bot.settings import Settings

    judge = Judge(load_knowledge(Settings()).matcher)
    reader = MemoryReader(namespace_of(pods, services))
    start = time.process_time()
    asyncio.run(walk_namespace(reader, NS, judge=judge, symptom="app00007 is failing"))
    return time.process_time() - start


def table_cost(megabytes: int, folder: Path) -> tuple[int, float, float]:
    """(input bytes, peak bytes per input byte, CPU seconds) of reading one big table."""
    from bot.cluster.outputs import OutputsReader

    row = "web-{:08d}-abcdef-xyz12     1/1     Running   0          5m\n"
    path = folder / f"pods-{megabytes}.txt"
    with path.open("w") as f:
        f.write("$ kubectl get pods -n shop\nNAME    READY   STATUS    RESTARTS   AGE\n")
        for number in range(megabytes * 1_000_000 // len(row.format(0))):
            f.write(row.format(number))
    size = path.stat().st_size
    tracemalloc.start()
    start = time.process_time()
    OutputsReader(path)
    cpu = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    path.unlink()
    return size, peak / size, cpu


def main() -> int:
    print("| pods | Services | walk CPU (s) |\n|---|---|---|")
    for pods, services in SIZES:
        print(f"| {pods} | {services} | {walk_cpu(pods, services):.2f} |")
    print("\n| table | peak memory per input byte | CPU (s, under tracemalloc) |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in TABLE_MB:
            size, per_byte, cpu = table_cost(megabytes, Path(tmp))
            print(f"| {size / 1e6:.0f} MB | {per_byte:.2f} | {cpu:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
