"""Make Slack show what the stored messages say: post, edit, add thread notes.

The gate only changes stored state; this loop (leader replica only)
brings the chat up to date, oldest problem first: a never-posted message is
posted when its channel has a slot, a changed one is edited at most once
per edit interval (so 490 more failing pods are a handful of edits, not
490), notes go to the message's thread within the channel's budget, and a
muted key's notes are dropped. A 429 from Slack holds back only the channel
(or the message) it was about, until its Retry-After (bot/noise/holds.py);
the round goes on with every other channel. Because the state is in the
database, a replica that takes over the lease carries on where the last one
stopped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.noise.budget import ChannelBudget
from bot.noise.chat import CANNOT_POST_HERE, AlertChat, ChatFailed
from bot.noise.gate import KeyLocks
from bot.noise.holds import Holds, edits_of, posts_in
from bot.noise.rollup import RollUps
from bot.runtime.rounds import rounds
from bot.storage.alert_base import AlertStore
from bot.storage.alert_records import AlertThread

__all__ = ["PENDING_POST_SECONDS", "AlertChat", "AlertSync"]

log = logging.getLogger(__name__)

TICK = 0.25
"""Seconds between sync rounds when nothing pokes the loop."""
PENDING_POST_SECONDS = 60.0
"""How much of a channel's post budget new messages may queue (a minute: 60 at one post a
second); groups past it are listed in one roll-up message there, edited as more arrive,
instead of queueing ten minutes of posts for 600 groups."""
MIN_PENDING_POSTS = 5


class AlertSync:
    """One sync round at a time; `run` repeats it while this replica leads."""

    def __init__(
        self,
        *,
        store: AlertStore,
        chat: AlertChat,
        budget: ChannelBudget,
        locks: KeyLocks,
        edit_interval: float,
        clock: Callable[[], datetime],
        counted: Callable[[str, str], None] | None = None,
        fallback_channel: str | None = None,
    ) -> None:
        self.counted = counted or (lambda _source, _action: None)
        """Told (source, action) for every chat call: posted, edited, noted, failed, rerouted."""
        self.fallback_channel = fallback_channel
        """Where a first post goes when its routed channel refuses it (the default channel)."""
        self.pending_posts = max(
            MIN_PENDING_POSTS, int(PENDING_POST_SECONDS / max(budget.interval, 0.001))
        )
        """First posts a channel may have waiting; the newest past it are rolled up."""
        self.holds = Holds()
        """Channels and messages Slack told to wait (429), skipped until their Retry-After."""
        self.rollups = RollUps(chat=chat, holds=self.holds, budget=budget, clock=clock)
        """Each channel's roll-up message, edited at most every few seconds."""
        self.store = store
        self.chat = chat
        self.budget = budget
        self.locks = locks
        self.edit_interval = timedelta(seconds=edit_interval)
        self.clock = clock

    async def run_once(self) -> int:
        """Bring every due thread up to date as far as budgets allow; the chat calls made."""
        now = self.clock()
        due = await self.store.due_threads(edits_before=now - self.edit_interval)
        first = [t for t in due if t.message_ts is None]  # new problems before notes on old ones
        first = await self._roll_up(first, now)
        calls = await self.rollups.show()
        for candidate in [*first, *(t for t in due if t.message_ts is not None)]:
            if not self._actionable(candidate, now):
                continue
            async with self.locks.hold(candidate.key):
                thread = await self.store.get_thread(candidate.key)
                if thread is not None:
                    calls += await self._catch_up(thread)
        return calls

    async def _roll_up(self, first: list[AlertThread], now: datetime) -> list[AlertThread]:
        """Past `pending_posts` waiting first posts in a channel, list the newest in the
        channel's roll-up message instead (they are posted one by one only if they change later)."""
        rolled: set[str] = set()
        for channel, threads in _waiting_by_channel(first, now).items():
            done = [
                thread for thread in threads[self.pending_posts :] if await self._rolled_up(thread)
            ]
            rolled.update(thread.key for thread in done)
            if done:
                self.rollups.add(channel, [thread.title for thread in done], now)
                log.warning(
                    "%d alert groups in %s rolled up into one message (more than %d were waiting)",
                    len(done),
                    channel,
                    self.pending_posts,
                )
        return [t for t in first if t.key not in rolled]

    async def _rolled_up(self, thread: AlertThread) -> bool:
        """Mark a waiting first post as shown in the roll-up, unless it was posted meanwhile."""
        async with self.locks.hold(thread.key):
            current = await self.store.get_thread(thread.key)
            if current is None or current.message_ts is not None:
                return False
            await self.store.put_thread(replace(current, posted_version=current.version, notes=[]))
            self.counted(thread.source, "rolled_up")
        return True

    def _actionable(self, thread: AlertThread, now: datetime) -> bool:
        """Whether a round can do anything for this thread now (saves reading it again)."""
        if thread.message_ts is None:
            return thread.status == "resolved" or (
                not thread.muted(now) and self._may_post(thread.channel, now)
            )
        changed = thread.version > thread.posted_version and self._edit_due(thread, now)
        return changed or (
            bool(thread.notes) and (thread.muted(now) or self._may_post(thread.channel, now))
        )

    def _may_post(self, channel: str, now: datetime) -> bool:
        """The channel has a free slot and Slack has not told us to wait there."""
        return self.budget.free(channel) and not self.holds.held(posts_in(channel), now)

    async def run(self, stop: asyncio.Event, poke: asyncio.Event) -> None:
        """Sync rounds until `stop`; a set `poke` starts the next round at once."""
        await rounds(self.run_once, poke=poke, tick=TICK, what="alert sync", stop=stop)

    async def _catch_up(self, thread: AlertThread) -> int:
        now = self.clock()
        if thread.message_ts is None:
            return await self._first_post(thread, now)
        calls = 0
        if thread.version > thread.posted_version and self._edit_due(thread, now):
            if await self._call(
                self.chat.update(thread, now=now),
                thread,
                "update",
                held=edits_of(thread.message_ts),
                now=now,
            ):
                thread = replace(thread, posted_version=thread.version, edited_at=now)
                self.counted(thread.source, "edited")
            calls += 1
        thread, sent = await self._notes(thread, now)
        await self.store.put_thread(thread)
        return calls + sent

    async def _first_post(self, thread: AlertThread, now: datetime) -> int:
        if thread.status == "resolved":  # over before it was ever shown: stay quiet
            await self.store.put_thread(replace(thread, posted_version=thread.version, notes=[]))
            return 0
        if thread.posting_at is not None and await self._adopt(thread):
            return 1
        if (
            thread.muted(now)
            or self.holds.held(posts_in(thread.channel), now)
            or not self.budget.take(thread.channel)
        ):
            return 0
        version = thread.version
        await self.store.put_thread(replace(thread, posting_at=now))
        try:
            ts = await self.chat.post(thread, now=now)
            self.budget.spent(thread.channel)
            self.counted(thread.source, "posted")
        except ChatFailed as exc:
            self.counted(thread.source, "failed")
            return await self._not_posted(thread, exc, version, now)
        await self.store.put_thread(
            replace(
                thread,
                message_ts=ts,
                posted_version=version,
                edited_at=now,
                notes=[],
                posting_at=None,
            )
        )
        return 1

    async def _not_posted(
        self, thread: AlertThread, exc: ChatFailed, version: int, now: datetime
    ) -> int:
        """A first post the chat refused: wait out a rate limit, reroute, or give up until it changes."""
        if exc.rate_limited:  # not posted: the channel waits, the rest of the round goes on
            self.holds.hold(posts_in(thread.channel), now, exc.retry_after)
            log.warning(
                "Slack rate-limits posts in %s; %s waits %s s",
                thread.channel,
                thread.key,
                exc.retry_after if exc.retry_after is not None else "a few",
            )
            await self.store.put_thread(replace(thread, posting_at=None))
            return 1
        if self._reroutes(thread, exc):
            return 1 + await self._reroute(thread, exc.error, now)
        log.warning("cannot post %s to %s: %s", thread.key, thread.channel, exc.error)
        if not exc.transient:  # e.g. not_in_channel: try again when the problem changes
            await self.store.put_thread(replace(thread, posted_version=version, notes=[]))
        return 1

    def _reroutes(self, thread: AlertThread, exc: ChatFailed) -> bool:
        """The channel cannot take posts and a default channel other than it can."""
        return (
            not exc.transient
            and exc.error in CANNOT_POST_HERE
            and bool(self.fallback_channel)
            and thread.channel != self.fallback_channel
        )

    async def _reroute(self, thread: AlertThread, error: str, now: datetime) -> int:
        """Post to the default channel, saying where it was routed and why it is not there."""
        assert self.fallback_channel is not None
        log.warning(
            "cannot post %s to %s (%s); posting it to the default channel %s instead",
            thread.key,
            thread.channel,
            error,
            self.fallback_channel,
        )
        detail = {**thread.detail, "rerouted": {"channel": thread.channel, "error": error}}
        moved = replace(thread, channel=self.fallback_channel, detail=detail, posting_at=None)
        await self.store.put_thread(moved)
        self.counted(thread.source, "rerouted")
        return await self._first_post(moved, now)

    async def _adopt(self, thread: AlertThread) -> bool:
        """A first post began and its outcome was not stored (the leader died between Slack's
        answer and the database): find the message in the channel instead of posting it twice."""
        assert thread.posting_at is not None
        try:
            ts = await self.chat.find(thread, since=thread.posting_at - timedelta(seconds=5))
        except ChatFailed as exc:
            log.warning(
                "cannot look for an in-doubt post of %s (%s); posting it", thread.key, exc.error
            )
            return False
        if ts is None:
            return False
        log.info("found the in-doubt post of %s (%s); not posting it again", thread.key, ts)
        await self.store.put_thread(
            replace(thread, message_ts=ts, posted_version=0, posting_at=None, edited_at=None)
        )
        return True

    def _edit_due(self, thread: AlertThread, now: datetime) -> bool:
        if thread.message_ts is not None and self.holds.held(edits_of(thread.message_ts), now):
            return False
        return thread.edited_at is None or now - thread.edited_at >= self.edit_interval

    async def _notes(self, thread: AlertThread, now: datetime) -> tuple[AlertThread, int]:
        if thread.muted(now):
            return replace(thread, notes=[]), 0
        sent = 0
        notes = list(thread.notes)
        while (
            notes
            and not self.holds.held(posts_in(thread.channel), now)
            and self.budget.take(thread.channel)
        ):
            sent += 1
            replied = await self._call(
                self.chat.reply(thread, notes[0], now=now),
                thread,
                "reply",
                held=posts_in(thread.channel),
                now=now,
            )
            self.budget.spent(thread.channel)
            if not replied:
                break
            notes.pop(0)
            self.counted(thread.source, "noted")
        return replace(thread, notes=notes), sent

    async def _call(
        self, call: Any, thread: AlertThread, what: str, *, held: str, now: datetime
    ) -> bool:
        """True when done, or refused for good (not worth repeating); False to try again (a 429
        holds `held`, the message or the channel's posts, until its Retry-After)."""
        try:
            await call
        except ChatFailed as exc:
            if exc.rate_limited:
                self.holds.hold(held, now, exc.retry_after)
            log.warning(
                "cannot %s the message of %s in %s: %s", what, thread.key, thread.channel, exc.error
            )
            return not exc.transient
        return True


def _waiting_by_channel(first: list[AlertThread], now: datetime) -> dict[str, list[AlertThread]]:
    """Firing first posts not being posted and not muted, per channel, in order."""
    waiting: dict[str, list[AlertThread]] = {}
    for thread in first:
        if thread.status == "firing" and thread.posting_at is None and not thread.muted(now):
            waiting.setdefault(thread.channel, []).append(thread)
    return waiting
