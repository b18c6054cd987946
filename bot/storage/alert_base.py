"""What alerts and the watcher need from storage (`SqlStore` provides it).

- accept_alert(item, resend_after) -> bool: store an Alertmanager delivery
  before answering 200; the same content again within `resend_after` is
  counted, not stored twice (two replicas, two Alertmanagers); later it is a
  re-send and is processed again; accept_alerts stores a burst in one
  transaction. pending_alerts, count_alert_attempt,
  finish_alert: the leader works the inbox oldest first.
- get_thread, put_thread (never touches the mute fields), due_threads (what
  Slack does not show yet), open_threads: one message per noise key.
- set_mute, clear_mute_until_resolved: a Mute click, from any replica.
- acquire_lease, release_lease: one holder per name across replicas.
Old rows go with retention (bot/storage/sql_retention.py). Every method raises StoreUnavailable
when the database is down.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from bot.storage.alert_records import AlertThread, InboxItem


class AlertStore(Protocol):
    """Storage for the alert receiver, the watcher and their messages."""

    async def accept_alert(self, item: InboxItem, *, resend_after: timedelta) -> bool: ...
    async def accept_alerts(
        self, items: list[InboxItem], *, resend_after: timedelta
    ) -> list[bool]: ...
    async def pending_alerts(self, *, limit: int = 50) -> list[InboxItem]: ...
    async def count_alert_attempt(self, id: str) -> int: ...
    async def finish_alert(self, id: str, *, now: datetime, error: str | None = None) -> None: ...

    async def get_thread(self, key: str) -> AlertThread | None: ...
    async def put_thread(self, thread: AlertThread) -> None: ...
    async def due_threads(
        self, *, edits_before: datetime, limit: int = 200
    ) -> list[AlertThread]: ...
    async def open_threads(self, *, source: str, key_prefix: str = "") -> list[AlertThread]: ...

    async def set_mute(
        self, key: str, *, until: datetime | None, until_resolved: bool, by: str
    ) -> AlertThread | None: ...
    async def clear_mute_until_resolved(self, key: str) -> None: ...

    async def acquire_lease(
        self, name: str, holder: str, *, now: datetime, until: datetime
    ) -> bool: ...
    async def release_lease(self, name: str, holder: str, *, now: datetime) -> None: ...
