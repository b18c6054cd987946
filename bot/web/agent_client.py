"""The hand-off's agent endpoint over HTTP, for every chat (bot.answering.handoff decides when).

`HttpAgent` POSTs the case as JSON and reads the answer from the reply's
`analysis` (HolmesGPT's /api/chat), `answer` or `text` field, so HolmesGPT
works as it is and any other agent needs only to answer one of them. The case
and the bearer token go to the configured origin only: a redirect within it is
followed (a few times at most), one to another origin fails the hand-off.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp

from bot.answering.handoff import AgentError, Handoff
from bot.metrics import Metrics
from bot.runtime.background import Background
from bot.settings import Settings

ANSWER_FIELDS = ("analysis", "answer", "text")
MAX_REPLY_BYTES = 1024 * 1024
MAX_REDIRECTS = 3
REDIRECTS = (301, 302, 303, 307, 308)


class HttpAgent:
    """An agent endpoint that takes the case as a JSON POST."""

    def __init__(self, url: str, *, name: str = "", token: str | None = None) -> None:
        self.url = url
        self.name = name or urlsplit(url).hostname or "the agent"
        self.token = token

    async def ask(self, case: dict[str, Any]) -> str:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url, data = self.url, json.dumps(case)
        try:
            async with aiohttp.ClientSession() as session:
                for _ in range(MAX_REDIRECTS + 1):
                    async with session.post(
                        url, data=data, headers=headers, allow_redirects=False
                    ) as response:
                        body = await response.content.read(MAX_REPLY_BYTES)
                        status, location = response.status, response.headers.get("Location", "")
                    if status not in REDIRECTS:
                        break
                    url = _same_origin(url, location)
                else:
                    raise AgentError(f"redirected more than {MAX_REDIRECTS} times")
        except aiohttp.ClientError as exc:
            raise AgentError(f"could not be reached ({type(exc).__name__}: {exc})") from None
        if not 200 <= status < 300:
            raise AgentError(f"answered HTTP {status}")
        return answer_text(body)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def _same_origin(url: str, location: str) -> str:
    """Where a redirect from `url` leads, when it stays on its origin; AgentError otherwise (the
    case and the token are for the configured endpoint only)."""
    target = urljoin(url, location)
    if not location or _origin(target) != _origin(url):
        shown = urlsplit(target).netloc or "nowhere"
        raise AgentError(f"redirected to another origin ({shown[:100]}), not followed")
    return target


def answer_text(body: bytes) -> str:
    """The answer in an agent's JSON reply; AgentError when it has none."""
    try:
        reply = json.loads(body)
    except ValueError:
        raise AgentError("answered with something other than JSON") from None
    for field in ANSWER_FIELDS:
        value = reply.get(field) if isinstance(reply, dict) else None
        if isinstance(value, str) and value.strip():
            return value
    raise AgentError(
        f"answered without an answer text (expected one of {', '.join(ANSWER_FIELDS)})"
    )


def handoff_of(settings: Settings, *, metrics: Metrics, background: Background | None) -> Handoff:
    """The hand-off as configured: its agent (or none), timeout, pool and per-person limit."""
    return Handoff(
        agent=agent_of(settings),
        timeout=settings.handoff_timeout_seconds,
        metrics=metrics,
        background=background,
        concurrency=settings.handoff_concurrency,
        per_user=settings.handoff_per_user,
    )


def agent_of(settings: Settings) -> HttpAgent | None:
    """The agent of KUBEMEDIC_HANDOFF_URL, or None (the hand-off is off)."""
    if not settings.handoff_url:
        return None
    token = settings.handoff_token.get_secret_value() if settings.handoff_token else None
    return HttpAgent(settings.handoff_url, name=settings.handoff_name, token=token)
