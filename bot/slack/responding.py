"""Answering through a response_url over the bot's shared HTTP session.

bolt's `AsyncRespond` opens a new HTTP session (and TCP/TLS connection) for
every message; under load that is most of what a message costs. This sends
the same JSON through the Web API client's session when it has one, so
messages reuse kept-alive connections to Slack. Command answers, click
replies (votes, other matches, remediation refusals, Mute) and the doctor's
checklist all answer through it.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.slack.render import Say


def responder(response_url: str | None, client: AsyncWebClient, response_type: str) -> Say:
    """A `Say` posting to `response_url` as `response_type` ("ephemeral" or "in_channel")."""

    async def say(**message: Any) -> None:
        if not response_url:
            raise ValueError("no response_url to answer through")
        webhook = AsyncWebhookClient(url=response_url, session=client.session)
        await webhook.send_dict({"response_type": response_type, "replace_original": False, **message})

    return say
