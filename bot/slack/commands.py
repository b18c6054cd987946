"""`/diagnose`: ack at once with what is being done, then answer in the background.

The command is stored as durable work before the ack leaves, so if this
replica dies before answering another one answers through the same
response_url.
"""

from __future__ import annotations

import uuid
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.errors import BadInput
from bot.slack.answer import answer
from bot.slack.deps import BotDeps
from bot.slack.request_text import parse_request
from responses import messages
from responses.block_kit import usage_blocks

COMMAND_FIELDS = ("text", "channel_id", "user_id", "response_url")


def register(app: AsyncApp, deps: BotDeps) -> None:
    """Register the /diagnose slash command."""

    work = deps.work
    assert work is not None, "create_app sets up the work queue first"

    @app.command("/diagnose")
    async def diagnose(ack: AsyncAck, command: dict[str, Any]) -> None:
        try:
            request = parse_request(str(command.get("text", "")))
        except BadInput as exc:
            await ack(response_type="ephemeral", text=messages.user_error(exc.reason))
            return
        if request.verb == "help":
            await ack(response_type="ephemeral", blocks=usage_blocks(), text=messages.USAGE_TITLE)
            return
        await ack(response_type="ephemeral", text=messages.diagnosing(request.subject))
        payload = {key: command.get(key) for key in COMMAND_FIELDS}
        await work.submit("command", str(command.get("trigger_id") or uuid.uuid4()), payload)
        # the ack is timed where the HTTP response leaves (server.py), once per request

    @work.handler("command")
    async def run_command(payload: dict[str, Any], attempt: int) -> None:
        request = parse_request(str(payload.get("text") or ""))
        respond = AsyncRespond(response_url=payload.get("response_url"))

        async def say_private(**message: Any) -> None:
            await respond(response_type="ephemeral", replace_original=False, **message)

        async def say_public(**message: Any) -> None:
            await respond(response_type="in_channel", replace_original=False, **message)

        await answer(deps, work.client, request, channel=str(payload["channel_id"]),
                     user=payload.get("user_id"), thread_ts=None,
                     say_private=say_private, say_public=say_public)
