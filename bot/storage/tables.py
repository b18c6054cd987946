"""The schema, as SQLAlchemy Core tables shared by SQLite and PostgreSQL.

Column names match the fields of `bot.storage.records`, so a row maps onto
its record by name. Uniqueness that several replicas rely on lives in
primary keys: processed_events.event_id (each Slack event answered once),
replies (channel, fingerprint), feedback (diagnosis, catalog id, user) and
channel_messages (channel, ts), which the store upserts.
Free-text columns use the redacting types of `bot.storage.redacted` (the same
SQL types underneath, so no migration): nothing secret is stored, whoever writes.
Bump SCHEMA_VERSION and add a step to `migrations.STEPS` when a table changes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)
from sqlalchemy.types import TypeDecorator

from bot.storage.redacted import RedactedJSON, RedactedText

SCHEMA_VERSION = 10


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out; SQLite stores them as naive UTC text."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()
ID = String(64)
TS = String(32)  # a Slack message ts, e.g. "1712345678.123456"
NAME = String(255)

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", UtcDateTime, nullable=False),
)

processed_events = Table(
    "processed_events",
    metadata,
    Column("event_id", NAME, primary_key=True),
    Column("claimed_at", UtcDateTime, nullable=False, index=True),
)

work_items = Table(
    "work_items",
    metadata,
    Column("id", NAME, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("payload", RedactedJSON, nullable=False),
    Column("owner", NAME, nullable=False),
    Column("lease_until", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("done_at", UtcDateTime),
    Index("ix_work_items_open", "done_at", "lease_until"),
)

diagnoses = Table(
    "diagnoses",
    metadata,
    Column("id", ID, primary_key=True),
    Column("channel", NAME),
    Column("thread_ts", TS),
    Column("message_ts", TS),
    Column("user", NAME),
    Column("cluster", NAME),
    Column("namespace", NAME),
    Column("subject", RedactedText, nullable=False),
    Column("catalog_ids", JSON, nullable=False),
    Column("body", RedactedJSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False, index=True),
)

# One row per catalog id a diagnosis reported, so `shown` is a plain GROUP BY.
diagnosis_matches = Table(
    "diagnosis_matches",
    metadata,
    Column("diagnosis_id", ID, primary_key=True),
    Column("catalog_id", NAME, primary_key=True),
    Index("ix_diagnosis_matches_catalog_id", "catalog_id"),
)

replies = Table(
    "replies",
    metadata,
    Column("channel", NAME, primary_key=True),
    Column("fingerprint", NAME, primary_key=True),
    Column("message_ts", TS, nullable=False),
    Column("thread_ts", TS),
    Column("diagnosis_id", ID),
    Column("first_seen", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
    Column("seen_count", Integer, nullable=False),
)

pending_actions = Table(
    "pending_actions",
    metadata,
    Column("id", ID, primary_key=True),
    Column("diagnosis_id", ID),
    Column("kind", NAME, nullable=False),
    Column("target", RedactedJSON, nullable=False),
    Column("channel", NAME),
    Column("thread_ts", TS),
    Column("message_ts", TS),
    Column("created_by", NAME),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    Column("used_at", UtcDateTime),
    Column("used_by", NAME),
)

feedback = Table(
    "feedback",
    metadata,
    Column("diagnosis_id", ID, primary_key=True),
    Column("catalog_id", NAME, primary_key=True),
    Column("user", NAME, primary_key=True),
    Column("verdict", String(16), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", ID, primary_key=True),
    Column("user", NAME, nullable=False),
    Column("kind", NAME, nullable=False),
    Column("target", RedactedJSON, nullable=False),
    Column("cluster", NAME),
    Column("namespace", NAME),
    Column("channel", NAME, index=True),
    Column("action_id", ID),
    Column("outcome", String(32), nullable=False),
    Column("dry_run_result", RedactedText),
    Column("result", RedactedText),
    Column("reason", RedactedText),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("identity", NAME),
)

summaries = Table(
    "summaries",
    metadata,
    Column("channel", NAME, primary_key=True),
    Column("message_ts", TS),
    Column("state", RedactedJSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

channel_messages = Table(
    "channel_messages",
    metadata,
    Column("channel", NAME, primary_key=True),
    Column("ts", TS, primary_key=True),
    Column("user", NAME),
    Column("text", RedactedText, nullable=False),
    Column("thread_ts", TS),
    Column("is_bot", Boolean, nullable=False),
    Column("edited", Boolean, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("posted_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_channel_messages_posted", "channel", "posted_at"),
)

# Alerts and the watcher (schema version 3): what Alertmanager delivered, one Slack
# message per noise key, and the lease that lets one replica watch and post.
alert_inbox = Table(
    "alert_inbox",
    metadata,
    Column("id", NAME, primary_key=True),
    Column("group_key", RedactedText, nullable=False),
    Column("payload", RedactedJSON, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("deliveries", Integer, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("done_at", UtcDateTime),
    Column("error", RedactedText),
    Index("ix_alert_inbox_open", "done_at", "received_at"),
)

alert_threads = Table(
    "alert_threads",
    metadata,
    Column("key", NAME, primary_key=True),
    Column("source", String(32), nullable=False),
    Column("channel", NAME, nullable=False),
    Column("mention", NAME),
    Column("message_ts", TS),
    Column("status", String(16), nullable=False),
    Column("title", RedactedText, nullable=False),
    Column("subjects", JSON, nullable=False),
    Column("counters", JSON, nullable=False),
    Column("detail", RedactedJSON, nullable=False),
    Column("notes", RedactedJSON, nullable=False),
    Column("has_notes", Boolean, nullable=False),
    Column("seen", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("posted_version", Integer, nullable=False),
    Column("first_seen", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
    Column("resolved_at", UtcDateTime),
    Column("edited_at", UtcDateTime),
    Column("posting_at", UtcDateTime),
    Column("muted_until", UtcDateTime),
    Column("mute_until_resolved", Boolean, nullable=False),
    Column("muted_by", NAME),
    Index("ix_alert_threads_sync", "posted_version", "version"),
    Index("ix_alert_threads_source", "source", "status"),
)

leases = Table(
    "leases",
    metadata,
    Column("name", NAME, primary_key=True),
    Column("holder", NAME, nullable=False),
    Column("until", UtcDateTime, nullable=False),
)

# Asking (schema version 4): the questions "Is it one of these?", "Not this" and "which one?"
# offered (a choice claims a row once: UPDATE ... WHERE state = 'open'), and the team's
# examples, found by the digest of their first words and their length (intents.examples).
questions = Table(
    "questions",
    metadata,
    Column("id", ID, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("asked_via", String(16), nullable=False),
    Column("channel", NAME, nullable=False),
    Column("thread_ts", TS),
    Column("message_ts", TS),
    Column("answer_ts", TS),
    Column("asker", NAME),
    Column("text", RedactedText),
    Column("candidates", RedactedJSON, nullable=False),
    Column("diagnosis_id", ID),
    Column("chosen_id", NAME),
    Column("chosen_by", NAME),
    Column("chosen_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("updated_at", UtcDateTime),
    Column("offered", JSON),  # version 5: the entry ids a pick may name
    Index("ix_questions_state", "state", "created_at"),
)

examples = Table(
    "examples",
    metadata,
    Column("id", ID, primary_key=True),
    Column("entry_id", NAME, nullable=False),
    Column("text", RedactedText, nullable=False),
    Column("lead", String(32), nullable=False),
    Column("length", Integer, nullable=False),
    Column("chosen_by", NAME, nullable=False),
    Column("chooser", NAME, nullable=False),
    Column("chosen_at", UtcDateTime, nullable=False),
    Column("channel", NAME),
    Column("question_id", ID, index=True),
    Column("source", String(16), nullable=False),
    Column("undone_at", UtcDateTime),
    Column("undone_by", NAME),
    Column("confirmed_by", NAME),  # version 5: a second person, an admin or an import
    Column("confirmed_at", UtcDateTime),
    Index("ix_examples_lead", "lead", "length"),
)

# Incidents (schema version 9): each paged incident (PagerDuty, Opsgenie), the chat thread it is
# shown in, and the one note written back to it (bot/incidents/notes.py).
incident_notes = Table(
    "incident_notes",
    metadata,
    Column("key", NAME, primary_key=True),
    Column("tool", String(16), nullable=False),
    Column("target", NAME, nullable=False),
    Column("thread_key", NAME, nullable=False),
    Column("label", RedactedText, nullable=False),
    Column("url", RedactedText),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("posted_version", Integer, nullable=False),
    Column("note_id", NAME),
    Column("posting_at", UtcDateTime),
    Column("attempts", Integer, nullable=False),
    Column("next_try_at", UtcDateTime),
    Column("error", RedactedText),
    Column("gave_up", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False, index=True),
    Index("ix_incident_notes_due", "gave_up", "posted_version", "version"),
)

# One Jira issue per problem (schema version 9): the fingerprint's digest, the issue filed for it,
# and a claim while one is being filed (bot/incidents/tickets.py).
tickets = Table(
    "tickets",
    metadata,
    Column("fingerprint", ID, primary_key=True),
    Column("problem", RedactedText, nullable=False),
    Column("issue_key", NAME),
    Column("url", RedactedText),
    Column("filing_at", UtcDateTime),
    Column("comments", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False, index=True),
)
