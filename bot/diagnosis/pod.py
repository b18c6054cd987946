"""Diagnose one pod: gather facts, confirm catalog entries, match the text, rank.

A healthy pod (Running, every container ready, no recent restart, no
Warning event) gets "no problem found" and no guess; otherwise every
confirmed cause and the best text matches are reported, with the gaps.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.cluster.errors import ClusterError, NotFound
from bot.cluster.reader import ClusterReader
from bot.diagnosis.evidence_text import facts_text
from bot.diagnosis.naming import named_findings
from bot.diagnosis.text_names import facts_names
from bot.errors import ClusterUnavailable
from bot.evidence.common import failure_reason
from bot.evidence.health import Health, classify
from bot.evidence.history import facts_past
from bot.evidence.rules import confirm
from bot.evidence.runner import DEFAULT_TIMEOUT, gather_pod_facts
from bot.runtime.budget import TEXT_CPU_SECONDS
from intents.advice import SeenContext
from intents.causality import graph_of
from intents.decision import Decided, FindingBoard, decide_findings
from intents.facts.kinds.service_ports import service_port_mismatches
from intents.facts.model import NodeFacts, PodFacts
from intents.findings import ClusterNow
from intents.matcher import Matcher
from intents.policy import POLICY
from intents.text_budget import TooCostlyToRead, text_budget
from responses.diagnosis import Diagnosis, Finding

NO_PROBLEM = "no problem found"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Judge:
    """What turns facts into findings: the matcher and its catalog entries."""

    matcher: Matcher

    def findings(
        self, facts: PodFacts | NodeFacts, *, top: int = 3, complete: bool = True
    ) -> list[Finding]:
        """Confirmed and matched catalog entries for the facts, ranked."""
        return self.decide(facts, top=top, complete=complete).findings

    def decide(
        self,
        facts: PodFacts | NodeFacts,
        *,
        top: int = 3,
        complete: bool = True,
        now: ClusterNow | None = None,
    ) -> Decided:
        """The decision on the facts: the findings ranked, and which are problems of their own;
        `now`: what the object's present says of its failures (over: never high)."""
        entries = {entry.id: entry for entry in self.matcher.index.entries}
        try:
            with text_budget(TEXT_CPU_SECONDS):
                confirmations = {entry.id: confirm(entry, facts) for entry in entries.values()}
                text = facts_text(facts)
                matches = self.matcher.match(text, top=POLICY.match_pool) if text else []
        except TooCostlyToRead as exc:
            logger.warning(
                "%s: not matched: %s",
                facts.ref if isinstance(facts, PodFacts) else f"node {facts.name}",
                exc,
            )
            return Decided([], (), None, ())
        board = FindingBoard(
            matches,
            confirmations,
            entries,
            graph_of(self.matcher.index.entries),
            top=top,
            pool=top,
            complete=complete,
            seen=seen_in(facts, text),
            cluster=now,
        )
        return decide_findings(board)


def seen_in(facts: PodFacts | NodeFacts, text: str) -> SeenContext:
    """What can name a product in these facts: their text, and a pod's images, labels, containers."""
    if isinstance(facts, NodeFacts):
        return SeenContext(text=text)
    names = (*facts.images, *(container.name for container in facts.containers))
    return SeenContext(
        text=text,
        images=tuple(facts.images.values()),
        labels=facts.labels,
        containers=tuple(dict.fromkeys(names)),
    )


def healthy_note(facts: PodFacts, health: Health) -> str | None:
    """The "no problem found" note, when the pod really is fine.

    A ready pod behind a Service that targets a port it does not declare is not fine:
    the pod answers, the Service does not (service-target-port-mismatch).
    """
    if not health.healthy or any(e.type == "Warning" for e in facts.events):
        return None
    if any(service_port_mismatches(facts)):
        return None
    return f"{NO_PROBLEM}: pod {facts.ref} is {health.status}, all containers ready"


def judge_pod(facts: PodFacts, *, judge: Judge, cluster: str, top: int = 3) -> Diagnosis:
    """The diagnosis of a pod from its facts."""
    health = classify(facts)
    subject = f"pod {facts.ref}"
    note = healthy_note(facts, health)
    if note:
        return Diagnosis(subject=subject, cluster=cluster, gaps=tuple(facts.gaps), notes=(note,))
    past = facts_past(facts)  # the present judges the past: a failure it is past is never high
    said = past.over or past.soon
    read = f"pod {facts.ref}: {health.status}"
    now = ClusterNow(read, over=past.over, soon=past.soon) if said else None
    decided = judge.decide(facts, top=top, complete=not facts.gaps, now=now)
    return Diagnosis(
        subject=subject,
        findings=named_findings(tuple(decided.findings), facts_names(facts)),
        gaps=tuple(facts.gaps),
        cluster=cluster,
        notes=(f"pod status: {health.status}", *((said,) if said else ())),
        problems=decided.problems or (),
    )


def pod_unreadable(
    namespace: str, name: str, cluster: str, exc: ClusterError
) -> ClusterUnavailable:
    """The exit-1 error for a pod that cannot be read at all."""
    if isinstance(exc, NotFound):
        return ClusterUnavailable(f"pod {namespace}/{name} not found in cluster {cluster}")
    return ClusterUnavailable(
        f"cannot read pod {namespace}/{name} in cluster {cluster}: {failure_reason(exc)}"
    )


async def diagnose_pod(
    reader: ClusterReader,
    namespace: str,
    name: str,
    *,
    judge: Judge,
    top: int = 3,
    timeout: float = DEFAULT_TIMEOUT,
) -> Diagnosis:
    """Read the pod and its surroundings and diagnose it; ClusterUnavailable if the pod is unreadable."""
    try:
        facts = await gather_pod_facts(reader, namespace, name, timeout=timeout)
    except ClusterError as exc:
        raise pod_unreadable(namespace, name, reader.cluster_name, exc) from exc
    return await asyncio.to_thread(
        judge_pod, facts, judge=judge, cluster=reader.cluster_name, top=top
    )
