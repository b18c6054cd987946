"""`kubectl get daemonsets` and `get deployments` rows short of what they want.

kubectl prints a DaemonSet as DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR (the
pods it wants, one per matching node) and a Deployment as READY (ready/desired) UP-TO-DATE
AVAILABLE. A DaemonSet with fewer pods ready than nodes it wants, or a Deployment past its
default progress deadline (600 s) with fewer replicas available than it wants, is a rollout that
has not finished: the row is the workload short of its pods (`OwnerFacts.short`), which its
entry's `states:` rule reads, so the row is answered as what it shows rather than matched word
by word against unrelated tables. A row that is complete stays an
ordinary healthy row; the cause (a crash loop, a pull error, a taint) is in the pods' own output.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.cluster.outputs.table import Header, loose_cells
from bot.paste.model import Subject
from bot.paste.table_model import Row, TableReading
from bot.paste.text import READY_FRACTION, age_seconds
from intents.facts.model import OwnerFacts, PodFacts

DAEMONSET_COLUMNS = frozenset(
    {"DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR"}
)
DEPLOYMENT_COLUMNS = frozenset({"READY", "UP-TO-DATE", "AVAILABLE"})
PROGRESS_DEADLINE_SECONDS = 600
"""A Deployment's default spec.progressDeadlineSeconds: before it, a rollout may just be slow."""


def workload_kind(names: frozenset[str]) -> str | None:
    """ "DaemonSet" or "Deployment" for a table with their columns, else None."""
    if DAEMONSET_COLUMNS <= names:
        return "DaemonSet"
    if DEPLOYMENT_COLUMNS <= names and "DESIRED" not in names:
        return "Deployment"
    return None


def workload_subject(kind: str, values: dict[str, str], shape: str) -> Subject | None:
    """The row as an unhealthy subject when it is short of what it wants (None: any other row)."""
    name = values.get("NAME", "").split("/")[-1]
    if not name:
        return None
    short = _daemonset_short(values) if kind == "DaemonSet" else _deployment_short(values)
    if short is None:
        return None
    facts = PodFacts(
        namespace=values.get("NAMESPACE", ""),
        name=name,
        owners=[OwnerFacts(kind, name, short=short)],
    )
    return Subject(f"{kind} {name}", shape, facts, set(), False)


def _daemonset_short(values: dict[str, str]) -> tuple[int, int] | None:
    """(ready, desired) of a DaemonSet with fewer pods ready than nodes it wants."""
    counts = [values.get(column, "") for column in ("DESIRED", "READY")]
    if not all(count.isdigit() for count in counts):
        return None
    desired, ready = (int(count) for count in counts)
    return (ready, desired) if ready < desired else None


def _deployment_short(values: dict[str, str]) -> tuple[int, int] | None:
    """(available, desired) of a Deployment short of available replicas past its progress deadline."""
    fraction = READY_FRACTION.match(values.get("READY", ""))
    available = values.get("AVAILABLE", "")
    age = age_seconds(values.get("AGE", ""))
    if (
        fraction is None
        or not available.isdigit()
        or age is None
        or age < PROGRESS_DEADLINE_SECONDS
    ):
        return None
    desired = int(fraction.group(2))
    if int(available) >= desired or desired == 0:
        return None
    return int(available), desired


def _reader(kind: str) -> Callable[[str, Header, str], Row]:
    return lambda line, header, shape: workload_subject(kind, loose_cells(line, header), shape)


DAEMONSETS = TableReading(
    "get daemonsets",
    lambda header: header.kind == "other" and workload_kind(frozenset(header.names)) == "DaemonSet",
    frozenset({"PodFacts.owners"}),
    row=_reader("DaemonSet"),
)
DEPLOYMENTS = TableReading(
    "get deployments",
    lambda header: (
        header.kind == "other" and workload_kind(frozenset(header.names)) == "Deployment"
    ),
    frozenset({"PodFacts.owners"}),
    row=_reader("Deployment"),
)
