"""The pod's node: conditions, taints, and allocatable against what its pods request.

The pods on the node come from one list with fieldSelector spec.nodeName,
fetched in parallel with the node; if that list is refused the node facts
still stand and the missing totals become a gap.
"""

from __future__ import annotations

from bot.cluster.errors import ClusterError
from bot.cluster.reader import ClusterReader, JsonObject
from bot.evidence.common import derived, gap, quantity, status_conditions
from intents.facts.model import NodeFacts, PodFacts

MAX_NODE_PODS = 1000
RESOURCES = ("cpu", "memory", "pods", "ephemeral-storage")


def parse_node(node: JsonObject) -> NodeFacts:
    """NodeFacts (without pod totals) from a Node object."""
    spec, status = node.get("spec") or {}, node.get("status") or {}
    taints = [f"{t.get('key')}:{t.get('effect')}" for t in spec.get("taints") or []]
    conditions = status_conditions(status)
    allocatable = {
        k: quantity(v) for k, v in (status.get("allocatable") or {}).items() if k in RESOURCES
    }
    return NodeFacts(
        name=str((node.get("metadata") or {}).get("name")),
        conditions=conditions,
        taints=taints,
        unschedulable=bool(spec.get("unschedulable")),
        allocatable=allocatable,
    )


def active(pod: JsonObject) -> bool:
    """Pods that still hold node resources (not Succeeded/Failed)."""
    return (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")


def _totals(pods: list[JsonObject]) -> tuple[dict[str, float], int]:
    running = [pod for pod in pods[:MAX_NODE_PODS] if active(pod)]  # at most what was asked
    totals: dict[str, float] = {"pods": float(len(running))}
    for pod in running:
        for container in (pod.get("spec") or {}).get("containers") or []:
            requests = (container.get("resources") or {}).get("requests") or {}
            for key in ("cpu", "memory", "ephemeral-storage"):
                if key in requests:
                    totals[key] = totals.get(key, 0.0) + quantity(requests[key])
    return totals, len(running)


def add_requests(facts: NodeFacts, pods: list[JsonObject]) -> None:
    """Sum the requests of the active pods on the node (once per list: every pod of a
    namespace diagnosis on that node shares it)."""
    totals, count = derived("node requests", pods, _totals)
    facts.requested = dict(totals)
    facts.pod_count = count


async def node_facts(
    reader: ClusterReader, name: str, *, gaps: list[str]
) -> tuple[NodeFacts, list[JsonObject]]:
    """The node and the pods on it; a refused pod list becomes a gap, a refused node raises."""
    import asyncio  # here: pasted nodes are parsed with this module, without an event loop

    node, pods = await asyncio.gather(
        reader.get("nodes", name),
        reader.list("pods", None, field_selector=f"spec.nodeName={name}", limit=MAX_NODE_PODS),
        return_exceptions=True,
    )
    if isinstance(node, BaseException):
        raise node
    facts = parse_node(node)
    if isinstance(pods, ClusterError):
        gaps.append(gap(f"the pods on node {name}", pods))
        return facts, []
    if isinstance(pods, BaseException):
        raise pods
    add_requests(facts, pods)
    return facts, pods


class NodesCollector:
    """The node the pod runs on (nothing for an unscheduled pod)."""

    what = "node"

    async def collect(self, facts: PodFacts, *, reader: ClusterReader) -> None:
        if facts.node_name:
            facts.node, _pods = await node_facts(reader, facts.node_name, gaps=facts.gaps)
