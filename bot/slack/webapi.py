"""Slack Web API metrics, through slack_sdk's own retry handler hook.

Bolt makes a new AsyncWebClient for every request (copying the retry
handler list), so wrapping one client object would miss most calls; the
retry handlers, on the other hand, are shared by every client and asked
about every response. So:

- the built-in 429 / 5xx / connection-error handlers are subclassed to count
  each retry they decide on (`kubemedic_slack_api_retries`, by reason), and
  otherwise behave exactly as before (Retry-After, back-off);
- one last handler never retries: it only sees each call's final answer
  (earlier handlers that decide to retry stop the loop before it) and counts
  the failed ones by method and error (`kubemedic_slack_api_errors`).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.metrics import Metrics

_METHOD = re.compile(r"[A-Za-z][A-Za-z0-9._]{0,63}")
_ERROR = re.compile(r"[a-z0-9_]{1,64}")


def api_method(url: str) -> str:
    """ "chat.postMessage" from ".../api/chat.postMessage?x=y" ("other" if it is not a method;
    "response_url" for a slash command's or a click's response_url, which is no Web API call)."""
    path = url.split("?", 1)[0].rstrip("/")
    if "/api/" not in path:
        return "response_url"
    name = path.rsplit("/", 1)[-1]
    return name if _METHOD.fullmatch(name) else "other"


def error_label(response: HttpResponse | None, error: Exception | None) -> str | None:
    """The failure of one final answer ("ratelimited", "http_502", "connection_error"), or None.

    Slack's error codes are short snake_case words; anything else (an error
    text echoing a request, say) becomes "other", so a label never carries
    free text and the label set stays small.
    """
    if error is not None:
        if isinstance(error, (aiohttp.ClientError, asyncio.TimeoutError, OSError)):
            return "connection_error"
        return "invalid_response"
    if response is None:
        return None
    body: Any = response.body
    if isinstance(body, dict) and body.get("ok") is False:
        code = str(body.get("error") or "")
        return code if _ERROR.fullmatch(code) else "other"
    if response.status_code != 200:
        return f"http_{response.status_code}"
    return None


class _CountsRetries(AsyncRetryHandler):
    """Counts each retry the handler decides on, then prepares it as the base class does."""

    reason = ""

    def __init__(self, metrics: Metrics | None, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._metrics = metrics

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if self._metrics is not None:
            self._metrics.slack_retries.labels(api_method(request.url), self.reason).inc()
        await super().prepare_for_next_attempt_async(
            state=state, request=request, response=response, error=error
        )


class RateLimitRetries(_CountsRetries, AsyncRateLimitErrorRetryHandler):
    """429: waits Retry-After, then retries."""

    reason = "rate_limited"


class ServerErrorRetries(_CountsRetries, AsyncServerErrorRetryHandler):
    """500 / 503: backs off, then retries."""

    reason = "server_error"


class ConnectionErrorRetries(_CountsRetries, AsyncConnectionErrorRetryHandler):
    """Connection reset / refused mid-request: backs off, then retries."""

    reason = "connection_error"


class CountErrors(AsyncRetryHandler):
    """Never retries; counts each failed final answer. Must be the last handler."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(max_retry_count=0)
        self._metrics = metrics

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        label = error_label(response, error)
        if label is not None:
            self._metrics.slack_errors.labels(api_method(request.url), label).inc()
        return False


def retry_handlers(metrics: Metrics | None, retries: int) -> list[AsyncRetryHandler]:
    """slack_sdk's three retry handlers, counting, and the error counter last."""
    handlers: list[AsyncRetryHandler] = [
        RateLimitRetries(metrics, retries),
        ServerErrorRetries(metrics, retries),
        ConnectionErrorRetries(metrics, retries),
    ]
    if metrics is not None:
        handlers.append(CountErrors(metrics))
    return handlers
