"""Mattermost's chat surface: the interaction flow's calls as REST calls, drawn by Mattermost's renderer.

`Place.thread_ts` is the thread's root post id. Messages are drawn by Mattermost's renderer from
the registry (responses.renderers); their buttons' contexts are sealed here and pointed at the
callback URL (bot.mattermost.callbacks), a dialog's state sealed for its clicker. Mattermost has
no private reply to a post: what a use case tells someone privately goes in the thread, and a
click's private answer is the `ephemeral_text` of its response (bot.mattermost.actions).
Mattermost's refusals become `PostFailed`, with Slack's codes for "cannot post here".
"""

from __future__ import annotations

import logging
from typing import Any

from bot.answering.choice_clicks import Click
from bot.answering.picking import Dialog
from bot.answering.ports import PostFailed
from bot.answering.requests import Place
from bot.answering.surface import Options, Reply, tell_in_place
from bot.mattermost.callbacks import Callbacks
from bot.mattermost.client import MattermostClient, MattermostError
from bot.mattermost.dialog_states import DialogStates
from responses import messages
from responses.chat import ChatMessage, DetailsPosted, Notice, PickerDialog, Settled
from responses.mattermost_chat import PICK_CALLBACK
from responses.mattermost_post import Post
from responses.renderers import MATTERMOST

log = logging.getLogger(__name__)

MAX_OPTIONS = 100
CANNOT_POST_HERE = {
    "api.context.permissions.app_error": "not_in_channel",
    "app.channel.get.existing.app_error": "channel_not_found",
}


def sealed_post(message: ChatMessage, callbacks: Callbacks) -> Post:
    """The message as Mattermost's renderer draws it, each button's context sealed for `callbacks`."""
    post = MATTERMOST.draw(message)
    for attachment in post.attachments:
        for action in attachment.get("actions") or []:
            action["integration"] = callbacks.sealed(
                (action.get("integration") or {}).get("context") or {}
            )
    return post


def failed(exc: MattermostError) -> PostFailed:
    return PostFailed(CANNOT_POST_HERE.get(exc.error, exc.error))


class MattermostSurface:
    """`ChatSurface` over the bot's REST client."""

    def __init__(
        self, client: MattermostClient, callbacks: Callbacks, states: DialogStates
    ) -> None:
        self.client, self.callbacks, self.states = client, callbacks, states

    async def post(self, place: Place, message: ChatMessage) -> str | None:
        shown = sealed_post(message, self.callbacks)
        try:
            posted = await self.client.create_post(
                place.channel, shown.message, root_id=place.thread_ts, props=shown.props()
            )
        except MattermostError as exc:
            raise failed(exc) from exc
        return str(posted["id"])

    async def replace(self, channel: str, message_id: str, message: ChatMessage) -> None:
        shown = sealed_post(message, self.callbacks)
        try:
            await self.client.patch_post(message_id, shown.message, props=shown.props())
        except MattermostError as exc:
            raise failed(exc) from exc

    tell = tell_in_place

    def reply_url(self, url: str | None, *, public: bool = False) -> Reply:
        async def reply(message: ChatMessage) -> None:
            if not url:
                return
            body = {
                "response_type": "in_channel" if public else "ephemeral",
                "text": MATTERMOST.draw(message).message,
            }
            try:
                await self.client.post_json(url, body)
            except MattermostError as exc:
                log.warning("could not answer through the response_url: %s", exc.error)

        return reply

    def person(self, click: Click) -> str:
        return click.chooser  # Mattermost's renderer names people, never pings them

    async def thread_of(self, click: Click) -> str | None:
        if not click.message_ts:
            return click.thread_ts
        try:
            return (
                str((await self.client.get_post(click.message_ts)).get("root_id") or "")
                or click.message_ts
            )
        except MattermostError:
            return click.message_ts

    async def open_picker(self, click: Click, dialog: Dialog, options: Options) -> list[str]:
        """The options are read first: Mattermost's dialog has no search, it offers them all."""
        shown = dict((await options())[:MAX_OPTIONS])
        form = MATTERMOST.form(
            PickerDialog(dialog.question.id, dialog.answered, dialog.others, tuple(shown.items()))
        )
        form["state"] = self.states.seal(
            {"action": PICK_CALLBACK, "value": dialog.question.id}, user=click.user
        )
        try:
            await self.client.open_dialog(click.trigger, self.callbacks.dialogs_url, form)
        except MattermostError as exc:
            log.info("the Not this dialog did not open: %s", exc.error)
        return list(shown)

    async def settle(self, click: Click, done: Settled) -> ChatMessage | None:
        """Details: the clicker is told they are in the thread. An outcome: the post's remediation
        buttons give way to it (a post read back has no integrations: only buttonless attachments stay)."""
        if isinstance(done, DetailsPosted):
            return Notice(messages.details_posted("you"))
        try:
            post = await self.client.get_post(click.message_ts or "")
            kept = _buttonless(post)
            outcome = {"text": MATTERMOST.draw(done).message, "fallback": done.outcome.status}
            await self.client.patch_post(
                click.message_ts or "",
                str(post.get("message") or ""),
                props={"attachments": [outcome, *kept]},
            )
        except MattermostError as exc:
            log.warning("remediation outcome not shown in %s: %s", click.channel, exc.error)
        return None


def _buttonless(post: dict[str, Any]) -> list[dict[str, Any]]:
    """A post's attachments that carry no buttons (they stay when an outcome replaces them)."""
    attachments = (post.get("props") or {}).get("attachments") or []
    return [a for a in attachments if not a.get("actions")]
