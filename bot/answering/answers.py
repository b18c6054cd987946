"""The diagnose use case end to end: diagnose, decide whether to answer, publish.

One path for every input kind. What differs between them is policy, decided
here from the request's `InputKind`, not by separate code paths:

- a pasted `message` is answered only with a high or medium confidence match (or, walked
  because it names a Service, a high or medium first suspect) and within the channel's reply
  budget; otherwise kubemedic stays quiet;
- an explicit ask (`command`, `mention`) always gets something: the answer,
  the closest matches privately ("no confident match"), or one line saying
  why not.

Expected failures become `Refused` (one line for the asker); anything else
is logged with its traceback and becomes `Failed` (an apology).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.answering.diagnosing import Diagnoser
from bot.answering.ports import PostFailed
from bot.answering.publishing import Publisher
from bot.answering.ratelimit import ChannelRateLimiter
from bot.answering.requests import DiagnoseRequest, InputKind, Place
from bot.answering.results import (
    Answer,
    DiagnoseResult,
    Failed,
    NotPosted,
    Posted,
    Quiet,
    Refused,
    Unsure,
)
from bot.answering.unmatched import UnmatchedPastes
from bot.errors import TooCostly, UserFacingError
from bot.metrics import Metrics
from responses.redaction import EMPTY

log = logging.getLogger(__name__)

Route = Callable[[DiagnoseRequest, Place], DiagnoseRequest]
"""The request as it will be diagnosed at that place (a fleet hub fills in the channel's cluster)."""
AfterPost = Callable[[Place, Posted], Awaitable[None]]
"""Told about every answer posted (the incident summary notes it); must not raise."""


async def _nothing(place: Place, posted: Posted) -> None:
    return None


@dataclass(kw_only=True, eq=False)
class Answers:
    """Answers diagnose requests from any input."""

    diagnoser: Diagnoser
    publisher: Publisher
    limiter: ChannelRateLimiter
    metrics: Metrics
    after_post: AfterPost = _nothing
    route: Route | None = None
    unmatched: UnmatchedPastes | None = None

    async def _held(
        self, result: DiagnoseResult, place: Place, *, kind: InputKind
    ) -> Answer | None:
        """`_held_back`, with a paste held back for low confidence noted as unmatched."""
        held = self._held_back(result, place, kind=kind)
        quiet = isinstance(held, Quiet) and held.reason == "low_confidence"
        if quiet and self.unmatched is not None:
            await self.unmatched.note(result.text or EMPTY, result.diagnosis, place, kind=kind)
        return held

    async def answer(self, request: DiagnoseRequest, place: Place, *, kind: InputKind) -> Answer:
        """Diagnose `request` and publish the answer at `place` when the input kind calls for it."""
        if self.route is not None:
            request = self.route(request, place)
        try:
            result = await self.diagnoser.diagnose(request, channel=place.channel)
        except UserFacingError as exc:
            return Refused(exc.reason, costly=isinstance(exc, TooCostly))
        except Exception:
            log.exception("diagnosis of %s failed", request.subject)
            return Failed()
        held = await self._held(result, place, kind=kind)
        if held is not None:
            return held
        try:
            posted = await self.publisher.publish(result, place)
        except PostFailed as exc:
            return NotPosted(result.diagnosis, exc.error)
        await self.after_post(place, posted)
        return posted

    def _held_back(
        self, result: DiagnoseResult, place: Place, *, kind: InputKind
    ) -> Quiet | Unsure | None:
        """Why this result is not published, by input kind; None to publish it."""
        suspects = result.diagnosis.suspects
        if (
            kind == "message"
            and suspects is not None
            and not (suspects and suspects[0].confidence in ("high", "medium"))
        ):
            self.metrics.skipped.labels(
                "low_confidence"
            ).inc()  # a walk nobody asked for: sure, or quiet
            return Quiet("low_confidence")
        if result.source != "paste" or result.diagnosis.answer is not None:
            return self._over_budget(place) if kind == "message" else None
        if kind == "message":
            self.metrics.skipped.labels("low_confidence").inc()
            return Quiet("low_confidence")
        return Unsure(result.diagnosis)

    def _over_budget(self, place: Place) -> Quiet | None:
        if self.limiter.allow(place.channel):
            return None
        self.metrics.skipped.labels("rate_limited").inc()
        return Quiet("rate_limited")
