"""A bot serving a recording (`serve --from-dump|--from-outputs`, `replay`): its messages say so.

Every answer says what it was read from (bot/cluster/recording.py `recorded_name`): a chat ask's
answer before anything else (the request says it, as the diagnosis' preface), an alert or page
message in its title, a note written back on an incident in its first line. Nothing else
differs from a bot reading a live cluster: the same doors, use cases and renderers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.answering.answers import Route
from bot.answering.requests import DiagnoseRequest, Place
from bot.incidents.notes import NoteTool
from bot.noise.chat import AlertChat
from bot.storage.alert_records import AlertThread
from bot.wiring.adapter import ChatParts


def said_recorded(recorded: str | None) -> Route | None:
    """The chat asks' route: an ask that reads the cluster says first what it is read from (a
    paste reads none)."""
    if recorded is None:
        return None

    def route(request: DiagnoseRequest, place: Place) -> DiagnoseRequest:
        if request.verb == "paste":
            return request
        said = "; ".join(part for part in (f"read from {recorded}", request.said) if part)
        return dataclasses.replace(request, said=said)

    return route


def recorded_parts(parts: ChatParts, recorded: str | None) -> ChatParts:
    """The chat's side, its alert messages marked as read from `recorded` (None: unchanged)."""
    if recorded is None:
        return parts
    return dataclasses.replace(parts, alert_chat=RecordedAlertChat(parts.alert_chat, recorded))


def recorded_tools(tools: Mapping[str, NoteTool], recorded: str | None) -> dict[str, NoteTool]:
    """The note tools, each note saying it was read from `recorded` (None: unchanged)."""
    if recorded is None:
        return dict(tools)
    return {name: RecordedNotes(tool, recorded) for name, tool in tools.items()}


class RecordedAlertChat:
    """An `AlertChat` whose messages' titles end with what they were read from."""

    def __init__(self, inner: AlertChat, recorded: str) -> None:
        self.inner = inner
        self.recorded = recorded

    def _marked(self, thread: AlertThread) -> AlertThread:
        return dataclasses.replace(thread, title=f"{thread.title} · read from {self.recorded}")

    async def post(self, thread: AlertThread, *, now: datetime) -> str:
        return await self.inner.post(self._marked(thread), now=now)

    async def update(self, thread: AlertThread, *, now: datetime) -> None:
        await self.inner.update(self._marked(thread), now=now)

    async def reply(self, thread: AlertThread, note: dict[str, Any], *, now: datetime) -> None:
        await self.inner.reply(thread, note, now=now)

    async def find(self, thread: AlertThread, *, since: datetime) -> str | None:
        return await self.inner.find(thread, since=since)

    async def post_rollup(self, channel: str, titles: list[str], total: int) -> str:
        return await self.inner.post_rollup(channel, titles, total)

    async def update_rollup(self, channel: str, ts: str, titles: list[str], total: int) -> None:
        await self.inner.update_rollup(channel, ts, titles, total)

    async def link(self, thread: AlertThread) -> str | None:
        return await self.inner.link(thread)


class RecordedNotes:
    """A `NoteTool` whose notes start with what they were read from."""

    def __init__(self, inner: NoteTool, recorded: str) -> None:
        self.inner = inner
        self.tool = inner.tool
        self.label = inner.label
        self.editable = inner.editable
        self.recorded = recorded

    def _marked(self, text: str) -> str:
        return f"(read from {self.recorded})\n{text}"

    async def add_note(self, target: str, text: str) -> str:
        return await self.inner.add_note(target, self._marked(text))

    async def update_note(self, target: str, note_id: str, text: str) -> None:
        await self.inner.update_note(target, note_id, self._marked(text))

    async def find_note(self, target: str, marker: str) -> str | None:
        return await self.inner.find_note(target, marker)
