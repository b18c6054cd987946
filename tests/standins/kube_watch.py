"""Watch streams for the Kubernetes stand-in, as kube-apiserver serves them.

`GET ...?watch=true&resourceVersion=RV` answers 200 with chunked,
newline-delimited JSON events ({"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR,
"object": ...}) in resourceVersion order, starting after RV; without RV (or
"0") it first sends the current objects as ADDED. allowWatchBookmarks adds
BOOKMARK events; timeoutSeconds ends the stream cleanly. A resourceVersion
older than the log keeps (see `compact`) gets one ERROR event carrying a 410
Gone Status, as a real server sends it, and the stream ends. `drop` cuts
every open stream mid-way (the connection closes without an end), the way
an API-server restart or a load balancer does.
"""

from __future__ import annotations

import asyncio
import copy
import json
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .kube_resources import Target, bad_request, status_obj
from .kube_selectors import SelectorError, field_matcher, label_matcher

if TYPE_CHECKING:
    from .kube_api import KubeStandIn

Obj = dict[str, Any]
DEFAULT_TIMEOUT = 60.0
BOOKMARK_EVERY = 1.0
"""Seconds between bookmarks on a quiet stream (a real server sends them about every minute)."""


@dataclass(frozen=True)
class Change:
    """One change to one stored object."""

    version: int
    key: str
    namespace: str
    type: str
    obj: Obj


@dataclass
class WatchLog:
    """Every change, in resourceVersion order, and the open streams to wake or cut."""

    changes: list[Change] = field(default_factory=list)
    oldest: int = 0
    """Versions up to here were compacted away: a watch from them gets 410 Gone."""
    streams: set[tuple[asyncio.AbstractEventLoop, asyncio.Event, web.StreamResponse]] = field(
        default_factory=set
    )
    lock: threading.Lock = field(default_factory=threading.Lock)
    served: int = 0
    """Watch requests answered (any outcome)."""

    def record(self, change: Change) -> None:
        with self.lock:
            self.changes.append(change)
            streams = list(self.streams)
        for loop, wake, _ in streams:
            loop.call_soon_threadsafe(wake.set)

    def after(self, version: int) -> list[Change]:
        with self.lock:
            return [change for change in self.changes if change.version > version]

    def compact(self, upto: int) -> None:
        """Forget changes up to `upto` (etcd compaction): older watches get 410 Gone."""
        with self.lock:
            self.changes = [change for change in self.changes if change.version > upto]
            self.oldest = max(self.oldest, upto)

    def drop(self) -> int:
        """Cut every open stream without ending it; how many were cut."""
        with self.lock:
            streams = list(self.streams)
        for loop, _, response in streams:
            loop.call_soon_threadsafe(_cut, response)
        return len(streams)


def _cut(response: web.StreamResponse) -> None:
    transport = response._req.transport if response._req is not None else None
    if transport is not None:
        transport.abort()


async def serve_watch(
    si: KubeStandIn, request: web.Request, t: Target, q: dict[str, str]
) -> web.StreamResponse:
    """One watch request, held open until its timeout, the server stopping, or `drop`."""
    from .kube_api_routes import _view

    res = t.resource
    assert res is not None
    try:
        fmatch = field_matcher(
            q.get("fieldSelector"),
            "events.k8s.io/events" if res.group == "events.k8s.io" else res.plural,
        )
        lmatch = label_matcher(q.get("labelSelector"))
        timeout = float(q.get("timeoutSeconds") or DEFAULT_TIMEOUT)
    except (SelectorError, ValueError) as exc:
        return bad_request(str(exc))
    si.watches.served += 1
    response = web.StreamResponse(status=200, headers={"Content-Type": "application/json"})
    response.enable_chunked_encoding()
    await response.prepare(request)

    async def send(event_type: str, obj: Obj) -> None:
        await response.write(json.dumps({"type": event_type, "object": obj}).encode() + b"\n")

    def visible(obj: Obj) -> Obj | None:
        view = _view(res, obj)
        return view if fmatch(view) and lmatch(view) else None

    requested = q.get("resourceVersion") or "0"
    if requested == "0":
        with si.lock:
            start = si.resource_version
            current = [obj for _, obj in si.snapshot(res.key, t.namespace)]
        for obj in current:
            if (view := visible(obj)) is not None:
                await send("ADDED", view)
    else:
        try:
            start = int(requested)
        except ValueError:
            return await _end(
                response, status_obj(400, f'invalid resource version "{requested}"', "BadRequest")
            )
        if start < si.watches.oldest:
            gone = status_obj(
                410, f"too old resource version: {start} ({si.watches.oldest + 1})", "Expired"
            )
            return await _end(response, gone)
    return await _stream(
        si,
        response,
        send,
        visible,
        res,
        t,
        start,
        timeout,
        bookmarks=q.get("allowWatchBookmarks") == "true",
    )


async def _stream(
    si: KubeStandIn,
    response: web.StreamResponse,
    send: Any,
    visible: Any,
    res: Any,
    t: Target,
    start: int,
    timeout: float,
    *,
    bookmarks: bool,
) -> web.StreamResponse:
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()
    entry = (loop, wake, response)
    with si.watches.lock:
        si.watches.streams.add(entry)
    deadline = time.monotonic() + timeout
    last_sent = time.monotonic()
    try:
        while (left := deadline - time.monotonic()) > 0:
            wake.clear()
            for change in si.watches.after(start):
                start = change.version
                in_scope = change.key == res.key and (
                    t.namespace is None or change.namespace == t.namespace
                )
                if in_scope and (view := visible(change.obj)) is not None:
                    await send(change.type, view)
                    last_sent = time.monotonic()
            if bookmarks and time.monotonic() - last_sent >= BOOKMARK_EVERY:
                await send(
                    "BOOKMARK",
                    {
                        "kind": res.kind,
                        "apiVersion": res.api_version,
                        "metadata": {"resourceVersion": str(start)},
                    },
                )
                last_sent = time.monotonic()
            stopping = si._stopping
            if stopping is not None and stopping.is_set():
                break
            try:
                await asyncio.wait_for(wake.wait(), timeout=min(left, BOOKMARK_EVERY / 2))
            except TimeoutError:
                pass
        await response.write_eof()
    except (ConnectionResetError, RuntimeError, asyncio.CancelledError):
        pass  # cut by `drop`, or the client went away
    finally:
        with si.watches.lock:
            si.watches.streams.discard(entry)
    return response


async def _end(response: web.StreamResponse, status: Obj) -> web.StreamResponse:
    await response.write(json.dumps({"type": "ERROR", "object": status}).encode() + b"\n")
    await response.write_eof()
    return response


def change_of(key: str, obj: Obj, event_type: str, version: int) -> Change:
    meta = obj.get("metadata") or {}
    return Change(version, key, meta.get("namespace") or "", event_type, copy.deepcopy(obj))
