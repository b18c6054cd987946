"""`kubectl get hpa` rows at their ceiling: REPLICAS equal to MAXPODS while a metric in TARGETS
stands above its target ("113%/60%").  The autoscaler wants more pods than it may make, so the
load is past what the HPA was sized for (the KubeHpaMaxedOut alert): the row is the HPA at its
maximum (`OwnerFacts.at_max_replicas`), as a describe's conditions would say it ("ScalingLimited
True TooManyReplicas")."""

from __future__ import annotations

from bot.cluster.outputs.table import Header, loose_cells
from bot.paste.model import Subject
from bot.paste.table_model import TableReading, failing_subject
from intents.facts.model import OwnerFacts, PodFacts
from intents.lazy_re import lazy_compile

HPA_COLUMNS = frozenset({"REFERENCE", "TARGETS", "MAXPODS", "REPLICAS"})
_TARGET = lazy_compile(
    r"(?<!\d)(\d+(?:\.\d+)?)([a-zA-Z%]{0,3}) ?/ ?(\d+(?:\.\d+)?)([a-zA-Z%]{0,3})"
)
"""One `current/target` pair of the TARGETS column, each with its unit (%, m, Mi, k...)."""


def at_ceiling(values: dict[str, str]) -> bool:
    """The row runs MAXPODS replicas with a metric above its target (same unit on both sides)."""
    replicas, most = values.get("REPLICAS", ""), values.get("MAXPODS", "")
    if not (replicas.isdigit() and most.isdigit()) or int(replicas) < int(most):
        return False
    return any(
        current_unit == target_unit and float(current) > float(target)
        for current, current_unit, target, target_unit in _TARGET.findall(values.get("TARGETS", ""))
    )


def hpa_name(values: dict[str, str]) -> str:
    """The row's HPA name ("hpa" when the cell is empty)."""
    return values.get("NAME", "").strip() or "hpa"


def ceiling_subject(line: str, header: Header, shape: str) -> Subject | None:
    """A failing row at its ceiling (None: the row fails for another reason)."""
    values = loose_cells(line, header)
    if not at_ceiling(values):
        return None
    name = hpa_name(values)
    owner = OwnerFacts("HorizontalPodAutoscaler", name, at_max_replicas=True)
    label = f"row hpa {name} ({values.get('REPLICAS')} replicas, targets {values.get('TARGETS', '').strip()})"
    return failing_subject(
        label, shape, PodFacts(namespace=values.get("NAMESPACE", ""), name=name, owners=[owner])
    )


HPA = TableReading(
    "get hpa",
    lambda header: header.has(HPA_COLUMNS),
    frozenset({"PodFacts.owners"}),
    failing=ceiling_subject,
)
