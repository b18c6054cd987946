"""The bot's own signing key (schema version 10): made at its first start when
KUBEMEDIC_SIGNING_KEY is unset, one row every replica reads (bot/storage/sql_keys.py).
The value is a plain column, never a redacting one: a redacted key would sign nothing."""

from __future__ import annotations

from sqlalchemy import Column, String, Table
from sqlalchemy.sql.schema import SchemaItem

from bot.storage.tables import NAME, UtcDateTime, metadata

_COLUMNS: list[SchemaItem] = [
    Column("name", NAME, primary_key=True),
    Column("value", String(128), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
]
signing_keys = Table("signing_keys", metadata, *_COLUMNS)
