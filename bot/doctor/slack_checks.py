"""Slack checks: the bot token, its scopes, and whether Slack's requests reach the bot.

The token is proved with auth.test, whose response carries the token's
granted scopes in the `x-oauth-scopes` header (bolt reads the same header);
they are compared with the scope table the Slack app manifest is generated
from, so a scope the manifest names but the installed app lacks is caught
before someone types /diagnose in a private channel. HTTP mode posts a
signed url_verification to the request URL the manifest names, exactly as
Slack does when the manifest is saved: a 200 echoing the challenge proves
the route, TLS and the signing secret at once. Socket Mode opens a
connection URL with the app-level token (apps.connections.open), then
proves the socket host answers (TCP and TLS only: a websocket would join the
app's connections and could take an event meant for the bot), and asks the
bot running beside it (127.0.0.1:PORT/readyz, in the pod) whether its own
connection is up.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import ssl
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import BadInput
from bot.settings import Settings
from bot.slack_app import BOT_SCOPES, events_url
from responses.doctor import Check

TIMEOUT = 10
REINSTALL = (
    "api.slack.com/apps -> your app -> OAuth & Permissions: add the missing scopes (or "
    "paste `kubemedic slack-manifest` output again), then Reinstall to Workspace"
)
TOKEN_FIX = "set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-..., OAuth & Permissions)"
APP_TOKEN_FIX = (
    "set SLACK_APP_TOKEN to an app-level token with connections:write (Basic Information "
    "-> App-Level Tokens) and turn Socket Mode on, or run in HTTP mode"
)
URL_FIX = (
    "pass the bot's public address (doctor --url https://YOUR-HOST, or KUBEMEDIC_PUBLIC_URL), "
    "the one `kubemedic slack-manifest --url` put in the manifest"
)


def _client(settings: Settings, token: str) -> AsyncWebClient:
    base = (
        settings.slack_api_url
        if settings.slack_api_url.endswith("/")
        else settings.slack_api_url + "/"
    )
    return AsyncWebClient(token=token, base_url=base, timeout=TIMEOUT)


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return str(value[0] if isinstance(value, list) else value)
    return None


NOT_SET_UP_FIX = (
    "create the Slack app: `kubemedic slack-manifest` prints its manifest (docs/slack-app.md); "
    "then set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode, the default install), or "
    "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET for HTTP mode"
)


def slack_not_set_up(settings: Settings) -> Check | None:
    """One line instead of three when no Slack setting is there yet (the app is not made): the
    checks that follow (database, catalog, clusters) are useful before it is."""
    if settings.slack_bot_token or settings.slack_app_token or settings.slack_signing_secret:
        return None
    return Check(
        "Slack",
        "fail",
        "not set up yet: SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_SIGNING_SECRET are not set",
        NOT_SET_UP_FIX,
    )


def _missing_token(name: str) -> list[Check]:
    return [
        Check("Slack token", "fail", "SLACK_BOT_TOKEN is not set", TOKEN_FIX),
        Check(name, "skip", "not checked without a valid token"),
    ]


async def token_and_scopes(settings: Settings) -> list[Check]:
    """auth.test: the token is valid, and every scope the bot uses is granted."""
    scopes_name = "Slack scopes"
    token = settings.slack_bot_token.get_secret_value().strip() if settings.slack_bot_token else ""
    if not token:
        return _missing_token(scopes_name)
    try:
        response = await _client(settings, token).auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else str(exc)
        return [
            Check("Slack token", "fail", f"Slack refused it ({error})", TOKEN_FIX),
            Check(scopes_name, "skip", "not checked without a valid token"),
        ]
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        reason = str(exc) or type(exc).__name__
        return [
            Check(
                "Slack token",
                "fail",
                f"cannot reach Slack at {settings.slack_api_url}: {reason}",
                "let the pod reach slack.com over HTTPS (proxy, egress NetworkPolicy), or fix SLACK_API_URL",
            ),
            Check(scopes_name, "skip", "not checked: Slack could not be reached"),
        ]
    who = f"@{response.get('user')} in workspace {response.get('team')} ({response.get('team_id')})"
    token_check = Check("Slack token", "ok", f"valid (auth.test): {who}")
    return [token_check, _scopes(_header(response.headers, "x-oauth-scopes"), scopes_name)]


def _scopes(granted_header: str | None, name: str) -> Check:
    """Whether the token's scopes (auth.test's x-oauth-scopes header) hold every one the bot uses."""
    if granted_header is None:
        return Check(
            name,
            "fail",
            "Slack did not report the token's scopes (no x-oauth-scopes header)",
            REINSTALL,
        )
    granted = {scope.strip() for scope in granted_header.split(",") if scope.strip()}
    missing = sorted(set(BOT_SCOPES) - granted)
    if missing:
        uses = "; ".join(f"{scope} ({BOT_SCOPES[scope]})" for scope in missing)
        return Check(name, "fail", f"missing {', '.join(missing)}: {uses}", REINSTALL)
    return Check(name, "ok", f"all {len(BOT_SCOPES)} granted")


async def requests_reach_the_bot(
    settings: Settings, *, socket_mode: bool, url: str | None
) -> Check:
    """Socket Mode: the app-level token opens a connection. HTTP: the request URL answers Slack."""
    if socket_mode:
        return await _socket_mode(settings)
    return await _request_url(settings, url or settings.public_url)


def _unreachable(name: str, exc: BaseException, fix: str) -> Check:
    """A check failed because Slack could not be reached."""
    return Check(name, "fail", f"cannot reach Slack: {exc or type(exc).__name__}", fix)


async def _socket_mode(settings: Settings) -> Check:
    name = "Slack events and commands (Socket Mode)"
    token = settings.slack_app_token.get_secret_value().strip() if settings.slack_app_token else ""
    if not token:
        return Check(name, "fail", "SLACK_APP_TOKEN is not set", APP_TOKEN_FIX)
    try:
        opened = await _client(settings, token).apps_connections_open(app_token=token)
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else str(exc)
        return Check(name, "fail", f"Slack refused SLACK_APP_TOKEN ({error})", APP_TOKEN_FIX)
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        return _unreachable(
            name,
            exc,
            "let the pod reach slack.com over HTTPS (and wss-primary.slack.com for the socket)",
        )
    return await _socket_opened(name, str(opened.get("url") or ""), settings.port)


async def _socket_opened(name: str, url: str, port: int) -> Check:
    """The token opened a socket URL: its host answers, and the bot running here is connected."""
    unreachable = await _socket_host_problem(url)
    if unreachable:
        return Check(
            name,
            "fail",
            f"apps.connections.open accepted the app-level token, but {unreachable}: "
            "the Slack connection is down",
            SOCKET_FIX,
        )
    running = await _running_bot_problem(port)
    if running:
        return Check(name, "fail", f"the bot running here is not connected: {running}", SOCKET_FIX)
    return Check(
        name, "ok", "apps.connections.open accepted the app-level token and its socket host answers"
    )


SOCKET_FIX = (
    "let the pod reach Slack's Socket Mode host over TLS (DNS, egress proxy, NetworkPolicy), "
    "or run in HTTP mode (serve --http)"
)


async def _socket_host_problem(url: str) -> str | None:
    """Why the socket host of a connection URL cannot be reached (TCP, and TLS for wss), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        return f"its connection URL {url[:80]!r} is not a websocket URL"
    secure = parts.scheme == "wss"
    port = parts.port or (443 if secure else 80)
    context = ssl.create_default_context() if secure else None
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(
                parts.hostname,
                port,
                ssl=context,
                server_hostname=parts.hostname if secure else None,
            ),
            TIMEOUT,
        )
    except (OSError, TimeoutError) as exc:
        return f"its socket host {parts.hostname}:{port} cannot be reached ({exc or type(exc).__name__})"
    writer.close()
    return None


async def _running_bot_problem(port: int) -> str | None:
    """What the bot on 127.0.0.1:PORT (in the pod, beside doctor) says is wrong with its own Slack
    connection; None when it is ready, or when no bot runs here (doctor run elsewhere)."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3)) as session,
            session.get(f"http://127.0.0.1:{port}/readyz") as response,
        ):
            status, text = response.status, (await response.text(errors="replace")).strip()
    except (aiohttp.ClientError, TimeoutError, OSError):
        return None
    return text[:300] if status == 503 and "Socket Mode" in text else None


async def _request_url(settings: Settings, address: str | None) -> Check:
    name = "Slack events and commands (HTTP)"
    if not address:
        return Check(name, "fail", "the request URL is not known", URL_FIX)
    try:
        target = events_url(address)
    except BadInput as exc:
        return Check(name, "fail", exc.reason, URL_FIX)
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    if not secret.strip():
        return Check(
            name,
            "fail",
            "SLACK_SIGNING_SECRET is not set",
            "set SLACK_SIGNING_SECRET to the app's Signing Secret (Basic Information)",
        )
    return await _post_challenge(name, target, secret)


async def _post_challenge(name: str, target: str, secret: str) -> Check:
    challenge = secrets.token_urlsafe(24)
    body = json.dumps(
        {"token": "kubemedic-doctor", "challenge": challenge, "type": "url_verification"}
    ).encode()
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body) or ""
    headers: dict[str, str] = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
        "User-Agent": "kubemedic-doctor",
    }
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT)) as session,
            session.post(target, data=body, headers=headers, allow_redirects=False) as response,
        ):
            status, text = response.status, (await response.text(errors="replace"))[:300]
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        return Check(
            name,
            "fail",
            f"cannot reach {target}: {exc or type(exc).__name__}",
            "check DNS, the Ingress (it must route POST /slack/events to Service kubemedic) and its "
            "TLS certificate",
        )
    return _verdict(name, target, status, text, challenge)


def _verdict(name: str, target: str, status: int, text: str, challenge: str) -> Check:
    if status == 200 and challenge in text:
        return Check(name, "ok", f"{target} answered a signed url_verification as Slack expects")
    if status == 401:
        return Check(
            name,
            "fail",
            f"{target} refused the signed request (401)",
            "the deployed bot's SLACK_SIGNING_SECRET differs from this one: use the app's Signing "
            "Secret (Basic Information) in both",
        )
    first = " ".join(text.split())[:120]
    return Check(
        name,
        "fail",
        f"{target} answered {status}, not the challenge: {first!r}",
        "route POST /slack/events of that host to Service kubemedic port 80 (serve --http)",
    )


async def routed_channels(settings: Settings, channels: list[str]) -> Check:
    """conversations.info on every channel alerts are routed to: the bot must be a member
    (a private channel the bot is not in answers channel_not_found), and it must not be archived."""
    name = "Alert channels"
    token = settings.slack_bot_token.get_secret_value().strip() if settings.slack_bot_token else ""
    if not token:
        return Check(name, "skip", "not checked without a valid token")
    client, problems, fixes, fine = _client(settings, token), [], [], []
    for channel in channels:
        if channel.startswith("#"):
            problems.append(
                f"{channel}: named, not an id (cannot be checked; a renamed channel breaks it)"
            )
            fixes.append(
                f"use the channel id for {channel} in the routing file (channel details -> bottom)"
            )
            continue
        try:
            info = (await client.conversations_info(channel=channel)).get("channel") or {}
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else str(exc)
            problems.append(f"{channel}: {error}")
            fixes.append(
                f"if {channel} is a private channel, invite the bot there (/invite @kubemedic); "
                "otherwise fix the channel id in the routing file"
            )
            continue
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return _unreachable(name, exc, "let the pod reach slack.com over HTTPS")
        shown = f"{channel} (#{info.get('name')}{', private' if info.get('is_private') else ''})"
        if info.get("is_archived"):
            problems.append(f"{shown}: archived")
            fixes.append(f"unarchive {shown} or route its alerts elsewhere")
        elif not info.get("is_member"):
            problems.append(
                f"{shown}: kubemedic is not a member, posts there fail (not_in_channel)"
            )
            fixes.append(f"invite the bot: /invite @kubemedic in #{info.get('name')}")
        else:
            fine.append(shown)
    if problems:
        return Check(
            name,
            "fail",
            "; ".join(problems)
            + (f"; fine: {', '.join(fine)}" if fine else "")
            + ". Alerts routed there go to the default channel with a note",
            "; ".join(fixes),
        )
    return Check(name, "ok", f"kubemedic is a member of every routed channel: {', '.join(fine)}")
