"""What the input's present contradicts: evidence of a past the current state has moved on from.

A pod judged on its controller's old refusal ("serviceaccount "web" not found") while the input
lists the ServiceAccount now is judged on history: the account was made since. Such a clue is
never stated and never ranked before a current one (bot/diagnosis/suspects/rank.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import name_of

_NOT_FOUND = re.compile(
    r"\b(?P<kind>serviceaccount|persistentvolumeclaim|service)s? \\?\""
    r"(?P<name>[a-z0-9][a-z0-9.-]{0,252})\\?\" not found",
    re.IGNORECASE,
)
LISTED = {
    "serviceaccount": "serviceaccounts",
    "persistentvolumeclaim": "persistentvolumeclaims",
    "service": "services",
}
"""The kinds a `not found` names that the walk lists (never ConfigMaps or Secrets: not read)."""


def contradicted(graph: Graph, evidence: Iterable[str]) -> str:
    """Why the present contradicts the evidence ("" when it does not): a `not found` for an
    object the input lists now."""
    for line in evidence:
        for found in _NOT_FOUND.finditer(line):
            kind, name = found["kind"].lower(), found["name"]
            if any(name_of(obj) == name for obj in graph.snapshot.of(LISTED[kind])):
                return f"history: the input lists {kind}/{name} now, so its `not found` is past"
    return ""
