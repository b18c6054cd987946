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
import uuid
from typing import Any

from aiohttp import web

from bot.answering.arrivals import CommandWork, Inbox, first_text
from bot.mattermost.callbacks import COMMAND_PATH
from bot.runtime.shared_secrets import same_secret
from bot.web.server import Route
from responses.renderers import MATTERMOST


class MattermostCommands:
    """The slash command's route; its work is the inbox's (bot.answering.arrivals)."""

    def __init__(self, *, token: str, inbox: Inbox, body_timeout: float) -> None:
        self.token, self.inbox, self.body_timeout = token, inbox, body_timeout

    def route(self) -> Route:
        return ("POST", COMMAND_PATH, self.handle)

    def _authentic(self, request: web.Request, form: Any) -> bool:
        header = request.headers.get("Authorization", "")
        given = (
            header[len("Token ") :].strip()
            if header.startswith("Token ")
            else str(form.get("token") or "")
        )
        return bool(given) and same_secret(given, self.token)

    async def handle(self, request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(self.body_timeout):
                form = await request.post()
        except TimeoutError:
            return web.json_response({"text": "request body too slow"}, status=408)
        if not self._authentic(request, form):
            return web.json_response({"text": "invalid command token"}, status=401)
        fields = {name: first_text(form.get(name)) or None for name in CommandWork.model_fields}
        item = CommandWork.model_validate(
            {**fields, "text": fields["text"] or "", "channel_id": fields["channel_id"] or ""}
        )
        told = await self.inbox.acknowledge(item, first_text(form.get("trigger_id"), uuid.uuid4()))
        return web.json_response(
            {"response_type": "ephemeral", "text": MATTERMOST.draw(told).message}
        )
