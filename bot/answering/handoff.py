"""Answer or hand off: a direct ask kubemedic has no answer for goes to the team's agent.

Off unless KUBEMEDIC_HANDOFF_URL is set. The direct-ask path (slash command,
mention) calls `Handoff.after` with what became of the ask: an answer is
counted as answered here (an LLM call avoided); an explicit ask without a
high or medium answer is forwarded as a `HandoffCase` (JSON, documented in
docs/mcp.md): the redacted text, the evidence read, the candidates and why
each lost. The agent's reply, or why there is none (its timeout, its error),
is told to the asker through `tell`, which the transport renders.

Waiting on an agent is not diagnosing: a hand-off is told "forwarded" and then
waits in a pool of its own (`concurrency` asks with the agent at once, the
rest in line), never in one of the bot's diagnosis slots, so a slow or silent
agent delays no answer. One person may have `per_user` hand-offs in flight; one
more is not sent, and they are told so once, in its place.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from bot.answering.requests import DiagnoseRequest, InputKind
from bot.answering.results import Answer, NotPosted, Posted, Unsure
from bot.metrics import Metrics
from bot.runtime.background import Background
from responses.agent_models import AbstainReason, Candidate
from responses.agent_view import match_result
from responses.diagnosis import Diagnosis
from responses.redaction import Redacted, redact

log = logging.getLogger(__name__)

FORMAT: Literal["kubemedic.handoff/v1"] = "kubemedic.handoff/v1"
MAX_ASK_TEXT = 40 * 1024
"""The most of the pasted text the `ask` sentence quotes (the full text is in `text`)."""


class HandoffCase(BaseModel):
    """What the agent endpoint receives (a JSON POST): the case, redacted."""

    format: Literal["kubemedic.handoff/v1"] = FORMAT
    ask: str = Field(
        description="the case in words, for agents that read one question (HolmesGPT's `ask`)"
    )
    asked_via: str = Field(description="command (/diagnose) or mention (@kubemedic)")
    subject: str
    text: Redacted | None = Field(description="the pasted text, redacted")
    cluster: str | None
    reason: AbstainReason | None = Field(description="why kubemedic has no answer")
    detail: str
    read: list[str] = Field(description="what kubemedic read: facts and notes")
    unread: list[str] = Field(description="what it could not read")
    candidates: list[Candidate] = Field(
        description="the catalog entries it considered; `standing` says why each lost"
    )


@dataclass(frozen=True)
class Forwarding:
    """The case went to the agent; its reply follows."""

    agent: str
    timeout: float


@dataclass(frozen=True)
class AgentAnswered:
    agent: str
    text: str
    seconds: float


@dataclass(frozen=True)
class AgentFailed:
    agent: str
    why: str
    """What went wrong, completing "<agent> ...": "did not answer within 120 s"."""


HandoffNote = Forwarding | AgentAnswered | AgentFailed
Tell = Callable[[HandoffNote], Awaitable[None]]
"""Tells the asker one note, in the place the ask came from (the transport renders it)."""


class AgentError(Exception):
    """The agent endpoint gave no usable answer; `why` completes "<agent> ..."."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class Agent(Protocol):
    """The agent endpoint."""

    name: str

    async def ask(self, case: dict[str, Any]) -> str:
        """The agent's answer text for the case (JSON); AgentError saying why there is none."""
        ...


def ask_sentence(case: HandoffCase) -> str:
    """The case as one question for an agent that reads text."""
    considered = (
        "; ".join(
            f"{c.id} ({c.confidence}, {c.score:.2f}): {c.title} - {c.standing}"
            for c in case.candidates
        )
        or "none"
    )
    parts = [
        (
            f"kubemedic, a catalog-based Kubernetes troubleshooting bot, has no answer for {case.subject} "
            f"({case.reason or 'no entry matched'}: {case.detail}). Find the root cause and the fix."
        ),
        f"Catalog entries it considered and why each lost: {considered}.",
    ]
    if case.read:
        parts.append("What it read: " + "; ".join(case.read) + ".")
    if case.unread:
        parts.append("What it could not read: " + "; ".join(case.unread) + ".")
    if case.text:
        parts.append(
            "The text as pasted (secrets redacted):\n```\n" + case.text[:MAX_ASK_TEXT] + "\n```"
        )
    return "\n\n".join(parts)


def case_of(
    diagnosis: Diagnosis, request: DiagnoseRequest, *, kind: InputKind, text: Redacted | None
) -> HandoffCase:
    """The case to hand off, built from the agent view of the diagnosis (so: redacted)."""
    view = match_result(diagnosis)
    facts = [fact for candidate in view.runner_ups for fact in candidate.evidence]
    detail = view.abstain.detail if view.abstain else view.summary
    plain = {
        "asked_via": kind,
        "subject": diagnosis.subject,
        "text": text,
        "cluster": diagnosis.cluster,
        "reason": view.abstain.reason if view.abstain else None,
        "detail": detail,
        "read": [*dict.fromkeys(facts), *(note for note in view.notes if note != detail)],
        "unread": list(diagnosis.gaps),
        "candidates": [candidate.model_dump() for candidate in view.runner_ups],
        "ask": "",
    }
    case = HandoffCase.model_validate(plain)  # made of redacted text: the paste, the diagnosis
    return case.model_copy(update={"ask": ask_sentence(case)})


async def _told(tell: Tell, note: HandoffNote) -> None:
    """Tell the asker; a chat that refuses is logged, never retried (retrying the ask would ask the
    agent again)."""
    try:
        await tell(note)
    except Exception:
        log.exception("could not tell the asker about the hand-off to %s", note.agent)


def over_limit(count: int) -> str:
    """Why a hand-off was not sent, completing "<agent> could not help: it ..."."""
    return (
        f"was not asked this time: you already have {count} asks waiting for it; ask again "
        "once they are answered"
    )


class Handoff:
    """Counts direct asks; hands the unanswered ones to the agent, when there is one."""

    def __init__(
        self,
        *,
        agent: Agent | None,
        timeout: float,
        metrics: Metrics,
        background: Background | None = None,
        concurrency: int = 8,
        per_user: int = 2,
    ) -> None:
        self.agent = agent
        self.timeout = timeout
        self.metrics = metrics
        self.background = background
        """Tracks the waits (for a graceful shutdown) without taking its diagnosis slots; None:
        the caller waits (a one-shot command)."""
        self.per_user = per_user
        self._pool = asyncio.Semaphore(concurrency)
        self._waiting: dict[str, int] = {}

    async def after(
        self,
        answer: Answer,
        request: DiagnoseRequest,
        *,
        kind: InputKind,
        tell: Tell,
        user: str | None = None,
    ) -> None:
        """Call once per direct ask, after its answer was rendered; returns once the asker is told
        it was forwarded (the agent's reply follows from the hand-off pool)."""
        if not isinstance(answer, Unsure):
            self.metrics.direct_asks.labels(
                "answered" if isinstance(answer, Posted | NotPosted) else "refused"
            ).inc()
            return
        if self.agent is None:
            self.metrics.direct_asks.labels("unanswered").inc()
            return
        who = user or ""
        if self._waiting.get(who, 0) >= self.per_user:
            self.metrics.handoffs.labels("over_limit").inc()
            self.metrics.direct_asks.labels("unanswered").inc()
            await _told(tell, AgentFailed(self.agent.name, over_limit(self._waiting[who])))
            return
        self.metrics.direct_asks.labels("handed_off").inc()
        case = case_of(answer.diagnosis, request, kind=kind, text=request.text or None)
        self._waiting[who] = self._waiting.get(who, 0) + 1
        await _told(tell, Forwarding(self.agent.name, self.timeout))
        waiting = self._wait(self.agent, case, tell, who)
        if self.background is None:
            await waiting
        else:
            self.background.spawn(waiting, bounded=False)

    async def _wait(self, agent: Agent, case: HandoffCase, tell: Tell, who: str) -> None:
        """The agent's reply told, from the hand-off pool; the asker's count freed either way."""
        try:
            async with self._pool:
                note = await self.forward(agent, case)
            await _told(tell, note)
        finally:
            left = self._waiting.get(who, 1) - 1
            if left > 0:
                self._waiting[who] = left
            else:
                self._waiting.pop(who, None)

    async def forward(self, agent: Agent, case: HandoffCase) -> AgentAnswered | AgentFailed:
        """POST the case; the agent's answer (redacted) or why there is none."""
        started = time.monotonic()
        try:
            text = await asyncio.wait_for(agent.ask(case.model_dump(mode="json")), self.timeout)
        except TimeoutError:
            return self._failed(agent, "timeout", f"did not answer within {self.timeout:g} s")
        except AgentError as exc:
            return self._failed(agent, "failed", exc.why)
        except (
            Exception
        ):  # a bug here must not fail the ask's work item (it would ask the agent again)
            log.exception("hand-off to %s failed", agent.name)
            return self._failed(
                agent, "failed", "failed unexpectedly (kubemedic's log has the details)"
            )
        self.metrics.handoffs.labels("answered").inc()
        return AgentAnswered(agent.name, redact(text), time.monotonic() - started)

    def _failed(self, agent: Agent, result: str, why: str) -> AgentFailed:
        self.metrics.handoffs.labels(result).inc()
        log.warning("hand-off to %s: it %s", agent.name, why)
        return AgentFailed(agent.name, why)
