"""Read a scheduler message ("0/6 nodes are available: 3 Insufficient memory, 3 node(s) had ...").

One FailedScheduling line lists a reason per group of nodes, so several
catalog entries match it at once.  A clause about nodes the pod could use
(Insufficient memory, Too many pods, a disk-pressure taint) is the likelier
cause than one about nodes it is not meant for (its own node selector or
affinity, a volume pinned to another zone), which is likelier than a
control-plane taint (those nodes never take workloads); between two clauses
of the same kind, the one blocking more nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LIST = re.compile(
    r"(?:\d{1,6}/\d{1,6} nodes are available|no nodes are available that match all of the"
    r" following predicates|fit failure summary on nodes)\s{0,3}:{1,2}\s{0,3}([^\n]{1,2000})",
    re.IGNORECASE,
)
_END = re.compile(r"\.\s{0,3}preemption:|\.\s*$|\.\s{1,3}(?=[A-Z])", re.IGNORECASE)
_LEADING_COUNT = re.compile(r"^(\d{1,6})\s+(.+)$", re.DOTALL)
_TRAILING_COUNT = re.compile(r"^(.+?)\s*\((\d{1,6})\)$", re.DOTALL)
_CONTROL_PLANE = re.compile(r"node-role\.kubernetes\.io/(?:control-plane|master)", re.IGNORECASE)
_PLACEMENT = re.compile(r"node affinity|node selector|affinity/selector", re.IGNORECASE)
"""The pod's own node selector or affinity, or a volume pinned to another zone ("volume node
affinity conflict"): nodes it is not meant for."""

BLOCKER, PLACEMENT, CONTROL_PLANE = 0, 1, 2


@dataclass(frozen=True)
class Clause:
    """One reason in a scheduler message and how many nodes it rules out."""

    text: str
    nodes: int
    tier: int
    """BLOCKER (nodes the pod could use), PLACEMENT (nodes it is not meant for), or
    CONTROL_PLANE (nodes that never take workloads): the lower, the likelier the cause."""


def clauses(text: str) -> list[Clause]:
    """The clauses of the first scheduler message in `text` (empty if there is none)."""
    found = _LIST.search(text)
    if found is None:
        return []
    body = found.group(1)
    end = _END.search(body)
    if end is not None:
        body = body[: end.start()]
    pieces: list[str] = []
    for piece in body.split(","):
        piece = piece.strip()
        if not piece:
            continue
        counted = _LEADING_COUNT.match(piece) or _TRAILING_COUNT.match(piece)
        if counted is None and pieces:
            pieces[-1] += "," + piece  # "had taint {...}, that the pod didn't tolerate"
        else:
            pieces.append(piece)
    result = []
    for piece in pieces:
        leading, trailing = _LEADING_COUNT.match(piece), _TRAILING_COUNT.match(piece)
        if leading is not None:
            nodes, reason = int(leading.group(1)), leading.group(2)
        elif trailing is not None:
            nodes, reason = int(trailing.group(2)), trailing.group(1)
        else:
            nodes, reason = 1, piece
        tier = CONTROL_PLANE if _CONTROL_PLANE.search(reason) else PLACEMENT if _PLACEMENT.search(reason) else BLOCKER
        result.append(Clause(reason, nodes, tier))
    return result
