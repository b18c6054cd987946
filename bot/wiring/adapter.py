"""What the composition root asks of a chat: its adapter.

The root (`bot.wiring.root.compose`) builds the same use cases for every chat; an adapter
brings the chat's side: how answers and questions are drawn and posted (the surface), where
alert messages and incident summaries go, how a message that does not name the bot is read,
and the listeners and HTTP routes through which the chat's requests arrive. Slack
(`bot.wiring.slack`) and Mattermost (`bot.wiring.mattermost`) are adapters; Teams mirrors
another chat's alerts and summaries (`bot.wiring.teams`); a fleet hub reads its clusters
through its agents (`bot.wiring.hub`). A new chat is one more adapter, not another root.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web

from bot.answering.answers import Answers
from bot.answering.arrivals import Inbox
from bot.answering.flow import ChatFlow
from bot.answering.surface import ChatSurface
from bot.metrics import Metrics
from bot.noise.chat import AlertChat
from bot.runtime.background import Background
from bot.runtime.clock import Clock
from bot.runtime.ledger import Ledger
from bot.runtime.shared_buckets import SharedBuckets
from bot.runtime.work import WorkQueue
from bot.settings import Settings
from bot.storage.sql import SqlStore
from bot.summary.chat import SummaryChat
from bot.summary.incidents import IncidentSummaries
from bot.web.server import Route
from intents.matcher import Matcher


@dataclass(frozen=True)
class Core:
    """What every part shares, made by the root before the chat's side."""

    settings: Settings
    store: SqlStore
    metrics: Metrics
    clock: Clock
    background: Background
    matcher: Matcher
    shared: SharedBuckets | None = None


@dataclass(frozen=True)
class ChatParts:
    """A chat's side of the use cases' ports."""

    surface: ChatSurface
    alert_chat: AlertChat
    summary_chat: SummaryChat
    bot_user_id: str | None
    unaddressed: Callable[[str], str] = str.strip
    """A message without the bot's name in it (the mention parser: `@kubemedic` taken out)."""
    prefix: str = ""
    """Of the durable work's kinds: each chat's own."""
    buttons: bool = True
    """Whether the chat can call back a remediation button (Mattermost: a callback URL is set)."""


@dataclass(frozen=True)
class Wired:
    """The use cases a chat's listeners hand their requests to."""

    core: Core
    answers: Answers
    flow: ChatFlow
    inbox: Inbox
    work: WorkQueue
    summaries: IncidentSummaries
    ledger: Ledger


class ChatAdapter(Protocol):
    """One chat, as the root composes it: `build` before the use cases, `listen` after them,
    `served` once the HTTP app holds every route."""

    def build(self, core: Core) -> ChatParts: ...

    def listen(self, wired: Wired) -> list[Route]: ...

    def served(self, app: web.Application, wired: Wired) -> None: ...
