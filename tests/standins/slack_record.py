"""Records of calls received by the Slack stand-in, and injected fault rules."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RecordedCall:
    """One Web API call (or ``response_url`` post) as received; ``status``/``response`` are
    filled in once answered. ``params`` merges query string, form and JSON body."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    http_method: str = "POST"
    at: float = field(default_factory=time.monotonic)
    status: int | None = None
    response: dict[str, Any] | None = None
    response_url_id: str | None = None
    peer: str | None = None
    """The client's address and port: calls over one kept-alive connection share it."""

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response and self.response.get("ok"))

    @property
    def text(self) -> str | None:
        return self.params.get("text")

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.params.get("blocks") or [])

    @property
    def message(self) -> dict[str, Any]:
        """The ``message`` object of the response (chat.postMessage / chat.update), or {}."""
        return dict((self.response or {}).get("message") or {})

    @property
    def channel(self) -> str | None:
        return self.params.get("channel") or (self.response or {}).get("channel")

    @property
    def ts(self) -> str | None:
        """The ts of the message this call created or changed (from the response)."""
        resp = self.response or {}
        return resp.get("ts") or resp.get("message_ts") or self.params.get("ts")


@dataclass
class Rule:
    """An injected behaviour for calls to ``method`` (``"*"`` = every method)."""

    method: str
    kind: str  # "rate_limit" | "fail" | "error" | "delay"
    times: int | None = 1  # None = always
    status: int = 200
    error: str = ""
    retry_after: int = 1
    seconds: float = 0.0
    body: str | None = None
    channel: str | None = None  # only calls about this channel (None = any)
    hits: int = 0

    def matches(self, method: str, channel: str | None = None) -> bool:
        return self.method in ("*", method) and self.times != 0 and self.channel in (None, channel)

    def use(self) -> None:
        self.hits += 1
        if self.times is not None:
            self.times -= 1
