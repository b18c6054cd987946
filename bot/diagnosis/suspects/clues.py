"""A clue: what one check concluded about one object, before ranking.

Checks speak in clues: what they found (a walk finding, intents/walk_findings.py, which the
catalog's `walk:` declarations turn into an entry and a fix line), the object the user sees
broken and the exact one to change, the facts, the chain from the symptom to it, the names the
fix is said in, and how sure the check is. `rank` turns them into Suspects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from intents.policy import POLICY
from intents.walk_findings import WalkFinding

SymptomClass = Literal["unreachable", "errors", "restarts", "latency", "unavailable"]
ALL_CLASSES: frozenset[SymptomClass] = frozenset(
    ("unreachable", "errors", "restarts", "latency", "unavailable")
)
NOT_RUNNING: frozenset[SymptomClass] = frozenset(("unreachable", "unavailable", "errors"))
"""What a workload with no serving pod looks like from outside."""

CONFIRMED, OBSERVED, INFERRED = POLICY.walk_confirmed, POLICY.walk_observed, POLICY.walk_inferred
"""How sure a check is: events or recorded state say the cause outright; the objects show it
(a port no container declares); it follows from the objects but nothing shows it failing."""


@dataclass(frozen=True)
class Clue:
    """One check's conclusion about one object."""

    finding: WalkFinding | Literal[""]
    """What the check found (intents/walk_findings.py); "" when `entry` is given outright."""
    object: str
    """What the user sees broken: service/NAME, deployment/NAME, node/NAME or namespace/NAME."""
    resource: str
    """KIND/NAME of the object to change."""
    evidence: tuple[str, ...]
    chain: tuple[str, ...]
    weight: float
    """How sure the check is, 0..1 (CONFIRMED, OBSERVED, INFERRED, or lower for a symptom)."""
    root: bool = True
    """A cause; False for a symptom another clue may explain (a Service with no endpoints)."""
    indirect: bool = False
    affects: frozenset[str] = frozenset()
    """The objects (service/NAME...) whose trouble this cause explains; the catalog's `explains`
    says which entries seen on them are its effects."""
    classes: frozenset[SymptomClass] = NOT_RUNNING
    """The symptom classes it shows as."""
    names: frozenset[str] = field(default_factory=frozenset)
    """Object names on its chain, for matching the names a symptom text gives."""
    below: frozenset[str] = frozenset()
    """Names of objects that call it, directly or through others (focus.py): a symptom naming
    one has it on its chain, below the object it names."""
    maybe_below: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Named objects it may be below, as far as the input tells: one on whose chain a workload
    reads ConfigMaps the input does not show (name -> those ConfigMaps; focus.py)."""
    why: tuple[str, ...] = ()
    fix_names: dict[str, str] = field(default_factory=dict)
    """The names its fix line is said in (kind -> value: "service", "node", "workload"...)."""
    entry: str = ""
    """The catalog id naming the cause: the pod judge's, or the one the catalog gives `finding`."""
    step: int | None = None
    """The entry's fix step said as the fix (a pod judge's cause)."""
    condition: str = ""
    """A node condition ("DiskPressure=True") whose catalog entry (its node `watch:`) names it."""
    pending: int = 0
    """Pods of the object waiting for a node (which of several workloads a cause hits hardest)."""
    unseen: tuple[str, ...] = ()
    """Facts it rests on that the input did not show, each with what shows it ("pods' labels
    (kubectl get pods --show-labels -n shop)"): the clue is then never stated."""
    since: datetime | None = None
    """When the failure began, where the input tells (bot/diagnosis/suspects/times.py)."""
    because: tuple[str, str] | tuple[()] = ()
    """(the object, the edge) of the failing dependency that explains it: then it is a victim,
    ranked below that object (bot/diagnosis/suspects/culprits.py)."""
    history: str = ""
    """Why the input's present contradicts it ("the input lists serviceaccount/web now"): then
    it is history, never stated and ranked after every current suspect."""

    @property
    def reach(self) -> frozenset[str]:
        return self.affects | {self.object}
