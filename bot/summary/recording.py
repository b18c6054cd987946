"""Slack message objects (events, history pages, export files) as `ChannelMessage`s.

One conversion serves the live events, conversations.history and a Slack
export, so the three summaries agree. Text is capped and redacted before it
is stored: the database never holds a pasted secret, and a 5 MB paste costs
no more than its first few kilobytes. A shared text file's preview is part
of the message, because that is where people paste logs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.storage.records import ChannelMessage
from responses.redaction import redact_clipped

RECORD_CHARS = 4000
"""The most of one message's text (with file previews) that is stored."""
SKIPPED_SUBTYPES = frozenset(
    {
        "channel_join",
        "channel_leave",
        "channel_topic",
        "channel_purpose",
        "channel_name",
        "channel_archive",
        "channel_unarchive",
        "pinned_item",
        "unpinned_item",
        "group_join",
        "group_leave",
        "reminder_add",
        "ekm_access_denied",
        "message_replied",
    }
)
DIAGNOSIS_MARK = "kubemedic:diagnosis:"
"""Text of the record kubemedic keeps for each diagnosis it posted (the id follows)."""


def ts_time(ts: str) -> datetime | None:
    seconds, _, fraction = ts.partition(".")
    try:
        return datetime.fromtimestamp(int(seconds), UTC).replace(
            microsecond=int((fraction + "000000")[:6])
        )
    except (ValueError, OverflowError, OSError):
        return None


def message_text(message: dict[str, Any]) -> str:
    """The message's text plus the previews of shared files, capped and redacted."""
    parts = [str(message.get("text") or "")]
    for shared in message.get("files") or []:
        if isinstance(shared, dict):
            parts += _file_parts(shared)
    return redact_clipped("\n".join(p for p in parts if p), RECORD_CHARS)


def _file_parts(shared: dict[str, Any]) -> list[str]:
    """`[file NAME]` and the file's preview, if Slack sent one."""
    name = f"[file {shared.get('name') or shared.get('title') or ''}]"
    return [name, str(shared["preview"])] if shared.get("preview") else [name]


def is_bot(message: dict[str, Any], bot_user_id: str | None) -> bool:
    return bool(
        message.get("bot_id")
        or message.get("bot_profile")
        or message.get("subtype") == "bot_message"
        or (bot_user_id and message.get("user") == bot_user_id)
    )


def from_message(
    channel: str, message: dict[str, Any], *, bot_user_id: str | None = None, edited: bool = False
) -> ChannelMessage | None:
    """A plain message object (event, history item, export item), or None for noise."""
    ts = message.get("ts")
    if not ts or message.get("subtype") in SKIPPED_SUBTYPES:
        return None
    thread_ts = message.get("thread_ts")
    return ChannelMessage(
        channel=channel,
        ts=str(ts),
        user=message.get("user") or message.get("bot_id"),
        text=message_text(message),
        thread_ts=str(thread_ts) if thread_ts else None,
        is_bot=is_bot(message, bot_user_id),
        edited=edited or bool(message.get("edited")),
        posted_at=ts_time(str(ts)),
    )


def from_event(event: dict[str, Any], *, bot_user_id: str | None = None) -> ChannelMessage | None:
    """A message event: new, edited (message_changed) or deleted (message_deleted)."""
    channel = str(event.get("channel") or "")
    subtype = event.get("subtype")
    if not channel:
        return None
    if subtype == "message_changed":
        inner = event.get("message")
        return (
            from_message(channel, inner, bot_user_id=bot_user_id, edited=True)
            if isinstance(inner, dict)
            else None
        )
    if subtype == "message_deleted":
        ts = event.get("deleted_ts")
        if not ts:
            return None
        previous = event.get("previous_message") or {}
        return ChannelMessage(
            channel=channel,
            ts=str(ts),
            user=previous.get("user"),
            deleted=True,
            thread_ts=event.get("thread_ts") or previous.get("thread_ts"),
            posted_at=ts_time(str(ts)),
        )
    return from_message(channel, event, bot_user_id=bot_user_id)


def diagnosis_marker(
    channel: str, ts: str, diagnosis_id: str, *, thread_ts: str | None, bot_user_id: str | None
) -> ChannelMessage:
    """The record of a diagnosis kubemedic posted, so the summary can find it again."""
    return ChannelMessage(
        channel=channel,
        ts=ts,
        user=bot_user_id,
        text=DIAGNOSIS_MARK + diagnosis_id,
        thread_ts=thread_ts,
        is_bot=True,
        posted_at=ts_time(ts),
    )


def diagnosis_id(message: ChannelMessage) -> str | None:
    if message.is_bot and message.text.startswith(DIAGNOSIS_MARK):
        return message.text[len(DIAGNOSIS_MARK) :].strip() or None
    return None
