"""Teams' task modules: the "Not this" picker, asked for and answered within one invoke each.

The "Not this" button is an `Action.Submit` asking Teams for a task module (responses/
teams_chat.py). Teams then posts a `task/fetch` invoke carrying the button's data: it is the
click on "Not this" for the flow (the vote is kept as in every chat), and the answer to the
invoke is the picker (`continue`), or, when there is none to show (a refusal, the store down),
a line (`message`). The pick comes back as a `task/submit` invoke with the chosen entry: the flow
takes it as Slack's dialog submission, only from the person who opened the picker
(bot/answering/picking.py), and the task module closes with what that changed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot.answering.choice_clicks import Click, clicked
from bot.answering.flow import ChatFlow, Told
from bot.teams.connector import base_conversation
from bot.teams.surface import TeamsSurface
from responses import ask_messages as say
from responses.answer_actions import FEEDBACK_NOT_THIS
from responses.mattermost_chat import draw as markdown_post
from responses.teams_chat import PICK_INPUT, picker_task, task_message

Within = Callable[[Awaitable[Told]], Awaitable[Told | None]]
FETCH, SUBMIT = "task/fetch", "task/submit"
TASKS = (FETCH, SUBMIT)
PICKED = "Picked: the answer in the thread says it now."


class TaskModules:
    """Answers the `task/fetch` and `task/submit` invokes of the "Not this" picker."""

    def __init__(self, *, flow: ChatFlow, surface: TeamsSurface, within: Within) -> None:
        self.flow, self.surface, self.within = flow, surface, within

    async def answer(self, activity: Mapping[str, Any]) -> dict[str, Any]:
        value = activity.get("value") or {}
        given = value.get("data") if isinstance(value, dict) else None
        data: Mapping[str, Any] = given if isinstance(given, dict) else {}
        who = activity.get("from") or {}
        user, name = str(who.get("aadObjectId") or who.get("id") or ""), str(who.get("name") or "")
        if activity.get("name") == FETCH:
            conversation = str((activity.get("conversation") or {}).get("id") or "")
            posted = str(activity.get("replyToId") or "") or None
            where = {"channel": base_conversation(conversation), "message_ts": posted}
            value = str(data.get("value") or "")
            return await self._fetched(
                clicked(FEEDBACK_NOT_THIS, value, user=user, user_name=name, **where)
            )
        entry = str(data.get(PICK_INPUT) or "")
        if not entry:
            return task_message(say.MODAL_NOTHING_PICKED)
        pick = Click(question_id=str(data.get("value") or ""), user=user, user_name=name)
        told = await self.within(self.flow.pick(pick, entry))
        return task_message(_said(told) or PICKED)

    async def _fetched(self, click: Click) -> dict[str, Any]:
        told = await self.within(self.flow.click(click))
        picker = self.surface.pickers.pop((click.user, click.value), None)
        return picker_task(picker) if picker is not None else task_message(_said(told))


def _said(told: Told | None) -> str:
    return markdown_post(told).message if told is not None else ""
