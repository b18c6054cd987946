"""Real watch streams from the API server, read with the official client as the gateway reads.

`WatchStream` is one `GET ...?watch=1&resourceVersion=RV` request whose
newline-delimited events are read on a thread into a queue; it notes how
the stream ended (the server closed it, or the connection broke when the
API server went away). `resume` is the list/watch contract a watcher must
keep across an API-server restart: watch again from the last
resourceVersion seen, and re-list when the server answers 410 Gone.
"""

from __future__ import annotations

import json
import queue
import threading
from dataclasses import dataclass, field
from typing import Any

from kubernetes import client

from tests.realserver.api import Api, Obj
from tests.waiting import PATIENCE

END = object()
GONE = 410


@dataclass
class WatchStream:
    """One watch request; `events()` yields decoded events until the stream ends."""

    api: client.ApiClient
    path: str
    resource_version: str
    timeout_seconds: int = 300
    ended: str | None = None
    """Why the stream ended: "closed" (by the server) or the error that broke it."""
    _queue: queue.Queue[Any] = field(default_factory=queue.Queue)
    _response: Any = None
    _held: list[Obj] = field(default_factory=list)
    _own: client.ApiClient | None = None

    def start(self) -> WatchStream:
        # A connection of its own: a watch closed half-read must never go back to a shared
        # pool, where the next request would be written on a socket still holding its stream.
        self._own = client.ApiClient(self.api.configuration)
        query = [
            ("watch", "1"),
            ("resourceVersion", self.resource_version),
            ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", str(self.timeout_seconds)),
        ]
        verb, url, headers, _, _ = self._own.param_serialize(
            method="GET",
            resource_path=self.path,
            query_params=query,
            header_params={"Accept": "application/json"},
            auth_settings=["BearerToken"],
        )
        response = self._own.call_api(
            verb, url, header_params=headers, _request_timeout=(5, self.timeout_seconds + 30)
        )
        if response.status != 200:
            raise AssertionError(
                f"watch {self.path} answered {response.status}: {response.read()!r}"
            )
        self._response = response.response
        threading.Thread(target=self._read, name=f"watch {self.path}", daemon=True).start()
        return self

    def _read(self) -> None:
        buffer = b""
        try:
            for chunk in self._response.stream(4096, decode_content=True):
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if line.strip():
                        self._queue.put(json.loads(line))
            self.ended = "closed"
        except Exception as exc:  # noqa: BLE001 - the point: how did the stream end?
            self.ended = f"{type(exc).__name__}: {exc}"
        self._queue.put(END)

    def next(self, timeout: float = 10.0) -> Obj | None:
        """The next event; None when the stream has ended. AssertionError on a stall."""
        if self._held:
            return self._held.pop()
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no watch event on {self.path} within {timeout:g}s") from None
        if item is END:
            self._queue.put(END)
            return None
        event: Obj = item
        return event

    def hold(self, event: Obj) -> None:
        """Give an event back: `next` returns it again first."""
        self._held.append(event)

    def until(self, wanted: str, *, timeout: float = PATIENCE) -> list[Obj]:
        """Events up to and including the first about an object named `wanted`."""
        seen: list[Obj] = []
        while True:
            event = self.next(timeout)
            if event is None:
                raise AssertionError(f"stream ended ({self.ended}) before an event about {wanted}")
            seen.append(event)
            if (event.get("object") or {}).get("metadata", {}).get("name") == wanted:
                return seen

    def close(self) -> None:
        response, self._response = self._response, None
        if response is not None:
            try:
                response.shutdown()  # unblocks the reading thread
            except (ValueError, OSError, RuntimeError):
                pass  # the connection is already gone
            response.close()
        own, self._own = self._own, None
        if own is not None:
            own.close()


def last_version(events: list[Obj], default: str) -> str:
    """The resourceVersion of the last event (bookmarks included), else `default`."""
    for event in reversed(events):
        version = ((event.get("object") or {}).get("metadata") or {}).get("resourceVersion")
        if version and event.get("type") != "ERROR":
            return str(version)
    return default


def is_gone(event: Obj | None) -> bool:
    """An ERROR event carrying 410 Gone (the resourceVersion is too old to resume from)."""
    return (
        event is not None
        and event.get("type") == "ERROR"
        and (event.get("object") or {}).get("code") == GONE
    )


@dataclass
class Resumed:
    """What `resume` did: the new stream, names a re-list returned, and whether it had to."""

    stream: WatchStream
    relisted: bool
    listed: set[str]


def resume(api: Api, path: str, version: str) -> Resumed:
    """Watch again from `version`; on 410 Gone, re-list and watch from the list's version."""
    stream = WatchStream(api.client, path, version).start()
    first: Obj | None = None
    try:
        first = stream.next(timeout=2.0)
    except AssertionError:
        pass  # nothing happened yet: the resumed stream is simply quiet
    if first is not None and not is_gone(first):
        stream.hold(first)  # not ours to swallow
    if not is_gone(first):
        return Resumed(stream, False, set())
    stream.close()
    listed = api.request("GET", path)
    names = {item["metadata"]["name"] for item in listed.get("items", [])}
    fresh = WatchStream(api.client, path, listed["metadata"]["resourceVersion"]).start()
    return Resumed(fresh, True, names)
