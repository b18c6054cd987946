"""Slack's chat surface: the interaction flow's calls as Web API calls, drawn by Slack's renderer.

Posts and replacements are chat.postMessage and chat.update; a large diagnosis (a namespace or a
node, up to a hundred pods) is drawn off the event loop, a paste's reply (about 0.3 ms) on it.
A private line goes by chat.postEphemeral, or through a response_url over the bot's shared HTTP
session (bolt's own respond opens a connection per message). A clicked message is edited from
the blocks its click carried. Slack's refusals become `PostFailed` with Slack's error code.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.answering.choice_clicks import Click
from bot.answering.picking import Dialog
from bot.answering.ports import PostFailed
from bot.answering.requests import Place
from bot.answering.surface import Options, Reply
from responses.chat import AnswerMessage, ChatMessage, OutcomeMessage, PickerDialog, Settled
from responses.choice_blocks import notice_blocks
from responses.renderers import SLACK
from responses.slack_chat import SlackMessage, settled

log = logging.getLogger(__name__)

Say = Callable[..., Awaitable[Any]]
"""Sends one message given as chat.postMessage's keyword arguments."""


def slack_error(exc: SlackApiError) -> str:
    return str(exc.response.get("error"))


class ResponseUrlFailed(Exception):
    """Slack's response_url refused the message after the client's retries (its HTTP status)."""


def responder(response_url: str | None, client: AsyncWebClient, response_type: str) -> Say:
    """A `Say` posting to `response_url` as `response_type` ("ephemeral" or "in_channel"), retried
    like every Web API call (5xx, 429, a dropped connection: the client's retry handlers);
    ResponseUrlFailed when Slack still does not take it."""

    async def say(**message: Any) -> None:
        if not response_url:
            raise ValueError("no response_url to answer through")
        webhook = AsyncWebhookClient(
            url=response_url, session=client.session, retry_handlers=client.retry_handlers
        )
        response = await webhook.send_dict(
            {"response_type": response_type, "replace_original": False, **message}
        )
        if response.status_code != 200:
            raise ResponseUrlFailed(f"HTTP {response.status_code}: {str(response.body)[:100]}")

    return say


async def drawn(message: ChatMessage) -> SlackMessage:
    if (
        isinstance(message, AnswerMessage) and message.diagnosis.pods
    ):  # a namespace or node: its pods too
        return await asyncio.to_thread(SLACK.draw, message)
    return SLACK.draw(message)


class SlackSurface:
    """`ChatSurface` over the bot's Web API client."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def post(self, place: Place, message: ChatMessage) -> str | None:
        try:  # counted by the client's error handler (webapi.py)
            response = await self.client.chat_postMessage(
                channel=place.channel, thread_ts=place.thread_ts, **await drawn(message)
            )
        except SlackApiError as exc:
            raise PostFailed(slack_error(exc)) from exc
        ts = response.get("ts")
        return str(ts) if ts else None

    async def replace(self, channel: str, message_id: str, message: ChatMessage) -> None:
        shown = await drawn(message)
        shown.setdefault(
            "blocks", notice_blocks(shown["text"])
        )  # else chat.update keeps the old blocks
        try:
            await self.client.chat_update(channel=channel, ts=message_id, **shown)
        except SlackApiError as exc:
            raise PostFailed(slack_error(exc)) from exc

    async def tell(self, place: Place, message: ChatMessage) -> None:
        if not place.user:
            return
        try:
            await self.client.chat_postEphemeral(
                channel=place.channel, user=place.user, **SLACK.draw(message)
            )
        except SlackClientError as exc:
            log.warning("could not tell %s privately in %s: %s", place.user, place.channel, exc)

    def reply_url(self, url: str | None, *, public: bool = False) -> Reply:
        say = responder(url, self.client, "in_channel" if public else "ephemeral")

        async def reply(message: ChatMessage) -> None:
            if not url:
                return
            try:
                await say(**SLACK.draw(message))
            except (aiohttp.ClientError, TimeoutError, OSError, ResponseUrlFailed) as exc:
                log.warning("could not answer through the response_url: %s", exc)

        return reply

    def person(self, click: Click) -> str:
        return click.user  # <@U...> is a mention

    async def thread_of(self, click: Click) -> str | None:
        return click.thread_ts or click.message_ts

    async def open_picker(self, click: Click, dialog: Dialog, options: Options) -> list[str]:
        """The modal opens first (its trigger_id lasts 3 s); its search asks for the rest as the person types."""
        picker = PickerDialog(dialog.question.id, dialog.answered, dialog.others)
        try:
            await self.client.views_open(trigger_id=click.trigger, view=SLACK.form(picker))
        except SlackApiError as exc:
            log.info("the Not this dialog did not open: %s", slack_error(exc))
        return [entry for entry, _title in await options()]

    async def settle(self, click: Click, done: Settled) -> ChatMessage | None:
        blocks = settled(click.message.get("blocks") or [], done)
        if blocks is None or not click.channel or not click.message_ts:
            return None
        fallback = done.outcome.detail if isinstance(done, OutcomeMessage) else ""
        try:
            await self.client.chat_update(
                channel=click.channel,
                ts=click.message_ts,
                blocks=blocks,
                text=str(click.message.get("text") or fallback),
            )
        except SlackApiError as exc:  # what the button did stands; the button stays
            log.info(
                "the clicked message in %s was not updated: %s", click.channel, slack_error(exc)
            )
        return None
