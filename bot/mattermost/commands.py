"""`/diagnose` as a Mattermost slash command: POST /mattermost/command, token-checked.

Mattermost sends the command as a form, with the command's token in the form and in
`Authorization: Token <token>`; a request without the right one gets 401 and nothing happens
(constant-time comparison). The answer to the request is the ack, ephemeral: what is being done,
the usage, or why not; the work is stored as durable work and answered through the command's
response_url (Mattermost takes five posts there within 30 minutes), the diagnosis itself posted
in the channel by the bot, as in Slack.
"""

from __future__ import annotations

import asyncio
import hmac
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict

from bot.answering.admission import Admission, Admitted, busy_line
from bot.answering.direct import DirectAsks
from bot.answering.request_text import parse_request
from bot.answering.requests import DiagnoseRequest, Place
from bot.answering.results import Answer
from bot.errors import BadInput
from bot.mattermost.callbacks import COMMAND_PATH
from bot.mattermost.client import MattermostClient
from bot.mattermost.speaking import tell_answer, tell_summary, teller, usage, via_response_url
from bot.runtime.work import WorkQueue
from bot.summary.incidents import IncidentSummaries
from bot.web.server import Route
from responses import messages
from responses.fleet_messages import NOT_A_HUB
from responses.mattermost_post import notice

KIND = "mm_command"
ClusterListing = Callable[[str], Awaitable[str]]
"""A fleet hub's `/diagnose clusters` Markdown for a channel."""


class CommandWork(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    text: str = ""
    channel_id: str
    channel_name: str | None = None
    user_id: str | None = None
    response_url: str | None = None


def _ephemeral(text: str) -> web.Response:
    return web.json_response({"response_type": "ephemeral", "text": text})


class MattermostCommands:
    """The slash command's route and the handler of the work it stores."""

    def __init__(self, *, token: str, work: WorkQueue, direct: DirectAsks, summaries: IncidentSummaries,
                 client: MattermostClient, admission: Admission | None, body_timeout: float,
                 clusters: ClusterListing | None = None) -> None:
        self.token, self.work, self.direct, self.summaries = token, work, direct, summaries
        self.client, self.admission, self.body_timeout = client, admission, body_timeout
        self.clusters = clusters
        """A fleet hub's agents (`/diagnose clusters`); None: not a hub."""
        work.handler(KIND)(self.run_command)
        work.shedder(KIND)(self.tell_busy)

    def route(self) -> Route:
        return ("POST", COMMAND_PATH, self.handle)

    def _authentic(self, request: web.Request, form: Any) -> bool:
        header = request.headers.get("Authorization", "")
        given = header[len("Token "):].strip() if header.startswith("Token ") else str(form.get("token") or "")
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    async def handle(self, request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(self.body_timeout):
                form = await request.post()
        except TimeoutError:
            return web.json_response({"text": "request body too slow"}, status=408)
        if not self._authentic(request, form):
            return web.json_response({"text": "invalid command token"}, status=401)
        item = CommandWork(text=str(form.get("text") or ""), channel_id=str(form.get("channel_id") or ""),
                           channel_name=str(form.get("channel_name") or "") or None,
                           user_id=str(form.get("user_id") or "") or None,
                           response_url=str(form.get("response_url") or "") or None)
        try:
            asked = parse_request(item.text)
        except BadInput as exc:
            return _ephemeral(notice(messages.user_error(exc.reason)))
        if asked == "help":
            return _ephemeral(usage())
        if asked == "clusters":  # one read of the agents' table: answered in the ack
            return _ephemeral(await self.clusters(item.channel_id) if self.clusters else notice(NOT_A_HUB))
        slot: bool | None = None
        if self.admission is not None:
            decision = self.admission.admit(user=item.user_id, channel=item.channel_id)
            if not isinstance(decision, Admitted):
                return _ephemeral(decision.line)
            slot = decision.slot
        subject = DiagnoseRequest.paste("").subject if asked == "summary" else asked.subject
        await self.work.submit(KIND, str(form.get("trigger_id") or uuid.uuid4()), item.model_dump(exclude_none=True),
                               slot=slot)
        return _ephemeral(notice(messages.diagnosing(subject)))

    async def tell_busy(self, payload: dict[str, Any], ahead: int, retry_after: int) -> None:
        item = CommandWork.model_validate(payload)
        await via_response_url(self.client, item.response_url)(busy_line(ahead, retry_after))

    async def run_command(self, payload: dict[str, Any], attempt: int) -> None:
        """Answer a stored command: privately through its response_url, the diagnosis in the channel."""
        item = CommandWork.model_validate(payload)
        if item.channel_name and "__" not in item.channel_name:  # a direct message's name is two user ids
            self.summaries.service.channels.remember(item.channel_id, item.channel_name)
        asked = parse_request(item.text)
        private = via_response_url(self.client, item.response_url)
        public = via_response_url(self.client, item.response_url, "in_channel")
        if asked == "summary":
            await tell_summary(await self.summaries.answer(item.channel_id), private)
            return
        if asked == "help" or asked == "clusters":
            return

        async def render(answer: Answer) -> None:
            await tell_answer(answer, subject=asked.subject, say_private=private, say_public=public)

        await self.direct.answer(asked, Place(item.channel_id, None, item.user_id), kind="command", render=render,
                                 tell=teller(private))
