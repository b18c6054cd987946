"""When stored rows are deleted: the policy from the settings, applied at start-up and hourly.

Defaults keep what serves a live incident and its follow-up: requests and
event ids a day (Slack stops retrying within minutes; a dead replica's work
is taken over within a lease), diagnoses and incident-channel messages 30
days (feedback buttons and summaries of recent incidents keep working), and
the remediation audit log a year - the longest, since it answers "who changed
what". Pruning runs when `serve` starts and every hour after, on every
replica (deleting what another replica already deleted is a no-op).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.settings import Settings
from bot.storage.base import Store, StoreUnavailable
from bot.storage.records import RetentionCutoffs, utcnow

log = logging.getLogger(__name__)

PRUNE_EVERY = timedelta(hours=1)
PAGES_RETRIED_FOR = {"pagerduty": timedelta(hours=48)}
"""How long a tool documents it sends a page again while kubemedic does not answer 2xx
(PagerDuty: 48 hours): such a late page is accepted, and its id is kept that long."""
REPLAYS_REFUSED_FOR = max(PAGES_RETRIED_FOR.values()) + timedelta(hours=1)


def cutoffs(settings: Settings, now: datetime) -> RetentionCutoffs:
    """The times before which each kind of row is deleted, as of `now`."""
    work = now - timedelta(hours=settings.retain_work_hours)
    repeat = now - timedelta(minutes=settings.repeat_window_minutes)
    return RetentionCutoffs(
        work=work,
        replies=min(work, repeat),
        inbox=min(work, now - REPLAYS_REFUSED_FOR),
        diagnoses=now - timedelta(days=settings.retain_diagnoses_days),
        messages=now - timedelta(days=settings.retain_messages_days),
        audit=now - timedelta(days=settings.retain_audit_days),
    )


async def prune(store: Store, settings: Settings, now: datetime) -> dict[str, int]:
    """Delete what is past its retention; rows deleted per table ({} when the database is down)."""
    try:
        deleted = await store.prune_expired(cutoffs(settings, now))
    except StoreUnavailable as exc:
        log.warning("retention skipped: %s", exc)
        return {}
    if deleted:
        log.info(
            "retention deleted %d row(s): %s",
            sum(deleted.values()),
            ", ".join(f"{table} {count}" for table, count in sorted(deleted.items())),
        )
    return deleted


async def run_retention(
    store: Store,
    settings: Settings,
    stop: asyncio.Event,
    *,
    clock: Callable[[], datetime] = utcnow,
    every: timedelta = PRUNE_EVERY,
) -> None:
    """Prune now, then every `every` until `stop` is set."""
    while not stop.is_set():
        await prune(store, settings, clock())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every.total_seconds())
