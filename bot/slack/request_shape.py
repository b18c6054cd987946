"""Check a Slack request before bolt sees it: signed, UTF-8, parseable, the expected shape.

bolt parses the body before it checks the signature and assumes Slack's
shapes (an object, `event` an object, `actions` a list of objects...);
anything else became an HTTP 500 with a traceback.  Here an unsigned or
stale request is refused with 401 before its body is even decoded, and a
signed one that is not UTF-8, not JSON or not shaped as Slack sends it
gets 400 with a one-line reason.  Only the fields the listeners read are
checked.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from typing import Any

from slack_bolt.request.internals import parse_body

from bot.runtime.json_depth import TooDeep, check_depth

MAX_SKEW_SECONDS = 5 * 60
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
"""Unix seconds as Slack sends them: ASCII digits only (str.isdigit() also takes "²" and
Arabic-Indic digits) and short (a 5,000-digit value made int() raise: HTTP 500)."""
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class Refused(Exception):
    """The request cannot be handled: `status` and a one-line `reason`."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def check_signature(
    secret: str, raw: bytes, headers: Mapping[str, str], *, now: float | None = None
) -> None:
    """Raise Refused(401) unless Slack signed `raw` (v0 HMAC-SHA256) within five minutes.

    Computed on the raw bytes (slack_sdk's verifier decodes them first, and
    failed on a body that is not UTF-8)."""
    timestamp = headers.get("X-Slack-Request-Timestamp") or ""
    signature = headers.get("X-Slack-Signature") or ""
    if not _TIMESTAMP.fullmatch(timestamp) or not signature:
        raise Refused(401, "missing or malformed Slack signature headers")
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_SKEW_SECONDS:
        raise Refused(401, "invalid or expired Slack signature")
    base = b"v0:" + timestamp.encode() + b":" + raw
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode(errors="replace")):
        raise Refused(401, "invalid or expired Slack signature")


def _object(value: Any, where: str, *, required: bool = False) -> dict[str, Any]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise Refused(400, f"{where} must be an object")
    return value


def _strings(obj: dict[str, Any], where: str, *keys: str, required: tuple[str, ...] = ()) -> None:
    for key in keys:
        value = obj.get(key)
        if value is None:
            if key in required:
                raise Refused(400, f"{where}.{key} is missing")
            continue
        if not isinstance(value, str) or (key in required and not value):
            raise Refused(
                400,
                f"{where}.{key} must be a non-empty string"
                if key in required
                else f"{where}.{key} must be a string",
            )


def _check_event(event: dict[str, Any]) -> None:
    _strings(
        event,
        "event",
        "type",
        "subtype",
        "text",
        "user",
        "ts",
        "thread_ts",
        "bot_id",
        required=("type",),
    )
    kind = event["type"]
    if kind in ("message", "app_mention"):
        _strings(event, "event", "channel", required=("channel",))
    elif not isinstance(event.get("channel", ""), (str, dict)):
        raise Refused(400, "event.channel must be a string or an object")


def _check_interaction(body: dict[str, Any]) -> None:
    _strings(body, "payload", "type", "response_url", required=("type",))
    for key in ("user", "team", "channel", "container", "message"):
        _strings(_object(body.get(key), f"payload.{key}"), f"payload.{key}", "id")
    if body["type"] == "block_actions":
        _strings(body, "payload", "response_url", required=("response_url",))
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            raise Refused(400, "payload.actions must be a non-empty list")
        for action in actions:
            _strings(
                _object(action, "payload.actions[]", required=True),
                "payload.actions[]",
                "action_id",
                "block_id",
                "value",
                required=("action_id",),
            )


def _check_command(body: dict[str, Any]) -> None:
    _strings(
        body,
        "command",
        "command",
        "text",
        "user_id",
        "channel_id",
        "response_url",
        required=("command", "channel_id", "response_url"),
    )


def parse_checked(text: str, content_type: str | None) -> dict[str, Any]:
    """The parsed body of a signed request; Refused(400) when Slack would never send it."""
    try:
        body = parse_body(text, content_type)
        check_depth(body)
    except TooDeep as exc:
        raise Refused(400, f"the body is {exc}") from None
    except RecursionError:
        raise Refused(400, f"the body is {TooDeep()}") from None
    except ValueError as exc:
        raise Refused(400, f"the body is not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(body, dict):
        raise Refused(400, "the body must be a JSON object")
    if _SURROGATE_ESCAPE.search(text):  # "\ud800" alone is valid JSON but not encodable text
        try:
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise Refused(400, "the body contains an unpaired UTF-16 surrogate") from None
    if body.get("type") == "event_callback":
        _check_event(_object(body.get("event"), "event", required=True))
    elif "command" in body:
        _check_command(body)
    elif "actions" in body or body.get("type") in (
        "block_actions",
        "view_submission",
        "message_action",
        "shortcut",
        "view_closed",
        "interactive_message",
    ):
        _check_interaction(body)
    return body


def decode(raw: bytes) -> str:
    """The body as text; Refused(400) when it is not UTF-8 (Slack only sends UTF-8)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8") from None
