""""Not this" on Mattermost: a dialog to pick what it was, and the pick replacing the answer.

The click records the "not this" vote and stores the dialog's question, as in Slack
(bot.answering.picking); the dialog offers the answer's other candidates, then what the catalog
search reads in the pasted text. Its submission, by whoever opened it (the clicker sealed into the
state, bot.mattermost.dialog_states), becomes the team's example
and the answer that replaces the old one in place, with Undo. Refusals are shown in the dialog.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from bot.answering.choice_clicks import Click, Refusal
from bot.answering.picking import Dialog, Picked, Picking
from bot.mattermost.callbacks import Callbacks
from bot.mattermost.client import MattermostClient, MattermostError
from bot.mattermost.dialog_states import DialogStates, Opened
from bot.mattermost.posting import words
from responses import ask_messages as say
from responses import messages
from responses.answer_actions import details_button, feedback_buttons
from responses.answer_build import answer_view
from responses.choice_blocks import undo_button
from responses.mattermost_post import answer_post

log = logging.getLogger(__name__)

ACTION = "not_this_pick"
MAX_OPTIONS = 100


class NotThis:
    """Opens the dialog on a click, takes the pick on its submission."""

    def __init__(self, *, picking: Picking, client: MattermostClient, callbacks: Callbacks,
                 states: DialogStates) -> None:
        self.picking, self.client, self.callbacks, self.states = picking, client, callbacks, states

    async def clicked(self, click: Click, trigger: str) -> str:
        """Open the dialog; the line for the clicker (the vote noted, or why not)."""
        dialog = await self.picking.open(click)
        if isinstance(dialog, Refusal):
            return dialog.text
        assert isinstance(dialog, Dialog)
        shown = dict((await self.picking.options(dialog))[:MAX_OPTIONS])
        form = {"callback_id": ACTION, "title": say.MODAL_TITLE[:24], "submit_label": say.MODAL_SUBMIT,
                "introduction_text": words(say.modal_lead(dialog.answered)),
                "state": self.states.seal({"action": ACTION, "value": dialog.question.id},
                                          user=click.user),
                "elements": [{"display_name": say.MODAL_OTHERS, "name": "entry", "type": "select",
                              "options": [{"text": f"{title} ({entry})"[:150], "value": entry}
                                          for entry, title in shown.items()]}]}
        try:
            await self.client.open_dialog(trigger, self.callbacks.dialogs_url, form)
        except MattermostError as exc:
            log.info("the Not this dialog did not open: %s", exc.error)
        return await self.picking.keep(dialog, click, list(shown))

    async def submitted(self, opened: Opened, body: dict[str, Any]) -> web.Response:
        """The pick of the clicker sealed into the dialog's state (who is also the submitter)."""
        entry = str((body.get("submission") or {}).get("entry") or "")
        if not entry:
            return web.json_response({"errors": {"entry": say.MODAL_NOTHING_PICKED}})
        user = opened.user
        name = str((await self._user(user)).get("username") or "")
        click = Click(question_id=opened.fields["value"], user=user, user_name=name)
        picked = await self.picking.pick(click, entry)
        if isinstance(picked, Refusal):
            return web.json_response({"error": words(picked.text)})
        assert isinstance(picked, Picked)
        self.states.spend(opened)
        await self._replace(picked)
        return web.json_response({})

    async def _user(self, user: str) -> dict[str, Any]:
        try:
            return await self.client.user(user)
        except MattermostError:
            return {}

    async def _replace(self, picked: Picked) -> None:
        question, ident = picked.question, picked.diagnosis_id
        folded = [details_button(ident)] if ident and answer_view(picked.diagnosis).details else []
        buttons = [*folded, *feedback_buttons(ident, show_others=False), undo_button(question.id)] if ident \
            else [undo_button(question.id)]
        rendered = answer_post(answer_view(picked.diagnosis), buttons, self.callbacks.integration)
        try:
            await self.client.patch_post(question.message_ts or "", rendered.message, props=rendered.props())
        except MattermostError as exc:
            log.warning("the picked answer did not replace the old one: %s", exc.error)
            await self.client.create_post(question.channel, words(messages.not_posted(exc.error)),
                                          root_id=question.thread_ts or question.message_ts)
