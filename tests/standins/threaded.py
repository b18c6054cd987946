"""Host an async stand-in server on its own event-loop thread (for sync tests and subprocesses)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any, Self, TypeVar

from tests.waiting import PATIENCE

T = TypeVar("T")

Serve = Callable[[], AbstractAsyncContextManager[str]]
"""Starts the server and yields its base URL until the block exits."""


class ThreadedHost:
    """Runs `serve()` on a private event loop in a daemon thread until `stop()`."""

    def __init__(self, serve: Serve, *, name: str) -> None:
        self.url = ""
        self._serve = serve
        self._name = name
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_evt: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Self:
        self._thread.start()
        if not self._ready.wait(10) or self._error is not None:
            raise RuntimeError(f"{self._name} failed to start: {self._error!r}")
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        except BaseException as exc:  # noqa: BLE001 - surfaced to start()
            self._error = exc
            self._ready.set()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _main(self) -> None:
        self._stop_evt = asyncio.Event()
        async with self._serve() as url:
            self.url = url
            self._ready.set()
            await self._stop_evt.wait()

    def call(self, work: Coroutine[Any, Any, T], *, timeout: float = PATIENCE) -> T:
        """Run `work` (a call on the stand-in, such as a user's slash command) on the server's loop
        and wait for its result, from a synchronous test."""
        assert self._loop is not None, "start() first"
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout)

    def stop(self) -> None:
        """Stop the server (releasing hung requests) and join the thread."""
        if self._loop is not None and self._stop_evt is not None and self._thread.is_alive():
            try:
                self._loop.call_soon_threadsafe(self._stop_evt.set)
            except RuntimeError:
                pass
        self._thread.join(10)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
