"""Clicks on Mattermost buttons (POST /mattermost/actions) and confirmation dialogs (/mattermost/dialogs).

A click's context must open with the bot's key (bot.mattermost.callbacks) or it is refused before
anything is read. A remediation button opens a dialog stating exactly what will change (Mattermost
buttons have no confirm of their own); only its submission acts, through the remediation use case
(allowlists, expiry, UID preconditions, dry run first, audit), and only as the clicker sealed into
the dialog's state (bot.mattermost.dialog_states): a submission by anyone else, late or twice is
refused, audited and told so. A refusal or an expired button is
shown in the dialog, to the clicker alone; a result is posted in the thread and replaces the
buttons, so the button cannot be clicked twice. Choices, feedback and Details go to the same use
cases as Slack's. Work that outlasts Mattermost's patience (`ANSWER_WITHIN`) goes on in the
background; its outcome is posted in the thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from aiohttp import web

from bot.answering.choice_clicks import Click, Refusal
from bot.answering.choosing import Choosing, Chosen, NoneChosen, Undone
from bot.answering.details import DetailsLookup
from bot.answering.direct import DirectAsks
from bot.answering.feedback import Feedback
from bot.answering.ports import ClickResult, RemediationPort
from bot.answering.requests import DiagnoseRequest, Place
from bot.mattermost.callbacks import ACTIONS_PATH, DIALOGS_PATH, Callbacks
from bot.mattermost.client import MattermostClient, MattermostError
from bot.mattermost.dialog_states import DialogStates, Refused
from bot.mattermost.not_this import ACTION as NOT_THIS_PICK
from bot.mattermost.not_this import NotThis
from bot.mattermost.posting import (
    MattermostPoster,
    question_buttons,
    question_message,
    undo_buttons,
    words,
)
from bot.mattermost.speaking import in_thread, tell_answer, teller
from bot.runtime import json_depth
from bot.runtime.background import Background
from bot.summary.incidents import IncidentSummaries
from bot.web.server import Route
from responses import ask_messages as say
from responses import messages
from responses.answer_actions import (
    FEEDBACK_HELPFUL,
    FEEDBACK_NOT_THIS,
    REMEDIATE_PREFIX,
    SHOW_DETAILS,
)
from responses.choice_blocks import CHOOSE_NONE, UNDO_CHOICE, choice_number
from responses.mattermost_post import details_message, notice

log = logging.getLogger(__name__)

ANSWER_WITHIN = 10.0
"""Seconds a click's answer may take before it is finished in the background (Mattermost waits 30)."""
MAX_BODY = 64 * 1024
_OUTCOMES = {"done": messages.done, "failed": messages.failed, "dry-run": messages.dry_run}
T = TypeVar("T")


def _ephemeral(text: str) -> web.Response:
    return web.json_response({"ephemeral_text": notice(text)})


class MattermostActions:
    """The two routes Mattermost calls for buttons and dialogs."""

    def __init__(self, *, callbacks: Callbacks, client: MattermostClient, poster: MattermostPoster,
                 remediation: RemediationPort | None, feedback: Feedback, details: DetailsLookup, choosing: Choosing,
                 direct: DirectAsks, summaries: IncidentSummaries, background: Background,
                 states: DialogStates, not_this: NotThis | None = None) -> None:
        self.callbacks, self.client, self.poster, self.not_this = callbacks, client, poster, not_this
        self.states = states
        self.remediation, self.feedback, self.details = remediation, feedback, details
        self.choosing, self.direct, self.summaries, self.background = choosing, direct, summaries, background

    def routes(self) -> list[Route]:
        return [("POST", ACTIONS_PATH, self.click), ("POST", DIALOGS_PATH, self.dialog)]

    async def _within(self, work: Awaitable[T]) -> T | None:
        """`work`'s result if it is done soon enough; otherwise it goes on in the background."""
        task = asyncio.ensure_future(work)
        try:
            return await asyncio.wait_for(asyncio.shield(task), ANSWER_WITHIN)
        except TimeoutError:
            self.background.spawn(_awaited(task), bounded=False)
            return None

    async def click(self, request: web.Request) -> web.Response:
        body = await _json(request)
        fields = self.callbacks.opened(body.get("context"))
        if fields is None:
            log.info("Mattermost click with a context this bot did not seal, refused")
            return _ephemeral(messages.BUTTON_INVALID)
        action, value = fields["action"], fields["value"]
        user, channel, post = str(body.get("user_id") or ""), str(body.get("channel_id") or ""), str(body.get("post_id") or "")
        self.summaries.after_click(channel)
        if action.startswith(REMEDIATE_PREFIX):
            trigger = str(body.get("trigger_id") or "")
            return await self._confirm(fields, trigger, user=user, channel=channel, post=post)
        if action == FEEDBACK_NOT_THIS and self.not_this is not None:
            click = Click(question_id=value, user=user, user_name=str(body.get("user_name") or ""), channel=channel,
                          message_ts=post or None)
            return _ephemeral(await self.not_this.clicked(click, str(body.get("trigger_id") or "")))
        if action == FEEDBACK_HELPFUL or action == FEEDBACK_NOT_THIS:
            return _ephemeral(await self.feedback.vote(value, user=user, helpful=action == FEEDBACK_HELPFUL))
        if action == SHOW_DETAILS:
            return _ephemeral(await self._show_details(value, channel=channel, post=post))
        click = Click(question_id=value, user=user, user_name=str(body.get("user_name") or ""), channel=channel,
                      message_ts=post or None, number=choice_number(action))
        if action == CHOOSE_NONE:
            told = await self._within(self._none(click))
        elif action == UNDO_CHOICE:
            told = await self._within(self._undo(click))
        elif click.number is not None:
            told = await self._within(self._choose(click))
        else:
            return _ephemeral(messages.UNKNOWN_BUTTON)
        return _ephemeral(told) if told else web.json_response({})

    # ------------------------------------------------------------------ remediation
    async def _confirm(self, fields: dict[str, str], trigger: str, *, user: str, channel: str,
                       post: str) -> web.Response:
        """Open the dialog that states what will change; only its submission by `user` acts."""
        state = self.states.seal({"action": fields["action"], "value": fields["value"],
                                  "channel": channel, "post": post}, user=user)
        dialog = {"callback_id": "remediate", "title": fields.get("title", "Are you sure?")[:24],
                  "introduction_text": notice(fields.get("text", fields.get("label", ""))), "elements": [],
                  "submit_label": fields.get("confirm", messages.CONFIRM_DEFAULT), "notify_on_cancel": False,
                  "state": state}
        try:
            await self.client.open_dialog(trigger, self.callbacks.dialogs_url, dialog)
        except MattermostError as exc:
            log.info("confirmation dialog not opened: %s", exc.error)
            return _ephemeral(messages.DIALOG_NOT_OPENED)
        return web.json_response({})

    async def dialog(self, request: web.Request) -> web.Response:
        body = await _json(request)
        if body.get("cancelled"):
            return web.json_response({})
        opened = self.states.open(body.get("state"), user=str(body.get("user_id") or ""))
        if isinstance(opened, Refused):
            await self._audit_refusal(opened)
            return web.json_response({"error": notice(opened.text)})
        fields = opened.fields
        if fields["action"] == NOT_THIS_PICK and self.not_this is not None:
            return await self.not_this.submitted(opened, body)
        if not fields["action"].startswith(REMEDIATE_PREFIX):
            return web.json_response({"error": notice(messages.BUTTON_INVALID)})
        if self.remediation is None:
            return web.json_response({"error": notice(messages.REMEDIATION_NOT_ENABLED)})
        self.states.spend(opened)
        user, channel = opened.user, fields.get("channel", "")
        result = await self._within(self.remediation.click(fields["value"], user_id=user, channel_id=channel))
        if result is None:
            return web.json_response({})  # still working: the outcome will be posted in the thread
        if result.private:
            return web.json_response({"error": words(result.text)})
        self.background.spawn(self._show_outcome(fields, user, result))
        return web.json_response({})

    async def _audit_refusal(self, refused: Refused) -> None:
        """A refused remediation dialog goes on the record (a forged one as `unverified`)."""
        fields = refused.fields
        other = fields is not None and not fields["action"].startswith(REMEDIATE_PREFIX)
        if self.remediation is None or other:
            log.info("Mattermost dialog refused: %s", refused.reason)
            return
        value, user, channel = ("", "unverified", "") if fields is None else \
            (fields["value"], refused.user, fields.get("channel", ""))
        await self.remediation.refuse(value, user_id=user, channel_id=channel,
                                      reason=refused.reason)

    async def _show_outcome(self, fields: dict[str, str], user: str, result: ClickResult) -> None:
        post_id, channel = fields.get("post", ""), fields.get("channel", "")
        try:
            post = await self.client.get_post(post_id)
            thread = str(post.get("root_id") or "") or post_id
            by = str((await self.client.user(user)).get("username") or user)
            line = _OUTCOMES.get(result.status, messages.done)(words(result.text.replace(f"<@{user}>", f"@{by}")),
                                                               f"@{by}")
            await self.client.create_post(channel, line, root_id=thread)
            attachments = [a for a in (post.get("props") or {}).get("attachments") or []
                           if not any(str(x.get("id", "")).startswith(REMEDIATE_PREFIX) for x in a.get("actions") or [])]
            outcome = {"text": line, "fallback": result.status}
            await self.client.patch_post(post_id, str(post.get("message") or ""),
                                         props={"attachments": [outcome, *self._kept(attachments)]})
        except MattermostError as exc:
            log.warning("remediation outcome not shown in %s: %s", channel, exc.error)

    def _kept(self, attachments: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A post read back has no integrations (Mattermost strips them): re-seal the other buttons."""
        return [a for a in attachments if not a.get("actions")]

    # ------------------------------------------------------------------ details
    async def _show_details(self, diagnosis_id: str, *, channel: str, post: str) -> str:
        found = await self.details.details(diagnosis_id)
        if isinstance(found, str):
            return found
        try:
            root = str((await self.client.get_post(post)).get("root_id") or "") or post
            await self.client.create_post(channel, details_message(found.details, title=found.title), root_id=root)
        except MattermostError as exc:
            return messages.not_posted(exc.error)
        return messages.details_posted("you")

    # ------------------------------------------------------------------ "Is it one of these?"
    async def _choose(self, click: Click) -> str | None:
        result = await self.choosing.choose(click)
        if isinstance(result, Refusal):
            return result.text
        assert isinstance(result, Chosen)
        question = result.question
        line = words(say.chosen_line(click.chooser, result.candidate.title, result.candidate.id))
        await self._replace(question.message_ts or click.message_ts, line, undo_buttons(question.id, self.callbacks))
        if result.error is not None:
            return messages.not_posted(result.error)
        return messages.user_error(result.reason) if result.reason is not None else None

    async def _none(self, click: Click) -> str | None:
        result = await self.choosing.none_of_these(click)
        if isinstance(result, Refusal):
            return result.text
        assert isinstance(result, NoneChosen)
        question = result.question
        handed = self.direct.handoff.agent is not None and result.unsure is not None
        await self._replace(question.message_ts or click.message_ts,
                            words(say.none_line(click.chooser, handed and question.kind != "which")), [])
        thread = question.thread_ts or question.message_ts or click.message_ts
        speak = in_thread(self.client, question.channel, thread)
        if question.kind == "which" and question.text:  # none of the objects: the words are answered
            asked = DiagnoseRequest.paste(question.text)

            async def render(answer: Any) -> None:
                await tell_answer(answer, subject=asked.subject, say_private=speak)

            await self.direct.answer(asked, Place(question.channel, thread, question.asker), kind="mention",
                                     render=render, tell=teller(speak), name_objects=False)
        elif result.unsure is not None and result.request is not None:
            await self.direct.handoff.after(result.unsure, result.request, kind="mention",
                                            tell=teller(speak), user=click.user)
        return None

    async def _undo(self, click: Click) -> str | None:
        result = await self.choosing.undo(click)
        if isinstance(result, Refusal):
            return result.text
        assert isinstance(result, Undone)
        question = result.question
        line = words(say.withdrawn(click.chooser, question.chosen_by, question.chosen_id))
        if question.kind == "not_this":
            await self._replace(question.message_ts, line, [])
            return None
        await self._replace(question.answer_ts, line, [])
        await self._replace(question.message_ts or click.message_ts, question_message(question, result.candidates),
                            question_buttons(question, result.candidates, self.callbacks))
        return None

    async def _replace(self, post_id: str | None, message: str, attachments: list[dict[str, Any]]) -> None:
        if not post_id:
            return
        try:
            await self.client.patch_post(post_id, message, props={"attachments": attachments})
        except MattermostError as exc:
            log.warning("could not update post %s: %s", post_id, exc.error)


async def _awaited(task: asyncio.Future[Any]) -> None:
    try:
        await task
    except Exception:
        log.exception("a Mattermost click finished in the background failed")


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
