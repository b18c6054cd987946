"""The answering layer's `Poster`, in Slack: Block Kit through chat.postMessage / chat.update.

Rendering is bounded by Slack's limits (a pasted error's reply: about
0.3 ms), so it runs on the event loop: a hand-off to a thread would cost
more. A namespace or node, with up to a hundred pods, renders off the loop.
Slack's refusals become `PostFailed` with Slack's error code.
"""

from __future__ import annotations

import asyncio
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.answering.ports import PostFailed
from bot.answering.requests import Place
from responses.block_kit import SeenInfo, diagnosis_blocks, fallback_text
from responses.buttons import ButtonSpec
from responses.diagnosis import Diagnosis


def slack_error(exc: SlackApiError) -> str:
    return str(exc.response.get("error"))


class SlackPoster:
    """Posts and updates diagnoses in Slack channels and threads."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def post(self, place: Place, diagnosis: Diagnosis, *, buttons: list[ButtonSpec]) -> str | None:
        blocks = await _rendered(diagnosis, buttons=buttons)
        try:
            response = await self.client.chat_postMessage(channel=place.channel, thread_ts=place.thread_ts,
                                                          blocks=blocks, text=fallback_text(diagnosis))
        except SlackApiError as exc:  # counted by the client's error handler (webapi.py)
            raise PostFailed(slack_error(exc)) from exc
        ts = response.get("ts")
        return str(ts) if ts else None

    async def update(self, channel: str, message_id: str, diagnosis: Diagnosis, *,
                     buttons: list[ButtonSpec], seen: SeenInfo) -> None:
        blocks = await _rendered(diagnosis, buttons=buttons, seen=seen)
        try:
            await self.client.chat_update(channel=channel, ts=message_id, blocks=blocks,
                                          text=fallback_text(diagnosis))
        except SlackApiError as exc:
            raise PostFailed(slack_error(exc)) from exc


async def _rendered(diagnosis: Diagnosis, *, buttons: list[ButtonSpec], seen: SeenInfo | None = None) -> list[Any]:
    if diagnosis.pods:  # a namespace or node: its pods' lines too
        return await asyncio.to_thread(diagnosis_blocks, diagnosis, buttons=buttons, seen=seen)
    return diagnosis_blocks(diagnosis, buttons=buttons, seen=seen)
