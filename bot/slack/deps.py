"""Everything the Slack listeners need, built once by the composition root."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.metrics import Metrics
from bot.settings import Settings
from bot.slack.clusters import ClusterDirectory
from bot.slack.ratelimit import ChannelRateLimiter
from bot.storage.base import Store
from intents.matcher import Matcher

if TYPE_CHECKING:
    from bot.slack.work import WorkQueue

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class BotDeps:
    """The bot's collaborators; tests build it with local stand-ins."""

    settings: Settings
    matcher: Matcher
    store: Store
    clusters: ClusterDirectory
    metrics: Metrics = field(default_factory=Metrics)
    limiter: ChannelRateLimiter | None = None
    remediation: Any | None = None
    clock: Callable[[], datetime] = utc_now
    bot_user_id: str | None = None
    work: WorkQueue | None = None
    """Durable background work (set by `create_app`)."""
    background: set[asyncio.Task[None]] = field(default_factory=set)
    _slots: asyncio.Semaphore | None = None

    def __post_init__(self) -> None:
        if self.limiter is None:
            self.limiter = ChannelRateLimiter(self.settings.channel_replies_per_minute)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run work after the listener returned (so bolt answers Slack at once); keep track of it.

        At most `background_concurrency` pieces of work run at once: the rest
        wait without using the CPU, so a burst of commands does not starve the
        acks of the requests still arriving.
        """
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.settings.background_concurrency)
        task = asyncio.get_running_loop().create_task(self._bounded(self._slots, work))
        self.background.add(task)
        task.add_done_callback(self._finished)

    @staticmethod
    async def _bounded(slots: asyncio.Semaphore, work: Coroutine[Any, Any, None]) -> None:
        async with slots:
            await work

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background work failed", exc_info=task.exception())

    async def drain(self, timeout: float) -> None:
        """Wait (bounded) for in-flight background work, as a graceful shutdown does."""
        if self.background:
            await asyncio.wait(set(self.background), timeout=timeout)
