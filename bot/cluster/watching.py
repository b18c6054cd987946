"""List, then watch: the Kubernetes list/watch contract, kept across restarts and outages.

A `Reflector` lists a kind once (the list's resourceVersion is where the
watch starts), then watches from the last resourceVersion it saw -
bookmarks included, so a quiet stream still moves forward. When the
server ends a stream (its timeout, an API-server restart) it resumes from
that version; when the server answers 410 Gone (the version was compacted
away) it lists again, and the consumer compares the new list with what it
knew, so nothing that changed meanwhile is missed. A broken connection or
a refusal is retried after an exponential, jittered back-off, reset by
the next event that arrives. Stop it by cancelling its task.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol, Unpack, runtime_checkable

from bot.cluster.errors import ClusterError, Expired
from bot.cluster.reader import JsonObject, Kind, Listing

log = logging.getLogger(__name__)


@runtime_checkable
class Watchable(Protocol):
    """What a reflector needs from a cluster gateway."""

    @property
    def cluster_name(self) -> str: ...

    async def list_versioned(
        self, kind: Kind, namespace: str | None = None, **listing: Unpack[Listing]
    ) -> tuple[list[JsonObject], str]: ...

    def watch(
        self,
        kind: Kind,
        namespace: str | None = None,
        *,
        resource_version: str,
        field_selector: str | None = None,
        timeout_seconds: int = ...,
    ) -> AsyncIterator[JsonObject]: ...


@dataclass(frozen=True)
class WatchTarget:
    """One list/watch: a kind, optionally one namespace and a field selector."""

    kind: Kind
    namespace: str | None = None
    field_selector: str | None = None

    def __str__(self) -> str:
        where = f" in {self.namespace}" if self.namespace else ""
        return f"{self.kind}{where}" + (f" ({self.field_selector})" if self.field_selector else "")


@dataclass
class Backoff:
    """Exponential back-off with jitter: first, first*factor, ... up to `cap` seconds."""

    first: float = 0.5
    cap: float = 30.0
    factor: float = 2.0
    _next: float = 0.0

    def delay(self) -> float:
        self._next = self.first if self._next == 0 else min(self.cap, self._next * self.factor)
        return self._next * random.uniform(0.5, 1.0)

    def reset(self) -> None:
        self._next = 0.0


@dataclass
class WatchStats:
    """What a reflector went through, for tests, logs and metrics."""

    lists: int = 0
    streams: int = 0
    expired: int = 0
    failures: int = 0
    events: int = 0
    bookmarks: int = 0
    last_error: str | None = None
    versions: list[str] = field(default_factory=list)
    """resourceVersions each watch started from."""


OnList = Callable[[list[JsonObject]], Awaitable[None]]
OnEvent = Callable[[str, JsonObject], Awaitable[None]]


class Reflector:
    """Keeps a consumer told about one kind: the full list, then every change."""

    def __init__(
        self,
        source: Watchable,
        target: WatchTarget,
        *,
        on_list: OnList,
        on_event: OnEvent,
        backoff: Backoff | None = None,
        timeout_seconds: int = 300,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_restart: Callable[[str], None] | None = None,
    ) -> None:
        self.source = source
        self.target = target
        self.on_list = on_list
        self.on_event = on_event
        self.backoff = backoff or Backoff()
        self.timeout_seconds = timeout_seconds
        self.sleep = sleep
        self.stats = WatchStats()
        self.on_restart = on_restart or (lambda _why: None)
        """Told why a stream is opened again: "ended", "failed" or "expired" (metrics)."""
        self.version: str | None = None
        self.synced = asyncio.Event()
        """Set once the first list has been handed over."""

    async def run(self) -> None:
        """Until cancelled."""
        while True:
            try:
                if self.version is None:
                    await self._list()
                await self._watch(self.version or "0")
                self.on_restart("ended")
            except Expired:
                self.stats.expired += 1
                self.on_restart("expired")
                log.info(
                    "watch of %s on %s: resourceVersion %s expired (410 Gone); listing again",
                    self.target,
                    self.source.cluster_name,
                    self.version,
                )
                self.version = None
            except ClusterError as exc:
                self.stats.failures += 1
                self.on_restart("failed")
                self.stats.last_error = str(exc)
                delay = self.backoff.delay()
                log.warning(
                    "watch of %s on %s failed (%s); retrying in %.1f s",
                    self.target,
                    self.source.cluster_name,
                    exc,
                    delay,
                )
                await self.sleep(delay)

    async def _list(self) -> None:
        items, version = await self.source.list_versioned(
            self.target.kind, self.target.namespace, field_selector=self.target.field_selector
        )
        self.stats.lists += 1
        self.backoff.reset()
        await self.on_list(items)
        self.version = version
        self.synced.set()

    async def _watch(self, version: str) -> None:
        self.stats.streams += 1
        self.stats.versions.append(version)
        events = self.source.watch(
            self.target.kind,
            self.target.namespace,
            resource_version=version,
            field_selector=self.target.field_selector,
            timeout_seconds=self.timeout_seconds,
        )
        async for event in events:
            self.backoff.reset()
            obj = event.get("object") or {}
            seen = (obj.get("metadata") or {}).get("resourceVersion")
            if event.get("type") == "BOOKMARK":
                self.stats.bookmarks += 1
            else:
                self.stats.events += 1
                await self.on_event(str(event.get("type")), obj)
            if seen:
                self.version = str(seen)
