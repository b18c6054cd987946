"""The chat surface: the few calls every chat offers the use cases.

Robusta's one base for every sink is the model. The use cases say what to show (responses.chat)
and where; a chat's surface draws it with its renderer from the registry (responses.renderers)
and makes its own API calls. Slack (bot/slack/surface.py) and Mattermost
(bot/mattermost/surface.py) implement it; a third chat is one more surface and a renderer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.answering.choice_clicks import Click
from bot.answering.picking import Dialog
from bot.answering.ports import PostFailed
from bot.answering.requests import Place
from responses.chat import ChatMessage, Settled

log = logging.getLogger(__name__)

Reply = Callable[[ChatMessage], Awaitable[None]]
"""Says one message to someone (an asker, a clicker); best effort: a failure is logged, not raised."""
Options = Callable[[], Awaitable[list[tuple[str, str]]]]
"""(entry id, title) a "Not this" dialog offers besides its search."""
CANNOT_POST_HERE = ("not_in_channel", "channel_not_found")
"""The refusals after which a command's answer goes through its response_url instead."""


class ChatPoster(Protocol):
    """Posting and replacing in one chat (what publishing an answer and asking need); `PostFailed`
    carries the chat's refusal (`not_in_channel` and `channel_not_found` in every chat)."""

    async def post(self, place: Place, message: ChatMessage) -> str | None:
        """Post in `place.channel` (in `place.thread_ts` when set); the message id. PostFailed."""
        ...

    async def replace(self, channel: str, message_id: str, message: ChatMessage) -> None:
        """Replace an earlier message. PostFailed."""
        ...


async def tell_in_place(poster: ChatPoster, place: Place, message: ChatMessage) -> None:
    """`tell` in a chat without private replies: post where they wrote; a refusal is logged."""
    try:
        await poster.post(place, message)
    except PostFailed as exc:
        log.warning("could not reply in %s: %s", place.channel, exc.error)


class ChatSurface(ChatPoster, Protocol):
    """Every call the interaction flow makes in one chat."""

    async def tell(self, place: Place, message: ChatMessage) -> None:
        """Tell `place.user` where they wrote, as privately as the chat allows (best effort)."""
        ...

    def reply_url(self, url: str | None, *, public: bool = False) -> Reply:
        """A slash command's response_url: to the asker alone, or to the channel (`public`)."""
        ...

    def person(self, click: Click) -> str:
        """The clicker as the bot's sentences name people inside `<@...>`."""
        ...

    async def thread_of(self, click: Click) -> str | None:
        """The thread of the clicked message, where what a click brings is posted."""
        ...

    async def open_picker(self, click: Click, dialog: Dialog, options: Options) -> list[str]:
        """Open the "Not this" dialog for the clicker (never raises); the entry ids it offers."""
        ...

    async def settle(self, click: Click, done: Settled) -> ChatMessage | None:
        """Show on the clicked message what its button did, so it is not clicked twice; what to tell
        the clicker instead when the chat cannot edit it that way."""
        ...
