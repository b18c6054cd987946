"""Storage: the `Store` interface, its plain records and the SQL implementation.

`SqlStore` (SQLAlchemy) is imported on first use, so the commands that do
not touch the database start without loading it.
"""

from typing import Any

from bot.storage.base import SchemaTooNew, Store, StoreError, StoreUnavailable
from bot.storage.records import (
    AuditRecord,
    ChannelMessage,
    DiagnosisRecord,
    FeedbackStat,
    PendingAction,
    ReplyRecord,
    SummaryRecord,
)

__all__ = [
    "AuditRecord",
    "ChannelMessage",
    "DiagnosisRecord",
    "FeedbackStat",
    "PendingAction",
    "ReplyRecord",
    "SchemaTooNew",
    "SqlStore",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "SummaryRecord",
]


def __getattr__(name: str) -> Any:
    if name == "SqlStore":
        from bot.storage.sql import SqlStore

        return SqlStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
