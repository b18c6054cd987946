"""Write each incident's diagnosis back to it: one note, kept current in place, never doubled.

The leader runs this loop beside the chat's sync loop. An incident whose note is behind (new, or
resolved since) is brought up to date: once its chat message is posted (or `link_wait` has passed
without it), the note is written with the thread's address; when it resolves, the same note is
edited (PagerDuty), or left as written where the tool cannot edit a note (Opsgenie). A note is
written only when kubemedic is sure (`confident`): unsure, the incident is left alone.

Delivery is honest: what was posted is in the database (incident_notes). Before a note is created
the record says so (`posting_at`); a replica that dies right after sending finds the note on the
incident by its marker instead of writing it twice. A failed call is tried again later, after the
tool's Retry-After or a back-off that grows to five minutes; a request the tool refuses for good
(the incident is gone) is given up and counted, never retried forever.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Protocol

from bot.metrics import Metrics
from bot.noise.chat import ChatFailed, view_of
from bot.outbound.http import OutboundFailed
from bot.runtime.rounds import rounds
from bot.storage.alert_base import AlertStore
from bot.storage.alert_records import AlertThread
from bot.storage.incident_base import IncidentStore
from bot.storage.incident_records import IncidentRecord, NoteFailure
from responses.incident_note import confident, incident_note, marker

log = logging.getLogger(__name__)

TICK = 1.0
BACKOFF_FIRST = 5.0
BACKOFF_CAP = 300.0
GIVE_UP_STATUSES = frozenset({400, 404, 410, 422})
"""The tool's final no: the incident or the request itself is wrong; trying again cannot help."""


class NoteTool(Protocol):
    """An incident tool's notes (bot/outbound/pagerduty.py, opsgenie.py)."""

    tool: str
    label: str
    editable: bool

    async def add_note(self, target: str, text: str) -> str: ...
    async def update_note(self, target: str, note_id: str, text: str) -> None: ...
    async def find_note(self, target: str, marker: str) -> str | None: ...


class ThreadLinks(Protocol):
    """The chat's address of a posted message (bot/noise/chat.py's `AlertChat.link`)."""

    async def link(self, thread: AlertThread) -> str | None: ...


class Store(AlertStore, IncidentStore, Protocol):
    """The alert threads and the incident records (`SqlStore` is both)."""


class IncidentNotes:
    """`run_once()` brings every due note up to date; `run(poke)` repeats it while leading."""

    def __init__(
        self,
        *,
        store: Store,
        tools: Mapping[str, NoteTool],
        links: ThreadLinks,
        clock: Callable[[], datetime],
        link_wait: float = 60.0,
        metrics: Metrics | None = None,
    ) -> None:
        self.store = store
        self.tools = dict(tools)
        self.links = links
        self.clock = clock
        self.link_wait = timedelta(seconds=link_wait)
        self.metrics = metrics

    async def run(self, poke: asyncio.Event) -> None:
        await rounds(self.run_once, poke=poke, tick=TICK, what="incident notes")

    async def run_once(self) -> int:
        """Every due record, oldest change first; how many notes were written or edited."""
        done = 0
        for record in await self.store.due_incidents(now=self.clock()):
            done += await self._one(record)
        return done

    async def _write(self, tool: NoteTool, record: IncidentRecord, text: str) -> tuple[str, str]:
        """Create the note, or update the one written before; its id and what was done."""
        if record.note_id is None:
            return await self._create(tool, record, text)
        return record.note_id, await self._update(tool, record, text)

    async def _one(self, record: IncidentRecord) -> int:
        tool = self.tools.get(record.tool)
        thread = await self.store.get_thread(record.thread_key)
        now = self.clock()
        view = view_of(thread, now) if thread is not None else None
        if tool is None or view is None or (record.note_id is None and not confident(view)):
            await self.store.note_posted(record.key, version=record.version, note_id=None, now=now)
            self._count(record.tool, "quiet")
            return 0
        assert thread is not None
        if self._waiting_for_chat(record, thread, now):
            return 0
        text = incident_note(view, thread_link=await self._link(thread), key=record.key)
        try:
            note_id, action = await self._write(tool, record, text)
        except OutboundFailed as exc:
            # in doubt: an earlier try may have written it, or this one did and its answer was lost
            doubt = record.posting_at is not None or (record.note_id is None and exc.in_doubt)
            await self._failed(record, exc, in_doubt=doubt)
            return 0
        await self.store.note_posted(record.key, version=record.version, note_id=note_id, now=now)
        self._count(record.tool, action)
        return 1

    def _waiting_for_chat(self, record: IncidentRecord, thread: AlertThread, now: datetime) -> bool:
        """A firing incident's message not posted yet: wait for its address, `link_wait` at most."""
        return (
            thread.message_ts is None
            and thread.status == "firing"
            and now - record.created_at < self.link_wait
        )

    async def _link(self, thread: AlertThread) -> str | None:
        if thread.message_ts is None:
            return None
        try:
            return await self.links.link(thread)
        except ChatFailed as exc:
            log.info("no address for the chat message of %s: %s", thread.key, exc.error)
            return None

    async def _create(self, tool: NoteTool, record: IncidentRecord, text: str) -> tuple[str, str]:
        """Write the note, or adopt the one an earlier try may have written; (its id, action)."""
        if record.posting_at is not None:
            found = await tool.find_note(record.target, marker(record.key))
            if found is not None:
                log.info(
                    "found %s's note written before a restart; not writing it again", record.label
                )
                if record.version > 1 and tool.editable:  # resolved meanwhile: show it
                    await tool.update_note(record.target, found, text)
                return found, "adopted"
        await self.store.note_posting(record.key, at=self.clock())
        return await tool.add_note(record.target, text), "posted"

    async def _update(self, tool: NoteTool, record: IncidentRecord, text: str) -> str:
        if not tool.editable:
            return "kept"  # the tool cannot edit a note: the one written stays, never a second
        assert record.note_id is not None
        await tool.update_note(record.target, record.note_id, text)
        return "updated"

    async def _failed(self, record: IncidentRecord, exc: OutboundFailed, *, in_doubt: bool) -> None:
        now = self.clock()
        final = not exc.transient and exc.status in GIVE_UP_STATUSES
        wait = exc.retry_after or min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** min(record.attempts, 10))
        log.warning(
            "%s note of %s not written%s: %s",
            record.tool,
            record.label,
            " (given up)" if final else f"; next try in {wait:.0f} s",
            exc,
        )
        later = None if final else now + timedelta(seconds=max(wait, 0.0))
        await self.store.note_failed(
            record.key, NoteFailure(str(exc), later, gave_up=final, in_doubt=in_doubt)
        )
        self._count(record.tool, "gave_up" if final else "failed")

    def _count(self, tool: str, action: str) -> None:
        if self.metrics is not None:
            self.metrics.incident_notes.labels(tool, action).inc()
