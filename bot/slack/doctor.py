"""`/diagnose doctor`: the install checklist in Slack, for KUBEMEDIC_ADMINS only, answered privately."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.doctor import run_doctor
from bot.runtime.background import Background
from bot.settings import Settings
from bot.slack.surface import Say, responder
from responses import messages
from responses.doctor import doctor_blocks


def is_doctor(text: str) -> bool:
    return text.strip().lower() == "doctor"


@dataclass(kw_only=True, eq=False)
class SlackDoctor:
    """Runs the checklist for an admin and answers through the command's response_url."""

    settings: Settings
    background: Background
    client: AsyncWebClient

    async def command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        """Refuse non-admins in the ack; otherwise ack and post the checklist through response_url."""
        if command.get("user_id") not in self.settings.admins:
            await ack(response_type="ephemeral", text=messages.DOCTOR_ADMINS_ONLY)
            return
        await ack(response_type="ephemeral", text=messages.DOCTOR_RUNNING)
        self.background.spawn(
            self._checklist(responder(command.get("response_url"), self.client, "ephemeral"))
        )

    async def _checklist(self, respond: Say) -> None:
        settings = self.settings
        report = await run_doctor(
            settings, http=settings.slack_app_token is None, url=settings.public_url
        )
        await respond(
            text=report.verdict(), blocks=doctor_blocks(report, title=messages.DOCTOR_TITLE)
        )
