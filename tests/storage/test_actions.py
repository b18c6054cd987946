"""Pending remediation actions (single use) and the audit log."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.storage import SqlStore
from bot.storage.records import AuditRecord, PendingAction, utcnow
from tests.storage.backends import opened


def action(minutes: float = 30) -> PendingAction:
    return PendingAction(
        kind="delete-pod",
        target={"cluster": "prod", "namespace": "tidb", "name": "tikv-0"},
        channel="C1",
        thread_ts="1.1",
        created_by="U0",
        expires_at=utcnow() + timedelta(minutes=minutes),
    )


async def test_an_action_gets_an_opaque_id_and_round_trips(db_url: str) -> None:
    async with opened(db_url) as store:
        created = await store.create_pending_action(action())
        assert len(created.id) >= 20 and created.created_at is not None
        stored = await store.get_pending_action(created.id)
    assert stored == created
    assert stored.state(utcnow()) == "usable"


async def test_concurrent_clicks_on_two_replicas_have_one_winner(db_url: str) -> None:
    async with opened(db_url) as one, opened(db_url) as two:
        offered = await one.create_pending_action(action())
        clicks = [
            (one if i % 2 else two).consume_pending_action(offered.id, user=f"U{i}")
            for i in range(10)
        ]
        results = await asyncio.gather(*clicks)
        winners = [r for r in results if r is not None]
        assert len(winners) == 1
        stored = await two.get_pending_action(offered.id)
    assert stored is not None and stored.used_by == winners[0].used_by
    assert stored.state(utcnow()) == "used"


async def test_expired_used_and_unknown_actions_are_refused(db_url: str) -> None:
    async with opened(db_url) as store:
        stale = await store.create_pending_action(action(minutes=30))
        later = utcnow() + timedelta(minutes=31)
        assert await store.consume_pending_action(stale.id, user="U1", now=later) is None
        stored = await store.get_pending_action(stale.id)
        assert stored is not None and stored.state(later) == "expired"

        fresh = await store.create_pending_action(action())
        assert await store.consume_pending_action(fresh.id, user="U1") is not None
        assert await store.consume_pending_action(fresh.id, user="U2") is None
        stored = await store.get_pending_action(fresh.id)
        assert stored is not None and stored.state(utcnow()) == "used"
        assert stored.used_by == "U1"

        assert await store.consume_pending_action("no-such-id", user="U1") is None
        assert await store.get_pending_action("no-such-id") is None


def audit_row(**changes: object) -> AuditRecord:
    values: dict[str, object] = {
        "user": "U1",
        "kind": "delete-pod",
        "target": {"name": "tikv-0"},
        "cluster": "prod",
        "namespace": "tidb",
        "channel": "C1",
        "outcome": "started",
    }
    values.update(changes)
    return AuditRecord(**values)  # type: ignore[arg-type]


async def test_started_audit_row_is_updated_when_the_action_ends(db_url: str) -> None:
    async with opened(db_url) as store:
        started = await store.write_audit(audit_row())
        assert (await store.list_audit(outcome="started"))[0].id == started.id
        done = await store.update_audit(
            started.id, outcome="done", dry_run_result="ok", result="pod deleted"
        )
        assert (done.outcome, done.dry_run_result, done.result) == ("done", "ok", "pod deleted")
        assert done.created_at == started.created_at
        assert await store.list_audit(outcome="started") == []
        assert await store.get_audit(started.id) == done
        with pytest.raises(LookupError):
            await store.update_audit("missing", outcome="failed")


async def test_audit_list_filters_and_orders_newest_first(db_url: str) -> None:
    now = utcnow()
    async with opened(db_url) as store:
        for i, channel in enumerate(["C1", "C2", "C1"]):
            await store.write_audit(
                audit_row(
                    channel=channel,
                    outcome="refused",
                    reason=f"r{i}",
                    created_at=now + timedelta(seconds=i),
                )
            )
        in_c1 = await store.list_audit(channel="C1")
        assert [r.reason for r in in_c1] == ["r2", "r0"]
        assert [r.reason for r in await store.list_audit(since=now + timedelta(seconds=1))] == [
            "r2",
            "r1",
        ]
        assert len(await store.list_audit(limit=1)) == 1
        with pytest.raises(ValueError):
            await store.write_audit(audit_row(outcome="maybe"))


async def test_audit_rows_are_not_lost_between_replicas(db_url: str) -> None:
    # Replica one starts an action and dies; replica two finds the open row.
    one = SqlStore(db_url)
    await one.start()
    started = await one.write_audit(audit_row())
    await one.close()
    async with opened(db_url) as two:
        assert [r.id for r in await two.list_audit(outcome="started")] == [started.id]
