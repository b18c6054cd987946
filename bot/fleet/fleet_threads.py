"""The hub's side of agents' reports: routed by the hub, merged into its messages, fleet threads.

The alert leader works the inbox (bot/alerting/processing.py) and hands each stored report
here. A report is routed with the hub's routing file (its `cluster` is the agent's, as its
token names it), its detail rebuilt with the hub's catalog (bot/fleet/reports.py), and merged by
the noise gate like a local watcher's or Alertmanager's signal, under a key of the hub's:

- the same failure (catalog entry and workload kind and name) from any cluster shares one key,
  `fleet:incident:...` (its stored prefix): one fleet thread that lists the clusters (its
  roll-call, bot/fleet/rollcall.py),
  edited in place as clusters join and recover, resolved when the last one recovers; another
  cluster joins while it fires or within KUBEMEDIC_FLEET_INCIDENT_WINDOW_MINUTES after;
- anything else (an alert no entry explains, no workload) keeps one thread per agent key.

Subjects are `CLUSTER|SCOPE|SUBJECT` (SCOPE: the agent's key, shortened), so clusters never
clear each other's subjects, and a `Synced` list resolves exactly what one cluster left open.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter

from bot.diagnosis.explaining import Examined
from bot.fleet.alarms import alarm_signal
from bot.fleet.reports import Report, Synced, WireDetail, WireExplanation, WireFacts
from bot.fleet.rollcall import SEPARATOR, roll_call
from bot.fleet.wire_diagnosis import Lookup, from_wire
from bot.noise.gate import NoiseGate
from bot.noise.merging import Signal
from bot.noise.routing import Destination, Facts, Routing
from bot.storage.alert_base import AlertStore
from responses.alert_detail import AlertDetail, AlertTexts, Detected, Explanation, OtherAlert

FLEET_THREAD = "fleet:incident:"
"""The key prefix of fleet threads (the stored keys keep the word they were first written with)."""
REPORTS: TypeAdapter[Report | Synced] = TypeAdapter(Report | Synced)


def _digest(*parts: str, size: int = 40) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:size]


def fleet_thread_key(facts: WireFacts) -> str | None:
    """The key of the same failure in any cluster, when the report names its entry and workload."""
    if not facts.catalog_id or not facts.workload:
        return None
    return FLEET_THREAD + _digest(facts.catalog_id, facts.workload)


def scope_of(cluster: str, source: str, agent_key: str) -> str:
    return f"{cluster}{SEPARATOR}{source[0]}{_digest(agent_key, size=10)}{SEPARATOR}"


@dataclass(kw_only=True, eq=False)
class FleetReports:
    """Processes agents' reports on the alert leader (see the module docstring)."""

    gate: NoiseGate
    store: AlertStore
    routing: Routing
    lookup: Lookup
    window: timedelta
    clock: Callable[[], datetime]

    async def handle(self, payload: dict[str, Any]) -> str:
        """One stored report (or the hub's alarm); what happened (ValidationError: unreadable, dropped)."""
        cluster = str(payload["cluster"])
        if "alarm" in payload:
            return await self._alarm(cluster, payload["alarm"])
        message = REPORTS.validate_python(payload["report"])
        if isinstance(message, Synced):
            return await self._synced(cluster, message)
        return await self._report(cluster, message)

    async def _report(self, cluster: str, report: Report) -> str:
        wire = report.facts
        facts = Facts(
            report.source,
            cluster=cluster,
            namespace=wire.namespace,
            catalog_id=wire.catalog_id,
            severity=wire.severity,
            reasons=wire.reasons,
            labels=wire.labels,
            workload=wire.workload,
        )
        refusal, destination = self.routing.refusal(facts), self.routing.destination(facts)
        if refusal is not None or destination is None:
            return f"not posted ({refusal or 'no channel'})"
        shared = fleet_thread_key(wire)
        key = shared or f"fleet:{cluster}:{_digest(report.key)}"
        title = (
            f"{(wire.reasons or (report.title,))[0]} in {wire.workload}" if shared else report.title
        )
        signal = _signal(
            cluster,
            report,
            Signal(
                key=key,
                source=report.source,
                title=title,
                destination=destination,
                at=self.clock(),
                complete=report.complete,
                notes=report.notes or shared is not None,
                facts=facts,
            ),
        )
        detail = self.detail(report.detail, cluster) if report.detail is not None else None
        return await self._observe(signal, detail, cluster=cluster, shared=bool(shared))

    async def _observe(
        self, signal: Signal, detail: AlertDetail | None, *, cluster: str, shared: bool
    ) -> str:
        """Post or update the report's thread; a fleet thread also gets the roll call."""
        headline = detail.cause if detail is not None else None
        cause = (headline.id, headline.confirmed) if headline is not None else None
        namespace = signal.facts.namespace if signal.facts else None
        async with self.gate.locks.hold(signal.key):
            outcome = await self.gate.observe(
                signal,
                detail=detail.stored() if detail is not None else None,
                cooldown=self.window if shared else None,
                amend=(
                    lambda thread: roll_call(
                        thread, cluster=cluster, at=signal.at, namespace=namespace, cause=cause
                    )
                )
                if shared
                else None,
            )
        return f"{outcome} ({'fleet thread ' if shared else ''}{signal.key})"

    async def _alarm(self, cluster: str, alarm: dict[str, Any]) -> str:
        """A token used from two places: posted as a critical alert of its cluster."""
        made = alarm_signal(cluster, alarm, self.routing, at=self.clock())
        if made is None:
            return "not posted (no channel)"
        signal, detail = made
        async with self.gate.locks.hold(signal.key):
            outcome = await self.gate.observe(signal, detail=detail)
        return f"{outcome} ({signal.key})"

    async def _synced(self, cluster: str, synced: Synced) -> str:
        """Clear what this cluster's watcher no longer reports (a previous run left it open)."""
        expected = _still_reported(cluster, synced)
        mine = f"{cluster}{SEPARATOR}w"
        threads = [
            *await self.store.open_threads(source="watch", key_prefix="fleet:"),
            *await self.store.open_threads(source="alertmanager", key_prefix=FLEET_THREAD),
        ]
        cleared, now = 0, self.clock()
        for thread in threads:
            stale = {s for s in thread.subjects if s.startswith(mine) and s not in expected}
            if not stale:
                continue
            shared = thread.key.startswith(FLEET_THREAD)
            signal = Signal(
                key=thread.key,
                source="watch",
                title=thread.title,
                at=now,
                destination=Destination.model_construct(
                    channel=thread.channel, mention=thread.mention
                ),
                cleared=frozenset(stale),
            )
            async with self.gate.locks.hold(thread.key):
                await self.gate.observe(
                    signal,
                    cooldown=self.window if shared else None,
                    amend=(lambda t: roll_call(t, cluster=cluster, at=now)) if shared else None,
                )
            cleared += len(stale)
        return f"synced: {cleared} subject(s) no longer reported cleared"

    def detail(self, wire: WireDetail, cluster: str) -> AlertDetail:
        """The detail a local watcher or alert would have written, with this hub's catalog's words:
        the agent's diagnosis rebuilt and its headline chosen as a single install chooses it."""
        alert = AlertTexts(**wire.alert.model_dump(), cluster=cluster) if wire.alert else None
        return AlertDetail(
            kind=wire.kind,
            cluster=cluster,
            oneshot=wire.oneshot,
            alert=alert,
            detection=Detected(**wire.detection.model_dump()) if wire.detection else None,
            target=wire.target,
            explanation=self._explanation(wire.explanation, cluster),
            others=tuple(OtherAlert(**other.model_dump()) for other in wire.others),
        )

    def _explanation(self, wire: WireExplanation | None, cluster: str) -> Explanation:
        if wire is None:
            return Explanation()
        entry = self.lookup(wire.entry) if wire.entry else None
        diagnosis = (
            from_wire(wire.diagnosis, lookup=self.lookup, cluster=cluster)
            if wire.diagnosis is not None
            else None  # an agent that read nothing: its claiming entry, unconfirmed
        )
        return Examined.of(diagnosis, entry, wire.gap).explanation()


def _signal(cluster: str, report: Report, signal: Signal) -> Signal:
    """The signal with the report's subjects, each scoped to its cluster and source."""
    scope = scope_of(cluster, report.source, report.key)
    return dataclasses.replace(
        signal,
        scope=scope,
        firing=frozenset(scope + s for s in report.firing),
        cleared=frozenset(scope + s for s in report.cleared),
        counters={scope + s: n for s, n in report.counters.items()},
        names={
            scope + s: f"{cluster}: {report.names.get(s, s)}"
            for s in (*report.firing, *report.cleared)
        },
    )


def _still_reported(cluster: str, synced: Synced) -> set[str]:
    """Every subject the cluster's watcher reports now, scoped as the hub keeps it."""
    return {
        scope_of(cluster, "watch", key) + subject
        for key, subjects in synced.keys.items()
        for subject in subjects
    }
