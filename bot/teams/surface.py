"""Teams' chat surface for the bot (`serve --teams`): the interaction flow's calls as Connector calls.

A `Place.channel` is a conversation id (a Teams channel `19:...@thread.tacv2`, a group chat, a
personal chat); `Place.thread_ts` a channel thread's root activity id (a reply goes in that
thread; chats have no threads, so there it is a new message). Messages are drawn by Teams' bot
renderer (responses/teams_chat.py). Teams has no private reply nor a response_url: what a use case
tells someone goes in the conversation, and what a click tells the clicker alone is the answer to
its invoke (bot/teams/activities.py). The Connector's refusals become `PostFailed`, with the
"cannot post here" codes every chat uses. The "Not this" picker is a task module: Teams asks for
it (`task/fetch`) and shows what the answer to that ask carries, so `open_picker` keeps the dialog
for the task module's answer (bot/teams/task_modules.py) instead of opening anything.
"""

from __future__ import annotations

import logging

from bot.answering.choice_clicks import Click
from bot.answering.picking import Dialog
from bot.answering.ports import PostFailed
from bot.answering.requests import Place
from bot.answering.surface import Options, Reply, tell_in_place
from bot.outbound.http import OutboundFailed
from bot.teams.connector import BotConnector
from responses import messages
from responses.chat import ChatMessage, DetailsPosted, Notice, PickerDialog, Settled
from responses.renderers import TEAMS_BOT

log = logging.getLogger(__name__)

REFUSALS = {403: "not_in_channel", 404: "channel_not_found"}
MAX_OPTIONS = 100
"""Entries the task module's choice offers (it filters them as the person types)."""
THREADED = ("@thread.tacv2", "@thread.skype")
"""Channel conversations: their messages have threads."""


def failed(exc: OutboundFailed) -> PostFailed:
    return PostFailed(REFUSALS.get(exc.status or 0, exc.reason))


def threaded(conversation: str) -> bool:
    return conversation.startswith("19:") and conversation.partition(";")[0].endswith(THREADED)


class TeamsSurface:
    """`ChatSurface` over the bot's Connector client."""

    def __init__(self, connector: BotConnector) -> None:
        self.connector = connector
        self.pickers: dict[tuple[str, str], PickerDialog] = {}
        """The "Not this" dialogs opened by a `task/fetch` being answered, by (clicker, value)."""

    async def post(self, place: Place, message: ChatMessage) -> str | None:
        activity = TEAMS_BOT.draw(message)
        try:
            if place.thread_ts and threaded(place.channel):
                return await self.connector.reply(place.channel, place.thread_ts, activity)
            return await self.connector.send(place.channel, activity)
        except OutboundFailed as exc:
            raise failed(exc) from exc

    async def replace(self, channel: str, message_id: str, message: ChatMessage) -> None:
        try:
            await self.connector.update(channel, message_id, TEAMS_BOT.draw(message))
        except OutboundFailed as exc:
            raise failed(exc) from exc

    tell = tell_in_place

    def reply_url(self, url: str | None, *, public: bool = False) -> Reply:
        async def nowhere(message: ChatMessage) -> None:
            log.info("Teams has no response_url; %s not told that way", type(message).__name__)

        return nowhere

    def person(self, click: Click) -> str:
        return click.chooser  # the renderer names people, never pings them

    async def thread_of(self, click: Click) -> str | None:
        return click.thread_ts or click.message_ts

    async def open_picker(self, click: Click, dialog: Dialog, options: Options) -> list[str]:
        """Keep the dialog for the task module's answer; the entries it offers."""
        shown = dict((await options())[:MAX_OPTIONS])
        picker = PickerDialog(
            dialog.question.id, dialog.answered, dialog.others, tuple(shown.items())
        )
        self.pickers[(click.user, click.value)] = picker
        return list(shown)

    async def settle(self, click: Click, done: Settled) -> ChatMessage | None:
        """Details: the clicker is told they are in the thread; an outcome is told to the clicker
        (the clicked card keeps its buttons: the remediation use case never acts twice)."""
        if isinstance(done, DetailsPosted):
            return Notice(messages.details_posted("you"))
        return done
