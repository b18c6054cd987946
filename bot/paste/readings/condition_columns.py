"""Columns custom resources print a condition in: a False there is the object failing.

Kinds print their .status.conditions as additionalPrinterColumns: a Gateway's PROGRAMMED, a
GatewayClass's ACCEPTED, Crossplane's SYNCED, cert-manager's READY.  A failing row of such a
table is the object's conditions as a describe gives them (`OwnerFacts.condition_states`,
"Programmed=False"): the row's cells alone sit under a header the matcher never reads.
"""

from __future__ import annotations

from bot.cluster.outputs.table import Header, loose_cells
from bot.paste.model import Subject
from bot.paste.table_model import TableReading, failing_subject
from intents.facts.model import OwnerFacts, PodFacts

CONDITION_COLUMNS = (
    "AVAILABLE",
    "READY",
    "PROGRAMMED",
    "ACCEPTED",
    "SYNCED",
    "HEALTHY",
    "RECONCILED",
    "RESOLVEDREFS",
    "ESTABLISHED",
    "VALID",
)
_CONDITION_TYPES = {"RESOLVEDREFS": "ResolvedRefs"}
_KIND_BY_COLUMNS = (
    (frozenset({"CONTROLLER", "ACCEPTED"}), "GatewayClass"),
    (frozenset({"PROGRAMMED"}), "Gateway"),
)
"""Kinds whose `get` columns name them: Gateway API's printer columns."""


def conditions_subject(line: str, header: Header, shape: str) -> Subject | None:
    """A failing row whose condition columns are False or Unknown, as its object's conditions
    (else None)."""
    values = loose_cells(line, header)
    kind = next((kind for columns, kind in _KIND_BY_COLUMNS if columns <= set(header.names)), "")
    name = values.get("NAME", "").strip()
    states = tuple(
        f"{_CONDITION_TYPES.get(column, column.title())}={values[column]}"
        for column in CONDITION_COLUMNS
        if values.get(column) in ("False", "Unknown")
    )
    if not states:
        return None
    owner = OwnerFacts(kind or "Object", name, condition_states=states)
    return failing_subject(
        f"row {kind} {name or 'object'}".replace("  ", " "),
        shape,
        PodFacts(namespace=values.get("NAMESPACE", ""), name=name, owners=[owner]),
    )


CONDITIONS = TableReading(
    "condition columns",
    lambda header: True,
    frozenset({"PodFacts.owners"}),
    failing=conditions_subject,
)
