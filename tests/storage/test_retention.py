"""Retention: every table has a bounded life; pruning deletes the old and keeps the recent.

Each table gets one row past its cutoff and one inside it, written through the
store's own methods with explicit times; after `prune_expired` only the
recent ones are left. A table added later without a retention rule fails
`test_every_table_has_a_retention_rule`.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.answering.examples import example_of
from bot.fleet import tokens
from bot.settings import Settings
from bot.storage import sql_retention
from bot.storage.alert_records import AlertThread, InboxItem
from bot.storage.ask_records import QuestionRecord
from bot.storage.fleet_records import AgentRecord, FleetRequest
from bot.storage.incident_records import IncidentRecord
from bot.storage.records import (
    AuditRecord,
    ChannelMessage,
    DiagnosisRecord,
    PendingAction,
    ReplyRecord,
    SummaryRecord,
    WorkItem,
    utcnow,
)
from bot.storage.retention import cutoffs, run_retention
from bot.storage.sql import SqlStore
from bot.storage.tables import metadata
from bot.storage.writes import RememberReply
from tests.storage.backends import opened
from tests.waiting import PATIENCE

NOW = utcnow()
KEPT = {"schema_version", "signing_keys"}
"""Kept for good: the schema's history, and the key the bot signs with (made once, at first start)."""
OLD, RECENT = "old", "recent"
SETTINGS = Settings()  # defaults: work 24 h, diagnoses and messages 30 d, audit 365 d
AGE = {  # how old an "old" and a "recent" row of each kind are
    "work": (timedelta(hours=25), timedelta(hours=23)),
    "inbox": (timedelta(hours=50), timedelta(hours=48)),  # as long as PagerDuty sends a page again
    "diagnoses": (timedelta(days=31), timedelta(days=29)),
    "messages": (timedelta(days=31), timedelta(days=29)),
    "audit": (timedelta(days=366), timedelta(days=364)),
}


def _at(kind: str, which: str) -> datetime:
    return NOW - AGE[kind][0 if which == OLD else 1]


def _reply(fingerprint: str, at: datetime) -> ReplyRecord:
    return ReplyRecord(
        channel="C1",
        fingerprint=fingerprint,
        message_ts="1.1",
        thread_ts=None,
        diagnosis_id=None,
        first_seen=at,
        last_seen=at,
        seen_count=1,
    )


async def _fill(store: SqlStore) -> None:
    """One old and one recent row in every table, through the store's own methods."""
    for which in (OLD, RECENT):
        work_at = _at("work", which)
        await store.claim_event(f"Ev-{which}", now=work_at)
        await store.accept_work(
            WorkItem(
                id=f"paste:{which}",
                kind="paste",
                payload={"text": "x" * 100},
                owner="r1",
                lease_until=work_at,
                created_at=work_at,
            )
        )
        await store.finish_work(f"paste:{which}", now=work_at)
        await store.create_pending_action(
            PendingAction(
                id=f"act-{which}",
                kind="delete-pod",
                target={},
                created_at=work_at,
                expires_at=work_at,
            )
        )
        await store.write_batch([RememberReply(_reply(which, work_at))])
        made = _at("diagnoses", which)
        id = await store.save_diagnosis(
            DiagnosisRecord(
                id=f"d-{which}",
                subject="paste",
                created_at=made,
                catalog_ids=[f"entry-{which}"],
                body={"m": which},
            )
        )
        await store.add_feedback(
            diagnosis_id=id, catalog_id=f"entry-{which}", user="U1", verdict="helpful", now=made
        )
        said = _at("messages", which)
        await store.record_channel_message(
            ChannelMessage(
                channel=f"C-{which}",
                ts=f"{said.timestamp():.6f}",
                text="OOMKilled",
                updated_at=said,
            )
        )
        await store.save_summary(SummaryRecord(channel=f"C-{which}", state={}, updated_at=said))
        await store.write_audit(
            AuditRecord(
                id=f"a-{which}",
                user="U1",
                kind="delete-pod",
                outcome="done",
                created_at=_at("audit", which),
            )
        )
        await store.accept_alert(
            InboxItem(id=f"am:{which}", group_key="g", payload={}, received_at=_at("inbox", which)),
            resend_after=timedelta(0),
        )
        await store.finish_alert(f"am:{which}", now=_at("inbox", which))
        await store.acquire_lease(f"lease-{which}", "r1", now=work_at, until=work_at)
        await store.put_thread(
            AlertThread(
                key=f"watch:{which}", source="watch", channel="C1", first_seen=made, last_seen=made
            )
        )
        await store.save_question(
            QuestionRecord(id=f"q-{which}", kind="ask", channel="C1", created_at=made)
        )
        await store.add_example(
            dataclasses.replace(
                example_of(
                    "the init container was killed with exit code 137 again",
                    "oom-killed",
                    chosen_by="U1",
                    chooser="bob",
                    chosen_at=made,
                    question_id=f"q-{which}",
                ),
                undone_at=_at("audit", which),
                undone_by="U1",
            )
        )
        await _fill_fleet(store, which)
        await store.record_incident(
            IncidentRecord(
                key=f"pagerduty:{which}",
                tool="pagerduty",
                target=which,
                thread_key=f"pd:{which}",
                label="PagerDuty incident",
                created_at=made,
                updated_at=made,
            )
        )
        filed = _at("audit", which)
        await store.claim_ticket(
            f"fp-{which}", "oom-killed pod shop/a", now=filed, stale=timedelta(0)
        )
        await store.ticket_filed(f"fp-{which}", key=f"OPS-{which}", url="https://jira", now=filed)


async def _fill_fleet(store: SqlStore, which: str) -> None:
    cluster = f"cluster-{which}"
    issued = tokens.issue(cluster, now=_at("audit", which))
    await store.add_token(issued.record)
    await store.revoke_tokens(cluster, now=_at("audit", which))
    seen = _at("diagnoses", which)
    await store.agent_connected(
        AgentRecord(
            cluster=cluster,
            version="1",
            wire=1,
            replica="r1",
            connected=True,
            connected_at=seen,
            last_seen=seen,
        )
    )
    asked = _at("work", which)
    await store.open_request(
        FleetRequest(
            id=f"fr-{which}",
            cluster=cluster,
            verb="pod",
            namespace="shop",
            name="web-0",
            state="pending",
            created_at=asked,
            updated_at=asked,
        )
    )


async def _count(store: SqlStore) -> dict[str, int]:
    from sqlalchemy import func, select

    counts: dict[str, int] = {}
    async with store._tx() as conn:  # a test reading every table back
        for table in metadata.sorted_tables:
            counts[table.name] = (
                await conn.execute(select(func.count()).select_from(table))
            ).scalar_one()
    return counts


async def test_old_rows_go_and_recent_rows_stay_in_every_table(db_url: str) -> None:
    async with opened(db_url) as store:
        await _fill(store)
        before = await _count(store)
        deleted = await store.prune_expired(cutoffs(SETTINGS, NOW))
        after = await _count(store)
        assert (
            await store.get_diagnosis("d-recent") is not None
            and await store.get_diagnosis("d-old") is None
        )
        assert [s.catalog_id for s in await store.feedback_stats()] == [
            "entry-recent"
        ]  # votes and shown
        assert (
            await store.get_audit("a-recent") is not None and await store.get_audit("a-old") is None
        )
        assert await store.get_pending_action("act-old") is None
        assert await store.claim_event("Ev-old", now=NOW)  # forgotten, so claimable again
        assert not await store.claim_event("Ev-recent", now=NOW)
        assert [m.text for m in await store.list_channel_messages("C-recent")] == ["OOMKilled"]
        assert await store.list_channel_messages("C-old") == []
        assert (
            await store.get_summary("C-old") is None
            and await store.get_summary("C-recent") is not None
        )
    pruned = {name for name in before if name not in KEPT}
    assert deleted == {name: 1 for name in pruned}
    assert {name: after[name] for name in pruned} == {name: 1 for name in pruned}


def test_every_table_has_a_retention_rule() -> None:
    """`_fill` writes every table and `prune_expired` deletes from each: a new table must join."""
    filled = {
        "processed_events",
        "work_items",
        "pending_actions",
        "replies",
        "diagnoses",
        "diagnosis_matches",
        "feedback",
        "channel_messages",
        "summaries",
        "audit",
        "alert_inbox",
        "alert_threads",
        "leases",
        "questions",
        "examples",
        "fleet_tokens",
        "fleet_agents",
        "fleet_requests",
        "incident_notes",
        "tickets",
    }
    assert {table.name for table in metadata.sorted_tables} - KEPT == filled


async def test_a_backlog_is_deleted_in_short_batches(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sql_retention, "BATCH", 10)
    async with opened(db_url) as store:
        for n in range(25):
            await store.claim_event(f"Ev-{n}", now=NOW - timedelta(days=2))
            await store.save_diagnosis(
                DiagnosisRecord(
                    id=f"d-{n}",
                    subject="paste",
                    catalog_ids=["oom-killed"],
                    created_at=NOW - timedelta(days=40),
                )
            )
        deleted = await store.prune_expired(cutoffs(SETTINGS, NOW))
        assert deleted == {"processed_events": 25, "diagnoses": 25, "diagnosis_matches": 25}


async def test_finished_work_keeps_no_payload(db_url: str) -> None:
    async with opened(db_url) as store:
        await store.accept_work(
            WorkItem(
                id="paste:1",
                kind="paste",
                payload={"text": "x" * 40_000},
                owner="r1",
                lease_until=NOW + timedelta(minutes=1),
                created_at=NOW,
            )
        )
        await store.finish_work("paste:1", now=NOW)
        done = await store.get_work("paste:1")
        assert done is not None and done.done_at is not None and done.payload == {}


async def test_replies_live_at_least_the_repeat_window(db_url: str) -> None:
    settings = Settings(KUBEMEDIC_RETAIN_WORK_HOURS=1, KUBEMEDIC_REPEAT_WINDOW_MINUTES=180)
    async with opened(db_url) as store:
        await store.write_batch([RememberReply(_reply("f", NOW - timedelta(hours=2)))])
        assert await store.prune_expired(cutoffs(settings, NOW)) == {}
        assert (await _count(store))["replies"] == 1


async def test_pruning_runs_at_once_and_then_every_interval(db_url: str) -> None:
    async with opened(db_url) as store:
        await store.claim_event("Ev-1", now=NOW - timedelta(days=2))
        stop = asyncio.Event()
        task = asyncio.get_running_loop().create_task(
            run_retention(store, SETTINGS, stop, every=timedelta(seconds=0.3))
        )
        await asyncio.sleep(0.15)
        assert await store.claim_event("Ev-1", now=NOW)  # pruned at start-up
        await store.claim_event("Ev-2", now=NOW - timedelta(days=2))
        await asyncio.sleep(0.5)
        assert await store.claim_event("Ev-2", now=NOW)  # and again on the next round
        stop.set()
        await asyncio.wait_for(task, PATIENCE)


async def test_a_refused_click_is_audited_once_per_user_button_and_reason(db_url: str) -> None:
    since = utcnow() - timedelta(minutes=10)
    refused = AuditRecord(
        user="U0MALLORY1",
        kind="delete-pod",
        action_id="act-1",
        outcome="refused",
        reason="you are not in KUBEMEDIC_ADMINS",
    )
    async with opened(db_url) as store:
        written = [await store.write_refusal_once(refused, since=since) for _ in range(20)]
        assert written == [True] + [False] * 19
        assert await store.write_refusal_once(
            AuditRecord(**{**vars(refused), "user": "U0EVE00001"}), since=since
        )
        assert await store.write_refusal_once(
            AuditRecord(**{**vars(refused), "action_id": None}), since=since
        )
        assert await store.write_refusal_once(
            AuditRecord(**{**vars(refused), "reason": "other"}), since=since
        )
        assert await store.write_refusal_once(
            refused, since=utcnow() + timedelta(seconds=1)
        )  # window over
        rows = await store.list_audit(outcome="refused")
        assert len(rows) == 5


async def test_a_sqlite_file_shrinks_after_pruning(tmp_path: Path) -> None:
    """Deleted pages go back to the file system: a flood's high-water mark does not stay on disk."""
    path = tmp_path / "db" / "shrink.db"
    async with opened(f"sqlite+aiosqlite:///{path}") as store:
        for n in range(200):
            await store.save_diagnosis(
                DiagnosisRecord(
                    id=f"d-{n}",
                    subject="paste",
                    catalog_ids=["oom-killed"],
                    body={"matched": [f"line {n} " + "x" * 40_000]},
                    created_at=NOW - timedelta(days=40),
                )
            )
        big = _file_size(path)
        assert big > 8_000_000
        await store.prune_expired(cutoffs(SETTINGS, NOW))
        assert _file_size(path) < big / 10


def _file_size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
