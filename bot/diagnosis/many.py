"""Diagnose many pods at once (a namespace, a node's pods), bounded.

Every pod is classified from its own object (no request); the worst ones,
up to a limit, are diagnosed in depth with bounded concurrency through a
shared caching reader; the rest are only counted by status.  So 2,000 pods
cost one paginated list plus a fixed number of deep diagnoses.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.cluster.caching import CachingReader, unseen_by
from bot.cluster.moments import judged_at
from bot.cluster.reader import ClusterReader, JsonObject
from bot.diagnosis.pod import Judge, judge_pod
from bot.diagnosis.suspects.bursts import collector_paused
from bot.evidence.health import HEALTHY_RUNNING, Health, classify, plainly_running
from bot.evidence.history import recovered
from bot.evidence.pods import pod_facts
from bot.evidence.runner import DEFAULT_TIMEOUT, run_collectors
from intents.facts.model import PodFacts
from responses.diagnosis import Diagnosis, Finding, PodRow

DEEP_LIMIT = 50
POD_CONCURRENCY = 8
MAX_GAPS = 20


@dataclass(frozen=True)
class ManyPods:
    """The rows (unhealthy pods, worst first), status counts and deduplicated gaps."""

    rows: tuple[PodRow, ...]
    counts: tuple[tuple[str, int], ...]
    gaps: tuple[str, ...]
    total: int

    @property
    def top_findings(self) -> tuple[Finding, ...]:
        """The distinct top causes, in the order of the pods they explain."""
        return distinct_findings(self.rows)

    def diagnosis(
        self,
        subject: str,
        cluster: str,
        notes: tuple[str, ...],
        findings: tuple[Finding, ...] = (),
        gaps: tuple[str, ...] = (),
    ) -> Diagnosis:
        """The subject's diagnosis: its own `findings` and `gaps`, then its pods'."""
        seen = {finding.match.id for finding in findings}
        extra = tuple(f for f in self.top_findings if f.match.id not in seen)
        return Diagnosis(
            subject=subject,
            findings=(*findings, *extra),
            gaps=(*gaps, *self.gaps),
            cluster=cluster,
            pods=self.rows,
            counts=self.counts,
            notes=notes,
        )


def distinct_findings(rows: Iterable[PodRow]) -> tuple[Finding, ...]:
    """The rows' top causes, one per catalog id (a Finding holds lists: it cannot be hashed)."""
    seen: dict[str, Finding] = {}
    for row in rows:
        if row.finding is not None:
            seen.setdefault(row.finding.match.id, row.finding)
    return tuple(seen.values())


async def _deep(
    facts: PodFacts,
    health: Health,
    *,
    reader: ClusterReader,
    judge: Judge,
    gate: asyncio.Semaphore,
    timeout: float,
) -> PodRow:
    async with gate:
        await run_collectors(facts, reader=reader, timeout=timeout)
    diagnosis = await asyncio.to_thread(
        judge_pod, facts, judge=judge, cluster=reader.cluster_name, top=1
    )
    top = diagnosis.findings[0] if diagnosis.findings else None
    return PodRow(
        pod=facts.ref,
        status=health.status,
        severity=health.severity,
        finding=top,
        gaps=diagnosis.gaps,
        history=recovered(facts),
    )


def _where(pod: JsonObject) -> tuple[str, str]:
    meta = pod.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


async def assess_pods(
    pods: list[JsonObject],
    *,
    reader: ClusterReader,
    judge: Judge,
    deep_limit: int = DEEP_LIMIT,
    concurrency: int = POD_CONCURRENCY,
    timeout: float = DEFAULT_TIMEOUT,
) -> ManyPods:
    """Classify every pod, diagnose the worst `deep_limit` in depth, count the rest."""
    as_of = judged_at(reader)
    with collector_paused():
        plain = [plainly_running(p) for p in pods]  # healthy: counted, no facts built
        others = [
            pod_facts(p, as_of=as_of, unseen=unseen_by(reader, "pods", *_where(p)))
            for p, ok in zip(pods, plain, strict=True)
            if not ok
        ]
        classified = [(facts, classify(facts)) for facts in others]
    counts = Counter(health.status for _facts, health in classified)
    counts.update({HEALTHY_RUNNING: sum(plain)} if any(plain) else {})
    unhealthy = sorted(
        ((f, h) for f, h in classified if not h.healthy), key=lambda fh: (fh[1].severity, fh[0].ref)
    )
    shared, gate = CachingReader(reader), asyncio.Semaphore(concurrency)
    deep = await asyncio.gather(
        *(
            _deep(f, h, reader=shared, judge=judge, gate=gate, timeout=timeout)
            for f, h in unhealthy[:deep_limit]
        )
    )
    shallow = [
        PodRow(pod=f.ref, status=h.status, severity=h.severity, diagnosed=False)
        for f, h in unhealthy[deep_limit:]
    ]
    gaps = dict.fromkeys(g for row in deep for g in row.gaps)
    current = sorted(deep, key=lambda row: bool(row.history))  # the present first (stable)
    return ManyPods(
        rows=(*current, *shallow),
        counts=tuple(sorted(counts.items())),
        gaps=tuple(gaps)[:MAX_GAPS],
        total=len(pods),
    )
