"""A local stand-in for an AI agent's HTTP endpoint (HolmesGPT's POST /api/chat shape).

It records every case POSTed to it and answers as told: `{"analysis": ...}` as
HolmesGPT does, after `delay` seconds, or with `status` (a 500) instead. With `hold`
set it answers nothing until the test releases it (an agent that never answers).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class AgentStandIn:
    analysis: str = "The pod's DNS lookups time out: CoreDNS is not reachable from node worker-2."
    status: int = 200
    delay: float = 0.0
    cases: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""
    hold: asyncio.Event | None = None
    """While set and not released (`hold.set()`), a request waits."""
    redirect: str = ""
    """A URL to answer 307 with instead (an endpoint that moved, or sends its callers elsewhere)."""

    async def chat(self, request: web.Request) -> web.Response:
        self.cases.append(json.loads(await request.read()))
        self.headers.append(dict(request.headers))
        if self.redirect:
            return web.Response(status=307, headers={"Location": self.redirect})
        if self.hold is not None:
            await self.hold.wait()
        await asyncio.sleep(self.delay)
        if self.status != 200:
            return web.json_response({"detail": "the model provider failed"}, status=self.status)
        return web.json_response(
            {"analysis": self.analysis, "conversation_history": [], "tool_calls": []}
        )


@asynccontextmanager
async def running_agent(agent: AgentStandIn) -> AsyncIterator[AgentStandIn]:
    app = web.Application()
    app.router.add_post("/api/chat", agent.chat)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    agent.url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/chat"
    try:
        yield agent
    finally:
        await runner.cleanup()
