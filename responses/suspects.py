"""Suspects: the objects that could cause a symptom seen in a namespace, ranked.

An incident starts vaguer than a pod name ("checkout is failing"), and its cause often sits in
another object than the one that shows it: a Service whose selector matches nothing, a quota, a
cordoned node. The walk (bot/diagnosis/suspects) names those objects; this is what it hands to
every renderer. Transport-neutral and free of Kubernetes types: plain strings and a `Finding`.

`object` is what the user sees broken, as the user (and Cloud-OpsBench) names it: a workload
behind a Service by its Service, a node-level fault by its node, a namespace-wide cause such as a
quota by its namespace. `resource` is the exact object to change ("deployment/checkout",
"resourcequota/compute", "persistentvolumeclaim/data").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from intents.findings import Finding

if TYPE_CHECKING:
    from intents.schema import Confidence

OBJECT_KINDS = ("service", "deployment", "statefulset", "daemonset", "node", "namespace")
"""The kinds `Suspect.object` may name (what a user sees broken)."""


@dataclass(frozen=True)
class FixSource:
    """Where the one fix came from in the catalog, so a fleet hub writes it again from its own
    catalog (never taking an agent's text): a walk finding's fix line filled with `names`, or
    the entry's fix step `step` said about the resource to change."""

    finding: str = ""
    """The walk finding whose catalog fix line was filled in ("": the entry's own fix step)."""
    step: int | None = None
    names: tuple[tuple[str, str], ...] = ()
    """(kind, value) filled into the line, each checked against its kind (bot/diagnosis/naming.py)."""


@dataclass(frozen=True)
class Suspect:
    """One object that could cause the symptom, with its cause, evidence and the chain to it."""

    object: str
    """What the user sees broken: service/NAME, deployment/NAME, node/NAME or namespace/NAME."""
    resource: str
    """KIND/NAME of the exact object to change."""
    finding: Finding
    """The catalog entry naming the cause, its score (0..1) and the facts that confirm it."""
    chain: tuple[str, ...] = ()
    """From the symptom to the cause, one short readable step each (Service -> Endpoints -> pods ->
    owner -> node / PVC / ServiceAccount / quota)."""
    why: tuple[str, ...] = ()
    """Why it ranks where it does (the ranking's own reasons, in order)."""
    indirect: bool = False
    """The recorded state cannot show the cause itself (network delay, say): only its effects."""
    fix: str = ""
    """The one fix, in the user's names."""
    lower: str = ""
    """For every suspect after the first: why it ranks below the first."""
    source: FixSource = FixSource()
    """How `fix` was written from the catalog."""
    unseen: tuple[str, ...] = ()
    """Facts the input did not show that would change the ranking, each with what shows it."""
    since: str = ""
    """When the failure began (RFC 3339, UTC), where the input tells; "" where it does not."""
    because: tuple[str, str] | tuple[()] = ()
    """(object, edge): the failing dependency that explains this one and the evidence that it
    calls it ("service/geo", "env GEO_ADDR=geo:8080"); then it ranks below that object."""

    @property
    def id(self) -> str:
        return self.finding.match.id

    @property
    def title(self) -> str:
        return self.finding.match.entry.title

    @property
    def score(self) -> float:
        return self.finding.match.score

    @property
    def confidence(self) -> Confidence:
        return self.finding.match.confidence

    @property
    def evidence(self) -> tuple[str, ...]:
        return self.finding.evidence

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON shape of one suspect (`--json`'s "suspects" items)."""
        return {
            "object": self.object,
            "resource": self.resource,
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 3),
            "confidence": self.confidence,
            "why": list(self.why),
            "evidence": list(self.evidence),
            "chain": list(self.chain),
            "indirect": self.indirect,
            "fix": self.fix,
            "lower": self.lower,
            **({"unseen": list(self.unseen)} if self.unseen else {}),
            **({"since": self.since} if self.since else {}),
            **(
                {"because": {"object": self.because[0], "edge": self.because[1]}}
                if self.because
                else {}
            ),
        }
