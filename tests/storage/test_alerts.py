"""Alert storage on SQLite and PostgreSQL: the inbox de-duplicates deliveries, threads keep
their mute apart from the leader's updates, and of replicas racing for a lease one wins."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.storage.alert_records import AlertThread, InboxItem
from bot.storage.records import utcnow
from tests.storage.backends import opened

RESEND = timedelta(minutes=2)


def delivery(id: str, *, at_offset: float = 0.0) -> InboxItem:
    return InboxItem(
        id=id,
        group_key='{}:{alertname="KubePodCrashLooping"}',
        payload={"version": "4", "alerts": [{"status": "firing"}]},
        received_at=utcnow() + timedelta(seconds=at_offset),
    )


def thread(key: str, **changes: object) -> AlertThread:
    now = utcnow()
    base = AlertThread(
        key=key,
        source="alertmanager",
        channel="C0ALERTS",
        title="KubePodCrashLooping",
        subjects=["fp1"],
        counters={"fp1": 3},
        detail={"cause": {"id": "oom-killed"}},
        first_seen=now,
        last_seen=now,
    )
    return AlertThread(**{**base.__dict__, **changes})


async def test_the_same_delivery_to_two_replicas_is_one_inbox_row(db_url: str) -> None:
    async with opened(db_url) as one, opened(db_url) as two:
        stored = await asyncio.gather(
            *(
                (one if i % 2 else two).accept_alert(delivery("d1"), resend_after=RESEND)
                for i in range(6)
            )
        )
        assert stored.count(True) == 1
        pending = await one.pending_alerts()
        assert [item.id for item in pending] == ["d1"] and pending[0].deliveries == 6
        assert pending[0].payload["alerts"] == [{"status": "firing"}]


async def test_a_resend_after_the_window_is_processed_again(db_url: str) -> None:
    async with opened(db_url) as store:
        assert await store.accept_alert(delivery("d1"), resend_after=RESEND)
        await store.finish_alert("d1", now=utcnow())
        assert await store.pending_alerts() == []
        assert not await store.accept_alert(delivery("d1", at_offset=60), resend_after=RESEND)
        assert await store.accept_alert(delivery("d1", at_offset=300), resend_after=RESEND)
        assert [item.id for item in await store.pending_alerts()] == ["d1"]


async def test_processing_attempts_are_counted_and_failures_kept(db_url: str) -> None:
    async with opened(db_url) as store:
        await store.accept_alert(delivery("d2"), resend_after=RESEND)
        assert await store.count_alert_attempt("d2") == 1
        assert await store.count_alert_attempt("d2") == 2
        await store.finish_alert("d2", now=utcnow(), error="cluster unreachable")
        assert await store.pending_alerts() == []


async def test_threads_round_trip_and_become_due_when_changed_or_noted(db_url: str) -> None:
    async with opened(db_url) as store:
        await store.put_thread(thread("am:1"))
        got = await store.get_thread("am:1")
        assert (
            got is not None
            and got.detail == {"cause": {"id": "oom-killed"}}
            and got.counters == {"fp1": 3}
        )
        assert [t.key for t in await store.due_threads(edits_before=utcnow())] == [
            "am:1"
        ]  # never posted
        posted = thread(
            "am:1", message_ts="1700000000.000100", posted_version=1, edited_at=utcnow()
        )
        await store.put_thread(posted)
        assert await store.due_threads(edits_before=utcnow() - timedelta(seconds=5)) == []
        await store.put_thread(AlertThread(**{**posted.__dict__, "version": 2}))
        assert (
            await store.due_threads(edits_before=utcnow() - timedelta(seconds=5)) == []
        )  # edited just now
        assert [
            t.key for t in await store.due_threads(edits_before=utcnow() + timedelta(seconds=1))
        ] == ["am:1"]
        await store.put_thread(AlertThread(**{**posted.__dict__, "notes": [{"kind": "added"}]}))
        assert [
            t.key for t in await store.due_threads(edits_before=utcnow() - timedelta(seconds=5))
        ] == ["am:1"]


async def test_a_mute_from_another_replica_survives_the_leaders_updates(db_url: str) -> None:
    async with opened(db_url) as leader, opened(db_url) as other:
        await leader.put_thread(thread("watch:lab/shop/deployment/web/oom-killed", source="watch"))
        until = utcnow() + timedelta(hours=1)
        muted = await other.set_mute(
            "watch:lab/shop/deployment/web/oom-killed",
            until=until,
            until_resolved=False,
            by="U0ADMIN0001",
        )
        assert muted is not None and muted.version == 2 and muted.muted(utcnow())
        await leader.put_thread(
            thread("watch:lab/shop/deployment/web/oom-killed", source="watch", seen=5)
        )
        kept = await leader.get_thread("watch:lab/shop/deployment/web/oom-killed")
        assert kept is not None and kept.seen == 5 and kept.muted_by == "U0ADMIN0001"
        assert (
            await other.set_mute("no-such-key", until=until, until_resolved=False, by="U1") is None
        )
        assert [
            t.key for t in await other.open_threads(source="watch", key_prefix="watch:lab/")
        ] == ["watch:lab/shop/deployment/web/oom-killed"]


async def test_of_replicas_racing_for_the_lease_exactly_one_holds_it(db_url: str) -> None:
    now = utcnow()
    async with opened(db_url) as one, opened(db_url) as two:
        won = await asyncio.gather(
            *(
                (one if i % 2 else two).acquire_lease(
                    "alerts", f"replica-{i}", now=now, until=now + timedelta(seconds=15)
                )
                for i in range(6)
            )
        )
        assert won.count(True) == 1
        holder = f"replica-{won.index(True)}"
        assert await one.acquire_lease("alerts", holder, now=now, until=now + timedelta(seconds=30))
        assert not await two.acquire_lease(
            "alerts", "other", now=now + timedelta(seconds=20), until=now + timedelta(seconds=40)
        )
        assert await two.acquire_lease(
            "alerts", "other", now=now + timedelta(seconds=31), until=now + timedelta(seconds=45)
        )  # expired: taken over
        await two.release_lease("alerts", "other", now=now + timedelta(seconds=32))
        assert await one.acquire_lease(
            "alerts", holder, now=now + timedelta(seconds=33), until=now + timedelta(seconds=48)
        )
