"""Storage: the `Store` interface (base.py), its plain records (records.py) and the SQL implementation.

`SqlStore` (SQLAlchemy) is imported on first use, so the commands that do
not touch the database start without loading it.
"""

from typing import Any

__all__ = ["SqlStore"]


def __getattr__(name: str) -> Any:
    if name == "SqlStore":
        from bot.storage.sql import SqlStore

        return SqlStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
