"""Read one channel of a Slack export: the whole export as Slack gives it, or a part of it.

Slack's workspace export is a .zip whose root holds channels.json (and
groups.json for private channels), users.json, and one folder per channel
named after it, with one JSON array of messages per day
(`inc-checkout/2024-05-14.json`). Accepted here: that .zip, its unzipped
root, one channel's folder, or one day file. A whole export needs
`--channel NAME` unless it holds a single channel. People are named from
users.json (found beside the channel folders), else from the profile each
message carries; `<@U123>` mentions in texts become `@name`. Anything else
is bad input, reported in one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import BadInput
from bot.storage.records import ChannelMessage
from bot.summary.export_json import elements
from bot.summary.export_tree import DirTree, ExportTree, is_zip, open_tree
from bot.summary.recording import from_message

DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
MENTION = re.compile(r"<@([UW][A-Z0-9]{2,20})(?:\|[^>]{0,80})?>")
MAX_LISTED = 8
MAX_MESSAGES = 200_000
"""Messages one summary reads from an export (a year of a very busy channel)."""


@dataclass(frozen=True)
class ChannelExport:
    """The messages of one exported channel, oldest first, with the names the export knows."""

    channel: str
    messages: list[ChannelMessage]
    people: dict[str, str]


def _parse(
    data: bytes,
    where: str,
    *,
    what: str = "a Slack channel export (expected a JSON array of messages)",
) -> Iterator[dict[str, Any]]:
    return elements(data, where, what=what)


def _display_name(user: dict[str, Any]) -> str | None:
    profile = user.get("profile") or user.get("user_profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or user.get("username")
    )
    return str(name) if name else None


def _users(tree: ExportTree, name: str) -> dict[str, str]:
    users = _parse(
        tree.read(name), f"{tree.label}/{name}", what="a Slack users.json (a JSON array of users)"
    )
    return {
        str(user["id"]): found
        for user in users
        if user.get("id") and (found := _display_name(user))
    }


def _channels(tree: ExportTree, names: list[str]) -> dict[str, str]:
    """Channel id and name -> the folder holding its day files."""
    folders = {
        name.split("/")[0]
        for name in names
        if name.count("/") == 1 and DAY_FILE.match(name.split("/")[1])
    }
    known: dict[str, str] = {folder: folder for folder in folders}
    for listing in ("channels.json", "groups.json"):
        if listing in names:
            known.update(_listed_ids(tree, listing, folders))
    return known


def _listed_ids(tree: ExportTree, listing: str, folders: set[str]) -> dict[str, str]:
    """Channel id -> folder, for the listed channels that have a folder."""
    channels = _parse(tree.read(listing), f"{tree.label}/{listing}", what="a Slack channel list")
    return {
        str(channel["id"]): name
        for channel in channels
        if (name := str(channel.get("name") or "")) in folders and channel.get("id")
    }


def _pick(known: dict[str, str], wanted: str | None, label: str) -> str:
    folders = sorted(set(known.values()))
    listed = ", ".join(folders[:MAX_LISTED]) + (", …" if len(folders) > MAX_LISTED else "")
    if not folders:
        raise BadInput(f"{label} holds no channel folders with day files (YYYY-MM-DD.json)")
    if wanted is None:
        if len(folders) == 1:
            return folders[0]
        raise BadInput(
            f"{label} holds {len(folders)} channels ({listed}): pick one with --channel NAME"
        )
    folder = known.get(wanted.strip().lstrip("#"))
    if folder is None:
        raise BadInput(f"no channel {wanted!r} in {label}; it holds {listed}")
    return folder


def _messages(
    tree: ExportTree, channel: str, files: list[str], people: dict[str, str]
) -> ChannelExport:
    messages: dict[str, ChannelMessage] = {}
    for day in files:
        for raw in _parse(tree.read(day), f"{tree.label}/{day}"):
            record = from_message(channel, _named(raw, people))
            if record is not None:
                messages[record.ts] = record
                if len(messages) > MAX_MESSAGES:
                    raise BadInput(
                        f"{tree.label} holds more than {MAX_MESSAGES:,} messages in {channel}; "
                        "export fewer days to summarize it"
                    )
    ordered = sorted(messages.values(), key=lambda m: _ts_key(m.ts))
    return ChannelExport(channel, ordered, people)


def _named(raw: dict[str, Any], people: dict[str, str]) -> dict[str, Any]:
    """The message with @mentions by name, its author's name learnt into `people` first."""
    if raw.get("user") and str(raw["user"]) not in people and (name := _display_name(raw)):
        people[str(raw["user"])] = name
    text = raw.get("text")
    if isinstance(text, str) and people:
        return {**raw, "text": MENTION.sub(lambda m: f"@{people.get(m[1], m[1])}", text)}
    return raw


def _ts_key(ts: str) -> float:
    try:
        return float(ts)
    except ValueError:
        return 0.0


def _whole_export(tree: ExportTree, channel: str | None) -> ChannelExport:
    names = tree.names()
    folder = _pick(_channels(tree, names), channel, tree.label)
    people = _users(tree, "users.json") if "users.json" in names else {}
    return _messages(
        tree,
        folder,
        sorted(n for n in names if n.startswith(f"{folder}/") and DAY_FILE.match(n.split("/")[1])),
        people,
    )


def _people_beside(folder: Path) -> dict[str, str]:
    """Names from the users.json of the export a channel folder sits in, if there is one."""
    return _users(DirTree(folder), "users.json") if (folder / "users.json").is_file() else {}


def read_export(path: Path, *, channel: str | None = None) -> ChannelExport:
    """One channel of the export at `path` (see the module docstring)."""
    if path.is_file() and not is_zip(path):
        name = path.parent.name or path.stem
        _same_channel(channel, name)
        return _messages(
            DirTree(path.parent), name, [path.name], _people_beside(path.parent.parent)
        )
    tree = open_tree(path)
    if not isinstance(tree, DirTree) or _is_whole_export(path):
        return _whole_export(tree, channel)
    _same_channel(channel, path.name)
    days = [name for name in tree.names() if "/" not in name]
    if not days:
        raise BadInput(f"{path} holds no .json day files of a Slack export")
    return _messages(tree, path.name, days, _people_beside(path.parent))


def _is_whole_export(folder: Path) -> bool:
    return (folder / "channels.json").is_file() or (folder / "users.json").is_file()


def _same_channel(wanted: str | None, name: str) -> None:
    if wanted is not None and wanted.strip().lstrip("#") != name:
        raise BadInput(
            f"--channel {wanted} does not match {name}, the channel of the export given; "
            "give the whole export (its .zip or folder) to pick another channel"
        )
