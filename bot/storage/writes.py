"""The writes every request makes, as records the store writes many at a time (`Store.write_batch`).

A request costs a few rows: its event claim and its durable work item before
the ack, its diagnosis (with the pending actions behind its buttons) before
the answer is posted, the reply and the work's end after. Written one
transaction each they cost more than the answer itself; `bot.runtime.ledger`
gathers whatever the bot's requests want written at the same moment into
one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage.records import DiagnosisRecord, PendingAction, ReplyRecord, WorkItem


@dataclass(frozen=True)
class ClaimEvent:
    """Claim a Slack event id; the result is True for its first claim across replicas."""

    event_id: str
    claimed_at: datetime


@dataclass(frozen=True)
class AcceptWork:
    """Store a new work item; the result is True when stored, False when its id was there already."""

    item: WorkItem


@dataclass(frozen=True)
class RecordAnswer:
    """Store a diagnosis about to be posted and the pending actions behind its buttons (ids given), and
    find the reply to the same problem in the same channel seen since `since`, counting this sighting
    (seen_count + 1); the result is that reply (None: post a new one)."""

    diagnosis: DiagnosisRecord
    actions: tuple[PendingAction, ...]
    fingerprint: str
    since: datetime


@dataclass(frozen=True)
class RememberReply:
    """Remember a new full reply to a problem (it starts a fresh count of 1); no result."""

    reply: ReplyRecord


@dataclass(frozen=True)
class FinishWork:
    """Mark a work item done and drop its payload; no result."""

    id: str
    done_at: datetime


Write = ClaimEvent | AcceptWork | RecordAnswer | RememberReply | FinishWork
WriteResult = bool | ReplyRecord | None
