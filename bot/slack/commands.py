"""`/diagnose`: ack at once with what is being done, then answer in the background."""

from __future__ import annotations

import time
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import BadInput
from bot.slack.answer import answer
from bot.slack.deps import BotDeps
from bot.slack.request_text import parse_request
from responses import messages
from responses.block_kit import usage_blocks


def register(app: AsyncApp, deps: BotDeps) -> None:
    """Register the /diagnose slash command."""

    @app.command("/diagnose")
    async def diagnose(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient,
                       respond: AsyncRespond) -> None:
        started = time.perf_counter()
        try:
            request = parse_request(str(command.get("text", "")))
        except BadInput as exc:
            await ack(response_type="ephemeral", text=messages.user_error(exc.reason))
            return
        if request.verb == "help":
            await ack(response_type="ephemeral", blocks=usage_blocks(), text=messages.USAGE_TITLE)
            return
        await ack(response_type="ephemeral", text=messages.diagnosing(request.subject))
        deps.metrics.ack_seconds.labels("command").observe(time.perf_counter() - started)

        async def say_private(**message: Any) -> None:
            await respond(response_type="ephemeral", replace_original=False, **message)

        async def say_public(**message: Any) -> None:
            await respond(response_type="in_channel", replace_original=False, **message)

        deps.spawn(answer(deps, client, request, channel=str(command["channel_id"]),
                          user=command.get("user_id"), thread_ts=None,
                          say_private=say_private, say_public=say_public))
