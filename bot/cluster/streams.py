"""A watch stream read on its own thread and handed to the event loop line by line.

A watch is one long GET whose body is newline-delimited JSON. The client
is blocking, so each open stream gets a thread of its own (not one of the
gateway's pool workers, which a handful of watches would otherwise hold
for minutes) that reads chunks, splits lines and puts decoded events on an
asyncio queue. Closing the stream (the consumer stops, or is cancelled)
shuts the connection down, which ends the thread. Errors arrive as our
own ClusterError subclasses, made by the gateway's translators.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol

from bot.cluster.errors import ClusterError, Unreachable
from bot.cluster.reader import JsonObject

CHUNK = 16 * 1024
MAX_LINE = 16 * 1024 * 1024
_END = object()


class RawStream(Protocol):
    """The part of a urllib3 response a watch reads."""

    def stream(self, amt: int, decode_content: bool = ...) -> Any: ...
    def release_conn(self) -> None: ...


Opener = Callable[[], RawStream]
"""Opens the watch request; raises ClusterError when the server refuses it."""
Failure = Callable[[BaseException], ClusterError]
"""Turns a transport failure (a connection cut mid-stream) into our error."""


class WatchStream:
    """`async for event in stream`: decoded events until the server ends the stream."""

    def __init__(self, opener: Opener, failure: Failure, *, name: str) -> None:
        self._opener = opener
        self._failure = failure
        self._name = name
        self._raw: RawStream | None = None
        self._closed = threading.Event()

    async def events(self) -> AsyncIterator[JsonObject]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        thread = threading.Thread(
            target=self._read, args=(loop, queue), name=f"watch {self._name}", daemon=True
        )
        thread.start()
        try:
            while True:
                item = await queue.get()
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            self.close()

    def close(self) -> None:
        """Shut the connection: the reading thread ends at once."""
        self._closed.set()
        raw = self._raw
        if raw is not None:
            shutdown = getattr(raw, "shutdown", None)
            try:
                if shutdown is not None:
                    shutdown()
                raw.release_conn()
            except (OSError, ValueError, RuntimeError, AttributeError):
                pass  # already gone

    def _read(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[Any]) -> None:
        def put(item: Any) -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(queue.put_nowait, item)

        try:
            self._raw = self._opener()
            if self._closed.is_set():
                self.close()
                return
            buffer = b""
            for chunk in self._raw.stream(CHUNK, decode_content=True):
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    if line.strip():
                        put(_decode(line))
                if len(buffer) > MAX_LINE:
                    raise Unreachable(f"watch event larger than {MAX_LINE} bytes")
            put(_END)
        except ClusterError as exc:
            put(exc)
        except Exception as exc:  # noqa: BLE001 - a cut connection, in whatever form the client raises it
            put(_END if self._closed.is_set() else self._failure(exc))


def _decode(line: bytes) -> JsonObject | ClusterError:
    try:
        event = json.loads(line)
    except ValueError:
        return Unreachable(f"malformed watch event: {line[:80]!r}")
    if not isinstance(event, dict) or not isinstance(event.get("object"), dict):
        return Unreachable(f"malformed watch event: {line[:80]!r}")
    return event
