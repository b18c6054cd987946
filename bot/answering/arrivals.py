"""Which chat messages kubemedic reads at all, and how an ask becomes durable work: alike in every chat.

Every chat hands its messages in as an `Arrival`, and `skip_reason` is the one admission list:
the bot's own messages, other bots' and webhooks', system posts and edits are never read, nor a
pasted message shorter than a paste (`MIN_PASTE_CHARS`); a message addressed to the bot (a
mention, a direct message) needs only some text. What is read goes through admission control
(the budgets, then a queue slot: bot.answering.admission) and is stored as durable work keyed by
its message before the chat's ack leaves, so with several replicas one answers it and a replica
that dies leaves it to another. `/diagnose` is acknowledged and stored the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from bot.answering.admission import Admission, Admitted, Decision, SlowDown, busy_line
from bot.answering.flow import ChatFlow
from bot.answering.request_text import parse_request
from bot.answering.requests import DiagnoseRequest, InputKind, Place
from bot.errors import BadInput, TooCostly, too_costly_to_read
from bot.metrics import Metrics
from bot.paste_input import MIN_PASTE_CHARS
from bot.runtime.budget import TEXT_CPU_SECONDS, off_loop
from bot.runtime.work import WorkQueue
from responses import messages
from responses.chat import ChatMessage, ClustersMessage, Notice, UsageMessage
from responses.fleet_messages import NOT_A_HUB
from responses.redaction import EMPTY, Redacted, redact_paste
from responses.redaction.models import Pasted

Listing = Callable[[str | None], Awaitable[ClustersMessage]]
"""A fleet hub's `/diagnose clusters` for a channel."""
WORK_NAMES: dict[InputKind, str] = {
    "message": "paste",
    "mention": "mention",
    "dm": "dm",
    "command": "command",
}
"""The durable work's kinds, after the chat's prefix (stable: the next release takes over these)."""


@dataclass(frozen=True)
class Arrival:
    """A chat message as its chat hands it in."""

    text: str
    channel: str
    ts: str
    thread_ts: str | None = None
    user: str | None = None
    by_self: bool = False
    by_bot: bool = False
    """Another bot's, an integration's or a webhook's."""
    system: bool = False
    """Not written by someone: an edit, a deletion, a join (Slack's subtypes, Mattermost's post types)."""
    direct: bool = False
    addressed: bool = False
    """It names the bot (a mention)."""
    echo: bool = False
    """A mention its chat delivers again as an event of its own, which is the one read (Slack's)."""

    @property
    def kind(self) -> InputKind:
        return "dm" if self.direct else "mention" if self.addressed else "message"


def first_text(*values: object) -> str:
    """The first of `values` that is set, as text ("" when none is): a field a chat may send
    under several names or not at all."""
    return next((str(value) for value in values if value), "")


def skip_reason(arrival: Arrival) -> str | None:
    """Why a message is not read (a `reason` of kubemedic_messages_skipped_total), or None."""
    if arrival.by_self:
        return "self"
    if arrival.by_bot:
        return "bot"
    if arrival.system:
        return "subtype"
    if arrival.echo:
        return "mention"
    text = arrival.text.strip()
    if not text or (arrival.kind == "message" and len(text) < MIN_PASTE_CHARS):
        return "short"
    return None


class MessageWork(BaseModel):
    """A message to answer, stored as durable work (Mattermost's `post` and `root` read as `ts`, `thread_ts`)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    text: Pasted = EMPTY
    """Redacted as it arrives (a mention's or direct message's without the bot's name)."""
    costly: float | None = None
    """The CPU seconds its redaction ran past (then `text` is empty): answered "too costly to read"."""
    channel: str
    ts: str | None = Field(default=None, validation_alias=AliasChoices("ts", "post"))
    thread_ts: str | None = Field(default=None, validation_alias=AliasChoices("thread_ts", "root"))
    user: str | None = None

    @property
    def place(self) -> Place:
        return Place(self.channel, self.thread_ts or self.ts, self.user)


class CommandWork(BaseModel):
    """A `/diagnose` to answer through its response_url, stored as durable work."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    text: Pasted = EMPTY
    channel_id: str
    channel_name: str | None = None
    user_id: str | None = None
    response_url: str | None = None


class Inbox:
    """Reads one chat's messages and commands into durable work, and answers it through the flow."""

    def __init__(
        self,
        *,
        flow: ChatFlow,
        work: WorkQueue,
        metrics: Metrics,
        admission: Admission | None,
        prefix: str = "",
        unaddressed: Callable[[str], str] = str.strip,
        clusters: Listing | None = None,
        text_seconds: float = TEXT_CPU_SECONDS,
    ) -> None:
        """`prefix`: of the work's kinds (each chat's own); `unaddressed`: a message without the
        bot's name in it; `clusters`: a fleet hub's agents (None: not a hub); `text_seconds`: the
        CPU one message's redaction may take."""
        self.flow, self.work, self.metrics, self.admission = flow, work, metrics, admission
        self.prefix, self.unaddressed, self.clusters = prefix, unaddressed, clusters
        self.text_seconds = text_seconds
        for kind in ("message", "mention", "dm"):
            work.handler(self._kind(kind))(self._answerer(kind))
            work.shedder(self._kind(kind))(self.tell_busy)
        work.handler(self._kind("command"))(self.run_command)
        work.shedder(self._kind("command"))(self.tell_command_busy)

    def _kind(self, kind: InputKind) -> str:
        return self.prefix + WORK_NAMES[kind]

    def _admit(self, user: str | None, channel: str | None) -> Decision | None:
        """The budgets, then a queue slot if one is free (None: no admission control)."""
        if self.admission is None:
            return None
        return self.admission.admit(user=user, channel=channel)

    async def arrive(self, arrival: Arrival, key: str) -> Admitted | None:
        """Read a message: stored as work under `key` when it is one to answer (Admitted; `slot` False
        when it waits for one), else None (skipped, told to slow down, or delivered before)."""
        reason = skip_reason(arrival)
        if reason is not None:
            self.metrics.skipped.labels(reason).inc()
            return None
        decision = self._admit(arrival.user, arrival.channel)
        if isinstance(decision, SlowDown):
            await self._slow_down(arrival, decision)
            return None
        text, costly = await self._redacted(arrival)
        item = MessageWork(
            text=text,
            costly=costly,
            channel=arrival.channel,
            ts=arrival.ts,
            thread_ts=arrival.thread_ts,
            user=arrival.user,
        )
        stored = await self.work.submit(
            self._kind(arrival.kind),
            key,
            item.model_dump(exclude_none=True),
            slot=decision.slot if decision is not None else None,
        )
        return (decision or Admitted()) if stored else None

    async def _redacted(self, arrival: Arrival) -> tuple[Redacted, float | None]:
        """The message's one redaction (stored, answered), the bot's mention taken out first, on a
        worker thread within its CPU budget; past it, nothing of the text is kept and the budget
        is noted."""
        try:
            return await off_loop(self.text_seconds, self._said, arrival), None
        except TooCostly:
            return EMPTY, self.text_seconds

    def _said(self, arrival: Arrival) -> Redacted:
        said = arrival.text if arrival.kind == "message" else self.unaddressed(arrival.text)
        return redact_paste(said)

    async def _slow_down(self, arrival: Arrival, decision: SlowDown) -> None:
        """Tell the author to slow down: always when they addressed the bot, about a paste only
        as often as admission says (a flood of pastes gets one line, not one each)."""
        if not arrival.user or self.admission is None:
            return
        if arrival.kind != "message" or self.admission.tell_now(arrival.user):
            place = Place(arrival.channel, arrival.thread_ts or arrival.ts, arrival.user)
            await self.flow.surface.tell(place, Notice(decision.line))

    def _answerer(self, kind: InputKind) -> Callable[[dict[str, Any], int], Awaitable[None]]:
        async def answer(payload: dict[str, Any], attempt: int) -> None:
            item = MessageWork.model_validate(payload)
            if item.costly is not None:  # answered in its thread, then finished like any other
                reason = too_costly_to_read(item.costly)
                await self.flow.in_thread(item.place)(Notice(messages.user_error(reason)))
            elif kind == "message":
                await self.flow.answer_paste(item.text, item.place)
            else:
                await self.flow.answer_directly(item.text, item.place, kind=kind)

        return answer

    async def tell_busy(self, payload: dict[str, Any], ahead: int, retry_after: int) -> None:
        """A message that got no queue slot in time: the busy line in its thread."""
        await self.flow.in_thread(MessageWork.model_validate(payload).place)(
            Notice(busy_line(ahead, retry_after))
        )

    async def acknowledge(self, command: CommandWork, key: str) -> ChatMessage:
        """`/diagnose`'s ack: what is being done (the command stored as work), the usage, or why not."""
        try:
            asked = parse_request(command.text)
        except BadInput as exc:
            return Notice(messages.user_error(exc.reason))
        if asked == "help":
            return UsageMessage()
        if asked == "clusters":  # one read of the agents' table: answered in the ack
            return (
                await self.clusters(command.channel_id)
                if self.clusters is not None
                else Notice(NOT_A_HUB)
            )
        decision = self._admit(command.user_id, command.channel_id)  # before any matching
        if isinstance(decision, SlowDown):
            return Notice(decision.line)
        await self.work.submit(
            self._kind("command"),
            key,
            command.model_dump(exclude_none=True),
            slot=decision.slot if decision is not None else None,
        )
        # (a summary is acked with the paste wording, as it always was)
        return Notice(
            messages.diagnosing(
                DiagnoseRequest.paste(EMPTY).subject if asked == "summary" else asked.subject
            )
        )

    async def run_command(self, payload: dict[str, Any], attempt: int) -> None:
        """Answer a stored command through its response_url (any replica can)."""
        item = CommandWork.model_validate(payload)
        self.flow.summaries.channel_named(item.channel_id, item.channel_name)
        surface = self.flow.surface
        await self.flow.answer_directly(
            item.text,
            Place(item.channel_id, None, item.user_id),
            kind="command",
            private=surface.reply_url(item.response_url),
            public=surface.reply_url(item.response_url, public=True),
        )

    async def tell_command_busy(
        self, payload: dict[str, Any], ahead: int, retry_after: int
    ) -> None:
        """A command that got no queue slot in time: the busy line through its response_url."""
        item = CommandWork.model_validate(payload)
        await self.flow.surface.reply_url(item.response_url)(Notice(busy_line(ahead, retry_after)))
