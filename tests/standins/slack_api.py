"""A recording Slack Web API stand-in for tests and benchmarks.

The bot's ``AsyncWebClient(base_url=standin.api_url)`` talks HTTP to it on 127.0.0.1. It keeps
channels (history, threads, pins, reactions), users and ephemeral messages in memory, answers
with Slack's response shapes and error codes, serves ``response_url`` webhooks, and injects
faults (429 + Retry-After, 5xx, ``ok: false`` errors, latency). Every call is recorded.

Usage::

    si = SlackStandIn()
    si.add_channel("C0INC00001", "inc-tikv", history=[{"user": "U0ALICE001", "text": "boom"}])
    async with running_slack_standin(si) as url:          # async tests
        client = AsyncWebClient(token="xoxb-test", base_url=si.api_url)
    with start_in_thread(si) as server:                   # sync tests / other processes
        ...
    [call] = await si.wait_for("chat.postMessage")
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web

from bot.slack_app import BOT_SCOPES
from tests.waiting import PATIENCE

from .slack_methods import HANDLERS, response_url_post
from .slack_record import RecordedCall, Rule
from .slack_state import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, Channel, Msg, SlackError, SlackState
from .threaded import ThreadedHost

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "TEAM_ID",
    "Channel",
    "Msg",
    "RecordedCall",
    "Rule",
    "SlackError",
    "SlackStandIn",
    "ThreadedSlackServer",
    "running_slack_standin",
    "start_in_thread",
]

JSON_FIELDS = ("blocks", "attachments", "metadata", "view")


class SlackStandIn(SlackState):
    """Recording aiohttp application mimicking ``https://slack.com/api/`` and response_urls."""

    def __init__(
        self,
        *,
        bot_token: str | None = None,
        app_token: str | None = None,
        scopes: Iterable[str] | None = None,
        latency: float = 0.0,
        **state: Any,
    ) -> None:
        """``bot_token``: when set, other bearer tokens get ``invalid_auth``; ``app_token``: the
        same for ``apps.connections.open`` (which takes only ``xapp-`` tokens). ``scopes``: the
        bot token's granted scopes, sent as Slack does in the ``x-oauth-scopes`` header of every
        answered call (default: those of kubemedic's app manifest). ``latency`` is added to every
        call. Other keyword arguments go to :class:`SlackState` (``strict``, ``clock``,
        ``team_id``, ``team_domain``, ``bot_user_id``, ``bot_id``, ``app_id``)."""
        super().__init__(**state)
        self.bot_token = bot_token
        self.app_token = app_token
        self.scopes = list(scopes) if scopes is not None else sorted(BOT_SCOPES)
        self.latency = latency
        self.calls: list[RecordedCall] = []
        self.url: str | None = None
        self.socket_url: str | None = None
        """What apps.connections.open answers; None: this stand-in's own Socket Mode endpoint
        (a websocket that says hello, as Slack's does) while it runs."""
        self.sockets = 0
        """Socket Mode connections opened to the stand-in so far."""
        self._rules: list[Rule] = []
        self._answered = threading.Condition(self.lock)
        self._ids = itertools.count(1)

    @property
    def api_url(self) -> str:
        """The Web API base URL for ``AsyncWebClient(base_url=...)`` (SLACK_API_URL)."""
        if self.url is None:
            raise RuntimeError("the Slack stand-in is not running")
        return f"{self.url}/api/"

    def handle(
        self, method: str, params: dict[str, Any], auth_error: str | None = None
    ) -> dict[str, Any]:
        """Answer one Web API call in-process (the HTTP layer records and adds faults)."""
        fn = HANDLERS.get(method)
        if fn is None:
            raise SlackError("unknown_method")
        if auth_error:
            raise SlackError(auth_error)
        with self.lock:
            return fn(self, params)

    def handle_hook(self, rid: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            return response_url_post(self, rid, body)

    # ------------------------------------------------------------------ response_url
    def response_url(
        self,
        channel_id: str,
        message_ts: str | None = None,
        thread_ts: str | None = None,
        user_id: str | None = None,
    ) -> str:
        """A fresh response_url for a command (``message_ts=None``) or a click on a message;
        posts to it are recorded as method ``"response_url"``."""
        if self.url is None:
            raise RuntimeError("start the Slack stand-in before handing out response_urls")
        rid = f"T{next(self._ids):05d}"
        with self.lock:
            self.hooks[rid] = {
                "channel": channel_id,
                "message_ts": message_ts,
                "thread_ts": thread_ts,
                "user": user_id,
            }
        return f"{self.url}/response_url/{rid}"

    # ------------------------------------------------------------------ faults
    def rate_limit(
        self, method: str, times: int | None = 1, retry_after: int = 1, channel: str | None = None
    ) -> Rule:
        """HTTP 429 + ``Retry-After`` + ``{"ok": false, "error": "ratelimited"}`` (``channel``: only
        for calls about that channel, as Slack limits posting per channel)."""
        return self._add(
            Rule(method, "rate_limit", times, 429, "ratelimited", retry_after, channel=channel)
        )

    def fail(
        self, method: str, status: int = 500, times: int | None = 1, body: str | None = None
    ) -> Rule:
        """An HTTP error (default body ``{"ok": false, "error": "fatal_error"}``)."""
        return self._add(Rule(method, "fail", times, status, "fatal_error", body=body))

    def error(self, method: str, error: str, times: int | None = 1) -> Rule:
        """HTTP 200 with ``{"ok": false, "error": error}``."""
        return self._add(Rule(method, "error", times, 200, error))

    def delay(self, method: str, seconds: float, times: int | None = None) -> Rule:
        """Answer matching calls ``seconds`` later."""
        return self._add(Rule(method, "delay", times, seconds=seconds))

    def clear_faults(self) -> None:
        with self.lock:
            self._rules.clear()

    def _add(self, rule: Rule) -> Rule:
        with self.lock:
            self._rules.append(rule)
        return rule

    # ------------------------------------------------------------------ call log
    def calls_to(self, method: str, *, ok: bool | None = None) -> list[RecordedCall]:
        """Recorded calls to ``method`` (``ok=True``: only successful ones)."""
        with self.lock:
            return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    def reset_calls(self) -> None:
        with self.lock:
            self.calls.clear()

    def _matching(
        self, method: str, ok: bool | None, predicate: Callable[[RecordedCall], bool] | None
    ) -> list[RecordedCall]:
        return [
            c
            for c in self.calls_to(method)
            if c.status is not None
            and (ok is None or c.ok == ok)
            and (predicate is None or predicate(c))
        ]

    def _timeout(self, method: str, count: int, timeout: float) -> AssertionError:
        seen = [(c.method, c.status, (c.response or {}).get("error")) for c in self.calls]
        return AssertionError(
            f"timed out after {timeout}s waiting for {count} answered {method} "
            f"call(s); recorded: {seen}"
        )

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = PATIENCE,
        predicate: Callable[[RecordedCall], bool] | None = None,
        ok: bool | None = True,
    ) -> list[RecordedCall]:
        """Wait (async) until ``count`` answered calls match; returns all matching calls.
        ``ok=True`` counts successful answers only, ``None`` any answer."""
        deadline = time.monotonic() + timeout
        while True:
            found = self._matching(method, ok, predicate)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise self._timeout(method, count, timeout)
            await asyncio.sleep(0.005)

    def wait_for_sync(
        self,
        method: str,
        count: int = 1,
        timeout: float = PATIENCE,
        predicate: Callable[[RecordedCall], bool] | None = None,
        ok: bool | None = True,
    ) -> list[RecordedCall]:
        """Blocking :meth:`wait_for` for tests whose stand-in runs on another thread."""
        deadline = time.monotonic() + timeout
        with self._answered:
            while len(found := self._matching(method, ok, predicate)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise self._timeout(method, count, timeout)
                self._answered.wait(min(left, 0.05))
            return found

    # ------------------------------------------------------------------ HTTP
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response_url/{rid}", self._hook)
        app.router.add_get("/link/", self._socket)
        return app

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode's websocket: a hello, then pings answered until the client closes."""
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self.sockets += 1
        await socket.send_json(
            {
                "type": "hello",
                "num_connections": self.sockets,
                "debug_info": {"host": "kubemedic-standin"},
                "connection_info": {"app_id": APP_ID},
            }
        )
        async for _ in socket:
            pass
        return socket

    async def _api(self, request: web.Request) -> web.Response:
        params = await _parse_params(request)
        rec = RecordedCall(
            request.match_info["method"],
            params,
            dict(request.headers),
            request.method,
            peer=_peer(request),
        )
        return await self._answer(rec, lambda: self.handle(rec.method, params, self._auth(rec)))

    async def _hook(self, request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {"_raw": raw.decode(errors="replace")}
        rec = RecordedCall(
            "response_url",
            body if isinstance(body, dict) else {"_raw": body},
            dict(request.headers),
            response_url_id=request.match_info["rid"],
            peer=_peer(request),
        )
        return await self._answer(
            rec, lambda: self.handle_hook(rec.response_url_id or "", rec.params)
        )

    def _auth(self, rec: RecordedCall) -> str | None:
        """The error for a missing/wrong token, else None."""
        auth = rec.headers.get("Authorization", "")
        token = (
            auth.removeprefix("Bearer ").strip()
            if auth.startswith("Bearer ")
            else rec.params.get("token")
        )
        if not token:
            return "not_authed"
        if rec.method == "apps.connections.open":
            if not token.startswith("xapp-"):
                return "not_allowed_token_type"
            return (
                "invalid_auth" if self.app_token is not None and token != self.app_token else None
            )
        if self.bot_token is not None and token != self.bot_token:
            return "invalid_auth"
        return None

    async def _answer(self, rec: RecordedCall, serve: Callable[[], dict[str, Any]]) -> web.Response:
        with self.lock:
            self.calls.append(rec)
            rules = [r for r in self._rules if r.matches(rec.method, rec.channel)]
            delays = [r for r in rules if r.kind == "delay"]
            fault = next((r for r in rules if r.kind != "delay"), None)
            for r in delays + ([fault] if fault else []):
                r.use()
        wait = self.latency + sum(r.seconds for r in delays)
        if wait > 0:
            await asyncio.sleep(wait)
        headers: dict[str, str] = {}
        if fault is not None:
            status, body = fault.status, {"ok": False, "error": fault.error}
            if fault.kind == "rate_limit":
                headers["Retry-After"] = str(fault.retry_after)
            if fault.body is not None:
                return self._done(
                    rec, status, body, web.Response(status=status, text=fault.body, headers=headers)
                )
        else:
            try:
                status, body = 200, serve()
            except SlackError as exc:
                status, body = exc.status, exc.body()
            if rec.method == "apps.connections.open" and body.get("ok"):
                body = {**body, "url": self._socket_url(body["url"])}
        if rec.method == "response_url" and body.get("ok"):
            return self._done(rec, status, body, web.Response(text="ok", content_type="text/html"))
        if rec.method not in ("response_url", "apps.connections.open") and body.get("ok"):
            headers["x-oauth-scopes"] = ",".join(self.scopes)
        return self._done(
            rec, status, body, web.json_response(body, status=status, headers=headers)
        )

    def _socket_url(self, slack_s: str) -> str:
        if self.socket_url is not None:
            return self.socket_url
        ticket = slack_s.partition("?")[2]
        return f"{self.url}/link/?{ticket}".replace("http://", "ws://", 1) if self.url else slack_s

    def _done(
        self, rec: RecordedCall, status: int, body: dict[str, Any], resp: web.Response
    ) -> web.Response:
        with self._answered:
            rec.status, rec.response = status, copy.deepcopy(body)
            self._answered.notify_all()
        return resp


async def _parse_params(request: web.Request) -> dict[str, Any]:
    """Query string + form or JSON body, with JSON-string ``blocks`` etc. decoded."""
    params: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            raw = await request.read()
            body = json.loads(raw) if raw.strip() else {}
            params.update(body if isinstance(body, dict) else {"_body": body})
        else:
            form = await request.post()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
    for key in JSON_FIELDS:
        if isinstance(params.get(key), str):
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                pass
    return params


# ---------------------------------------------------------------------- runners


@asynccontextmanager
async def running_slack_standin(
    standin: SlackStandIn, *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[str]:
    """Serve ``standin`` on the current event loop; yields the base URL (``standin.api_url``
    is the Web API base)."""
    runner = web.AppRunner(
        standin.make_app(), shutdown_timeout=1.0, handler_cancellation=True, access_log=None
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    addr = runner.addresses[0]
    standin.url = f"http://{addr[0]}:{addr[1]}"
    try:
        yield standin.url
    finally:
        await runner.cleanup()
        standin.url = None


class ThreadedSlackServer(ThreadedHost):
    """Runs a Slack stand-in on its own event-loop thread."""

    def __init__(self, standin: SlackStandIn) -> None:
        super().__init__(lambda: running_slack_standin(standin), name="slack-standin")
        self.standin = standin

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"


def start_in_thread(standin: SlackStandIn) -> ThreadedSlackServer:
    """Start ``standin`` on a background thread; use ``.url``/``.api_url`` and ``.stop()``."""
    return ThreadedSlackServer(standin).start()


def _peer(request: web.Request) -> str | None:
    peer = request.transport.get_extra_info("peername") if request.transport is not None else None
    return f"{peer[0]}:{peer[1]}" if peer else None
