"""Run the collectors for one pod: the pod first, then everything else at once.

The pod GET comes first because most collectors need it (containers for
logs, node name, claims, owners); what needs only the pod's name starts
alongside it; then every collector runs concurrently, so a diagnosis costs
about two round-trips whatever the number of collectors.
A collector that fails or overruns its time becomes a named gap; only the
pod itself is required (NotFound / Forbidden on it propagate).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping

from bot.cluster.caching import CachingReader, unseen_by
from bot.cluster.errors import ClusterError, TimedOut
from bot.cluster.moments import judged_at
from bot.cluster.reader import ClusterReader
from bot.errors import UserFacingError
from bot.evidence.base import Collector
from bot.evidence.common import gap
from bot.evidence.pods import pod_facts
from bot.evidence.registry import COLLECTORS
from intents.facts.model import PodFacts

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0


async def _run_one(
    collector: Collector, facts: PodFacts, *, reader: ClusterReader, timeout: float
) -> str | None:
    """Run one collector; return its gap, if it failed."""
    try:
        await asyncio.wait_for(collector.collect(facts, reader=reader), timeout)
    except TimeoutError:
        return gap(collector.what, TimedOut(f"timed out after {timeout:g}s"))
    except (
        ClusterError,
        UserFacingError,
    ) as exc:  # UserFacingError: e.g. a dump file refused as bad input
        return gap(collector.what, exc)
    except Exception as exc:  # a bug in one collector must not sink the diagnosis
        log.exception("collector %s failed on %s", collector.what, facts.ref)
        return gap(collector.what, exc)
    return None


async def run_collectors(
    facts: PodFacts,
    *,
    reader: ClusterReader,
    collectors: Mapping[str, Collector] = COLLECTORS,
    timeout: float = DEFAULT_TIMEOUT,
) -> PodFacts:
    """Fill `facts` with every collector, concurrently; failures land in `facts.gaps`."""
    gaps = await asyncio.gather(
        *(_run_one(c, facts, reader=reader, timeout=timeout) for c in collectors.values())
    )
    facts.gaps[:] = [g for g in gaps if g] + sorted(set(facts.gaps))
    return facts


async def _quietly(call: Awaitable[object]) -> None:
    """Await a prefetch and drop its error: the collector meets it again from the cache."""
    try:
        await call
    except Exception:  # noqa: BLE001 - reported by the collector that needs it
        return


async def gather_pod_facts(
    reader: ClusterReader,
    namespace: str,
    name: str,
    *,
    collectors: Mapping[str, Collector] = COLLECTORS,
    timeout: float = DEFAULT_TIMEOUT,
) -> PodFacts:
    """Read the pod (errors propagate), then run the collectors on it.

    Requests that need only the pod's name (its events, the namespace's
    Services and quotas) start together with the pod GET, through a caching
    reader, so the collectors find them already on their way.
    """
    shared = reader if isinstance(reader, CachingReader) else CachingReader(reader)
    early = [
        asyncio.ensure_future(_quietly(prefetch(namespace, name, reader=shared)))
        for prefetch in (getattr(c, "prefetch", None) for c in collectors.values())
        if prefetch
    ]
    try:
        pod = await shared.get("pods", name, namespace)
    except BaseException:
        for task in early:
            task.cancel()
        raise
    facts = pod_facts(
        pod, as_of=judged_at(shared), unseen=unseen_by(reader, "pods", namespace, name)
    )
    await run_collectors(facts, reader=shared, collectors=collectors, timeout=timeout)
    await asyncio.gather(*early)
    return facts
