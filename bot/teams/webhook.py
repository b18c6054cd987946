"""Posting to a Microsoft Teams Workflows webhook (KUBEMEDIC_TEAMS_WEBHOOK_URL).

One POST per message, the JSON sent as UTF-8 and said so (without a charset the service counts
characters twice and refuses a message half Teams' size). A webhook answers 200 or 202 when it
took the message; 429 carries a Retry-After the alert loop waits out for that channel; any other
answer is a refusal with its status, and an unreachable endpoint is transient. The URL carries
its own signature, so it is a secret: it is never logged. Each message opens its own connection:
posts are rare (the alert loop sends at most one a second) and nothing is left open at shutdown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import aiohttp

from bot.noise.chat import ChatFailed

TIMEOUT = aiohttp.ClientTimeout(total=15)


class TeamsWebhook:
    """Sends message envelopes to one Workflows webhook."""

    def __init__(self, url: str) -> None:
        self._url = url
        self.sent = 0

    async def send(self, envelope: Mapping[str, Any]) -> None:
        """Post one message. ChatFailed."""
        data = json.dumps(envelope, ensure_ascii=False).encode()
        try:
            async with (
                aiohttp.ClientSession(timeout=TIMEOUT) as session,
                session.post(
                    self._url,
                    data=data,
                    headers={"Content-Type": "application/json; charset=utf-8"},
                ) as reply,
            ):
                status = reply.status
                retry = reply.headers.get("Retry-After")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise ChatFailed(
                f"Teams webhook unreachable: {type(exc).__name__}", transient=True
            ) from exc
        if status == 429:
            raise ChatFailed("ratelimited", retry_after=_seconds(retry))
        if not 200 <= status < 300:
            raise ChatFailed(f"teams_http_{status}", transient=status >= 500)
        self.sent += 1


def _seconds(value: str | None) -> float:
    try:
        return max(0.0, float(value or 1))
    except ValueError:
        return 1.0
