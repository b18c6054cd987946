"""Clicks on Mattermost buttons (POST /mattermost/actions) and its dialogs (/mattermost/dialogs), read
into the interaction flow (bot.answering.flow).

A click's context must open with the bot's key (bot.mattermost.callbacks) or it is refused before
anything is read. A remediation button opens a dialog stating exactly what will change (Mattermost
buttons have no confirm of their own); only its submission acts, through the remediation use case
(allowlists, expiry, UID preconditions, dry run first, audit), and only as the clicker sealed into
the dialog's state (bot.mattermost.dialog_states): a submission by anyone else, late or twice is
refused, audited and told so. Every other button, and the "Not this" dialog's pick, goes to the
same flow as Slack's; what it tells the clicker alone is the response's `ephemeral_text` (a
dialog's `error`). Work that outlasts Mattermost's patience (`ANSWER_WITHIN`) goes on in the
background; what it posts is posted then.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from aiohttp import web

from bot.answering.choice_clicks import Click, clicked
from bot.answering.flow import ChatFlow, Told
from bot.mattermost.callbacks import ACTIONS_PATH, DIALOGS_PATH, Callbacks
from bot.mattermost.client import MattermostClient, MattermostError
from bot.mattermost.dialog_states import DialogStates, Opened, Refused
from bot.runtime import json_depth
from bot.runtime.background import Background
from bot.web.server import Route
from responses import ask_messages as say
from responses import messages
from responses.answer_actions import REMEDIATE_PREFIX
from responses.chat import ConfirmDialog, Notice
from responses.mattermost_chat import PICK_CALLBACK
from responses.renderers import MATTERMOST

log = logging.getLogger(__name__)

ANSWER_WITHIN = 10.0
"""Seconds a click's answer may take before it is finished in the background (Mattermost waits 30)."""
MAX_BODY = 64 * 1024
T = TypeVar("T")


def _told(told: Told, key: str = "ephemeral_text") -> web.Response:
    return web.json_response({key: MATTERMOST.draw(told).message} if told is not None else {})


class MattermostActions:
    """The two routes Mattermost calls for buttons and dialogs."""

    def __init__(
        self,
        *,
        flow: ChatFlow,
        callbacks: Callbacks,
        client: MattermostClient,
        states: DialogStates,
        background: Background,
    ) -> None:
        self.flow, self.callbacks, self.client, self.states, self.background = (
            flow,
            callbacks,
            client,
            states,
            background,
        )

    def routes(self) -> list[Route]:
        return [("POST", ACTIONS_PATH, self.click), ("POST", DIALOGS_PATH, self.dialog)]

    async def _within(self, work: Awaitable[T]) -> T | None:
        """`work`'s result if it is done soon enough; otherwise it goes on in the background."""
        return await self.background.within(work, ANSWER_WITHIN, what="a Mattermost click")

    async def click(self, request: web.Request) -> web.Response:
        body = await _json(request)
        fields = self.callbacks.opened(body.get("context"))
        if fields is None:
            log.info("Mattermost click with a context this bot did not seal, refused")
            return _told(Notice(messages.BUTTON_INVALID))
        click = clicked(
            fields["action"],
            fields["value"],
            user=str(body.get("user_id") or ""),
            user_name=str(body.get("user_name") or ""),
            channel=str(body.get("channel_id") or ""),
            message_ts=str(body.get("post_id") or "") or None,
            trigger=str(body.get("trigger_id") or ""),
        )
        if click.action.startswith(REMEDIATE_PREFIX):
            return await self._confirm(fields, click)
        return _told(await self._within(self.flow.click(click)))

    async def _confirm(self, fields: dict[str, str], click: Click) -> web.Response:
        """Open the dialog that states what will change; only its submission by the clicker acts."""
        form = MATTERMOST.form(
            ConfirmDialog(
                fields.get("title", "Are you sure?"),
                fields.get("text", fields.get("label", "")),
                fields.get("confirm", messages.CONFIRM_DEFAULT),
            )
        )
        form["state"] = self.states.seal(
            {
                "action": click.action,
                "value": click.value,
                "channel": click.channel,
                "post": click.message_ts or "",
            },
            user=click.user,
        )
        try:
            await self.client.open_dialog(click.trigger, self.callbacks.dialogs_url, form)
        except MattermostError as exc:
            log.info("confirmation dialog not opened: %s", exc.error)
            return _told(Notice(messages.DIALOG_NOT_OPENED))
        return web.json_response({})

    async def dialog(self, request: web.Request) -> web.Response:
        body = await _json(request)
        if body.get("cancelled"):
            return web.json_response({})
        opened = self.states.open(body.get("state"), user=str(body.get("user_id") or ""))
        if isinstance(opened, Refused):
            await self._audit_refusal(opened)
            return _told(Notice(opened.text), "error")
        action = opened.fields["action"]
        if action == PICK_CALLBACK:
            return await self._picked(
                opened, str((body.get("submission") or {}).get("entry") or "")
            )
        return await self._remediate(opened, action)

    async def _remediate(self, opened: Opened, action: str) -> web.Response:
        """A remediation's confirm dialog submitted: run it, when it is one and enabled."""
        if not action.startswith(REMEDIATE_PREFIX):
            return _told(Notice(messages.BUTTON_INVALID), "error")
        if self.flow.remediation is None:
            return _told(Notice(messages.REMEDIATION_NOT_ENABLED), "error")
        self.states.spend(opened)
        fields = opened.fields
        click = clicked(
            action,
            fields["value"],
            user=opened.user,
            user_name=await self._username(opened.user),
            channel=fields.get("channel", ""),
            message_ts=fields.get("post") or None,
        )
        return _told(await self._within(self.flow.remediate(click)), "error")

    async def _picked(self, opened: Opened, entry: str) -> web.Response:
        """The "Not this" pick of the clicker sealed into the dialog's state (who is also the submitter)."""
        if not entry:
            return web.json_response({"errors": {"entry": say.MODAL_NOTHING_PICKED}})
        click = Click(
            question_id=opened.fields["value"],
            user=opened.user,
            user_name=await self._username(opened.user),
        )
        told = await self.flow.pick(click, entry)
        if told is None:
            self.states.spend(opened)
        return _told(told, "error")

    async def _username(self, user: str) -> str:
        try:
            return str((await self.client.user(user)).get("username") or "")
        except MattermostError:
            return ""

    async def _audit_refusal(self, refused: Refused) -> None:
        """A refused remediation dialog goes on the record (a forged one as `unverified`)."""
        fields, remediation = refused.fields, self.flow.remediation
        if remediation is None or (
            fields is not None and not fields["action"].startswith(REMEDIATE_PREFIX)
        ):
            log.info("Mattermost dialog refused: %s", refused.reason)
            return
        value, user, channel = (
            ("", "unverified", "")
            if fields is None
            else (fields["value"], refused.user, fields.get("channel", ""))
        )
        await remediation.refuse(value, user_id=user, channel_id=channel, reason=refused.reason)


async def _json(request: web.Request) -> dict[str, Any]:
    """The request's JSON object ({} when it is not one); HTTP 400 with one line when it nests past
    json_depth.MAX_DEPTH (a click or a dialog is a few levels deep)."""
    try:
        body = json_depth.loads(await request.content.read(MAX_BODY))
    except json_depth.TooDeep as exc:
        raise web.HTTPBadRequest(text=f"{exc}\n") from None
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
