"""A direct ask end to end: the object it names, the answer, "Is it one of these?", or the hand-off.

The order for a slash command, a mention or a direct message:

1. a short question naming one pod, workload or node that exists where kubemedic may read is
   diagnosed from the cluster (the answer says so); naming several, it asks "which one?";
2. otherwise the ask is answered as before (`Answers`);
3. without a high or medium answer but with candidates, it asks "Is it one of these?";
4. with none, the asker is told so and the ask goes to the team's agent (`Handoff`), as it
   does after "None of these".

The transport renders what is left to say (`render`) and the hand-off's notes (`tell`).

A pasted message nobody addressed gets one thing of this: when it names a Service or Deployment
with its kind ("the checkout service in shop returns 503s") and that object exists, the walk
answers it, but only with a high or medium first suspect (`walk_pasted`); otherwise the message
is matched as a paste, as before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.answering.answers import Answers
from bot.answering.asking import Asked, Asking
from bot.answering.handoff import Handoff, Tell
from bot.answering.object_finder import ObjectFinder
from bot.answering.requests import DiagnoseRequest, InputKind, Place
from bot.answering.results import Answer, NotPosted, Posted, Unsure

Render = Callable[[Answer], Awaitable[None]]


@dataclass(kw_only=True, eq=False)
class DirectAsks:
    """Answers the asks addressed to the bot."""

    answers: Answers
    asking: Asking
    handoff: Handoff
    objects: ObjectFinder | None

    async def _named(
        self, request: DiagnoseRequest, place: Place, *, kind: InputKind
    ) -> DiagnoseRequest | Asked:
        """A paste naming one object: that object's diagnosis; naming several: which one?"""
        if request.verb != "paste" or self.objects is None:
            return request
        named = await self.objects.find(request.text)
        if len(named) == 1:
            return named[0].request()
        if named:
            asked = await self.asking.ask(
                "which", [n.candidate() for n in named], place, kind=kind, text=request.text
            )
            if asked is not None:
                return asked
        return request

    async def answer(
        self,
        request: DiagnoseRequest,
        place: Place,
        *,
        kind: InputKind,
        render: Render,
        tell: Tell,
        name_objects: bool = True,
    ) -> Answer | Asked:
        """Answer a direct ask; what became of it."""
        if name_objects:
            named = await self._named(request, place, kind=kind)
            if isinstance(named, Asked):
                return named
            request = named
        answer = await self.answers.answer(request, place, kind=kind)
        if isinstance(answer, Unsure):
            asked = await self.asking.after_unsure(answer, request, place, kind=kind)
            if asked is not None:
                return asked
        await render(answer)
        await self.handoff.after(answer, request, kind=kind, tell=tell, user=place.user)
        return answer

    async def walk_pasted(self, text: str, place: Place) -> Answer | None:
        """The walk's answer to a pasted message naming one Service or Deployment that exists,
        when it was posted; None to match the message as a paste instead."""
        if self.objects is None:
            return None
        named = await self.objects.find_walked(text)
        if len(named) != 1:
            return None
        answer = await self.answers.answer(named[0].request(), place, kind="message")
        return answer if isinstance(answer, Posted | NotPosted) else None
