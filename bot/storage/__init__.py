"""Storage: the `Store` interface, its plain records and the SQL implementation."""

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
from bot.storage.sql import SqlStore

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
