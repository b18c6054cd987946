"""POST /teams/messages: the Bot Framework's activities, read into the one chat flow.

Nothing is read before the request proves it is the Bot Framework's (bot/teams/auth.py): a
forged, expired or misaddressed token gets 401 and one line. Then:
- a `message` (a mention in a channel or group chat, or a personal chat with the bot) is read
  into an `Arrival` for the inbox, as Slack's and Mattermost's messages are: the bot's own
  mention taken out, the sender's Azure AD object id as its user (what KUBEMEDIC_ADMINS lists),
  the channel thread as its place;
- a `task/fetch` or `task/submit` invoke is the "Not this" picker's (bot/teams/task_modules.py);
- an `adaptiveCard/action` invoke (a click on an `Action.Execute` button) becomes a `Click` for
  the flow; its answer is a line for the clicker. A button that changes the cluster first posts
  a card stating exactly what will change, sealed to the clicker (bot/remediation/sealed_clicks.py):
  only that clicker's Confirm acts, once, before it expires; the remediation use case checks the
  allowlists, runs the dry run and audits as for Slack and Mattermost;
- anything else (a conversation update) is acknowledged and ignored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping
from typing import Any, TypeVar

from aiohttp import web

from bot.answering.arrivals import Arrival, Inbox
from bot.answering.choice_clicks import clicked
from bot.answering.flow import ChatFlow, Told
from bot.remediation.sealed_clicks import Refused, SealedClicks
from bot.runtime import json_depth
from bot.runtime.background import Background
from bot.teams.auth import BotFrameworkAuth, KeysUnavailable, Unauthorized
from bot.teams.connector import BotConnector, base_conversation
from bot.teams.surface import threaded
from bot.teams.task_modules import TASKS, TaskModules
from bot.web.server import Route, read_limited
from responses import messages
from responses.adaptive_card import card
from responses.answer_actions import REMEDIATE_PREFIX
from responses.mattermost_chat import draw as markdown_post
from responses.teams_chat import (
    CANCEL_VERB,
    CONFIRM_VERB,
    activity,
    blocks,
    confirm_card,
    invoke_card,
    invoke_text,
)

log = logging.getLogger(__name__)

PATH = "/teams/messages"
MAX_BODY = 256 * 1024
ANSWER_WITHIN = 10.0
"""Seconds a click's answer may take before it goes on in the background (Teams waits 15)."""
MAX_MENTIONS = 10
"""Entities of an activity looked at for the bot's mention: each is taken out of the whole text
on the event loop, so a body of thousands could hold it."""
T = TypeVar("T")


def _line(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=" ".join(text.split())[:300] + "\n")


def said(told: Told) -> str:
    """What a click tells its clicker, as the invoke's text."""
    return markdown_post(told).message if told is not None else ""


class TeamsActivities:
    """The route the Bot Framework posts every activity to."""

    def __init__(
        self,
        *,
        auth: BotFrameworkAuth,
        connector: BotConnector,
        inbox: Inbox,
        flow: ChatFlow,
        seals: SealedClicks,
        background: Background,
        body_timeout: float,
        tasks: TaskModules | None = None,
    ) -> None:
        self.auth, self.connector, self.inbox, self.flow = auth, connector, inbox, flow
        self.seals, self.background, self.body_timeout = seals, background, body_timeout
        self.tasks = tasks

    def route(self) -> Route:
        return ("POST", PATH, self.receive)

    async def receive(self, request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(self.body_timeout):
                body = await read_limited(request, MAX_BODY)
        except TimeoutError:
            return _line(408, "request body not received in time")
        if len(body) > MAX_BODY:
            return _line(413, f"activity larger than {MAX_BODY} bytes")
        try:
            activity = json_depth.loads_object(body, expected="a Bot Framework activity")
            await self.auth.verify(request.headers.get("Authorization", ""), activity)
        except json_depth.NotAnObject as exc:
            return _line(400, str(exc))
        except KeysUnavailable as exc:
            return _line(503, str(exc))
        except Unauthorized as exc:
            log.info("refused a Teams activity: %s", exc)
            return _line(401, str(exc))
        return await self._dispatch(activity)

    async def _dispatch(self, activity: Mapping[str, Any]) -> web.Response:
        conversation = str((activity.get("conversation") or {}).get("id") or "")
        self.connector.heard(conversation, str(activity.get("serviceUrl") or ""))
        kind = activity.get("type")
        if kind == "message":
            await self.inbox.arrive(arrival_of(activity), f"teams:{activity.get('id')}")
        elif kind == "invoke":
            return await self._invoked(activity)
        return web.Response(status=200)

    async def _invoked(self, activity: Mapping[str, Any]) -> web.Response:
        """A card's action, or a task module's fetch or submit; any other invoke is acknowledged."""
        if activity.get("name") == "adaptiveCard/action":
            return web.json_response(await self._invoke(activity))
        if self.tasks is not None and activity.get("name") in TASKS:
            return web.json_response(await self.tasks.answer(activity))
        return web.Response(status=200)

    async def _within(self, work: Awaitable[T]) -> T | None:
        """`work`'s result if it is done soon enough; otherwise it goes on in the background."""
        return await self.background.within(work, ANSWER_WITHIN, what="a Teams click")

    async def _invoke(self, activity: Mapping[str, Any]) -> dict[str, Any]:
        action = ((activity.get("value") or {}).get("action")) or {}
        verb = str(action.get("verb") or "")
        given = action.get("data")
        data: Mapping[str, Any] = given if isinstance(given, dict) else {}
        who = activity.get("from") or {}
        user, name = str(who.get("aadObjectId") or who.get("id") or ""), str(who.get("name") or "")
        if verb in (CONFIRM_VERB, CANCEL_VERB):
            return await self._confirmed(verb, str(data.get("state") or ""), user, name)
        conversation = str((activity.get("conversation") or {}).get("id") or "")
        click = clicked(
            verb,
            str(data.get("value") or ""),
            user=user,
            user_name=name,
            channel=base_conversation(conversation),
            message_ts=str(activity.get("replyToId") or "") or None,
            thread_ts=thread_of(conversation),
        )
        if verb.startswith(REMEDIATE_PREFIX):
            return await self._confirm(
                click.action, click.value, conversation, data, user, click.message_ts
            )
        return invoke_text(said(await self._within(self.flow.click(click))))

    async def _confirm(
        self,
        action: str,
        value: str,
        conversation: str,
        data: Mapping[str, Any],
        user: str,
        message: str | None,
    ) -> dict[str, Any]:
        """Post the card that states what will change; only its clicker's Confirm acts."""
        state = self.seals.seal(
            {"action": action, "value": value, "channel": conversation, "post": message or ""},
            user=user,
        )
        question = confirm_card(
            str(data.get("title") or "Are you sure?"),
            str(data.get("text") or data.get("label") or ""),
            str(data.get("confirm") or messages.CONFIRM_DEFAULT),
            state=state,
        )
        root = thread_of(conversation) or message
        try:
            shown = activity(question, fallback=str(data.get("title") or ""))
            if root and threaded(conversation):
                await self.connector.reply(base_conversation(conversation), root, shown)
            else:
                await self.connector.send(conversation, shown)
        except Exception:
            log.exception("the confirmation card was not posted")
            return invoke_text(messages.DIALOG_NOT_OPENED)
        return invoke_text("Confirm (or cancel) in the card posted below.")

    async def _confirmed(self, verb: str, state: str, user: str, name: str) -> dict[str, Any]:
        opened = self.seals.open(state, user=user)
        if isinstance(opened, Refused):
            await self._audit_refusal(opened)
            return invoke_text(opened.text)
        self.seals.spend(opened)
        if verb == CANCEL_VERB:
            return invoke_card(
                card(blocks(f"Cancelled by {name or 'the clicker'}; nothing changed."))
            )
        if self.flow.remediation is None:
            return invoke_text(messages.REMEDIATION_NOT_ENABLED)
        fields = opened.fields
        click = clicked(
            fields["action"],
            fields["value"],
            user=opened.user,
            user_name=name,
            channel=base_conversation(fields.get("channel", "")),
            message_ts=fields.get("post") or None,
            thread_ts=thread_of(fields.get("channel", "")),
        )
        told = await self._within(self.flow.remediate(click))
        return invoke_card(
            card(blocks(said(told) or "Working on it; the outcome follows in the thread."))
        )

    async def _audit_refusal(self, refused: Refused) -> None:
        """A refused confirmation goes on the record (a forged one as `unverified`)."""
        remediation, fields = self.flow.remediation, refused.fields
        if remediation is None:
            return
        value, user, channel = (
            ("", "unverified", "")
            if fields is None
            else (fields["value"], refused.user, base_conversation(fields.get("channel", "")))
        )
        await remediation.refuse(value, user_id=user, channel_id=channel, reason=refused.reason)


def arrival_of(activity: Mapping[str, Any]) -> Arrival:
    """A message activity as the shared admission list reads it: the bot's mention taken out."""
    conversation = activity.get("conversation") or {}
    recipient = activity.get("recipient") or {}
    who = activity.get("from") or {}
    text = str(activity.get("text") or "")
    for entity in (activity.get("entities") or [])[:MAX_MENTIONS]:
        mentioned = (entity or {}).get("mentioned") or {}
        if entity.get("type") == "mention" and mentioned.get("id") == recipient.get("id"):
            text = text.replace(str(entity.get("text") or ""), " ")
    conversation_id = str(conversation.get("id") or "")
    personal = conversation.get("conversationType") == "personal"
    return Arrival(
        text=text.strip(),
        channel=base_conversation(conversation_id),
        ts=str(activity.get("id") or ""),
        thread_ts=thread_of(conversation_id) or str(activity.get("id") or "") or None,
        user=str(who.get("aadObjectId") or who.get("id") or "") or None,
        by_self=bool(who.get("id")) and who.get("id") == recipient.get("id"),
        by_bot=who.get("role") == "bot",
        direct=personal,
        addressed=not personal,
    )


def thread_of(conversation: str) -> str | None:
    """The thread root a channel conversation id names (`...;messageid=<root>`), if any."""
    _, _, rest = conversation.partition(";messageid=")
    return rest or None
