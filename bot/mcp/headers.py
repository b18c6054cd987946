"""Which Host and Origin headers /mcp answers: exactly a name it knows, with a port of digits or none.

A page on a DNS-rebinding domain reaches a server on this machine with that domain in its Host
and Origin headers; checking them is what stops it. The MCP SDK's own check reads an allowed
`localhost:*` as a prefix, so `localhost:8080.evil.example` (and the Origin
`http://localhost:8080.evil.example`) passes as `localhost:` and anything after. Here each
header is parsed whole: its host (lower case, an IPv6 address in brackets) must be one of the
names, followed by a colon and 1-5 digits or by nothing; an Origin must also be `http` or
`https` with nothing after its host and port. A request without an Origin (no browser sent it)
is judged by its Host alone. As the SDK does, a bad Host gets 421 and a bad Origin 403.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

_AUTHORITY = re.compile(
    r"(?P<host>\[[0-9a-f:.]{2,45}\]|[^\s:/\[\]@?#]{1,253})(?::(?P<port>\d{1,5}))?"
)
_ORIGIN = re.compile(r"(?P<scheme>https?)://(?P<authority>[^/?#]*)")


def host_allowed(value: str | None, names: Collection[str]) -> bool:
    """Whether a Host header names one of `names` (with a port of digits, or none)."""
    found = _AUTHORITY.fullmatch((value or "").strip().lower())
    return found is not None and found.group("host") in names


def origin_allowed(value: str | None, names: Collection[str]) -> bool:
    """Whether an Origin header is absent, or http(s) on one of `names` and nothing more."""
    if value is None:
        return True
    found = _ORIGIN.fullmatch(value.strip().lower())
    return found is not None and host_allowed(found.group("authority"), names)


class HeaderCheck:
    """ASGI middleware: a request under `path` only with a Host, and an Origin if any, of `names`
    (a probe's /healthz passes: it names the pod's address)."""

    def __init__(self, app: ASGIApp, *, names: Collection[str], path: str) -> None:
        self.app = app
        self.names = frozenset(name.lower() for name in names)
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(self.path):
            headers = {key.lower(): value for key, value in scope.get("headers") or []}
            host = headers.get(b"host", b"").decode("latin-1")
            origin = headers.get(b"origin")
            refusal = (
                PlainTextResponse("Invalid Host header", status_code=421)
                if not host_allowed(host, self.names)
                else PlainTextResponse("Invalid Origin header", status_code=403)
                if not origin_allowed(
                    None if origin is None else origin.decode("latin-1"), self.names
                )
                else None
            )
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)
