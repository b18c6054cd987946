"""Everything the Slack listeners need, built once by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.metrics import Metrics
from bot.settings import Settings
from bot.slack.clusters import ClusterDirectory
from bot.slack.ratelimit import ChannelRateLimiter
from bot.storage.base import Store
from intents.matcher import Matcher


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

    def __post_init__(self) -> None:
        if self.limiter is None:
            self.limiter = ChannelRateLimiter(self.settings.channel_replies_per_minute)
