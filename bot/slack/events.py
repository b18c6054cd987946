"""Message events (pasted errors), @mentions, and channel lifecycle events.

A pasted message is answered in its thread only when the use case says so
(high or medium confidence, within the channel's budget); chat, bots (ours
included) and edits are never answered. A mention, and a direct message to
the bot, work like `/diagnose` (bot.slack.direct): a direct ask.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.answering.admission import Admission, Admitted, Decision, SlowDown
from bot.answering.answers import Answers
from bot.answering.requests import DiagnoseRequest, InputKind, Place
from bot.errors import BadInput
from bot.metrics import Metrics
from bot.runtime.background import Background
from bot.runtime.work import WorkQueue
from bot.slack.admission import tell_busy_in_thread, tell_slow_down
from bot.slack.direct import SlackDirectAsks
from bot.slack.render import render_answer, render_summary, render_usage
from bot.slack.request_text import parse_request
from bot.slack.work_items import DirectMessageWork, MentionWork, MessageWork, PasteWork
from bot.summary.incidents import IncidentSummaries
from responses import messages
from responses.fleet_messages import CLUSTERS_BY_COMMAND

log = logging.getLogger(__name__)

ANSWERED_SUBTYPES = {None, "thread_broadcast", "file_share"}
MIN_PASTE_CHARS = 12
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def is_direct_message(event: dict[str, Any]) -> bool:
    """A message in the bot's direct-message channel: addressed to it, like a mention."""
    return event.get("channel_type") == "im"


def skip_reason(event: dict[str, Any], bot_user_id: str | None) -> str | None:
    """Why a message event is not a paste (or direct message) to answer, or None when it is."""
    if event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message":
        return "bot"
    if bot_user_id and event.get("user") == bot_user_id:
        return "self"
    if event.get("subtype") not in ANSWERED_SUBTYPES:
        return "subtype"
    if is_direct_message(event):
        return None if str(event.get("text") or "").strip() else "short"
    if len(str(event.get("text") or "").strip()) < MIN_PASTE_CHARS:
        return "short"
    if _MENTION.search(str(event.get("text") or "")) and bot_user_id and f"<@{bot_user_id}" in str(event.get("text")):
        return "mention"  # answered by the app_mention listener
    return None


def _event_key(body: dict[str, Any], event: dict[str, Any]) -> str:
    return str(body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}")


def _stored(event: dict[str, Any]) -> dict[str, Any]:
    """What answering an event needs, as stored durable work."""
    return {key: event[key] for key in MessageWork.model_fields if key in event}


class EventListeners:
    """Message, app_mention and channel event listeners, with what they need."""

    def __init__(self, *, work: WorkQueue, answers: Answers, summaries: IncidentSummaries,
                 background: Background, metrics: Metrics, client: AsyncWebClient,
                 bot_user_id: str | None, direct: SlackDirectAsks, admission: Admission | None = None) -> None:
        self.work = work
        self.direct = direct
        self.admission = admission
        self.answers = answers
        self.summaries = summaries
        self.background = background
        self.metrics = metrics
        self.client = client
        self.bot_user_id = bot_user_id

    def register(self, app: AsyncApp) -> None:
        """Register the listeners and the handlers (and shedders) of the work they store."""
        app.event("message")(self.on_message)
        self.work.handler(PasteWork.kind)(self.answer_paste)
        self.work.shedder(PasteWork.kind)(self.tell_busy)
        app.event("app_mention")(self.on_mention)
        self.work.handler(MentionWork.kind)(self.answer_mention)
        self.work.shedder(MentionWork.kind)(self.tell_busy)
        self.work.handler(DirectMessageWork.kind)(self.answer_direct_message)
        self.work.shedder(DirectMessageWork.kind)(self.tell_busy)
        app.event("member_joined_channel")(self.on_member_joined)
        app.event("channel_created")(self.on_channel_created)

    def _decide(self, event: dict[str, Any]) -> Decision | None:
        """The budgets, then a queue slot if one is free (None: no admission control)."""
        if self.admission is None:
            return None
        user, channel = event.get("user"), event.get("channel")
        return self.admission.admit(user=str(user) if user else None, channel=str(channel) if channel else None)

    def stored_as_work(self, body: dict[str, Any], context: dict[str, Any]) -> bool:
        """Whether this event becomes work (a pasted message or a mention): its work item, one per event
        id, is what makes a repeated delivery count once (bot.slack.middleware claims the others)."""
        event = body.get("event")
        if body.get("type") != "event_callback" or not isinstance(event, dict):
            return False
        if event.get("type") == "app_mention":
            return True
        return event.get("type") == "message" and skip_reason(event, self.bot_user_id or context.get("bot_user_id")) is None

    async def _submit(self, work: type[PasteWork | MentionWork | DirectMessageWork], event: dict[str, Any], body: dict[str, Any],
                      decision: Decision | None, *, pasted: bool) -> bool:
        """Store the event as work (before bolt's ack leaves), or tell its author to slow down; False for a
        repeated delivery of an event already stored."""
        if isinstance(decision, SlowDown):
            assert self.admission is not None
            await tell_slow_down(self.client, decision, event, admission=self.admission, pasted=pasted)
            return True
        return await self.work.submit(work.kind, _event_key(body, event), work.of(_stored(event)).payload(),
                                      slot=decision.slot if isinstance(decision, Admitted) else None)

    async def on_message(self, event: dict[str, Any], body: dict[str, Any], context: dict[str, Any]) -> None:
        reason = skip_reason(event, self.bot_user_id or context.get("bot_user_id"))
        if reason is not None:
            self.background.spawn(self.summaries.on_message(event, overloaded=False))
            self.metrics.skipped.labels(reason).inc()
            return
        decision = self._decide(event)
        if is_direct_message(event):
            await self._submit(DirectMessageWork, event, body, decision, pasted=False)
            return
        if await self._submit(PasteWork, event, body, decision, pasted=True):
            waits = isinstance(decision, Admitted) and not decision.slot  # no channel look-up for it now
            self.background.spawn(self.summaries.on_message(event, overloaded=waits))

    async def tell_busy(self, payload: dict[str, Any], ahead: int, retry_after: int) -> None:
        """A message or mention that got no queue slot in time: the busy line in its thread."""
        item = MessageWork.model_validate(payload)
        await tell_busy_in_thread(self.client, channel=item.channel, thread=item.thread, ahead=ahead,
                                  retry_after=retry_after)

    async def answer_paste(self, payload: dict[str, Any], attempt: int) -> None:
        """A pasted message: answered in its thread only when the use case says so."""
        item = PasteWork.of(payload)
        request = DiagnoseRequest.paste(str(item.text))
        place = Place(item.channel, item.thread, item.user)
        answer = await self.direct.walk_pasted(request.text, place) or \
            await self.answers.answer(request, place, kind="message")
        await render_answer(answer, subject=request.subject, channel=item.channel, say_private=None)

    async def on_mention(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        await self._submit(MentionWork, event, body, self._decide(event), pasted=False)

    async def answer_mention(self, payload: dict[str, Any], attempt: int) -> None:
        """`@kubemedic ...`: like the slash command, answered in the thread."""
        await self._answer_directly(MentionWork.of(payload), kind="mention")

    async def answer_direct_message(self, payload: dict[str, Any], attempt: int) -> None:
        """A direct message to the bot: like a mention, answered in its thread."""
        await self._answer_directly(DirectMessageWork.of(payload), kind="dm")

    async def _answer_directly(self, item: MessageWork, *, kind: InputKind) -> None:

        async def say(**message: Any) -> None:
            await self.client.chat_postMessage(channel=item.channel, thread_ts=item.thread, **message)

        try:
            request = parse_request(_MENTION.sub(" ", item.text or ""))
        except BadInput as exc:
            await say(text=messages.user_error(exc.reason))
            return
        if request == "help":
            await render_usage(say)
            return
        if request == "summary":
            await render_summary(await self.summaries.answer(item.channel), say)
            return
        if request == "clusters":
            await say(text=CLUSTERS_BY_COMMAND)
            return
        await self.direct.answer(request, Place(item.channel, item.thread, item.user), kind=kind, say_private=say)

    async def on_member_joined(self, event: dict[str, Any], context: dict[str, Any]) -> None:
        log.debug("member %s joined %s", event.get("user"), event.get("channel"))
        self.background.spawn(self.summaries.on_member_joined(
            channel=str(event.get("channel") or ""), user=event.get("user"),
            bot_user_id=self.bot_user_id or context.get("bot_user_id")))

    async def on_channel_created(self, event: dict[str, Any]) -> None:
        log.debug("channel created: %s", (event.get("channel") or {}).get("name"))
        created = event.get("channel") or {}
        self.background.spawn(self.summaries.on_channel_created(channel=str(created.get("id") or ""),
                                                                name=str(created.get("name") or "")))
