"""Run what a Slack user asked for and describe the result for replying.

Transport-free: the listeners parse, ack and post; this module turns a
request into a `Result` (the diagnosis, the facts remediation needs, and a
fingerprint that recognises the same problem seen again).
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass

from bot.cluster.errors import ClusterError
from bot.diagnosis.namespace import diagnose_namespace
from bot.diagnosis.node import diagnose_node
from bot.diagnosis.pod import Judge, judge_pod, pod_unreadable
from bot.evidence.facts import NodeFacts, PodFacts
from bot.evidence.runner import gather_pod_facts
from bot.slack.deps import BotDeps
from bot.slack.request_text import DiagnoseRequest
from intents.normalize import canonical
from responses.diagnosis import Diagnosis, Finding

DIAGNOSIS_TIMEOUT = 30.0


@dataclass(frozen=True)
class Result:
    """A finished diagnosis, ready to post."""

    diagnosis: Diagnosis
    fingerprint: str
    facts: PodFacts | NodeFacts | None = None
    source: str = "cluster"
    context: str | None = None
    """The kubeconfig context the diagnosis read (None: the default one)."""
    text: str | None = None
    """The pasted text, for a paste."""


def _digest(*parts: str | None) -> str:
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:32]


def _top_id(diagnosis: Diagnosis) -> str:
    return diagnosis.findings[0].match.id if diagnosis.findings else "none"


async def diagnose_paste(deps: BotDeps, text: str) -> Result:
    """Match pasted text (off the event loop: a 40 KB paste is tens of milliseconds)."""
    matches = await asyncio.to_thread(deps.matcher.match, text, top=3)
    diagnosis = Diagnosis(subject="the pasted text", findings=tuple(Finding(m) for m in matches))
    matched = matches[0].matched[0].line if matches and matches[0].matched else text[:200]
    key = _digest("paste", _top_id(diagnosis), canonical(matched))
    return Result(diagnosis, key, source="paste", text=text)


async def diagnose_request(deps: BotDeps, request: DiagnoseRequest) -> Result:
    """The diagnosis for a pod, namespace or node request (ClusterUnavailable if unreadable)."""
    if request.verb == "paste":
        return await diagnose_paste(deps, request.text)
    reader = deps.clusters.reader(request.context)
    judge = Judge(deps.matcher)
    cluster = reader.cluster_name
    if request.verb == "pod":
        assert request.namespace and request.name
        try:
            facts = await gather_pod_facts(reader, request.namespace, request.name, timeout=DIAGNOSIS_TIMEOUT)
        except ClusterError as exc:  # counted by status where the gateway raised it
            raise pod_unreadable(request.namespace, request.name, cluster, exc) from exc
        # matching is CPU work: off the event loop, so acks for other requests keep flowing
        diagnosis = await asyncio.to_thread(judge_pod, facts, judge=judge, cluster=cluster)
        key = _digest(cluster, request.namespace, request.name, _top_id(diagnosis))
        return Result(diagnosis, key, facts, context=request.context)
    if request.verb == "namespace":
        assert request.namespace
        diagnosis = await diagnose_namespace(reader, request.namespace, judge=judge, timeout=DIAGNOSIS_TIMEOUT)
        key = _digest(cluster, request.namespace, "*", _top_id(diagnosis))
        return Result(diagnosis, key, context=request.context)
    assert request.name
    diagnosis = await diagnose_node(reader, request.name, judge=judge, timeout=DIAGNOSIS_TIMEOUT)
    key = _digest(cluster, "node", request.name, _top_id(diagnosis))
    return Result(diagnosis, key, context=request.context)
