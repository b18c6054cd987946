"""Build and sign HTTP requests exactly as Slack sends them to an app's Request URL.

Usage::

    rq = SlackRequests("signing-secret", standin=si)      # response_urls point at the stand-in
    status, text = await post(app_url, *rq.slash_command("pod shop/web-0", channel_id="C0INC00001"))
    status, _ = await post(app_url, *rq.event(message_event("C0INC00001", "U0ALICE001", "OOMKilled")))
    [call] = await si.wait_for("chat.postMessage")
    status, _ = await post(app_url, *rq.click(call, "remediate", user_id="U0ADMIN001"))
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import parse_qs, urlencode

import aiohttp

from tests.waiting import PATIENCE

from . import slack_events as ev
from .slack_events import (
    app_mention_event,
    app_message_event,
    bot_message_event,
    channel_created_event,
    file_object,
    file_share_event,
    member_joined_channel_event,
    message_changed_event,
    message_deleted_event,
    message_event,
    new_ts,
)
from .slack_record import RecordedCall
from .slack_state import APP_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID, SlackError

if TYPE_CHECKING:
    from .slack_api import SlackStandIn

__all__ = [
    "SignedRequest",
    "SlackRequests",
    "app_mention_event",
    "app_message_event",
    "block_actions_from_message",
    "bot_message_event",
    "channel_created_event",
    "file_object",
    "file_share_event",
    "find_action",
    "member_joined_channel_event",
    "message_changed_event",
    "message_deleted_event",
    "message_event",
    "new_ts",
    "post",
    "post_sync",
    "sign",
    "trigger_id",
]

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


class SignedRequest(NamedTuple):
    """``(body, headers)`` of one request; ``payload`` decodes it back for assertions."""

    body: bytes
    headers: dict[str, str]

    @property
    def payload(self) -> Any:
        if self.headers.get("Content-Type", "").startswith(JSON):
            return json.loads(self.body)
        form = {k: v[0] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}
        return json.loads(form["payload"]) if set(form) == {"payload"} else form


def sign(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 signature headers: HMAC-SHA256 of ``v0:{timestamp}:{body}``."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    base = b"v0:" + str(ts).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}


def _ident(prefix: str) -> str:
    return prefix + secrets.token_hex(5).upper()


def trigger_id() -> str:
    return f"{secrets.randbelow(10**13)}.{secrets.randbelow(10**13)}.{secrets.token_hex(16)}"


# ---------------------------------------------------------------------- buttons


def find_action(blocks: list[dict[str, Any]], match: str) -> tuple[dict[str, Any], str]:
    """The first interactive element (and its block_id) whose action_id equals or starts with
    ``match``, or whose value equals it; LookupError lists what the blocks offer."""
    seen: list[tuple[str, Any]] = []
    for block in blocks or []:
        elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
        if isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        for el in elements:
            if not isinstance(el, dict) or "action_id" not in el:
                continue
            seen.append((el["action_id"], el.get("value")))
            if (
                el["action_id"] == match
                or el["action_id"].startswith(match)
                or el.get("value") == match
            ):
                return el, str(block.get("block_id", ""))
    raise LookupError(
        f"no button matching {match!r}; the message offers (action_id, value): {seen}"
    )


def block_actions_from_message(
    posted: RecordedCall | Mapping[str, Any],
    match: str,
    *,
    user_id: str = "U0ALICE001",
    user_name: str = "alice",
    channel_id: str | None = None,
    channel_name: str | None = None,
    response_url: str | None = None,
    team_id: str = TEAM_ID,
    team_domain: str = TEAM_DOMAIN,
    api_app_id: str = APP_ID,
    token: str = "legacy-verification-token",
) -> dict[str, Any]:
    """The ``block_actions`` payload Slack sends when ``user_id`` clicks the button matching
    ``match`` (action_id prefix or value) in a message the bot posted: a recorded
    chat.postMessage / chat.update / chat.postEphemeral call, or a message dict."""
    ephemeral = isinstance(posted, RecordedCall) and posted.method == "chat.postEphemeral"
    if isinstance(posted, RecordedCall):
        resp = posted.response or {}
        message = dict(
            resp.get("message")
            or {"type": "message", "text": posted.text or "", "blocks": posted.blocks}
        )
        message_ts = str(posted.ts)
        channel_id = channel_id or posted.channel
    else:
        message, message_ts = dict(posted), str(posted.get("ts"))
        channel_id = channel_id or posted.get("channel")
    if not channel_id:
        raise ValueError("channel_id is unknown for this message")
    element, block_id = find_action(message.get("blocks") or [], match)
    action = {
        "action_id": element["action_id"],
        "block_id": block_id,
        "type": element.get("type", "button"),
        "action_ts": ev.new_ts(),
    }
    for key in ("text", "value", "style"):
        if key in element:
            action[key] = element[key]
    container: dict[str, Any] = {
        "type": "message",
        "message_ts": message_ts,
        "channel_id": channel_id,
        "is_ephemeral": ephemeral,
    }
    if message.get("thread_ts"):
        container["thread_ts"] = message["thread_ts"]
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": token,
        "container": container,
        "trigger_id": trigger_id(),
        "team": {"id": team_id, "domain": team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": channel_name or channel_id.lower()},
        "state": {"values": {}},
        "response_url": response_url
        or f"https://hooks.slack.com/actions/{team_id}/1/{secrets.token_hex(12)}",
        "actions": [action],
    }
    if not ephemeral:
        payload["message"] = message
    return payload


# ---------------------------------------------------------------------- the request builder


@dataclass
class SlackRequests:
    """Signed Slack → app requests for one workspace/app. With ``standin`` set, response_urls
    point at it and clicks see the message as the stand-in currently stores it."""

    signing_secret: str
    standin: SlackStandIn | None = None
    team_id: str = TEAM_ID
    team_domain: str = TEAM_DOMAIN
    api_app_id: str = APP_ID
    bot_user_id: str = BOT_USER_ID
    token: str = "legacy-verification-token"
    clock: Callable[[], float] = field(default=time.time)

    def sign(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        return sign(
            body, self.signing_secret, int(self.clock()) if timestamp is None else timestamp
        )

    def _signed(self, body: bytes, ctype: str, timestamp: int | None) -> SignedRequest:
        headers = {"Content-Type": ctype, "User-Agent": USER_AGENT, **self.sign(body, timestamp)}
        return SignedRequest(body, headers)

    def form(self, fields: Mapping[str, Any], *, timestamp: int | None = None) -> SignedRequest:
        return self._signed(urlencode(fields).encode(), FORM, timestamp)

    def json_body(self, obj: Any, *, timestamp: int | None = None) -> SignedRequest:
        return self._signed(json.dumps(obj, separators=(",", ":")).encode(), JSON, timestamp)

    # -------------------------------------------------------------- slash commands
    def slash_command(
        self,
        text: str = "",
        *,
        command: str = "/diagnose",
        channel_id: str = "C0GENERAL1",
        channel_name: str | None = None,
        user_id: str = "U0ALICE001",
        user_name: str = "alice",
        response_url: str | None = None,
        timestamp: int | None = None,
    ) -> SignedRequest:
        """``/diagnose <text>`` as a signed form post; `channel_name` defaults to the channel's name
        in the stand-in (as Slack sends it), else "general"."""
        if channel_name is None:
            channel_name = self._channel_name(channel_id)
        if response_url is None:
            response_url = (
                self.standin.response_url(channel_id, user_id=user_id)
                if self.standin is not None
                else f"https://hooks.slack.com/commands/{self.team_id}/1/{secrets.token_hex(12)}"
            )
        return self.form(
            {
                "token": self.token,
                "team_id": self.team_id,
                "team_domain": self.team_domain,
                "channel_id": channel_id,
                "channel_name": channel_name,
                "user_id": user_id,
                "user_name": user_name,
                "command": command,
                "text": text,
                "api_app_id": self.api_app_id,
                "is_enterprise_install": "false",
                "response_url": response_url,
                "trigger_id": trigger_id(),
            },
            timestamp=timestamp,
        )

    def _channel_name(self, channel_id: str) -> str:
        if self.standin is None:
            return "general"
        try:
            return self.standin.channel(channel_id).name
        except SlackError:  # a strict stand-in that does not know the channel
            return channel_id.lower()

    # -------------------------------------------------------------- Events API
    def envelope(
        self,
        event: Mapping[str, Any],
        *,
        event_id: str | None = None,
        event_time: int | None = None,
    ) -> dict[str, Any]:
        """The ``event_callback`` wrapper around an event."""
        channel = event.get("channel")
        cid = channel.get("id") if isinstance(channel, dict) else channel
        ctx = json.dumps(
            {"et": event.get("type"), "tid": self.team_id, "aid": self.api_app_id, "cid": cid},
            separators=(",", ":"),
        )
        return {
            "token": self.token,
            "team_id": self.team_id,
            "context_team_id": self.team_id,
            "context_enterprise_id": None,
            "api_app_id": self.api_app_id,
            "event": dict(event),
            "type": "event_callback",
            "event_id": event_id or _ident("Ev"),
            "event_time": int(self.clock()) if event_time is None else event_time,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": "4-" + base64.urlsafe_b64encode(ctx.encode()).decode().rstrip("="),
        }

    def event(
        self,
        event: Mapping[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        timestamp: int | None = None,
    ) -> SignedRequest:
        """A signed ``event_callback``; ``retry_num`` adds Slack's retry headers."""
        req = self.json_body(self.envelope(event, event_id=event_id), timestamp=timestamp)
        return req if retry_num is None else self.retry(req, retry_num, retry_reason)

    def message(
        self, channel: str, text: str, *, user: str = "U0ALICE001", **kw: Any
    ) -> SignedRequest:
        """Shortcut: a signed ``message`` event (``kw`` go to :func:`slack_events.message_event`)."""
        return self.event(ev.message_event(channel, user, text, **kw))

    def app_mention(
        self, channel: str, text: str, *, user: str = "U0ALICE001", **kw: Any
    ) -> SignedRequest:
        return self.event(
            ev.app_mention_event(channel, user, text, bot_user_id=self.bot_user_id, **kw)
        )

    def url_verification(
        self,
        challenge: str = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        *,
        timestamp: int | None = None,
    ) -> SignedRequest:
        return self.json_body(
            {"token": self.token, "challenge": challenge, "type": "url_verification"},
            timestamp=timestamp,
        )

    # -------------------------------------------------------------- interactivity
    def interaction(
        self, payload: Mapping[str, Any], *, timestamp: int | None = None
    ) -> SignedRequest:
        """Any interactivity payload as Slack posts it (form field ``payload``)."""
        return self.form(
            {"payload": json.dumps(payload, separators=(",", ":"))}, timestamp=timestamp
        )

    def click(
        self,
        posted: RecordedCall | Mapping[str, Any],
        match: str,
        *,
        user_id: str = "U0ALICE001",
        user_name: str = "alice",
        channel_id: str | None = None,
        timestamp: int | None = None,
    ) -> SignedRequest:
        """A signed click on the button matching ``match`` in a message the bot posted."""
        if (
            self.standin is not None
            and isinstance(posted, RecordedCall)
            and posted.method != "chat.postEphemeral"
        ):
            try:
                current = self.standin.message(channel_id or posted.channel or "", str(posted.ts))
            except SlackError:
                current = None
            if current is not None:
                posted = {**current, "channel": channel_id or posted.channel}
        payload = block_actions_from_message(
            posted,
            match,
            user_id=user_id,
            user_name=user_name,
            channel_id=channel_id,
            team_id=self.team_id,
            team_domain=self.team_domain,
            api_app_id=self.api_app_id,
            token=self.token,
        )
        if self.standin is not None:
            c = payload["container"]
            payload["response_url"] = self.standin.response_url(
                c["channel_id"], c["message_ts"], c.get("thread_ts"), user_id
            )
            ch = self.standin.channels.get(c["channel_id"])
            if ch is not None:
                payload["channel"]["name"] = ch.name
        return self.interaction(payload, timestamp=timestamp)

    # -------------------------------------------------------------- variants
    def retry(
        self, req: SignedRequest, num: int = 1, reason: str = "http_timeout"
    ) -> SignedRequest:
        """The same body re-sent by Slack's retry (freshly signed, with retry headers)."""
        headers = {
            **req.headers,
            **self.sign(req.body),
            "X-Slack-Retry-Num": str(num),
            "X-Slack-Retry-Reason": reason,
        }
        return SignedRequest(req.body, headers)

    def stale(self, req: SignedRequest, age: int = 600) -> SignedRequest:
        """Correctly signed, but with a timestamp ``age`` seconds old (Slack allows 5 minutes)."""
        return SignedRequest(
            req.body, {**req.headers, **self.sign(req.body, int(self.clock()) - age)}
        )

    @staticmethod
    def bad_signature(req: SignedRequest) -> SignedRequest:
        """Same body and timestamp, signed with the wrong secret."""
        ts = int(req.headers["X-Slack-Request-Timestamp"])
        return SignedRequest(req.body, {**req.headers, **sign(req.body, "not-the-secret", ts)})

    @staticmethod
    def tampered(req: SignedRequest, old: bytes = b"", new: bytes = b"") -> SignedRequest:
        """The body changed after signing (``old`` → ``new``, or one byte appended)."""
        body = req.body.replace(old, new, 1) if old else req.body + b" "
        return SignedRequest(body, dict(req.headers))


# ---------------------------------------------------------------------- sending


async def post(
    url: str, body: bytes, headers: Mapping[str, str], *, timeout: float = PATIENCE
) -> tuple[int, str]:
    """POST a built request; returns ``(status, text)`` (`timeout`: a hang guard, not a speed
    target: a loaded machine answers late, not wrong)."""
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
        session.post(url, data=body, headers=dict(headers)) as resp,
    ):
        return resp.status, await resp.text()


def post_sync(
    url: str, body: bytes, headers: Mapping[str, str], *, timeout: float = PATIENCE
) -> tuple[int, str]:
    """Blocking :func:`post` (urllib)."""
    req = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
