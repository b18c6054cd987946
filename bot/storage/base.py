"""The storage interface the bot depends on; `SqlStore` is the implementation.

The bot passes one `Store` down from the composition root, so tests and
several replicas share the same contract. A store must provide at least:

- start(), close(): create/migrate the schema at start-up (idempotent, safe
  when replicas start together); release connections.
- write_batch(writes) -> results: many requests' claims, work items, diagnoses
  with their pending actions and reply look-ups, new replies and finished work
  in one transaction (bot/storage/writes.py; the bot's usual way to write them).
- claim_event(event_id) -> bool: True exactly once per Slack event id, across
  replicas (Slack retries events).
- save_diagnosis(record) -> id, get_diagnosis(id).
- Remediation: create_pending_action, consume_pending_action (atomic single
  use: of concurrent consumers exactly one gets the action back),
  get_pending_action (to tell "expired" from "used" from unknown).
- Feedback: add_feedback (one vote per user, diagnosis and catalog id; a
  later vote replaces the earlier one), feedback_stats().
- Audit: write_audit, update_audit, get_audit, list_audit. Remediation writes
  a "started" row before it acts and updates it afterwards, so a replica that
  dies mid-action leaves a "started" row rather than no row.
- Durable work: accept_work / accept_works (once per id; a batch in one transaction), renew_work (the owner's leases),
  finish_work / finish_works (a batch in one transaction), take_over_work (expired leases: exactly one taker each),
  release_work (graceful shutdown), get_work.
- Incident summary: get_summary, save_summary, summary_lock(channel) (one
  holder at a time across replicas), record_channel_message,
  list_channel_messages.
- Retention: prune_expired(cutoffs) deletes what every table holds past its
  cutoff, in short transactions; write_refusal_once(record, since) audits a
  refused click unless the same user, button and reason was audited since.

Every method raises `StoreUnavailable` when the database cannot be reached
or written (down, locked, read-only, timed out) - never hangs, never
swallows. Callers must refuse to remediate when the audit row cannot be
written.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

from bot.storage.records import (
    AuditOutcome,
    AuditRecord,
    ChannelMessage,
    DiagnosisRecord,
    FeedbackStat,
    PendingAction,
    RetentionCutoffs,
    SummaryRecord,
    Verdict,
    WorkItem,
)
from bot.storage.writes import Write, WriteResult


class StoreError(Exception):
    """Base of storage failures."""


class StoreUnavailable(StoreError):
    """The database is down, locked, read-only or timed out; nothing was stored."""


class SchemaTooNew(StoreError):
    """The database was migrated by a newer kubemedic than this one."""


class Store(Protocol):
    """What the bot needs from storage; see the module docstring for the semantics."""

    async def start(self) -> None: ...
    async def close(self) -> None: ...

    async def write_batch(self, writes: Sequence[Write]) -> list[WriteResult]: ...

    async def claim_event(self, event_id: str, *, now: datetime | None = None) -> bool: ...

    async def save_diagnosis(self, record: DiagnosisRecord) -> str: ...
    async def get_diagnosis(self, id: str) -> DiagnosisRecord | None: ...

    async def create_pending_action(self, action: PendingAction) -> PendingAction: ...
    async def consume_pending_action(
        self, id: str, *, user: str, now: datetime | None = None
    ) -> PendingAction | None: ...
    async def get_pending_action(self, id: str) -> PendingAction | None: ...

    async def add_feedback(
        self,
        *,
        diagnosis_id: str,
        catalog_id: str,
        user: str,
        verdict: Verdict,
        now: datetime | None = None,
    ) -> None: ...
    async def feedback_stats(self) -> list[FeedbackStat]: ...

    async def write_audit(self, record: AuditRecord) -> AuditRecord: ...
    async def update_audit(
        self,
        id: str,
        *,
        outcome: AuditOutcome,
        result: str | None = None,
        dry_run_result: str | None = None,
        reason: str | None = None,
        now: datetime | None = None,
    ) -> AuditRecord: ...
    async def write_refusal_once(self, record: AuditRecord, *, since: datetime) -> bool: ...
    async def get_audit(self, id: str) -> AuditRecord | None: ...
    async def list_audit(
        self,
        *,
        channel: str | None = None,
        since: datetime | None = None,
        outcome: AuditOutcome | None = None,
        action_id: str | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]: ...

    async def accept_work(self, item: WorkItem) -> bool: ...
    async def accept_works(self, items: list[WorkItem]) -> set[str]: ...
    async def finish_work(self, id: str, *, now: datetime | None = None) -> None: ...
    async def finish_works(self, ids: list[str], *, now: datetime | None = None) -> None: ...
    async def renew_work(self, owner: str, *, until: datetime) -> int: ...
    async def take_over_work(
        self, owner: str, *, now: datetime, until: datetime, max_attempts: int, limit: int = 20
    ) -> list[WorkItem]: ...
    async def release_work(self, owner: str, *, now: datetime | None = None) -> int: ...
    async def get_work(self, id: str) -> WorkItem | None: ...

    async def get_summary(self, channel: str) -> SummaryRecord | None: ...
    async def save_summary(self, record: SummaryRecord) -> SummaryRecord: ...
    def summary_lock(self, channel: str) -> AbstractAsyncContextManager[SummaryRecord | None]: ...
    async def record_channel_message(self, message: ChannelMessage) -> None: ...
    async def list_channel_messages(
        self, channel: str, *, since: datetime | None = None, limit: int = 10_000
    ) -> list[ChannelMessage]: ...

    async def prune_expired(self, cutoffs: RetentionCutoffs) -> dict[str, int]: ...
