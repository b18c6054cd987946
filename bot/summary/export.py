"""Read a Slack export of one channel: a JSON array of messages, or a directory of day files.

A workspace export holds `<channel>/<YYYY-MM-DD>.json` files, each a JSON
array of message objects. Either one such file or the channel's directory
is accepted; the channel is named after the directory. Anything else is
bad input, reported in one line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import BadInput
from bot.storage.records import ChannelMessage
from bot.summary.recording import from_message

MAX_FILES = 5000
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class ChannelExport:
    """The messages of one exported channel, oldest first, with the names the export knows."""

    channel: str
    messages: list[ChannelMessage]
    people: dict[str, str]


def _day_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise BadInput(f"{path} holds no .json day files of a Slack export")
        return files[:MAX_FILES]
    if path.is_file():
        return [path]
    raise BadInput(f"cannot read {path}: no such file or directory")


def _load(path: Path) -> list[dict[str, Any]]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BadInput(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"{path} is not JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, list) or not all(isinstance(m, dict) for m in data):
        raise BadInput(f"{path} is not a Slack channel export (expected a JSON array of messages)")
    return data


def _name(message: dict[str, Any]) -> str | None:
    profile = message.get("user_profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or message.get("username")
    return str(name) if name else None


def read_export(path: Path) -> ChannelExport:
    """The channel in `path` (a day file or the channel's directory)."""
    channel = path.name if path.is_dir() else path.parent.name or path.stem
    messages: dict[str, ChannelMessage] = {}
    people: dict[str, str] = {}
    for day in _day_files(path):
        for raw in _load(day):
            record = from_message(channel, raw)
            if record is not None:
                messages[record.ts] = record
            if raw.get("user") and _name(raw):
                people[str(raw["user"])] = str(_name(raw))
    ordered = sorted(messages.values(), key=lambda m: float(m.ts) if _is_number(m.ts) else 0.0)
    return ChannelExport(channel, ordered, people)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
