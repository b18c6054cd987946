"""Diagnoses, no-repeat replies and feedback votes."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TypedDict

import pytest

from bot.storage import DiagnosisRecord, FeedbackStat
from bot.storage.records import utcnow
from tests.storage.backends import opened


async def test_a_diagnosis_round_trips_with_its_json(db_url: str) -> None:
    record = DiagnosisRecord(
        channel="C1",
        thread_ts="1.1",
        message_ts="1.2",
        user="U1",
        cluster="prod",
        namespace="tidb",
        subject="pod tidb/tikv-0",
        catalog_ids=["oom-killed", "crashloop"],
        body={"title": "OOMKilled", "score": 0.93, "steps": ["kubectl describe pod"]},
    )
    async with opened(db_url) as store:
        id = await store.save_diagnosis(record)
        stored = await store.get_diagnosis(id)
        assert await store.get_diagnosis("unknown") is None
    assert stored is not None and stored.created_at is not None
    assert stored.created_at.tzinfo is not None
    assert stored == DiagnosisRecord(**{**vars(record), "id": id, "created_at": stored.created_at})


class Key(TypedDict):
    channel: str
    fingerprint: str


async def test_the_same_problem_bumps_the_earlier_reply(db_url: str) -> None:
    t0 = utcnow()
    async with opened(db_url) as one, opened(db_url) as two:
        key = Key(channel="C1", fingerprint="prod/tidb/tikv-0/oom-killed")
        assert await one.find_reply(**key) is None
        assert await one.bump_reply(**key) is None  # nothing to bump yet
        first = await one.remember_reply(**key, message_ts="10.1", diagnosis_id="d1", now=t0)
        assert first.seen_count == 1

        later = t0 + timedelta(minutes=5)
        assert (await two.find_reply(**key, since=later - timedelta(minutes=10))) == first
        assert await two.find_reply(**key, since=later) is None  # outside the window
        bumped = await two.bump_reply(**key, now=later)
        assert bumped is not None and (bumped.seen_count, bumped.last_seen) == (2, later)
        assert bumped.first_seen == t0 and bumped.message_ts == "10.1"

        await asyncio.gather(*((one, two)[i % 2].bump_reply(**key) for i in range(10)))
        found = await one.find_reply(**key)
        assert found is not None and found.seen_count == 12

        # Outside the window the caller posts a fresh reply: the count starts again.
        fresh = await one.remember_reply(**key, message_ts="99.9", now=later)
        assert (fresh.seen_count, fresh.message_ts, fresh.first_seen) == (1, "99.9", later)


async def test_feedback_later_vote_replaces_and_stats_count_shown(db_url: str) -> None:
    async with opened(db_url) as store:
        d1 = await store.save_diagnosis(DiagnosisRecord(subject="paste", catalog_ids=["a", "b"]))
        d2 = await store.save_diagnosis(DiagnosisRecord(subject="paste", catalog_ids=["a"]))
        await store.save_diagnosis(DiagnosisRecord(subject="paste", catalog_ids=[]))
        await store.add_feedback(diagnosis_id=d1, catalog_id="a", user="U1", verdict="not_this")
        await store.add_feedback(diagnosis_id=d1, catalog_id="a", user="U1", verdict="helpful")
        await store.add_feedback(diagnosis_id=d1, catalog_id="a", user="U2", verdict="helpful")
        await store.add_feedback(diagnosis_id=d2, catalog_id="a", user="U1", verdict="not_this")
        await store.add_feedback(diagnosis_id=d1, catalog_id="b", user="U1", verdict="not_this")
        await store.add_feedback(diagnosis_id=d1, catalog_id="z", user="U1", verdict="helpful")
        with pytest.raises(ValueError):
            await store.add_feedback(
                diagnosis_id=d1,
                catalog_id="a",
                user="U1",
                verdict="meh",  # type: ignore[arg-type]
            )
        stats = await store.feedback_stats()
    assert stats == [
        FeedbackStat(catalog_id="a", helpful=2, not_this=1, shown=2),
        FeedbackStat(catalog_id="b", helpful=0, not_this=1, shown=1),
        # A vote on an id the diagnosis never stored (catalog renamed): still counted.
        FeedbackStat(catalog_id="z", helpful=1, not_this=0, shown=0),
    ]
