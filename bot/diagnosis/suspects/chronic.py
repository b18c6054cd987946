"""Chronic failures: ones that began long before the newest, ranked below it and named as such.

A namespace carries noise: a Service with no pod for days, a workload refused for a week. When
something breaks now, the new fault is what the person asks about, so it leads, and the old ones
follow as "also failing for 3 days". An old failure that explains the new one (a database down
for days, and a pod that just began crashing on it) is its cause, never history. Two failures
that both began long ago are both old: neither is chronic beside the other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from bot.diagnosis.suspects.clues import Clue
from bot.diagnosis.suspects.times import duration
from intents.policy import POLICY


class Ranked(Protocol):
    @property
    def clue(self) -> Clue: ...

    @property
    def score(self) -> float: ...


def _newest(items: Sequence[Ranked]) -> Ranked | None:
    """The most recently begun failure stated at medium or above (a cause, not a guess)."""
    stated = [
        item
        for item in items
        if item.clue.since is not None
        and item.score >= POLICY.medium
        and item.clue.root
        and not item.clue.indirect
    ]
    return max(stated, key=lambda item: item.clue.since or datetime.min) if stated else None


def chronic(
    items: Sequence[Ranked], *, as_of: datetime, explains: Callable[[Clue, Clue], bool]
) -> dict[int, str]:
    """Index -> "also failing for 3 days" of each item that is history beside the newest fault;
    `explains(effect, cause)`: the catalog's causality between two clues."""
    newest = _newest(items)
    if newest is None or newest.clue.since is None:
        return {}
    fresh = newest.clue.since
    age = max(0.0, (as_of - fresh).total_seconds())
    found = {}
    for at, item in enumerate(items):
        since = item.clue.since
        if item is newest or since is None or explains(newest.clue, item.clue):
            continue
        before = (fresh - since).total_seconds()
        if before >= POLICY.walk_chronic_gap and before >= POLICY.walk_chronic_ratio * age:
            found[at] = (
                f"also failing for {duration((as_of - since).total_seconds())}, since long "
                f"before the newest fault ({newest.clue.object})"
            )
    return found


def newest_first(items: Sequence[Ranked], old: dict[int, str]) -> list[int]:
    """The items' order with the chronic ones after the others, each group keeping its order."""
    return [at for at in range(len(items)) if at not in old] + sorted(old)
