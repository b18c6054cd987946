"""A reader that asks each identical question once, for many-pod diagnoses.

Fifty pods in a namespace share a handful of nodes, one ReplicaSet, one
Service list and one quota list; without sharing, a namespace diagnosis
would repeat those requests per pod.  Concurrent identical calls share one
in-flight request, and failures are shared too (a 403 is asked once); a
log tail asked twice the same way is read once, and a list that came back whole (fewer than
its limit) answers the same list asked with another limit (a pod's facts ask for 500 Services,
the walk for 2,000).

Events are listed once per walk: once a cluster's (or a dump's) whole
namespace events are listed (complete: fewer than the limit), the events
about one object are those of that list, not another request per pod (text
people gave may show an object's events only where it describes it). Core/v1 and
events.k8s.io/v1 serve the same stored events, so an object with none in
the core list has none in the new API either.

Walks that overlap share their reads (`shared_reads`): one that starts while another of the
same reader is still running reads what that one read, as identical asks in flight share one
run (bot/runtime/coalescing.py); once none runs, the next reads anew, so an ask made after a
fix never sees what was read before it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, Unpack

from bot.cluster.errors import ClusterError
from bot.cluster.moments import judged_at
from bot.cluster.reader import (
    ClusterReader,
    JsonObject,
    Kind,
    Listing,
    LogWindow,
    PartialReader,
    log_window,
)

WHOLE: Kind = "events"
"""The kind whose selected lists are answered from the namespace's whole list."""
NEW_API = {"events.k8s.io": "regarding."}
"""The same stored events through events.k8s.io/v1, whose selector says `regarding.`."""
CORE = "involvedObject."


class CachingReader:
    """Wraps a ClusterReader; get/list/logs results are shared for the wrapper's lifetime."""

    def __init__(self, inner: ClusterReader) -> None:
        self._inner = inner
        self._calls: dict[tuple[Any, ...], asyncio.Future[Any]] = {}
        self._whole: dict[str | None, tuple[asyncio.Future[Any], int | None]] = {}
        self._complete: dict[tuple[Any, ...], list[JsonObject]] = {}
        self._lists_whole = not isinstance(inner, PartialReader)

    @property
    def cluster_name(self) -> str:
        return self._inner.cluster_name

    def as_of(self) -> datetime:
        """The moment the inner reader shows (bot/cluster/moments.py)."""
        return judged_at(self._inner)

    async def _once(self, key: tuple[Any, ...], make: Any) -> Any:
        future = self._calls.get(key)
        if future is None:
            future = asyncio.ensure_future(make())
            future.add_done_callback(_mark_seen)
            self._calls[key] = future
        return await asyncio.shield(future)

    async def get(self, kind: Kind, name: str, namespace: str | None = None) -> JsonObject:
        result: JsonObject = await self._once(
            ("get", kind, name, namespace), lambda: self._inner.get(kind, name, namespace)
        )
        return result

    def _future(self, key: tuple[Any, ...], namespace: str | None, limit: int | None) -> Any:
        """The whole list's shared call, started now (so a selected list can wait for it)."""
        if key not in self._calls:
            make = self._inner.list(WHOLE, namespace, limit=limit)
            future = asyncio.ensure_future(make)
            future.add_done_callback(_mark_seen)
            self._calls[key] = future
        return self._calls[key]

    async def _selected(
        self, kind: str, namespace: str | None, selector: str, limit: int | None
    ) -> list[JsonObject] | None:
        """The events a field selector picks, from the namespace's whole list when it was listed
        complete; None: ask the API (no whole list, it failed or was cut, an unknown selector)."""
        whole = self._whole.get(namespace)
        terms = _terms(selector, NEW_API.get(kind, ""))
        if whole is None or terms is None:
            return None
        try:
            items: list[JsonObject] = await asyncio.shield(whole[0])
        except ClusterError:
            return None
        if whole[1] is not None and len(items) >= whole[1]:
            return None  # perhaps cut: the rest may hold the object's events
        found = [item for item in items if all(_field(item, p) == v for p, v in terms)]
        if kind in NEW_API:  # the same events, shaped anew: only "none" is known here
            return None if found else []
        return found[:limit] if limit else found

    async def list(
        self, kind: Kind, namespace: str | None = None, **listing: Unpack[Listing]
    ) -> list[JsonObject]:
        field_selector, label_selector = (
            listing.get("field_selector"),
            listing.get("label_selector"),
        )
        limit = listing.get("limit")
        if (
            self._lists_whole
            and field_selector
            and label_selector is None
            and (kind == WHOLE or kind in NEW_API)
        ):
            found = await self._selected(kind, namespace, field_selector, limit)
            if found is not None:
                return found
        key = ("list", kind, namespace, field_selector, label_selector, limit)
        same = key[:-1]
        if same in self._complete and key not in self._calls:
            return self._complete[same][:limit] if limit else self._complete[same]
        if kind == WHOLE and not field_selector and label_selector is None:
            self._whole.setdefault(namespace, (self._future(key, namespace, limit), limit))
        result: list[JsonObject] = await self._once(
            key,
            lambda: self._inner.list(kind, namespace, **listing),
        )
        if not limit or len(result) < limit:  # the whole list: any limit is answered from it
            self._complete.setdefault(same, result)
        return result

    async def logs(
        self, namespace: str, pod: str, container: str, **window: Unpack[LogWindow]
    ) -> str:
        key = ("logs", namespace, pod, container, *log_window(window))
        result: str = await self._once(
            key, lambda: self._inner.logs(namespace, pod, container, **window)
        )
        return result


def _terms(selector: str, new_api: str) -> list[tuple[str, str]] | None:
    """`a.b=v,c=w` as (path, value) pairs, the new API's `regarding.` read as core's
    `involvedObject.`; None for anything else (`!=`, set-based, an unknown prefix)."""
    terms = []
    for term in selector.split(","):
        path, equals, value = term.partition("=")
        if not equals or "!" in path or value.startswith("="):
            return None
        if new_api:
            if not path.startswith(new_api):
                return None
            path = CORE + path.removeprefix(new_api)
        terms.append((path.strip(), value.strip()))
    return terms


def _field(obj: JsonObject, path: str) -> str:
    """The value of a dotted field path, as a field selector compares it ("" when absent)."""
    value: Any = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def _mark_seen(future: asyncio.Future[Any]) -> None:
    """Retrieve a shared call's error so a caller that left early (its shield
    cancelled) does not make asyncio log a traceback for it later."""
    if not future.cancelled():
        future.exception()


SHARED_SECONDS = 10.0
"""A walk joins reads in flight at most this old: in a storm walks overlap without end, and
each must still read the cluster of its own minute."""


class _Running:
    """The reads of the walks running on one reader, how many run, and since when."""

    def __init__(self, reader: CachingReader) -> None:
        self.reader = reader
        self.walks = 0
        self.since = time.monotonic()


_RUNNING: dict[tuple[int, int], tuple[ClusterReader, _Running]] = {}


@asynccontextmanager
async def shared_reads(inner: ClusterReader) -> AsyncIterator[CachingReader]:
    """A caching reader over a cluster (or a dump), shared with the walks on it still running
    (started at most SHARED_SECONDS ago on this event loop); a new one when none runs."""
    if isinstance(inner, PartialReader):  # text people gave: no API to spare, and a replay
        yield CachingReader(inner)  # shows it as of each alert's own moment
        return
    key = (id(asyncio.get_running_loop()), id(inner))
    held = _RUNNING.get(key)
    if held is None or held[0] is not inner or time.monotonic() - held[1].since > SHARED_SECONDS:
        held = (inner, _Running(CachingReader(inner)))
        _RUNNING[key] = held
    running = held[1]
    running.walks += 1
    try:
        yield running.reader
    finally:
        running.walks -= 1
        if not running.walks and _RUNNING.get(key) is held:
            del _RUNNING[key]


def unseen_by(reader: ClusterReader, kind: str, namespace: str | None, name: str) -> frozenset[str]:
    """What `reader` (or the reader a CachingReader wraps) did not show of one object: nothing
    for a live cluster or a dump, which show whole objects."""
    inner = reader._inner if isinstance(reader, CachingReader) else reader
    return inner.unseen(kind, namespace, name) if isinstance(inner, PartialReader) else frozenset()
