"""A clue: what one check concluded about one object, before ranking.

Checks speak in clues: the catalog entry naming the cause, the object the user sees broken
and the exact one to change, the facts, the chain from the symptom to it, the fix in the
user's names, and how sure the check is. `rank` turns them into Suspects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SymptomClass = Literal["unreachable", "errors", "restarts", "latency", "unavailable"]
ALL_CLASSES: frozenset[SymptomClass] = frozenset(
    ("unreachable", "errors", "restarts", "latency", "unavailable")
)
NOT_RUNNING: frozenset[SymptomClass] = frozenset(("unreachable", "unavailable", "errors"))
"""What a workload with no serving pod looks like from outside."""

CONFIRMED, OBSERVED, INFERRED = 0.9, 0.8, 0.6
"""How sure a check is: events or recorded state say the cause outright; the objects show it
(a port no container declares); it follows from the objects but nothing shows it failing."""


@dataclass(frozen=True)
class Clue:
    """One check's conclusion about one object."""

    entry: str
    """The catalog id naming the cause."""
    object: str
    """What the user sees broken: service/NAME, deployment/NAME, node/NAME or namespace/NAME."""
    resource: str
    """KIND/NAME of the object to change."""
    evidence: tuple[str, ...]
    chain: tuple[str, ...]
    fix: str
    weight: float
    """How sure the check is, 0..1 (CONFIRMED, OBSERVED, INFERRED, or lower for a symptom)."""
    root: bool = True
    """A cause; False for a symptom another clue may explain (a Service with no endpoints)."""
    indirect: bool = False
    affects: frozenset[str] = frozenset()
    """The objects (service/NAME...) whose trouble this cause explains."""
    explains: frozenset[str] = frozenset()
    """Catalog ids that, on an affected object, are this cause's effects (a claim "not found"
    under a storage quota): they rank as symptoms of it."""
    classes: frozenset[SymptomClass] = NOT_RUNNING
    """The symptom classes it shows as."""
    names: frozenset[str] = field(default_factory=frozenset)
    """Object names on its chain, for matching the names a symptom text gives."""
    why: tuple[str, ...] = ()

    @property
    def reach(self) -> frozenset[str]:
        return self.affects | {self.object}
