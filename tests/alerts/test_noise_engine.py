"""The gate and the sync loop over a real database (SQLite, then PostgreSQL): storms become one
message per key at the channel's pace, repeats become a few edits, mutes silence notes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.noise.budget import ChannelBudget
from bot.noise.chat import ChatFailed
from bot.noise.gate import KeyLocks, NoiseGate
from bot.noise.merging import Signal
from bot.noise.routing import Destination
from bot.noise.sync import AlertSync
from bot.storage.alert_records import AlertThread
from tests.storage.backends import opened

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    """Wall and monotonic time that only move when the test says so."""

    seconds: float = 0.0

    def wall(self) -> datetime:
        return T0 + timedelta(seconds=self.seconds)

    def mono(self) -> float:
        return self.seconds


@dataclass
class RecordingChat:
    """The chat port, recording every call with the (fake) time it was made."""

    clock: Clock
    calls: list[tuple[str, str, str, float]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def post(self, thread: AlertThread, *, now: datetime) -> str:
        if thread.channel in self.refuse:
            raise ChatFailed("channel_not_found")
        self.calls.append(("post", thread.key, thread.channel, self.clock.seconds))
        return f"{1700000000 + len(self.calls)}.000100"

    async def update(self, thread: AlertThread, *, now: datetime) -> None:
        self.calls.append(("update", thread.key, thread.channel, self.clock.seconds))

    async def reply(self, thread: AlertThread, note: dict[str, Any], *, now: datetime) -> None:
        self.calls.append(("reply", thread.key, thread.channel, self.clock.seconds))

    async def find(self, thread: AlertThread, *, since: datetime) -> str | None:
        posts = [i for i, call in enumerate(self.calls, 1) if call[:2] == ("post", thread.key)]
        return f"{1700000000 + posts[-1]}.000100" if posts else None

    def kinds(self, kind: str) -> list[tuple[str, str, str, float]]:
        return [call for call in self.calls if call[0] == kind]


def parts(
    store: Any, clock: Clock, *, interval: float = 1.0, edit: float = 10.0
) -> tuple[NoiseGate, AlertSync, RecordingChat]:
    locks = KeyLocks()
    gate = NoiseGate(store=store, cooldown=timedelta(minutes=30), clock=clock.wall, locks=locks)
    chat = RecordingChat(clock)
    sync = AlertSync(
        store=store,
        chat=chat,
        budget=ChannelBudget(interval, clock=clock.mono),
        locks=locks,
        edit_interval=edit,
        clock=clock.wall,
    )
    return gate, sync, chat


def sig(
    key: str,
    clock: Clock,
    *firing: str,
    channel: str = "C0ALERTS",
    complete: bool = False,
    cleared: tuple[str, ...] = (),
    notes: bool = False,
) -> Signal:
    return Signal(
        key=key,
        source="watch",
        title=key,
        destination=Destination(channel=channel),
        at=clock.wall(),
        firing=frozenset(firing),
        cleared=frozenset(cleared),
        complete=complete,
        notes=notes,
    )


async def feed(gate: NoiseGate, signal: Signal) -> None:
    async with gate.locks.hold(signal.key):
        detail = {"diagnosed": True} if await gate.needs_detail(signal) else None
        await gate.observe(signal, detail=detail)


async def drain(sync: AlertSync, clock: Clock, *, step: float = 0.25, rounds: int = 400) -> None:
    for _ in range(rounds):
        await sync.run_once()
        clock.seconds += step


def max_in_window(times: list[float], window: float = 1.0) -> int:
    times = sorted(times)
    return max(
        (sum(1 for t in times if start <= t < start + window - 1e-9) for start in times), default=0
    )


async def test_a_storm_of_signals_in_50_keys_posts_50_messages_within_the_budget(
    db_url: str,
) -> None:
    clock = Clock()
    async with opened(db_url) as store:
        gate, sync, chat = parts(store, clock)
        signals = [
            sig(
                f"am:group-{i % 50}",
                clock,
                *(f"alert-{j}" for j in range(i % 50, i + 1, 50)),
                complete=True,
                notes=True,
            )
            for i in range(400)
        ]  # bench/: 1,000
        await asyncio.gather(*(feed(gate, s) for s in signals[:200]))
        await drain(sync, clock, rounds=20)
        await asyncio.gather(*(feed(gate, s) for s in signals[200:]))
        await drain(sync, clock, rounds=300)
        posts = chat.kinds("post")
        assert len(posts) == 50 and len({key for _, key, _, _ in posts}) == 50
        messages = [t for kind, _, _, t in chat.calls if kind in ("post", "reply")]
        assert max_in_window(messages) == 1, "more than one message in a second in one channel"
        assert await store.due_threads(edits_before=clock.wall()) == []


async def test_500_pods_of_10_workloads_make_10_messages_and_few_edits(db_url: str) -> None:
    clock = Clock()
    async with opened(db_url) as store:
        gate, sync, chat = parts(store, clock)
        for pod in range(500):
            await feed(
                gate,
                sig(f"watch:lab/shop/deployment/app-{pod % 10}/oom-killed", clock, f"pod-{pod}"),
            )
            if pod % 50 == 49:
                await drain(sync, clock, rounds=4)
        await drain(sync, clock, rounds=100)
        assert len(chat.kinds("post")) == 10 and chat.kinds("reply") == []
        assert len(chat.kinds("update")) <= 10 * 4  # coalesced to one edit per 10 s per message
        thread = await store.get_thread("watch:lab/shop/deployment/app-3/oom-killed")
        assert (
            thread is not None
            and len(thread.subjects) == 50
            and thread.posted_version == thread.version
        )


async def test_each_channel_has_its_own_budget(db_url: str) -> None:
    clock = Clock()
    async with opened(db_url) as store:
        gate, sync, chat = parts(store, clock)
        for i in range(6):
            await feed(gate, sig(f"k{i}", clock, "x", channel=f"C0CHAN000{i % 2}"))
        await sync.run_once()
        assert sorted(channel for _, _, channel, _ in chat.kinds("post")) == [
            "C0CHAN0000",
            "C0CHAN0001",
        ]
        await drain(sync, clock, rounds=20)
        assert len(chat.kinds("post")) == 6


async def test_a_muted_key_posts_no_notes_and_a_muted_new_message_waits(db_url: str) -> None:
    clock = Clock()
    async with opened(db_url) as store:
        gate, sync, chat = parts(store, clock)
        await feed(gate, sig("am:g", clock, "a", complete=True, notes=True))
        await drain(sync, clock, rounds=4)
        await store.set_mute(
            "am:g", until=clock.wall() + timedelta(hours=1), until_resolved=False, by="U0ADMIN0001"
        )
        await feed(gate, sig("am:g", clock, "a", "b", complete=True, notes=True))
        await drain(sync, clock, rounds=60)
        assert chat.kinds("reply") == [] and len(chat.kinds("update")) >= 1  # quiet edits only
        thread = await store.get_thread("am:g")
        assert thread is not None and thread.notes == [] and thread.subjects == ["a", "b"]


async def test_mute_until_resolved_ends_with_the_resolution(db_url: str) -> None:
    clock = Clock()
    async with opened(db_url) as store:
        gate, sync, chat = parts(store, clock)
        await feed(gate, sig("am:g", clock, "a", complete=True, notes=True))
        await drain(sync, clock, rounds=4)
        await store.set_mute("am:g", until=None, until_resolved=True, by="U0ADMIN0001")
        await feed(gate, sig("am:g", clock, complete=True))
        thread = await store.get_thread("am:g")
        assert thread is not None and thread.status == "resolved" and not thread.mute_until_resolved
        await feed(
            gate, sig("am:g", clock, "a", complete=True, notes=True)
        )  # fires again: not muted
        await drain(sync, clock, rounds=4)
        assert len(chat.kinds("reply")) == 1 and len(chat.kinds("post")) == 1


async def test_a_replica_taking_over_edits_the_posted_message_instead_of_posting_again(
    db_url: str,
) -> None:
    clock = Clock()
    async with opened(db_url) as first_db, opened(db_url) as second_db:
        gate, sync, chat = parts(first_db, clock)
        await feed(gate, sig("am:g", clock, "a", complete=True))
        await drain(sync, clock, rounds=2)
        gate2, sync2, chat2 = parts(second_db, clock)  # the leader died; another replica leads
        clock.seconds += 30
        await feed(gate2, sig("am:g", clock, complete=True))
        await drain(sync2, clock, rounds=2)
        assert [kind for kind, *_ in chat.calls] == ["post"]
        assert [kind for kind, *_ in chat2.calls] == ["update"]


async def test_a_channel_the_bot_cannot_post_to_is_not_retried_until_the_problem_changes(
    db_url: str,
) -> None:
    clock = Clock()
    async with opened(db_url) as store:
        gate, sync, chat = parts(store, clock)
        chat.refuse.add("C0GONE0001")
        await feed(gate, sig("k", clock, "x", channel="C0GONE0001"))
        calls: Callable[[], int] = lambda: len(chat.calls)
        await drain(sync, clock, rounds=10)
        assert calls() == 0 and await store.due_threads(edits_before=clock.wall()) == []


async def test_a_post_in_doubt_is_found_in_the_channel_not_posted_again(db_url: str) -> None:
    clock = Clock()
    async with opened(db_url) as store:
        gate, sync, chat = parts(store, clock)
        await feed(gate, sig("am:g", clock, "a", complete=True))
        await drain(sync, clock, rounds=1)
        thread = await store.get_thread("am:g")
        assert thread is not None and thread.message_ts is not None
        # the leader died after Slack answered and before it stored the answer
        await store.put_thread(
            AlertThread(
                **{
                    **thread.__dict__,
                    "message_ts": None,
                    "posted_version": 0,
                    "posting_at": clock.wall(),
                }
            )
        )
        _gate2, sync2, chat2 = parts(store, clock)
        chat2.calls = list(chat.calls)  # the same channel
        await drain(sync2, clock, rounds=3)
        assert [kind for kind, *_ in chat2.calls] == ["post", "update"]
        adopted = await store.get_thread("am:g")
        assert (
            adopted is not None
            and adopted.message_ts == thread.message_ts
            and adopted.posting_at is None
        )
