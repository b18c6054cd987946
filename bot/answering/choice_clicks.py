"""A click on a question's button, checked and audited like a remediation click.

The button carries only the question's opaque id; everything else (the candidates, the text,
where it was asked) comes from the stored question. A click from another channel than the
question's is refused, an undo by anyone but the chooser or an admin too; every choice and
every refusal is written to the audit log (refusals once per user, button and reason in
KUBEMEDIC_REFUSAL_AUDIT_WINDOW_MINUTES, so clicks cannot flood it).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from bot.runtime.clock import Clock
from bot.storage.ask_base import AskStore
from bot.storage.ask_records import QuestionRecord
from bot.storage.base import Store, StoreUnavailable
from bot.storage.records import AuditOutcome, AuditRecord
from responses import ask_messages as say
from responses.choice_blocks import choice_number

log = logging.getLogger(__name__)

MAX_ID = 200
"""The longest value read as an id (a question's, a diagnosis'); a longer one names nothing."""
MAX_VALUE = 4096


class ChoiceStore(Store, AskStore, Protocol):
    """The store asking needs: questions and examples, the audit log, diagnoses."""


@dataclass(frozen=True)
class Click:
    """Who clicked which button, where: every chat's click, as the interaction flow reads it."""

    question_id: str
    """The button's value when it is an id (a question's, a diagnosis'), else empty."""
    user: str
    user_name: str = ""
    """The clicker's handle, as their choice is credited ("chosen by @alice")."""
    channel: str = ""
    message_ts: str | None = None
    thread_ts: str | None = None
    number: int | None = None
    """Which candidate (1..POLICY.choices), for a choice."""
    action: str = ""
    value: str = ""
    """The button's value as the chat sent it (a signed remediation button, a mute's key)."""
    trigger: str = ""
    """What opens a dialog in answer to this click (Slack's and Mattermost's trigger_id)."""
    ephemeral: bool = False
    """The clicked message was the clicker's alone: answer privately."""
    message: Mapping[str, Any] = field(default_factory=dict)
    """The clicked message as the chat sent it with the click, for the chat to edit (Slack's blocks)."""

    @property
    def chooser(self) -> str:
        return self.user_name or self.user


def clicked(action: str, value: object, *, user: str, **where: Any) -> Click:
    """A click on button `action` carrying `value` (only a short value is read as an id)."""
    shown = value[:MAX_VALUE] if isinstance(value, str) else ""
    return Click(
        question_id=shown if len(shown) <= MAX_ID else "",
        user=user,
        action=action,
        value=shown,
        number=choice_number(action),
        **where,
    )


@dataclass(frozen=True)
class Refusal:
    """Told only to the clicker; nothing changed."""

    text: str


class ClickChecks:
    """Finds a click's question and writes the audit rows."""

    def __init__(
        self,
        *,
        store: ChoiceStore,
        clock: Clock,
        refusal_window_minutes: float,
        admins: Collection[str] = (),
    ) -> None:
        self.store = store
        self.clock = clock
        self.window = timedelta(minutes=refusal_window_minutes)
        self.admins = frozenset(admins)
        """KUBEMEDIC_ADMINS: their choices are confirmed examples as made."""

    async def question(self, click: Click, *, kind: str) -> QuestionRecord | Refusal:
        """The click's question, when it exists and was asked where the click came from."""
        try:
            question = (
                await self.store.get_question(click.question_id) if click.question_id else None
            )
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

    async def _write(
        self,
        click: Click,
        kind: str,
        entry: str | None,
        outcome: AuditOutcome,
        reason: str | None,
        channel: str | None,
    ) -> None:
        now = self.clock()
        target = {"question": click.question_id} | ({"entry": entry} if entry else {})
        record = AuditRecord(
            user=click.user,
            kind=kind,
            target=target,
            channel=channel,
            action_id=click.question_id,
            outcome=outcome,
            reason=reason,
            created_at=now,
        )
        try:
            if outcome == "refused" and self.window:
                await self.store.write_refusal_once(record, since=now - self.window)
            else:
                await self.store.write_audit(record)
        except StoreUnavailable as exc:
            log.warning("%s click (%s) not audited: %s", kind, outcome, exc)
