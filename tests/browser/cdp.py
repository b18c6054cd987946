"""A small Chrome DevTools Protocol client over aiohttp, enough to drive headless chromium in tests.

`Chromium.start()` launches Debian's chromium headless with a throwaway
profile and remote debugging on a free port (read from DevToolsActivePort),
`page()` attaches to its tab over the page's websocket. `Page` sends
commands, waits for load, evaluates JavaScript, types into the focused
element, and keeps every console error and uncaught exception it sees.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from tests.waiting import PATIENCE

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--remote-debugging-port=0",
    "--remote-debugging-address=127.0.0.1",
)


def chromium_binary() -> str | None:
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


class CdpError(Exception):
    """A command answered with an error, or the browser went away."""


@dataclass
class Page:
    """One tab: commands by id, events recorded, console errors and exceptions collected."""

    ws: aiohttp.ClientWebSocketResponse
    errors: list[str] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _waiting: dict[int, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    _events: dict[str, asyncio.Event] = field(default_factory=dict)
    _reader: asyncio.Task[None] | None = None

    async def open(self) -> None:
        self._reader = asyncio.get_running_loop().create_task(self._read())
        for domain in ("Page", "Runtime", "Log"):
            await self.send(f"{domain}.enable")

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            if "id" in data and data["id"] in self._waiting:
                self._waiting.pop(data["id"]).set_result(data)
            elif "method" in data:
                self._event(data["method"], data.get("params") or {})
        for future in self._waiting.values():
            future.set_exception(CdpError("the browser closed the connection"))

    def _event(self, method: str, params: dict[str, Any]) -> None:
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.errors.append(
                "console: "
                + " ".join(
                    str(a.get("value", a.get("description"))) for a in params.get("args", [])
                )
            )
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.errors.append(
                "exception: "
                + str((details.get("exception") or {}).get("description") or details.get("text"))
            )
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.errors.append(f"log: {entry.get('text')} ({entry.get('url', '')})")
        self._events.setdefault(method, asyncio.Event()).set()

    async def send(
        self, method: str, params: dict[str, Any] | None = None, *, timeout: float = PATIENCE
    ) -> Any:
        number = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[number] = future
        await self.ws.send_str(json.dumps({"id": number, "method": method, "params": params or {}}))
        answer = await asyncio.wait_for(future, timeout)
        if "error" in answer:
            raise CdpError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    async def goto(self, url: str, *, timeout: float = PATIENCE) -> None:
        """Navigate and wait for the load event."""
        loaded = self._events.setdefault("Page.loadEventFired", asyncio.Event())
        loaded.clear()
        result = await self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise CdpError(f"cannot open {url}: {result['errorText']}")
        await asyncio.wait_for(loaded.wait(), timeout)

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (promises awaited); exceptions raise CdpError."""
        result = await self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise CdpError(f"{expression[:80]}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    async def type_text(self, text: str) -> None:
        """Insert text into the focused element as a user's paste would (fires input events)."""
        await self.send("Input.insertText", {"text": text})


class Chromium:
    """A headless chromium process with its own empty profile."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.profile = Path(tempfile.mkdtemp(prefix="kubemedic-chromium-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self, timeout: float = PATIENCE) -> Chromium:
        command = [self.binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        marker = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not (marker.exists() and marker.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                stderr = (
                    self.process.stderr.read().decode(errors="replace")[-2000:]
                    if self.process.stderr
                    else ""
                )
                self.stop()
                raise RuntimeError(f"chromium did not start: {stderr}")
            time.sleep(0.05)
        self.port = int(marker.read_text().splitlines()[0])
        return self

    async def page(self, session: aiohttp.ClientSession) -> Page:
        async with session.get(f"http://127.0.0.1:{self.port}/json/list") as response:
            targets = await response.json()
        target = next(t for t in targets if t.get("type") == "page")
        ws = await session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=64 * 1024 * 1024)
        page = Page(ws)
        await page.open()
        return page

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.profile, ignore_errors=True)
