"""`SqlStore`: the `Store` on SQLAlchemy 2 (async), for SQLite and PostgreSQL.

SQLite (the default: a file in the per-user data directory, see `store_for`) suits one replica;
PostgreSQL (`postgresql+asyncpg://...`) is for several replicas sharing one
database. Plain `sqlite://` and `postgresql://` URLs get the async driver.
The methods are grouped by what they serve (chat, remediation, incident
summary, durable work, retention, asking, incidents), one module each; this class only puts them together.
"""

from __future__ import annotations

from bot.settings import Settings
from bot.storage.sql_actions import ActionQueries
from bot.storage.sql_alerts import AlertQueries
from bot.storage.sql_ask import AskQueries
from bot.storage.sql_batch import BatchQueries
from bot.storage.sql_chat import ChatQueries
from bot.storage.sql_fleet import FleetQueries
from bot.storage.sql_fleet_tokens import FleetTokenQueries
from bot.storage.sql_incidents import IncidentQueries
from bot.storage.sql_keys import KeyQueries
from bot.storage.sql_retention import RetentionQueries
from bot.storage.sql_summary import SummaryQueries
from bot.storage.sql_work import WorkQueries


class SqlStore(
    ChatQueries,
    ActionQueries,
    SummaryQueries,
    WorkQueries,
    RetentionQueries,
    AlertQueries,
    BatchQueries,
    AskQueries,
    FleetQueries,
    FleetTokenQueries,
    IncidentQueries,
    KeyQueries,
):
    """SqlStore(url, *, timeout=5.0, lock_timeout=30.0); call `await start()` first."""

    def __repr__(self) -> str:
        return f"SqlStore({self.where!r})"


def store_for(settings: Settings) -> SqlStore:
    """The configured store; the default SQLite file's per-user directory is created (0700)."""
    default = settings.default_database()
    if default is not None:
        default.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return SqlStore(settings.database_url)
