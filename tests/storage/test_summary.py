"""The incident summary: its stored message ts, its lock, and the seen messages."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage import SqlStore
from bot.storage.records import ChannelMessage, SummaryRecord
from tests.storage.backends import opened


async def test_the_summary_ts_survives_a_restart(db_url: str) -> None:
    async with opened(db_url) as before:
        assert await before.get_summary("C1") is None
        first = await before.save_summary(SummaryRecord(channel="C1", message_ts="5.5"))
    async with opened(db_url) as after:
        again = await after.save_summary(
            SummaryRecord(channel="C1", message_ts="5.5", state={"incidents": ["oom-killed"]})
        )
        stored = await after.get_summary("C1")
    assert stored == again
    assert again.created_at == first.created_at and again.state == {"incidents": ["oom-killed"]}


async def test_the_lock_has_one_holder_at_a_time_across_replicas(db_url: str) -> None:
    spans: list[tuple[float, float]] = []

    async def hold(store: SqlStore) -> None:
        async with store.summary_lock("C1"):
            began = time.monotonic()
            await asyncio.sleep(0.1)
            spans.append((began, time.monotonic()))

    async with opened(db_url) as one, opened(db_url) as two:
        await asyncio.gather(hold(one), hold(two), hold(one), hold(two))
    spans.sort()
    assert len(spans) == 4
    assert all(end <= next_began for (_, end), (next_began, _) in itertools.pairwise(spans))


async def test_read_modify_write_under_the_lock_loses_no_update(db_url: str) -> None:
    async def increment(store: SqlStore) -> None:
        async with store.summary_lock("C1") as current:
            count = current.state["count"] if current else 0
            await asyncio.sleep(0.01)  # e.g. chat.update to Slack
            await store.save_summary(
                SummaryRecord(channel="C1", message_ts="7.7", state={"count": count + 1})
            )

    async with opened(db_url) as one, opened(db_url) as two:
        await asyncio.gather(*(increment((one, two)[i % 2]) for i in range(10)))
        stored = await one.get_summary("C1")
    assert stored is not None and stored.state == {"count": 10}


async def test_an_error_in_the_locked_block_rolls_back_and_releases(db_url: str) -> None:
    async with opened(db_url) as store:
        # The caller's own network error (Slack down) is not a database outage.
        with pytest.raises(ConnectionError, match="slack unreachable"):
            async with store.summary_lock("C1"):
                await store.save_summary(SummaryRecord(channel="C1", message_ts="1.0"))
                raise ConnectionError("slack unreachable")
        assert await store.get_summary("C1") is None
        async with store.summary_lock("C1") as current:
            assert current is None


def message(ts: str, text: str, **flags: object) -> ChannelMessage:
    return ChannelMessage(channel="C1", ts=ts, user="U1", text=text, **flags)  # type: ignore[arg-type]


async def test_channel_messages_upsert_edits_and_deletions(db_url: str) -> None:
    async with opened(db_url) as store:
        await store.record_channel_message(message("1712345679.000200", "second"))
        await store.record_channel_message(message("1712345678.000100", "OOMKilled tikv-0"))
        await store.record_channel_message(
            ChannelMessage(channel="C1", ts="1712345680.000300", text="summary", is_bot=True)
        )
        await store.record_channel_message(
            message("1712345678.000100", "OOMKilled tikv-1", edited=True)
        )
        await store.record_channel_message(
            ChannelMessage(channel="C1", ts="1712345679.000200", deleted=True)
        )
        # A late edit event for a deleted message must not bring its text back.
        await store.record_channel_message(message("1712345679.000200", "second!", edited=True))
        await store.record_channel_message(
            ChannelMessage(channel="C2", ts="1712345678.000100", text="other channel")
        )
        seen = await store.list_channel_messages("C1")
        second_at = seen[1].posted_at
        assert second_at is not None
        recent = await store.list_channel_messages(
            "C1", since=second_at - timedelta(microseconds=1)
        )
        assert len(await store.list_channel_messages("C1", limit=1)) == 1
    assert [(m.ts, m.text, m.user, m.edited, m.deleted, m.is_bot) for m in seen] == [
        ("1712345678.000100", "OOMKilled tikv-1", "U1", True, False, False),
        ("1712345679.000200", "", "U1", True, True, False),
        ("1712345680.000300", "summary", None, False, False, True),
    ]
    assert seen[0].posted_at == datetime(2024, 4, 5, 19, 34, 38, 100, tzinfo=UTC)
    assert [m.ts for m in recent] == ["1712345679.000200", "1712345680.000300"]


async def test_a_task_started_inside_the_lock_uses_its_own_transaction(db_url: str) -> None:
    async with opened(db_url) as store:
        async with store.summary_lock("C1"):
            claim = asyncio.create_task(store.claim_event("Ev-in-lock"))
            await asyncio.sleep(0.05)
        assert await claim is True  # on SQLite it waited for the lock, then committed
        assert await store.claim_event("Ev-in-lock") is False
