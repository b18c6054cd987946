"""`SqlStore`: the `Store` on SQLAlchemy 2 (async), for SQLite and PostgreSQL.

SQLite (`sqlite+aiosqlite:///kubemedic.db`, the default) suits one replica;
PostgreSQL (`postgresql+asyncpg://...`) is for several replicas sharing one
database. Plain `sqlite://` and `postgresql://` URLs get the async driver.
The methods are grouped by what they serve (chat, remediation, incident
summary, durable work), one module each; this class only puts them together.
"""

from __future__ import annotations

from bot.storage.sql_actions import ActionQueries
from bot.storage.sql_chat import ChatQueries
from bot.storage.sql_summary import SummaryQueries
from bot.storage.sql_work import WorkQueries


class SqlStore(ChatQueries, ActionQueries, SummaryQueries, WorkQueries):
    """SqlStore(url, *, timeout=5.0, lock_timeout=30.0); call `await start()` first."""

    def __repr__(self) -> str:
        return f"SqlStore({self.where!r})"
