"""One message per noise key: how a new signal changes that message's stored state.

Pure: `merge(thread, signal)` returns the new state and what happened, so
every rule of noise control is a table test. The rules:

- a key seen for the first time is a new message (posted once the sync
  loop and the channel's budget allow);
- a repeat updates the same message (seen N times, counts) - never a new post; one
  diagnosed again (`rediagnosed`, a watched workload whose problem changed) shows the new
  diagnosis;
- new or cleared subjects (alerts of a group, pods of a workload) update it
  and, where the source asks for it, add a note to its thread;
- nothing firing any more resolves it (an edit in place, "resolved after ...");
- a key firing again within the cooldown after resolving reopens the same
  message; later, it starts a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.noise.routing import Destination, Facts, Source
from bot.storage.alert_records import AlertThread

Outcome = Literal["new", "reopened", "changed", "repeated", "resolved", "ignored"]


@dataclass(frozen=True)
class Signal:
    """One observation about a noise key: what is firing (and what cleared) now."""

    key: str
    source: Source
    title: str
    destination: Destination
    at: datetime
    firing: frozenset[str] = frozenset()
    cleared: frozenset[str] = frozenset()
    complete: bool = False
    """True: `firing` is everything that fires (an Alertmanager group); False: a change."""
    scope: str = ""
    """With `complete`: the prefix of the subjects `firing` is everything of (the other subjects stay:
    a fleet-wide incident's other clusters); empty: all of them."""
    counters: Mapping[str, int] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    """How to show a subject in a thread note (alert fingerprints are not for people)."""
    notes: bool = False
    """Add thread notes when subjects come and go."""
    facts: Facts | None = None
    """What routed it (a fleet agent sends them on: the hub routes it again)."""
    rediagnosed: bool = False
    """The detail given is a new diagnosis of a firing message: it replaces the one shown."""


@dataclass(frozen=True)
class Merged:
    thread: AlertThread | None
    outcome: Outcome


def starts_new_message(thread: AlertThread | None, signal: Signal, *, cooldown: timedelta) -> bool:
    """True when `merge` would start a new message (the caller diagnoses before merging)."""
    if not _subjects(thread, signal):
        return False
    if thread is None:
        return True
    return thread.status == "resolved" and not _within_cooldown(thread, signal.at, cooldown)


def merge(
    thread: AlertThread | None,
    signal: Signal,
    *,
    cooldown: timedelta,
    detail: Mapping[str, Any] | None = None,
) -> Merged:
    """The thread after `signal`; `detail` is what a new message shows (diagnosis, texts)."""
    subjects = _subjects(thread, signal)
    if starts_new_message(thread, signal, cooldown=cooldown):
        return Merged(_new(signal, subjects, detail or {}), "new")
    if thread is None:
        return Merged(None, "ignored")  # resolved before it was ever posted
    if thread.status == "resolved":
        if not subjects:
            return Merged(thread, "ignored")
        reopened = _bump(
            thread,
            signal,
            subjects,
            status="firing",
            resolved_at=None,
            notes=[*thread.notes, _note("again", signal, sorted(subjects))],
        )
        return Merged(reopened, "reopened")
    if not subjects:
        return Merged(
            _bump(thread, signal, [], status="resolved", resolved_at=signal.at), "resolved"
        )
    if detail and signal.rediagnosed:
        thread = replace(thread, detail=dict(detail))
    return _changed(thread, signal, subjects)


def _changed(thread: AlertThread, signal: Signal, subjects: set[str]) -> Merged:
    """A firing thread with the signal's subjects: repeated, or changed (noted when asked for)."""
    added = sorted(subjects - set(thread.subjects))
    gone = sorted(set(thread.subjects) - subjects)
    if not added and not gone:
        return Merged(_bump(thread, signal, subjects), "repeated")
    notes = list(thread.notes)
    if signal.notes and added:
        notes = _noted(notes, _note("firing", signal, added))
    if signal.notes and gone:
        notes = _noted(notes, _note("cleared", signal, gone))
    return Merged(_bump(thread, signal, subjects, notes=notes), "changed")


def _subjects(thread: AlertThread | None, signal: Signal) -> set[str]:
    earlier = set(thread.subjects) if thread is not None and thread.status == "firing" else set()
    if signal.complete:
        others = (
            {subject for subject in earlier if not subject.startswith(signal.scope)}
            if signal.scope
            else set()
        )
        return others | set(signal.firing)
    return (earlier | signal.firing) - signal.cleared


def _within_cooldown(thread: AlertThread, now: datetime, cooldown: timedelta) -> bool:
    return thread.resolved_at is not None and now - thread.resolved_at <= cooldown


def _new(signal: Signal, subjects: set[str], detail: Mapping[str, Any]) -> AlertThread:
    return AlertThread(
        key=signal.key,
        source=signal.source,
        channel=signal.destination.channel,
        mention=signal.destination.mention,
        title=signal.title,
        subjects=sorted(subjects),
        counters={s: n for s, n in signal.counters.items() if s in subjects},
        detail=dict(detail),
        first_seen=signal.at,
        last_seen=signal.at,
    )


def _bump(
    thread: AlertThread, signal: Signal, subjects: set[str] | list[str], **changes: Any
) -> AlertThread:
    counters = {**thread.counters, **signal.counters}
    return replace(
        thread,
        subjects=sorted(subjects),
        counters=counters,
        seen=thread.seen + 1,
        version=thread.version + 1,
        last_seen=signal.at,
        title=signal.title or thread.title,
        **changes,
    )


def _noted(notes: list[dict[str, Any]], note: dict[str, Any]) -> list[dict[str, Any]]:
    """Add a note; one not sent yet of the same kind takes its subjects instead (a storm of new
    alerts in one group is one note, not one per delivery)."""
    for earlier in notes:
        if earlier["kind"] == note["kind"]:
            merged = dict.fromkeys([*earlier["subjects"], *note["subjects"]])
            return [
                ({**earlier, "subjects": list(merged), "at": note["at"]} if n is earlier else n)
                for n in notes
            ]
    return [*notes, note]


def _note(kind: str, signal: Signal, subjects: list[str]) -> dict[str, Any]:
    return {
        "kind": kind,
        "at": signal.at.isoformat(),
        "subjects": [signal.names.get(subject, subject) for subject in subjects],
    }
