"""A local Teams Workflows webhook: takes a message as Teams does, checking what Teams would refuse.

It answers 202 to a message that validates against tests/standins/adaptive_card_schema.json
(the envelope and the Adaptive Card elements kubemedic sends, written from the 1.5 spec) and is
at most 28 KB on the wire, 413 to a larger one, 400 to an invalid one (the errors kept in
`refused`). Each accepted message is kept with the monotonic time it arrived.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from aiohttp import web
from markdown_it import MarkdownIt

from tests.waiting import PATIENCE

SCHEMA = json.loads((Path(__file__).parent / "adaptive_card_schema.json").read_text())
MAX_BYTES = 28 * 1024


def problems(envelope: object) -> list[str]:
    """Every way `envelope` breaks the schema (empty: valid)."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(envelope)
    ]


@dataclass
class TeamsWebhookStandIn:
    messages: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    url: str = ""

    async def _take(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if len(raw) > MAX_BYTES:
            self.refused.append((413, f"{len(raw)} bytes"))
            return web.Response(status=413, text="RequestEntityTooLarge")
        try:
            envelope = json.loads(raw.decode("utf-8"))
        except ValueError as exc:
            self.refused.append((400, str(exc)))
            return web.Response(status=400, text="BadRequest")
        found = problems(envelope)
        if found:
            self.refused.append((400, "; ".join(found)))
            return web.Response(status=400, text="BadRequest")
        self.messages.append((time.monotonic(), envelope))
        return web.Response(status=202)

    def cards(self) -> list[dict[str, Any]]:
        return [envelope["attachments"][0]["content"] for _, envelope in self.messages]

    async def wait_for(self, count: int, timeout: float = PATIENCE) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{count} Teams messages not received; refused: {self.refused}"
                )
            await asyncio.sleep(0.02)
        return self.cards()


def card_text(card: dict[str, Any]) -> str:
    """Every text of a card (TextBlocks, facts, link titles and URLs), for assertions."""
    parts: list[str] = []
    for element in card.get("body") or []:
        parts.append(str(element.get("text") or ""))
        parts += [f"{f['title']}: {f['value']}" for f in element.get("facts") or []]
    parts += [f"{a.get('title')} {a.get('url')}" for a in card.get("actions") or []]
    return "\n".join(parts)


def shown(card: dict[str, Any]) -> tuple[str, list[str]]:
    """What Teams shows of a card's TextBlocks and facts, their Markdown rendered (CommonMark, as
    the Adaptive Cards renderer reads it), and every link or image target that Markdown made."""
    texts = [str(element.get("text") or "") for element in card.get("body") or []]
    texts += [
        str(value)
        for element in card.get("body") or []
        for fact in element.get("facts") or []
        for value in (fact["title"], fact["value"])
    ]
    return rendered(*texts)


def rendered(*texts: str) -> tuple[str, list[str]]:
    """Markdown texts as a reader sees them (CommonMark), and every link or image target made."""
    markdown = MarkdownIt("commonmark")
    words: list[str] = []
    targets: list[str] = []
    for token in (
        child for text in texts for block in markdown.parse(text) for child in block.children or []
    ):
        if token.type in ("link_open", "image"):
            targets.append(str(token.attrs.get("href") or token.attrs.get("src") or ""))
        words.append(token.content)
    return "".join(words), targets


@asynccontextmanager
async def running_teams_webhook(
    standin: TeamsWebhookStandIn, *, host: str = "127.0.0.1"
) -> AsyncIterator[str]:
    """Serve the webhook on `host` (loopback by default; the install tier's pod bridge); its URL."""
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/workflows/{flow}", standin._take)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, host, 0).start()
    standin.url = f"http://{host}:{runner.addresses[0][1]}/workflows/kubemedic-alerts?sig=secret"
    try:
        yield standin.url
    finally:
        await runner.cleanup()
