"""Issue 51 item 6: an alert flood paces itself as Slack asks. The roll-up of a 600-group flood is
edited at most once per 3 s with the groups of the rounds in between batched, and a 429 with
Retry-After on one channel (or one message) holds back only that channel (or message) until
its Retry-After: every other channel keeps posting at its one-a-second pace. The sync loop over a
real database (SQLite, then PostgreSQL), its chat recording each call with the test's time."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.noise.chat import ChatFailed
from bot.noise.rollup import ROLLUP_EDIT_SECONDS
from bot.storage.alert_records import AlertThread
from tests.alerts.test_noise_engine import Clock, RecordingChat, drain, feed, parts, sig
from tests.storage.backends import opened

LIMITED = "C0LIMITED1"
OTHERS = ["C0OTHER001", "C0OTHER002"]


@dataclass
class ThrottlingChat(RecordingChat):
    """The recording chat, answering 429 (Retry-After `wait`) for posts in `limited` channels until
    `until` and for edits of `limited_edits` keys; roll-ups recorded as ("rollup", ts, listed...)."""

    limited: set[str] = field(default_factory=set)
    limited_edits: set[str] = field(default_factory=set)
    until: float = 15.0
    wait: float = 15.0
    refused: list[tuple[str, str, float]] = field(default_factory=list)
    rollups: list[tuple[str, int, float]] = field(default_factory=list)
    counted: list[str] = field(default_factory=list)

    def _throttle(self, what: str, name: str, limited: set[str]) -> None:
        if name in limited and self.clock.seconds < self.until:
            self.refused.append((what, name, self.clock.seconds))
            raise ChatFailed("ratelimited", retry_after=self.wait)

    async def post(self, thread: AlertThread, *, now: Any) -> str:
        self._throttle("post", thread.channel, self.limited)
        return await super().post(thread, now=now)

    async def update(self, thread: AlertThread, *, now: Any) -> None:
        self._throttle("update", thread.key, self.limited_edits)
        await super().update(thread, now=now)

    async def post_rollup(self, channel: str, titles: list[str], total: int) -> str:
        self._throttle("post", channel, self.limited)
        self.rollups.append(("post", total, self.clock.seconds))
        return "1700009999.000100"

    async def update_rollup(self, channel: str, ts: str, titles: list[str], total: int) -> None:
        self.rollups.append(("update", total, self.clock.seconds))


def posts_in(chat: RecordingChat, channel: str) -> list[float]:
    return [at for kind, _, where, at in chat.calls if kind == "post" and where == channel]


def with_chat(store: Any, clock: Clock, chat: ThrottlingChat) -> Any:
    _gate, sync, _ = parts(store, clock)
    sync.chat = sync.rollups.chat = chat
    sync.counted = lambda _source, action: chat.counted.append(action)
    return _gate, sync


async def test_a_600_group_flood_edits_its_roll_up_at_most_once_per_3_seconds(db_url: str) -> None:
    clock = Clock()
    async with opened(db_url) as store:
        chat = ThrottlingChat(clock)
        gate, sync = with_chat(store, clock, chat)
        for start in range(0, 600, 20):  # 600 groups over 7.5 s, a round between batches of 20
            for number in range(start, start + 20):
                await feed(gate, sig(f"am:group-{number:03d}", clock, "a", complete=True))
            await drain(sync, clock, rounds=1)
        await drain(sync, clock, rounds=40)
        times = [at for _, _, at in chat.rollups]
        assert len(times) >= 2 and all(
            b - a >= ROLLUP_EDIT_SECONDS for a, b in itertools.pairwise(times)
        )
        assert len(times) <= 1 + (times[-1] - times[0]) / ROLLUP_EDIT_SECONDS
        rolled = chat.counted.count("rolled_up")
        assert (
            rolled >= 600 - 60 - 20 and chat.rollups[-1][1] == rolled
        )  # every rolled-up group is listed


async def test_a_429_in_one_channel_holds_that_channel_and_no_other(db_url: str) -> None:
    clock = Clock()
    async with opened(db_url) as store:
        chat = ThrottlingChat(clock, limited={LIMITED}, until=15.0, wait=15.0)
        gate, sync = with_chat(store, clock, chat)
        for number in range(8):
            for channel in [LIMITED, *OTHERS]:
                await feed(gate, sig(f"am:{channel}-{number}", clock, "a", channel=channel))
        await drain(sync, clock, rounds=4 * 12)  # 12 s
        for channel in OTHERS:  # one a second, from the start
            assert len(posts_in(chat, channel)) == 8 and max(posts_in(chat, channel)) <= 8.0
        assert [(what, at) for what, _, at in chat.refused] == [
            ("post", 0.0)
        ]  # asked once, then waited
        await drain(sync, clock, rounds=4 * 12)  # the Retry-After is over at 15 s
        assert len(posts_in(chat, LIMITED)) == 8 and min(posts_in(chat, LIMITED)) >= 15.0


async def test_a_429_on_one_message_edit_skips_that_message_until_its_retry_after(
    db_url: str,
) -> None:
    clock = Clock()
    async with opened(db_url) as store:
        chat = ThrottlingChat(clock, limited_edits={"am:slow"}, until=15.0, wait=15.0)
        gate, sync = with_chat(store, clock, chat)
        sync.edit_interval = timedelta(seconds=1)
        for key in ("am:slow", "am:fast"):  # one message in each of two channels
            await feed(gate, sig(key, clock, "a", complete=True, channel=OTHERS[key == "am:fast"]))
        await drain(sync, clock, rounds=8)
        for key in ("am:slow", "am:fast"):  # both change: each is due for an edit
            await feed(
                gate, sig(key, clock, "a", "b", complete=True, channel=OTHERS[key == "am:fast"])
            )
        await drain(sync, clock, rounds=4 * 20)
        edits = {
            key: [at for kind, k, _, at in chat.calls if kind == "update" and k == key]
            for key in ("am:slow", "am:fast")
        }
        [(_, _, refused_at)] = chat.refused
        assert edits["am:fast"][0] == refused_at and edits["am:slow"][0] >= refused_at + 15.0
        slow = await store.get_thread("am:slow")
        assert slow is not None and slow.posted_version == slow.version  # shown in the end
