"""Read a scheduler message clause by clause ("0/6 nodes are available: 3 Insufficient memory, ...").

kube-scheduler reports why a pod fits no node as one message that lists a
reason per group of nodes: "0/%v nodes are available: %v." since 1.9 (with
a "preemption: ..." suffix since 1.24), "No nodes are available that match
all of the following predicates:: MatchNodeSelector (2), ..." in 1.6-1.8, and
kube-batch's "0/%v nodes are available, %v." ("2 insufficient cpu"; its
JobInfo.FitError in pkg/scheduler/api/job_info.go, copied by early Volcano).
cluster-autoscaler's NotTriggerScaleUp "pod didn't trigger scale-up: %s" lists
the same reasons for the node groups it simulated (it runs the scheduler's
filters on each group's template node) beside its own ("max node group size
reached", backoff); the frame itself is read as the first clause: the
autoscaler not adding a node leads, the reasons its groups failed follow
(a group's template may lack the labels or taints its nodes get, so a
predicate there is not always the pod's fault).
Each clause is read against the scheduler's own reason formats
(intents/messages/data/kube-scheduler*.yaml), which name the catalog entry
and a tier:

- `blocker`: nodes the pod could use but something blocks (Insufficient cpu,
  ports, pod affinity, spread, pressure, a broken node);
- `placement`: nodes the pod's own spec rules out (selector, affinity, a
  volume pinned elsewhere);
- `cordoned`: nodes taken out of service;
- `control-plane`: nodes that never take workloads (a control-plane or
  master taint): not where the pod is meant to run, so such a clause names its
  entry only when it is the message's one reason.

The clause whose fix would let the pod schedule leads.  Nodes its own spec
rules out are not where the pod is meant to run, so when some clause names
nodes it could use (a blocker), placement clauses come after every blocker;
control-plane clauses come last; otherwise the clause ruling out more nodes
leads (a cordoned majority is the likelier story than one short node), and
between clauses of equal count a blocker, then cordoned nodes, then placement:
the scheduler's filters run in order (NodeUnschedulable before NodeAffinity),
so a node it reports as unschedulable was never checked against the pod's
selector and may be the one node the pod is for, while a node reported as not
matching passed the cordon check and is not.  Every entry a clause names
is an answer, in that order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intents.messages.formats import NOT_A_PROBLEM, TIERS, UNCOVERED, MessageFormat, load_formats

_LIST = re.compile(
    r"(?:\d{1,6}/(?P<total>\d{1,6}) nodes are available|no nodes are available that match all of"
    r" the(?: following)? predicates|fit failure summary on nodes"
    r"|(?P<autoscaler>pod didn.t trigger scale-up)(?: \(it wouldn.t fit if a new node is added\))?)"
    r"\s{0,3}[:,]{1,2}\s{0,3}(?P<body>[^\n]{1,4000})",
    re.IGNORECASE,
)
_END = re.compile(
    r"\.\s{0,3}preemption:|(?:\.|(?<=\)))[\"'](?=[\s,}\]]|$)|\.\s*$|\.\s{1,3}[A-Z]", re.IGNORECASE
)
"""Where the message stops: its last period, the preemption suffix, or the closing quote of a
YAML or JSON string holding it (`message: '0/1 nodes are available: 1 MatchNodeSelector.'`)."""
_PREEMPTION_HEAD = re.compile(
    r"(?P<reason>[^\n.]{1,300})\.\s{0,3}preemption:\s{0,3}$", re.IGNORECASE
)
"""The message before a bare preemption suffix."""
_LEADING_COUNT = re.compile(r"^(\d{1,6})\s++(.+)$", re.DOTALL)
_TRAILING_COUNT = re.compile(r"^(.*\S)\s*\((\d{1,6})\)$", re.DOTALL)
"""A clause (stripped) with its count before or after it; each space run is read once."""

BLOCKER, PLACEMENT, CORDONED, CONTROL_PLANE = 0, 1, 2, 3
AUTOSCALER_FRAME = "pod didn't trigger scale-up"
"""cluster-autoscaler's NotTriggerScaleUp frame: read as a clause of its own, ahead of the reasons."""
_TIE_ORDER = {BLOCKER: 0, CORDONED: 1, PLACEMENT: 2, CONTROL_PLANE: 3}
"""Between clauses ruling out as many nodes: filters that run earlier hide what later ones would say."""
UNREAD = ""
"""The answer of a clause no scheduler format reads."""


@dataclass(frozen=True)
class Clause:
    """One reason in a scheduler message, how many nodes it rules out, and what it means."""

    text: str
    nodes: int
    tier: int
    """BLOCKER, PLACEMENT, CORDONED or CONTROL_PLANE (see the module docstring)."""
    answer: str = UNREAD
    """The catalog entry it names, `not-a-problem`, `uncovered`, or UNREAD."""
    format: str = ""

    @property
    def names_entry(self) -> bool:
        return self.answer not in (UNREAD, NOT_A_PROBLEM, UNCOVERED)


def _prefilter(reason: str, total: int) -> list[Clause]:
    """A PreFilter failure quoted before the preemption suffix: the clause of the reason, or of
    its last part, that names an entry."""
    for candidate in (reason, re.split(r"\s{2,}|: ", reason)[-1]):
        clause = _read(candidate, total or 1)
        if clause.names_entry:
            return [clause]
    return []


def clauses(text: str) -> list[Clause]:
    """The clauses of the first scheduler message in `text` (empty if there is none)."""
    found = _LIST.search(text)
    if found is None:
        return []
    total = int(found.group("total")) if found.group("total") else 0
    head = _PREEMPTION_HEAD.search(text[: found.start()])
    if head is not None:
        # the list found is the preemption suffix: the message before it is a PreFilter failure
        # quoted without its "0/N nodes are available: " ("pod has unbound immediate
        # PersistentVolumeClaims. preemption: 0/1 nodes are available: ...")
        return _prefilter(head.group("reason").strip(), total)
    body = found.group("body").replace("''", "'")  # a YAML single-quoted string doubles its quotes
    end = _END.search(body)
    if end is not None:
        body = body[: end.start()]
    read = [_read(reason, nodes) for reason, nodes in _pieces(body, total)]
    if found.group("autoscaler"):
        # the autoscaler's verdict on every node group it weighed, whatever each one failed
        read.insert(0, _read(AUTOSCALER_FRAME, sum(clause.nodes for clause in read) + 1))
    return read


def _pieces(body: str, total: int) -> list[tuple[str, int]]:
    """(reason, nodes) for each comma-separated clause; a comma inside a clause ("had taint
    {...}, that the pod didn't tolerate") joins it to the one before."""
    pieces: list[str] = []
    for piece in body.split(","):
        piece = piece.strip()
        if not piece:
            continue
        counted = _LEADING_COUNT.match(piece) or _TRAILING_COUNT.match(piece)
        if counted is None and pieces:
            pieces[-1] += ", " + piece
        else:
            pieces.append(piece)
    return [_counted(piece, total) for piece in pieces]


def _counted(piece: str, total: int) -> tuple[str, int]:
    """A clause's reason and how many nodes it names (every node, when it counts none: a
    PreFilter message concerns every node)."""
    leading, trailing = _LEADING_COUNT.match(piece), _TRAILING_COUNT.match(piece)
    if leading is not None:
        return leading.group(2), int(leading.group(1))
    if trailing is not None:
        return trailing.group(1), int(trailing.group(2))
    return piece, total or 1


def _read(reason: str, nodes: int) -> Clause:
    folded = reason.casefold()
    for fmt in _clause_formats():
        if not fmt.may_match(folded):
            continue
        found = fmt.pattern.search(reason)
        if found is not None:
            args = tuple((arg or "").strip() for arg in found.groups())
            return Clause(reason, nodes, TIERS.index(fmt.tier_for(args)), fmt.answer(args), fmt.key)
    return Clause(reason, nodes, BLOCKER)


def ordered(found: list[Clause]) -> list[Clause]:
    """The clauses naming an entry, likeliest fix first (see the module docstring); a control-plane
    clause only when no other clause names one: the control plane's taint is never the app's to
    tolerate, so beside another reason it names no problem of its own."""
    named = [c for c in found if c.names_entry]
    if any(c.tier != CONTROL_PLANE for c in named):
        named = [c for c in named if c.tier != CONTROL_PLANE]
    blockers = any(c.tier == BLOCKER for c in named)
    return sorted(
        named,
        key=lambda c: (
            c.tier == CONTROL_PLANE,
            blockers and c.tier == PLACEMENT,
            -c.nodes,
            _TIE_ORDER[c.tier],
        ),
    )


def answers(found: list[Clause]) -> list[str]:
    """Each entry the clauses name, once, likeliest fix first."""
    result: list[str] = []
    for clause in ordered(found):
        if clause.answer not in result:
            result.append(clause.answer)
    return result


_FORMATS: list[tuple[MessageFormat, ...]] = []


def _clause_formats() -> tuple[MessageFormat, ...]:
    if not _FORMATS:
        _FORMATS.append(
            tuple(
                f for f in load_formats() if f.family in ("scheduler-reason", "scheduler-predicate")
            )
        )
    return _FORMATS[0]
