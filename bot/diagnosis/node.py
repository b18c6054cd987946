"""Diagnose a node: its conditions, taints and pressure, and its failing pods.

The node's own findings (node-not-ready, node-disk-pressure, too-many-pods)
come first; the pods that fail on it follow, each with its top cause.
"""

from __future__ import annotations

import asyncio

from bot.cluster.errors import ClusterError, NotFound
from bot.cluster.reader import ClusterReader
from bot.diagnosis.many import assess_pods
from bot.diagnosis.namespace import summary_notes
from bot.diagnosis.naming import named_findings
from bot.diagnosis.pod import Judge
from bot.diagnosis.text_names import facts_names
from bot.errors import ClusterUnavailable
from bot.evidence.common import failure_reason, gap
from bot.evidence.events import object_events
from bot.evidence.nodes import MAX_NODE_PODS, node_facts
from bot.evidence.runner import DEFAULT_TIMEOUT
from intents.facts.model import EventFacts, NodeFacts
from responses.diagnosis import Diagnosis

NODE_POD_DEEP_LIMIT = 20


def _unreadable(name: str, cluster: str, exc: ClusterError) -> ClusterUnavailable:
    if isinstance(exc, NotFound):
        return ClusterUnavailable(f"node {name} not found in cluster {cluster}")
    return ClusterUnavailable(
        f"cannot read node {name} in cluster {cluster}: {failure_reason(exc)}"
    )


def _take_events(
    facts: NodeFacts, events: list[EventFacts] | BaseException, gaps: list[str], name: str
) -> None:
    """The node's events into its facts; a gap when they could not be read."""
    if isinstance(events, ClusterError):
        gaps.append(gap(f"events of node {name}", events))
    elif isinstance(events, BaseException):
        raise events
    else:
        facts.events = events


async def diagnose_node(
    reader: ClusterReader,
    name: str,
    *,
    judge: Judge,
    deep_limit: int = NODE_POD_DEEP_LIMIT,
    timeout: float = DEFAULT_TIMEOUT,
) -> Diagnosis:
    """The node's findings first, then its unhealthy pods with their top causes."""
    gaps: list[str] = []
    read, events = await asyncio.gather(
        node_facts(reader, name, gaps=gaps),
        object_events(reader, "Node", name, namespace=None),
        return_exceptions=True,
    )
    if isinstance(read, ClusterError):
        raise _unreadable(name, reader.cluster_name, read) from read
    if isinstance(read, BaseException):
        raise read
    facts, pods = read
    _take_events(facts, events, gaps, name)
    findings = named_findings(
        tuple(await asyncio.to_thread(judge.findings, facts, complete=not gaps)), facts_names(facts)
    )
    result = await assess_pods(
        pods, reader=reader, judge=judge, deep_limit=deep_limit, timeout=timeout
    )
    notes = summary_notes(result, where=f"on node {name}", read_cap=MAX_NODE_PODS)
    if findings:
        notes = tuple(note for note in notes if not note.startswith("no problem"))
    return result.diagnosis(f"node {name}", reader.cluster_name, notes, findings, tuple(gaps))
