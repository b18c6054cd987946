"""`/diagnose`: ack at once with what is being done, then answer in the background.

The command is stored as durable work before the ack leaves, so if this
replica dies before answering another one answers through the same
response_url.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.answering.admission import Admission, Admitted, busy_line
from bot.answering.requests import DiagnoseRequest, Place
from bot.errors import BadInput
from bot.runtime.work import WorkQueue
from bot.slack.direct import SlackDirectAsks
from bot.slack.doctor import SlackDoctor, is_doctor
from bot.slack.render import render_summary
from bot.slack.request_text import parse_request
from bot.slack.responding import responder
from bot.slack.work_items import CommandWork
from bot.summary.incidents import IncidentSummaries
from responses import messages
from responses.fleet_messages import NOT_A_HUB

ClusterListing = Callable[[str | None], Awaitable[str]]
"""A fleet hub's `/diagnose clusters` text for a channel."""
from responses.block_kit import usage_blocks


class CommandListeners:
    """The /diagnose slash command, with what it needs."""

    def __init__(self, *, work: WorkQueue, summaries: IncidentSummaries,
                 doctor: SlackDoctor, client: AsyncWebClient, direct: SlackDirectAsks,
                 admission: Admission | None = None, clusters: ClusterListing | None = None) -> None:
        self.work = work
        self.clusters = clusters
        self.direct = direct
        self.client = client
        self.admission = admission
        self.summaries = summaries
        self.doctor = doctor

    def register(self, app: AsyncApp) -> None:
        app.command("/diagnose")(self.diagnose)
        self.work.handler(CommandWork.kind)(self.run_command)
        self.work.shedder(CommandWork.kind)(self.tell_busy)

    async def diagnose(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        """Ack with what is being done (or the usage, or why not); store the command as work."""
        if is_doctor(str(command.get("text", ""))):
            await self.doctor.command(ack, command)
            return
        try:
            request = parse_request(str(command.get("text", "")))
        except BadInput as exc:
            await ack(response_type="ephemeral", text=messages.user_error(exc.reason))
            return
        if request == "help":
            await ack(response_type="ephemeral", blocks=usage_blocks(), text=messages.USAGE_TITLE)
            return
        if request == "clusters":  # one read of the agents' table: answered in the ack
            listing = await self.clusters(_str(command.get("channel_id"))) if self.clusters else NOT_A_HUB
            await ack(response_type="ephemeral", text=listing)
            return
        slot: bool | None = None
        if self.admission is not None:  # before any matching: the budgets, then a queue slot (or the line)
            decision = self.admission.admit(user=_str(command.get("user_id")), channel=_str(command.get("channel_id")))
            if not isinstance(decision, Admitted):
                await ack(response_type="ephemeral", text=decision.line)
                return
            slot = decision.slot
        # (a summary is acked with the paste wording, as it always was)
        subject = DiagnoseRequest.paste("").subject if request == "summary" else request.subject
        await ack(response_type="ephemeral", text=messages.diagnosing(subject))
        item = CommandWork.of({key: command.get(key) for key in CommandWork.model_fields})
        await self.work.submit(CommandWork.kind, str(command.get("trigger_id") or uuid.uuid4()), item.payload(),
                               slot=slot)
        # the ack is timed where the HTTP response leaves (server.py), once per request

    async def tell_busy(self, payload: dict[str, Any], ahead: int, retry_after: int) -> None:
        """A command that got no queue slot in time: the busy line through its response_url."""
        item = CommandWork.of(payload)
        await responder(item.response_url, self.client, "ephemeral")(text=busy_line(ahead, retry_after))

    async def run_command(self, payload: dict[str, Any], attempt: int) -> None:
        """Answer a stored command through its response_url (any replica can)."""
        item = CommandWork.of(payload)
        self.summaries.channel_named(item.channel_id, item.channel_name)
        request = parse_request(item.text or "")
        say_private = responder(item.response_url, self.client, "ephemeral")
        say_public = responder(item.response_url, self.client, "in_channel")
        if request == "summary":
            await render_summary(await self.summaries.answer(item.channel_id), say_private)
            return
        if request == "help" or request == "clusters":
            return
        await self.direct.answer(request, Place(item.channel_id, None, item.user_id), kind="command",
                                 say_private=say_private, say_public=say_public)


def _str(value: object) -> str | None:
    return str(value) if value else None
