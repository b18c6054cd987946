"""The watcher's state -> catalog entry table, read from the entries' `watch:` declarations.

No catalog id is written in the watcher's code: an entry declares the cluster
states it stands for (a container waiting in CrashLoopBackOff after an OOM
kill, a node condition, a Warning event about a Job), and this table answers
"which entry is this state?" with the most specific declaration that fits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from intents.schema import CatalogEntry, WatchTrigger

Claim = tuple[WatchTrigger, str]


def _specific_first(claims: list[Claim]) -> tuple[Claim, ...]:
    return tuple(sorted(claims, key=lambda claim: (-claim[0].specificity, claim[1])))


def _condition_holds(declared: str, kind: str, status: str) -> bool:
    negated = "!=" in declared
    name, value = declared.split("!=" if negated else "=", 1)
    return name == kind and (status != value if negated else status == value)


@dataclass(frozen=True)
class WatchTable:
    """Every `watch:` claim of a catalog, by the kind of object it is about."""

    pod: tuple[Claim, ...] = ()
    node: tuple[Claim, ...] = ()
    event: tuple[Claim, ...] = ()

    @classmethod
    def of(cls, entries: Iterable[CatalogEntry]) -> WatchTable:
        claims: dict[str, list[Claim]] = {"pod": [], "node": [], "event": []}
        for entry in entries:
            for trigger in entry.watch:
                claims[trigger.kind].append((trigger, entry.id))
        return cls(*(_specific_first(claims[kind]) for kind in ("pod", "node", "event")))

    def waiting(self, reason: str, last_terminated: str | None) -> str | None:
        """The entry for a container waiting with `reason` after a termination `last_terminated`."""
        for trigger, entry_id in self.pod:
            if (
                trigger.waiting == reason
                and not trigger.recent
                and trigger.last_terminated in (None, last_terminated)
            ):
                return entry_id
        return None

    def recent_termination(self, reason: str | None) -> str | None:
        """The entry for a container whose last termination (`reason`) was recent."""
        for trigger, entry_id in self.pod:
            if trigger.recent and trigger.last_terminated == reason:
                return entry_id
        return None

    def pod_state(self, phase: str | None, reason: str | None) -> str | None:
        """The entry for a pod in `phase` with status reason `reason`."""
        for trigger, entry_id in self.pod:
            if trigger.waiting or trigger.recent or not (trigger.phase or trigger.pod_reason):
                continue
            if trigger.phase in (None, phase) and trigger.pod_reason in (None, reason):
                return entry_id
        return None

    def node_condition(self, kind: str, status: str) -> str | None:
        """The entry for a node condition `kind` reported with `status`."""
        for trigger, entry_id in self.node:
            if trigger.node_condition and _condition_holds(trigger.node_condition, kind, status):
                return entry_id
        return None

    def warning_event(self, reason: str, involved_kind: str) -> str | None:
        """The entry for a Warning event `reason` about an object of `involved_kind`."""
        for trigger, entry_id in self.event:
            if trigger.event_reason == reason and trigger.involved_kind == involved_kind:
                return entry_id
        return None


def table_conflicts(entries: Iterable[CatalogEntry]) -> list[tuple[str, str]]:
    """(entry id, problem) for two entries that declare the very same watched state."""
    seen: dict[str, str] = {}
    problems = []
    for entry in sorted(entries, key=lambda e: e.id):
        for trigger in entry.watch:
            key = repr(trigger)
            other = seen.setdefault(key, entry.id)
            if other != entry.id:
                why = (
                    f"watch: the same state is declared by {other}; add a condition to one of them"
                )
                problems.append((entry.id, why))
    return problems
