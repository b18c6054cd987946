"""`OutboundApi`: one tool's HTTP API, called with bounded retries and a breaker per call.

A call is tried at most `RetryPolicy.attempts` times. It is tried again only when trying again can
help: the tool unreachable or timing out, a 5xx, or a 429 (after its Retry-After, when the tool
names one no longer than `longest_wait`; else after the back-off, 0.5 s, 1 s, 2 s... up to `cap`).
Any other answer is the tool's word: a 4xx is never repeated. When the attempts run out the caller
gets `OutboundFailed` saying whether it is worth trying later (`transient`) and when
(`retry_after`); it keeps its own record of what is still to send (bot/incidents/notes.py).
The breaker of each call (bot/outbound/breaker.py) refuses calls at once while the tool is down.
Headers carry tokens: they are never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bot.metrics import Metrics
from bot.outbound.breaker import CircuitBreaker

log = logging.getLogger(__name__)

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_REPLY = 4 * 1024 * 1024
"""Bytes of a reply read at most (a list page is far smaller)."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently one call is tried."""

    attempts: int = 3
    base: float = 0.5
    cap: float = 8.0
    longest_wait: float = 30.0
    """A Retry-After longer than this is not waited out inside the call: the caller tries later."""

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds before attempt `attempt + 1` (attempts count from 1)."""
        if retry_after is not None:
            return retry_after
        return float(min(self.cap, self.base * 2.0 ** (attempt - 1)))


Params = Mapping[str, str] | list[tuple[str, str]] | None


@dataclass(frozen=True)
class Request:
    """One call to make: its name (for breakers and metrics), method, path and what it sends."""

    call: str
    method: str
    path: str
    body: Any = None
    params: Params = None
    form: Mapping[str, str] | None = None
    """Sent form-encoded instead of `body` (an OAuth token request)."""
    headers: Mapping[str, str] | None = None
    """Besides the API's own (a bearer token of the moment)."""

    def encoded(self) -> tuple[bytes | None, dict[str, str]]:
        """What is sent, and its content type."""
        if self.form is not None:
            return urlencode(dict(self.form)).encode(), {
                "Content-Type": "application/x-www-form-urlencoded"
            }
        if self.body is None:
            return None, {}
        return json.dumps(self.body, ensure_ascii=False).encode(), {
            "Content-Type": "application/json"
        }


@dataclass(frozen=True)
class Patience:
    """One call's attempts and longest wait between two (None: the policy's)."""

    attempts: int
    longest: float | None = None
    creates: bool = False


class OutboundFailed(Exception):
    """A call that did not succeed; the message is one line naming the tool and the call."""

    def __init__(
        self,
        tool: str,
        call: str,
        reason: str,
        *,
        status: int | None = None,
        transient: bool = False,
        retry_after: float | None = None,
        sent: bool = True,
    ) -> None:
        super().__init__(f"{tool} {call}: {reason}")
        self.tool, self.call, self.reason, self.status = tool, call, reason, status
        self.transient, self.retry_after = transient, retry_after
        self.sent = sent
        """False when the request certainly never reached the tool (refused connection, open
        breaker): a write that failed so did not happen."""

    @property
    def in_doubt(self) -> bool:
        """The tool may have done it: sent, and no answer saying it did not (a 429 says so)."""
        return self.sent and self.transient and self.status != 429


@dataclass(frozen=True)
class Reply:
    """A tool's answer: status, JSON body (None when empty or not JSON), headers."""

    status: int
    body: Any
    headers: Mapping[str, str]


Sleep = Callable[[float], Awaitable[None]]


class OutboundApi:
    """One tool's API at `base_url`; `headers` (auth included) go with every request."""

    def __init__(
        self,
        tool: str,
        base_url: str,
        *,
        headers: Mapping[str, str],
        policy: RetryPolicy | None = None,
        breaker_failures: int = 5,
        breaker_seconds: float = 30.0,
        metrics: Metrics | None = None,
        timeout: float = 15.0,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tool, self.base_url, self._headers = tool, base_url.rstrip("/"), dict(headers)
        self.clock = clock  # the breakers' (the bot's clock, so a cooldown is on its time)
        self.policy = policy or RetryPolicy()
        self.breaker_failures, self.breaker_seconds = breaker_failures, breaker_seconds
        self.metrics, self.sleep = metrics, sleep
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.breakers: dict[str, CircuitBreaker] = {}

    def breaker(self, call: str) -> CircuitBreaker:
        if call not in self.breakers:
            self.breakers[call] = CircuitBreaker(
                f"{self.tool} {call}",
                failures=self.breaker_failures,
                cooldown=self.breaker_seconds,
                clock=self.clock,
            )
        return self.breakers[call]

    async def request(
        self,
        call: str,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Params = None,
        attempts: int | None = None,
        longest_wait: float | None = None,
        creates: bool = False,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """Send one request (retried as the policy says); a 2xx Reply, else OutboundFailed.
        `attempts`, `longest_wait`: the policy's, for a caller that cannot wait (a webhook).
        `creates`: the request makes something (a note, an issue); it is repeated only when it
        certainly was not done (refused connection, 429), never after an answer lost on the way:
        the caller looks for what it made before making it again."""
        breaker = self.breaker(call)
        if not breaker.allow():
            self._count(call, "refused")
            raise OutboundFailed(
                self.tool,
                call,
                f"not called: failed {breaker.failed_in_a_row} times in a row "
                f"({breaker.last_error}); next try in {breaker.retry_in():.0f} s",
                transient=True,
                retry_after=breaker.retry_in(),
                sent=False,
            )
        try:
            patience = Patience(attempts or self.policy.attempts, longest_wait, creates)
            request = Request(call, method, path, body, params, form, headers)
            reply = await self._tries(request, patience)
        except OutboundFailed as exc:
            self._settle(breaker, call, exc)
            raise
        breaker.succeeded()
        self._breaker_gauge(call, breaker)
        self._count(call, "ok")
        return reply

    def _settle(self, breaker: CircuitBreaker, call: str, exc: OutboundFailed) -> None:
        """A failed call: the tool down counts against its breaker; the tool saying no does not."""
        self._count(call, "failed")
        if exc.transient:
            if breaker.failed(exc.reason):
                log.warning(
                    "%s %s: breaker open after %d failures", self.tool, call, breaker.failures
                )
        else:
            breaker.succeeded()
        self._breaker_gauge(call, breaker)

    async def _tries(self, request: Request, patience: Patience) -> Reply:
        for attempt in range(1, patience.attempts + 1):
            try:
                return await self._once(request)
            except OutboundFailed as exc:
                wait = self._wait_before_retry(exc, attempt, patience)
                if wait is None:
                    raise
                self._retried(request.call, exc)
                await self.sleep(wait)
        raise AssertionError("unreachable: the last attempt raises")

    def _wait_before_retry(
        self, exc: OutboundFailed, attempt: int, patience: Patience
    ) -> float | None:
        """Seconds to wait before trying again, or None: give up now."""
        if not exc.transient or attempt >= patience.attempts:
            return None
        if patience.creates and exc.in_doubt:
            return None
        longest = self.policy.longest_wait if patience.longest is None else patience.longest
        wait = self.policy.delay(attempt, exc.retry_after)
        return wait if wait <= longest else None

    async def _once(self, request: Request) -> Reply:
        call, path = request.call, request.path
        url = path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"
        data, kind = request.encoded()
        headers = {**self._headers, **kind, **(request.headers or {})}
        try:
            async with (
                aiohttp.ClientSession(timeout=self.timeout) as session,
                session.request(
                    request.method, url, data=data, params=request.params, headers=headers
                ) as answer,
            ):
                reply = Reply(answer.status, _json(await _read(answer)), dict(answer.headers))
        except aiohttp.ClientConnectorError as exc:
            raise OutboundFailed(
                self.tool, call, f"unreachable ({type(exc).__name__})", transient=True, sent=False
            ) from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise OutboundFailed(
                self.tool, call, f"no answer ({type(exc).__name__})", transient=True
            ) from exc
        if 200 <= reply.status < 300:
            return reply
        raise OutboundFailed(
            self.tool,
            call,
            f"HTTP {reply.status}: {reason_of(reply.body)}",
            status=reply.status,
            transient=reply.status in RETRIED_STATUSES,
            retry_after=retry_after(reply.headers) if reply.status in RETRIED_STATUSES else None,
        )

    def _retried(self, call: str, exc: OutboundFailed) -> None:
        reason = (
            "rate_limited"
            if exc.status == 429
            else ("server_error" if exc.status else "unreachable")
        )
        log.info("%s %s: trying again (%s)", self.tool, call, exc.reason)
        if self.metrics is not None:
            self.metrics.outbound_retries.labels(self.tool, call, reason).inc()

    def _count(self, call: str, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.outbound_calls.labels(self.tool, call, outcome).inc()

    def _breaker_gauge(self, call: str, breaker: CircuitBreaker) -> None:
        if self.metrics is not None:
            self.metrics.outbound_breaker_open.labels(self.tool, call).set(
                0 if breaker.state == "closed" else 1
            )


async def _read(answer: aiohttp.ClientResponse) -> bytes:
    """The reply's body up to MAX_REPLY bytes: `read(n)` gives what has arrived, not n bytes, so a
    reply of a few chunks (a PagerDuty incident's custom details) was cut and read as no JSON."""
    raw = bytearray()
    while len(raw) < MAX_REPLY and (chunk := await answer.content.read(MAX_REPLY - len(raw))):
        raw += chunk
    return bytes(raw)


def segment(value: str, *, limit: int = 128) -> str:
    """An id as a URL path segment: the tools' ids are letters, digits, dashes; nothing else passes."""
    return "".join(ch for ch in value if ch.isalnum() or ch in "-_")[:limit]


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Retry-After in seconds (a number; an HTTP date is taken as "soon": 1 s); None when absent.
    PagerDuty's `ratelimit-reset` says the same in seconds."""
    value = headers.get("Retry-After") or headers.get("ratelimit-reset")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return 1.0


def reason_of(body: Any) -> str:
    """The tool's own words for a refusal, in one line (PagerDuty, Opsgenie and Jira shapes)."""
    words: list[str] = []
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            words.append(str(error.get("message") or ""))
            words += [str(item) for item in error.get("errors") or []]
        elif error:
            words.append(str(error))
        words.append(str(body.get("message") or ""))
        words += [str(item) for item in body.get("errorMessages") or []]
        errors = body.get("errors")
        if isinstance(errors, dict):
            words += [f"{key}: {value}" for key, value in errors.items()]
    text = "; ".join(word for word in words if word) or "no reason given"
    return " ".join(text.split())[:300]


def _json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None
