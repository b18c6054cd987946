"""The Details use case: the folded parts of a stored answer, for the click that asks for them.

The reply a person sees first is short (responses.answer_build); what it folds
away was stored with the diagnosis (its "details"), so a click hours later
shows exactly what the answer folded, never a fresh read of a cluster that has
moved on. The diagnosis id in the button is looked up, never trusted for
anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.base import Store, StoreUnavailable
from bot.storage.records import DiagnosisRecord
from responses import messages
from responses.answer_view import Details, details_from_dict


@dataclass(frozen=True)
class Folded:
    """An answer's details and the headline they belong to."""

    title: str
    details: Details


async def stored_diagnosis(store: Store, diagnosis_id: str | None) -> DiagnosisRecord | str:
    """The stored answer a button names, or the one line to tell the clicker instead."""
    try:
        record = await store.get_diagnosis(diagnosis_id) if diagnosis_id else None
    except StoreUnavailable:
        return messages.STORE_DOWN
    return messages.UNKNOWN_DIAGNOSIS if record is None else record


class DetailsLookup:
    """Reads a stored answer's details."""

    def __init__(self, *, store: Store) -> None:
        self.store = store

    async def details(self, diagnosis_id: str | None) -> Folded | str:
        """The details, or the one line to tell the clicker instead."""
        record = await stored_diagnosis(self.store, diagnosis_id)
        if isinstance(record, str):
            return record
        stored = record.body.get("details")
        if not isinstance(stored, dict):
            return messages.NO_DETAILS
        try:
            details = details_from_dict(stored)
        except (KeyError, TypeError, ValueError):
            return messages.NO_DETAILS
        if not details:
            return messages.NO_DETAILS
        return Folded(str(record.body.get("headline") or record.subject), details)
