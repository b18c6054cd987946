"""The feedback use case: "Helpful" / "Not this" votes and "Show other matches".

Both answer only the clicker, with one line from `responses.messages`; the
diagnosis id in the button is looked up, never trusted for anything else. A
"Helpful" vote on an answer a team example gave, by someone other than its
chooser (or by an admin), confirms the example: from then on it answers the
same error in every channel (bot.answering.examples).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from bot.answering.details import stored_diagnosis
from bot.answering.examples import confirm_helpful
from bot.runtime.clock import Clock
from bot.storage.ask_base import AskStore
from bot.storage.base import Store, StoreUnavailable
from bot.storage.records import DiagnosisRecord
from intents.decision.rules import TEAM_EXAMPLE
from responses import messages
from responses.redaction import Redacted


class FeedbackStore(Store, AskStore, Protocol):
    """Diagnoses and votes, and the examples a vote may confirm."""


class Feedback:
    """Records votes on diagnoses and lists a diagnosis' other matches."""

    def __init__(self, *, store: FeedbackStore, clock: Clock, admins: Collection[str] = ()) -> None:
        self.store = store
        self.clock = clock
        self.admins = frozenset(admins)

    async def vote(self, diagnosis_id: str | None, *, user: str, helpful: bool) -> str:
        """Store the vote on the diagnosis' top catalog id; the line to show the voter."""
        try:
            record = await self.store.get_diagnosis(diagnosis_id) if diagnosis_id else None
            if record is None or not record.catalog_ids:
                return messages.UNKNOWN_DIAGNOSIS
            await self.store.add_feedback(
                diagnosis_id=record.id,
                catalog_id=record.catalog_ids[0],
                user=user,
                verdict="helpful" if helpful else "not_this",
                now=self.clock(),
            )
            text = record.body.get("text")
            if helpful and _by_example(record) and isinstance(text, Redacted):  # stored: redacted
                await confirm_helpful(
                    self.store,
                    text,
                    record.catalog_ids[0],
                    user=user,
                    admin=user in self.admins,
                    now=self.clock(),
                )
        except StoreUnavailable:
            return messages.STORE_DOWN
        return messages.feedback_thanks(record.catalog_ids[0], helpful)

    async def others(self, diagnosis_id: str | None) -> str:
        """The diagnosis' matches after the first, one line each."""
        record = await stored_diagnosis(self.store, diagnosis_id)
        if isinstance(record, str):
            return record
        others = record.body.get("matches", [])[1:]
        return messages.other_matches(
            [messages.other_match(m["id"], m["title"], m["confidence"], m["score"]) for m in others]
        )


def _by_example(record: DiagnosisRecord) -> bool:
    """Whether a team example put the answer first (its trace says so) and its paste is kept."""
    matches = record.body.get("matches") or []
    why = (matches[0].get("why") or []) if matches and isinstance(matches[0], dict) else []
    return isinstance(record.body.get("text"), str) and any(
        isinstance(step, dict) and step.get("rule") == TEAM_EXAMPLE.name for step in why
    )
