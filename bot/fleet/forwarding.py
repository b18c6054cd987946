"""The agent's noise gate: its watcher's and Alertmanager's signals go to the hub, not to a chat.

The watcher and the alert processing run in the agent exactly as in a single-cluster kubemedic
and hand each signal to a gate (bot/noise/gate.py `Gate`). Here that gate is the `Forwarder`:
it keeps which keys are failing (so only a key that starts failing is diagnosed, as the noise
gate does for a new message), turns the signal into a `Report` (every text redacted, the
diagnosis as catalog ids) and queues it for the hub. A report stays queued until the hub says
it stored it (`Noted`), across reconnects, so a hub restart loses nothing; past `LIMIT`
unconfirmed reports the oldest are dropped, with a warning. The Alertmanager receiver waits
for its delivery's reports to be stored by the hub before it answers 200 (`delivered`), so
Alertmanager retries what the hub never took.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import uuid
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from bot.diagnosis.explaining import Examined, Explainer
from bot.diagnosis.targets import Focus
from bot.fleet.reports import Report, Synced, WireExplanation, WireFacts, thin_detail
from bot.fleet.wire_diagnosis import MAX_TEXT, Lookup, finding_to_wire, to_wire
from bot.noise.gate import KeyLocks
from bot.noise.merging import Outcome, Signal
from bot.noise.routing import Destination, Facts, Routing, RoutingFile
from responses.alert_detail import Explanation
from responses.redaction import redact

log = logging.getLogger(__name__)

LIMIT = 10_000
"""Reports kept for the hub while it does not confirm them."""
MAX_SUBJECTS = 5000
FORWARD_ALL = Routing(RoutingFile(default=Destination.model_construct(channel="hub")))
"""The agent's routing: everything goes up; the hub's routing file picks the channel."""
Message = Report | Synced


class WireExplainer(Explainer):
    """The agent's explainer: the same diagnosis, kept as ids for the hub's catalog (`lookup`: the
    agent's own, to tell the names it filled into fix commands from the commands)."""

    def __init__(self, *, lookup: Lookup, **explainer: Any) -> None:
        super().__init__(**explainer)
        self.lookup = lookup

    async def explain(self, focus: Focus | None, entry_id: str | None) -> Explanation:
        examined = await self.examine(focus, entry_id)
        wire = explanation_to_wire(examined, self.lookup)
        return Explanation(confirmed=wire.confirmed, wire=wire.model_dump(mode="json"))


def explanation_to_wire(examined: Examined, lookup: Lookup) -> WireExplanation:
    """The headline as ids: the walk's lead suspect's cause first (as on a single install), else the
    first confirmed finding, else the claiming entry."""
    confirmed = examined.lead.finding if examined.lead is not None else examined.confirmed
    return WireExplanation(
        cause=finding_to_wire(confirmed, lookup) if confirmed is not None else None,
        entry=examined.entry.id if examined.entry is not None and confirmed is None else None,
        confirmed=confirmed is not None,
        diagnosis=to_wire(examined.diagnosis, lookup=lookup)
        if examined.diagnosis is not None
        else None,
        gap=redact(examined.gap[:MAX_TEXT]) if examined.gap else None,
    )


def _clip(text: str | None) -> str | None:
    return redact(text[:300]) if text else None


def _facts(facts: Facts | None) -> WireFacts:
    if facts is None:
        return WireFacts()
    clip = _clip
    return WireFacts(
        namespace=clip(facts.namespace),
        catalog_id=clip(facts.catalog_id),
        severity=clip(facts.severity),
        reasons=tuple(redact(r[:300]) for r in facts.reasons[:8]),
        labels={k[:300]: redact(v[:300]) for k, v in list(facts.labels.items())[:64]},
        workload=clip(facts.workload),
    )


def _subjects(subjects: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(subject[:300] for subject in subjects)[:MAX_SUBJECTS])


class Forwarder:
    """`Gate` for the agent's watcher and alert processing (see the module docstring)."""

    def __init__(self, *, limit: int = LIMIT) -> None:
        self.locks = KeyLocks()
        self.limit = limit
        self.failing: dict[str, set[str]] = {}
        """Agent noise key -> the subjects failing now."""
        self.outbox: dict[str, Message] = {}
        """Reports not yet confirmed by the hub, oldest first."""
        self.queued = asyncio.Event()
        """Set when a report is queued: the connection sends it at once."""
        self._noted: dict[str, asyncio.Event] = {}
        self._ids = itertools.count(1)
        self._run = uuid.uuid4().hex[:8]
        self._capturing: ContextVar[list[str] | None] = ContextVar(
            f"forwarder_{id(self)}", default=None
        )

    async def needs_detail(self, signal: Signal) -> bool:
        """True when the key starts failing here: the hub gets its diagnosis with the report."""
        return not self.failing.get(signal.key) and bool(signal.firing)

    async def observe(self, signal: Signal, *, detail: Mapping[str, Any] | None = None) -> Outcome:
        before = self.failing.get(signal.key, set())
        now = set(signal.firing) if signal.complete else (before | signal.firing) - signal.cleared
        if now:
            self.failing[signal.key] = now
        else:
            self.failing.pop(signal.key, None)
        counters = dict(list(signal.counters.items())[:MAX_SUBJECTS])
        names: dict[str, str] = {
            key[:300]: redact(name[:300]) for key, name in list(signal.names.items())[:MAX_SUBJECTS]
        }
        self._queue(
            Report(
                id=self._next_id(),
                source="watch" if signal.source == "watch" else "alertmanager",  # no pages here
                key=signal.key[:300],
                title=redact(signal.title[:300]),
                at=signal.at,
                firing=_subjects(signal.firing),
                cleared=_subjects(signal.cleared),
                complete=signal.complete,
                counters=counters,
                names=names,
                notes=signal.notes,
                facts=_facts(signal.facts),
                detail=thin_detail(detail) if detail else None,
            )
        )
        if not before:
            return "new" if now else "ignored"
        return "changed" if now else "resolved"

    async def synced(self, current: Mapping[str, set[str]]) -> None:
        """The watcher's first full listing: every key it reports now (the hub resolves the rest)."""
        self._queue(
            Synced(
                id=self._next_id(),
                keys={
                    key[:300]: _subjects(frozenset(subjects)) for key, subjects in current.items()
                },
            )
        )

    def _next_id(self) -> str:
        return f"{self._run}-{next(self._ids):012d}"

    def _queue(self, message: Message) -> None:
        self.outbox[message.id] = message
        captured = self._capturing.get()
        if captured is not None:
            captured.append(message.id)
        while len(self.outbox) > self.limit:
            dropped = next(iter(self.outbox))
            del self.outbox[dropped]
            log.warning(
                "hub unreachable for too long: dropped report %s (more than %d waiting)",
                dropped,
                self.limit,
            )
        self.queued.set()

    def noted(self, report_id: str) -> None:
        """The hub stored `report_id`."""
        self.outbox.pop(report_id, None)
        waiting = self._noted.pop(report_id, None)
        if waiting is not None:
            waiting.set()

    @contextlib.contextmanager
    def capturing(self) -> Iterator[list[str]]:
        """The ids of the reports queued inside the block (the receiver waits for them)."""
        ids: list[str] = []
        token = self._capturing.set(ids)
        try:
            yield ids
        finally:
            self._capturing.reset(token)

    async def delivered(self, ids: list[str], *, timeout: float) -> bool:
        """True once the hub stored every one of `ids`; False after `timeout` seconds."""
        waits = []
        for report_id in ids:
            if report_id in self.outbox:
                waits.append(self._noted.setdefault(report_id, asyncio.Event()).wait())
        try:
            async with asyncio.timeout(timeout):
                await asyncio.gather(*waits)
        except TimeoutError:
            return False
        return True

    def pending(self, *, after: set[str]) -> list[Message]:
        """Queued reports not in `after` (what one connection already sent), oldest first."""
        return [message for report_id, message in self.outbox.items() if report_id not in after]
