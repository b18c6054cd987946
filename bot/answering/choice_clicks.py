"""A click on a question's button, checked and audited like a remediation click.

The button carries only the question's opaque id; everything else (the candidates, the text,
where it was asked) comes from the stored question. A click from another channel than the
question's is refused, an undo by anyone but the chooser or an admin too; every choice and
every refusal is written to the audit log (refusals once per user, button and reason in
KUBEMEDIC_REFUSAL_AUDIT_WINDOW_MINUTES, so clicks cannot flood it).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from bot.runtime.clock import Clock
from bot.storage.ask_base import AskStore
from bot.storage.ask_records import QuestionRecord
from bot.storage.base import Store, StoreUnavailable
from bot.storage.records import AuditOutcome, AuditRecord
from responses import ask_messages as say

log = logging.getLogger(__name__)


class ChoiceStore(Store, AskStore, Protocol):
    """The store asking needs: questions and examples, the audit log, diagnoses."""


@dataclass(frozen=True)
class Click:
    """Who clicked which button of which question, where."""

    question_id: str
    user: str
    user_name: str = ""
    """The clicker's handle, as their choice is credited ("chosen by @alice")."""
    channel: str = ""
    message_ts: str | None = None
    thread_ts: str | None = None
    number: int | None = None
    """Which candidate (1..POLICY.choices), for a choice."""

    @property
    def chooser(self) -> str:
        return self.user_name or self.user


@dataclass(frozen=True)
class Refusal:
    """Told only to the clicker; nothing changed."""

    text: str


class ClickChecks:
    """Finds a click's question and writes the audit rows."""

    def __init__(self, *, store: ChoiceStore, clock: Clock, refusal_window_minutes: float,
                 admins: Collection[str] = ()) -> None:
        self.store = store
        self.clock = clock
        self.window = timedelta(minutes=refusal_window_minutes)
        self.admins = frozenset(admins)
        """KUBEMEDIC_ADMINS: their choices are confirmed examples as made."""

    async def question(self, click: Click, *, kind: str) -> QuestionRecord | Refusal:
        """The click's question, when it exists and was asked where the click came from."""
        try:
            question = await self.store.get_question(click.question_id) if click.question_id else None
        except StoreUnavailable:
            return Refusal(say.STORE_DOWN)
        if question is None:
            return Refusal(say.QUESTION_GONE)
        if click.channel and question.channel != click.channel:
            await self.refused(click, kind, say.NOT_HERE)
            return Refusal(say.NOT_HERE)
        return question

    async def done(self, click: Click, kind: str, entry: str | None, *, channel: str) -> None:
        await self._write(click, kind, entry, "done", None, channel)

    async def refused(self, click: Click, kind: str, reason: str) -> None:
        await self._write(click, kind, None, "refused", reason, click.channel or None)

    async def _write(self, click: Click, kind: str, entry: str | None, outcome: AuditOutcome, reason: str | None,
                     channel: str | None) -> None:
        now = self.clock()
        target = {"question": click.question_id} | ({"entry": entry} if entry else {})
        record = AuditRecord(user=click.user, kind=kind, target=target, channel=channel,
                             action_id=click.question_id, outcome=outcome, reason=reason, created_at=now)
        try:
            if outcome == "refused" and self.window:
                await self.store.write_refusal_once(record, since=now - self.window)
            else:
                await self.store.write_audit(record)
        except StoreUnavailable as exc:
            log.warning("%s click (%s) not audited: %s", kind, outcome, exc)
