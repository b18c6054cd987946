"""The feedback use case: "Helpful" / "Not this" votes and "Show other matches".

Both answer only the clicker, with one line from `responses.messages`; the
diagnosis id in the button is looked up, never trusted for anything else.
"""

from __future__ import annotations

from bot.runtime.clock import Clock
from bot.storage.base import Store, StoreUnavailable
from responses import messages


class Feedback:
    """Records votes on diagnoses and lists a diagnosis' other matches."""

    def __init__(self, *, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def vote(self, diagnosis_id: str | None, *, user: str, helpful: bool) -> str:
        """Store the vote on the diagnosis' top catalog id; the line to show the voter."""
        try:
            record = await self.store.get_diagnosis(diagnosis_id) if diagnosis_id else None
            if record is None or not record.catalog_ids:
                return messages.UNKNOWN_DIAGNOSIS
            await self.store.add_feedback(diagnosis_id=record.id, catalog_id=record.catalog_ids[0], user=user,
                                          verdict="helpful" if helpful else "not_this", now=self.clock())
        except StoreUnavailable:
            return messages.STORE_DOWN
        return messages.feedback_thanks(record.catalog_ids[0], helpful)

    async def others(self, diagnosis_id: str | None) -> str:
        """The diagnosis' matches after the first, one line each."""
        try:
            record = await self.store.get_diagnosis(diagnosis_id) if diagnosis_id else None
        except StoreUnavailable:
            return messages.STORE_DOWN
        if record is None:
            return messages.UNKNOWN_DIAGNOSIS
        others = record.body.get("matches", [])[1:]
        return messages.other_matches(
            [messages.other_match(m["id"], m["title"], m["confidence"], m["score"]) for m in others])
