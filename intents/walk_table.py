"""The walk's finding -> catalog entry table, read from the entries' `walk:` declarations.

As the watcher's table (intents/watch_table.py) answers "which entry is this cluster state?",
this one answers "which entry names this finding of the suspects walk, and what is its fix?".
Each finding is claimed by one entry; `kubemedic catalog check` reports a finding claimed
twice. A finding no entry claims is not said (a team's catalog may drop one on purpose).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from intents.schema import CatalogEntry, WalkClaim


@dataclass(frozen=True)
class WalkTable:
    """finding -> (entry id, its walk claim)."""

    claims: Mapping[str, tuple[str, WalkClaim]]

    @classmethod
    def of(cls, entries: Iterable[CatalogEntry]) -> WalkTable:
        claims: dict[str, tuple[str, WalkClaim]] = {}
        for entry in sorted(entries, key=lambda e: e.id):
            for claim in entry.walk:
                claims.setdefault(claim.finding, (entry.id, claim))
        return cls(claims)

    def entry(self, finding: str) -> str | None:
        """The id of the entry that names `finding` (None: no entry claims it)."""
        found = self.claims.get(finding)
        return found[0] if found else None


def fix_line(entry: CatalogEntry, finding: str) -> str | None:
    """The fix `entry` declares for `finding` (None: it does not claim it)."""
    return next((claim.fix for claim in entry.walk if claim.finding == finding), None)


def walk_conflicts(entries: Iterable[CatalogEntry]) -> list[tuple[str, str]]:
    """(entry id, problem) for a finding claimed twice, in one entry or in two."""
    seen: dict[str, str] = {}
    problems = []
    for entry in sorted(entries, key=lambda e: e.id):
        for claim in entry.walk:
            other = seen.setdefault(claim.finding, entry.id)
            if other != entry.id or [c.finding for c in entry.walk].count(claim.finding) > 1:
                why = (
                    f"walk: finding {claim.finding} is also claimed by {other}; one entry names it"
                )
                problems.append((entry.id, why))
    return list(dict.fromkeys(problems))
