"""Direct asks in Slack (slash command, mention, direct message): the use case with Slack's renderers.

`bot.answering.direct.DirectAsks` decides (the object named, the answer, "Is it one of these?",
the hand-off); this gives it the ways to speak: `say_private` for what only the asker needs
(a thread reply for a mention or a direct message, an ephemeral for a command) and
`say_public` for a command's answer the bot cannot post itself.
"""

from __future__ import annotations

from bot.answering.direct import DirectAsks
from bot.answering.requests import DiagnoseRequest, InputKind, Place
from bot.answering.results import Answer
from bot.slack.handoff import slack_teller
from bot.slack.render import Say, render_answer


class SlackDirectAsks:
    """Answers a direct ask, rendering in Slack."""

    def __init__(self, direct: DirectAsks) -> None:
        self.direct = direct

    async def answer(self, request: DiagnoseRequest, place: Place, *, kind: InputKind, say_private: Say | None,
                     say_public: Say | None = None) -> None:
        async def render(answer: Answer) -> None:
            await render_answer(answer, subject=request.subject, channel=place.channel, say_private=say_private,
                                say_public=say_public)

        await self.direct.answer(request, place, kind=kind, render=render, tell=slack_teller(say_private))

    async def walk_pasted(self, text: str, place: Place) -> Answer | None:
        """A pasted message naming a Service or Deployment: the walk's answer, if it was posted."""
        return await self.direct.walk_pasted(text, place)
