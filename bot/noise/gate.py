"""The noise gate: merges signals into the stored message state, one key at a time.

Everything about a key (read its state, diagnose if it is new, merge,
store) happens under that key's lock, so 500 failing pods of one workload
arriving together make one diagnosis and one message, and the sync loop
never posts a half-made message. Only the leader replica runs the gate.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.noise.merging import Outcome, Signal, merge, starts_new_message
from bot.storage.alert_base import AlertStore
from bot.storage.alert_records import AlertThread

Amend = Callable[[AlertThread], AlertThread]
"""A change to a merged thread before it is stored (a fleet-wide incident's roll-call of clusters)."""


class Gate(Protocol):
    """What the watcher and the alert processing hand their signals to, under `locks.hold(key)`:
    the noise gate, or a fleet agent's forwarder to its hub."""

    locks: KeyLocks

    async def needs_detail(self, signal: Signal) -> bool: ...

    async def observe(
        self, signal: Signal, *, detail: Mapping[str, Any] | None = None
    ) -> Outcome: ...


class KeyLocks:
    """One asyncio lock per key, forgotten when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class NoiseGate:
    """needs_detail / observe under `locks.hold(key)`; `changed` is set when Slack must catch up."""

    def __init__(
        self,
        *,
        store: AlertStore,
        cooldown: timedelta,
        clock: Callable[[], datetime],
        locks: KeyLocks | None = None,
    ) -> None:
        self.store = store
        self.cooldown = cooldown
        self.clock = clock
        self.locks = locks or KeyLocks()
        self.changed = asyncio.Event()

    async def needs_detail(self, signal: Signal) -> bool:
        """True when this signal starts a new message, which must be diagnosed first."""
        thread = await self.store.get_thread(signal.key)
        return starts_new_message(thread, signal, cooldown=self.cooldown)

    async def observe(
        self,
        signal: Signal,
        *,
        detail: Mapping[str, Any] | None = None,
        cooldown: timedelta | None = None,
        amend: Amend | None = None,
    ) -> Outcome:
        """Merge `signal` into its key's stored state (hold the key's lock); `cooldown`: this key's
        own (default the gate's), `amend`: changes the merged thread before it is stored."""
        merged = merge(
            await self.store.get_thread(signal.key),
            signal,
            cooldown=cooldown or self.cooldown,
            detail=detail,
        )
        if merged.outcome == "ignored" or merged.thread is None:
            return "ignored"
        await self.store.put_thread(amend(merged.thread) if amend is not None else merged.thread)
        if merged.outcome == "resolved":
            await self.store.clear_mute_until_resolved(signal.key)
        self.changed.set()
        return merged.outcome
