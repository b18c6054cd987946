"""`kubectl get resourcequota` rows: a quota whose usage has reached its hard limit.

kubectl prints each quota's resources as `resource: used/hard` pairs in its REQUEST and
LIMIT columns (`pods: 10/10, requests.cpu: 1500m/2`).  A resource at its limit refuses the
next object the namespace asks for (a pod, a Service, a claim): the quota's `full` resources,
which resource-quota-exceeded's `states:` rule reads.  A quota with room left is healthy (the row goes on as any
other table row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.cluster.outputs.table import Header
from bot.evidence.common import quantity
from bot.paste.model import Subject
from bot.paste.table_model import Row, TableBlock, TableReading
from intents.facts.model import PodFacts, QuotaFacts
from intents.lazy_re import lazy_compile

QUOTA_COLUMNS = frozenset({"NAME", "AGE", "REQUEST", "LIMIT"})
_PAIR = lazy_compile(
    r"([a-z][\w./-]{0,80}): ([0-9][0-9.]{0,20})([a-zA-Z]{0,3})/([0-9][0-9.]{0,20})([a-zA-Z]{0,3})(?=,|\s|$)"
)


Pair = tuple[str, str, float, float, str]
"""(quota, resource, used, hard, "used/hard" as printed)."""


@dataclass(frozen=True)
class QuotaUsage:
    """Every `resource: used/hard` pair of one `get resourcequota` table (bot.paste.readings.quota_room)."""

    pairs: tuple[Pair, ...]


def usage(line: str) -> list[Pair]:
    """(quota, resource, used, hard, "used/hard" as printed) of every pair of a quota row."""
    quota = line.split()[0] if line.split() else ""
    return [
        (
            quota,
            name,
            quantity(used + used_unit),
            quantity(hard + hard_unit),
            f"{used}{used_unit}/{hard}{hard_unit}",
        )
        for name, used, used_unit, hard, hard_unit in _PAIR.findall(line)
    ]


def full_resources(line: str) -> list[str]:
    """The `resource used/hard` pairs of a row whose usage has reached the limit (an unreadable
    quantity reads 0, never full)."""
    return [
        f"{name} {shown}"
        for _quota, name, used, hard, shown in usage(line)
        if hard > 0 and used >= hard
    ]


def quota_subject(line: str, shape: str) -> Subject | None:
    """A quota row at its limit as an unhealthy subject (None: a quota with room left)."""
    full = full_resources(line)
    if not full:
        return None
    name = line.split()[0]
    facts = PodFacts(namespace="", name=name, quotas=[QuotaFacts(name, tuple(full))])
    return Subject(f"ResourceQuota {name}", shape, facts, set(), False)


def read_row(line: str, header: Header, shape: str) -> Row:
    return quota_subject(line, shape)


def keep_usage(block: TableBlock, rows: Sequence[str], header: Header) -> None:
    block.found.append(QuotaUsage(tuple(pair for line in rows for pair in usage(line))))


QUOTAS = TableReading(
    "get resourcequota",
    lambda header: header.kind == "other" and header.has(QUOTA_COLUMNS),
    frozenset({"PodFacts.quotas"}),
    row=read_row,
    finish=keep_usage,
)
