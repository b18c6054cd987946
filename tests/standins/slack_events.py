"""Events API ``event`` objects shaped as Slack delivers them (the inner ``event`` of an
``event_callback``; wrap and sign them with :mod:`slack_requests`)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterable
from typing import Any

from .slack_state import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, fmt_ts

Event = dict[str, Any]
_lock = threading.Lock()
_prev = [0]


def new_ts() -> str:
    """A unique, increasing ts based on the wall clock."""
    with _lock:
        _prev[0] = max(int(time.time() * 1_000_000), _prev[0] + 1)
        return fmt_ts(_prev[0])


def _base(channel: str, ts: str | None, channel_type: str) -> Event:
    ts = ts or new_ts()
    return {
        "type": "message",
        "channel": channel,
        "ts": ts,
        "event_ts": ts,
        "channel_type": channel_type,
    }


def rich_text(text: str) -> list[dict[str, Any]]:
    """The ``rich_text`` block Slack clients attach to a typed message."""
    return [
        {
            "type": "rich_text",
            "block_id": secrets.token_urlsafe(3)[:4],
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
            ],
        }
    ]


def message_event(
    channel: str,
    user: str,
    text: str,
    *,
    ts: str | None = None,
    thread_ts: str | None = None,
    channel_type: str = "channel",
    team: str = TEAM_ID,
    **extra: Any,
) -> Event:
    """A user's message (``thread_ts`` makes it a thread reply)."""
    ev = {
        **_base(channel, ts, channel_type),
        "user": user,
        "text": text,
        "team": team,
        "client_msg_id": secrets.token_hex(16),
        "blocks": rich_text(text),
    }
    if thread_ts:
        ev["thread_ts"] = thread_ts
        ev["parent_user_id"] = extra.pop("parent_user_id", user)
    return {**ev, **extra}


def bot_message_event(
    channel: str,
    text: str,
    *,
    bot_id: str = "B0OTHERBT1",
    username: str = "alertmanager",
    ts: str | None = None,
    thread_ts: str | None = None,
    channel_type: str = "channel",
    **extra: Any,
) -> Event:
    """``subtype: bot_message`` (integrations, webhooks, e.g. an alerting bot)."""
    ev = {
        **_base(channel, ts, channel_type),
        "subtype": "bot_message",
        "text": text,
        "bot_id": bot_id,
        "username": username,
    }
    if thread_ts:
        ev["thread_ts"] = thread_ts
    return {**ev, **extra}


def app_message_event(
    channel: str,
    text: str,
    *,
    user: str = BOT_USER_ID,
    bot_id: str = BOT_ID,
    app_id: str = APP_ID,
    ts: str | None = None,
    thread_ts: str | None = None,
    channel_type: str = "channel",
    blocks: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Event:
    """A message an app posted with chat.postMessage (no subtype; ``bot_id`` + the bot user).
    With the defaults this is kubemedic's own message echoed back to it."""
    ev = {
        **_base(channel, ts, channel_type),
        "user": user,
        "bot_id": bot_id,
        "app_id": app_id,
        "text": text,
        "team": TEAM_ID,
        "bot_profile": {
            "id": bot_id,
            "app_id": app_id,
            "name": "kubemedic",
            "team_id": TEAM_ID,
            "deleted": False,
        },
    }
    if blocks is not None:
        ev["blocks"] = blocks
    if thread_ts:
        ev["thread_ts"] = thread_ts
    return {**ev, **extra}


def message_changed_event(
    channel: str,
    ts: str,
    text: str,
    *,
    user: str,
    previous_text: str = "",
    edit_ts: str | None = None,
    thread_ts: str | None = None,
    channel_type: str = "channel",
) -> Event:
    """An edit of message ``ts`` (by ``user``) to ``text``."""
    edit_ts = edit_ts or new_ts()
    old: Event = {"type": "message", "user": user, "text": previous_text, "ts": ts, "team": TEAM_ID}
    if thread_ts:
        old["thread_ts"] = thread_ts
    new = {**old, "text": text, "edited": {"user": user, "ts": edit_ts}, "blocks": rich_text(text)}
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": channel,
        "ts": edit_ts,
        "event_ts": edit_ts,
        "channel_type": channel_type,
        "message": new,
        "previous_message": old,
    }


def message_deleted_event(
    channel: str,
    deleted_ts: str,
    *,
    user: str = "U0ALICE001",
    previous_text: str = "",
    thread_ts: str | None = None,
    channel_type: str = "channel",
) -> Event:
    """The deletion of message ``deleted_ts``."""
    ts = new_ts()
    prev: Event = {
        "type": "message",
        "user": user,
        "text": previous_text,
        "ts": deleted_ts,
        "team": TEAM_ID,
    }
    ev = {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": channel,
        "ts": ts,
        "event_ts": ts,
        "deleted_ts": deleted_ts,
        "channel_type": channel_type,
        "previous_message": prev,
    }
    if thread_ts:
        ev["thread_ts"] = thread_ts
    return ev


def file_object(
    name: str,
    *,
    filetype: str = "text",
    mimetype: str = "text/plain",
    size: int = 2048,
    user: str = "U0ALICE001",
    preview: str | None = None,
) -> dict[str, Any]:
    """A file object as carried by file_share messages."""
    fid = "F" + secrets.token_hex(5).upper()
    obj = {
        "id": fid,
        "created": int(time.time()),
        "timestamp": int(time.time()),
        "name": name,
        "title": name,
        "mimetype": mimetype,
        "filetype": filetype,
        "pretty_type": filetype.title(),
        "user": user,
        "user_team": TEAM_ID,
        "editable": filetype == "text",
        "size": size,
        "mode": "snippet" if filetype == "text" else "hosted",
        "is_external": False,
        "external_type": "",
        "is_public": True,
        "public_url_shared": False,
        "display_as_bot": False,
        "username": "",
        "url_private": f"https://files.slack.com/files-pri/{TEAM_ID}-{fid}/{name}",
        "url_private_download": f"https://files.slack.com/files-pri/{TEAM_ID}-{fid}/download/{name}",
        "permalink": f"https://kubemedic-test.slack.com/files/{user}/{fid}/{name}",
    }
    if preview is not None:
        obj.update(preview=preview, lines=preview.count("\n") + 1, preview_is_truncated=False)
    return obj


def file_share_event(
    channel: str,
    user: str,
    text: str,
    files: Iterable[dict[str, Any] | str],
    *,
    ts: str | None = None,
    thread_ts: str | None = None,
    channel_type: str = "channel",
) -> Event:
    """``subtype: file_share`` (``files`` as file objects or plain names)."""
    objs = [f if isinstance(f, dict) else file_object(f, user=user) for f in files]
    ev = {
        **_base(channel, ts, channel_type),
        "subtype": "file_share",
        "text": text,
        "user": user,
        "files": objs,
        "upload": False,
        "display_as_bot": False,
        "team": TEAM_ID,
    }
    if thread_ts:
        ev["thread_ts"] = thread_ts
    return ev


def app_mention_event(
    channel: str,
    user: str,
    text: str,
    *,
    bot_user_id: str = BOT_USER_ID,
    ts: str | None = None,
    thread_ts: str | None = None,
) -> Event:
    """``@kubemedic <text>`` (the mention is prefixed unless ``text`` already has it)."""
    mention = f"<@{bot_user_id}>"
    full = text if mention in text else f"{mention} {text}".rstrip()
    ev = {**message_event(channel, user, full, ts=ts, thread_ts=thread_ts), "type": "app_mention"}
    ev.pop("channel_type", None)
    return ev


def member_joined_channel_event(
    channel: str, user: str = BOT_USER_ID, *, inviter: str = "U0ALICE001", channel_type: str = "C"
) -> Event:
    """``user`` (default: the bot) was added to ``channel``; channel_type "C" public, "G" private."""
    return {
        "type": "member_joined_channel",
        "user": user,
        "channel": channel,
        "channel_type": channel_type,
        "team": TEAM_ID,
        "inviter": inviter,
        "event_ts": new_ts(),
    }


def channel_created_event(channel: str, name: str, *, creator: str = "U0ALICE001") -> Event:
    """A public channel was created."""
    now = int(time.time())
    return {
        "type": "channel_created",
        "event_ts": new_ts(),
        "channel": {
            "id": channel,
            "name": name,
            "name_normalized": name,
            "is_channel": True,
            "is_private": False,
            "created": now,
            "creator": creator,
            "is_shared": False,
            "is_org_shared": False,
            "context_team_id": TEAM_ID,
            "is_archived": False,
            "is_general": False,
            "updated": now * 1000,
        },
    }
