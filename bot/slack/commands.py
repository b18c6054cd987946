"""`/diagnose`: acked at once with what is being done, then answered in the background.

The command is stored as durable work before the ack leaves (bot.answering.arrivals), so if this
replica dies before answering, another one answers through the same response_url.
`/diagnose doctor` is Slack's own: the install checklist, for admins (bot.slack.doctor).
"""

from __future__ import annotations

import uuid
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.answering.arrivals import CommandWork, Inbox
from bot.slack.doctor import SlackDoctor, is_doctor
from responses.renderers import SLACK


class CommandListeners:
    """The /diagnose slash command."""

    def __init__(self, *, inbox: Inbox, doctor: SlackDoctor) -> None:
        self.inbox = inbox
        self.doctor = doctor

    def register(self, app: AsyncApp) -> None:
        app.command("/diagnose")(self.diagnose)

    async def diagnose(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        """Ack with what is being done (or the usage, or why not); the ack is timed where the HTTP
        response leaves (server.py), once per request."""
        if is_doctor(str(command.get("text", ""))):
            await self.doctor.command(ack, command)
            return
        item = CommandWork.model_validate(
            {
                key: value
                for key, value in command.items()
                if key in CommandWork.model_fields and value is not None
            }
        )
        told = await self.inbox.acknowledge(item, str(command.get("trigger_id") or uuid.uuid4()))
        await ack(response_type="ephemeral", **SLACK.draw(told))
