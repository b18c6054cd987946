"""`kubectl get pvc` rows: each claim's phase, class and volume (a Bound row is healthy).

The claims a table lists are kept too (`Listed`): a manifest in the same paste that declares a
claim the listing lacks may have been refused by a quota (bot.paste.readings.quota_room).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cluster.outputs.table import Header, loose_cells, split_row
from bot.evidence import health
from bot.paste.model import VOLUMES, Subject
from bot.paste.readings.get_pods import NAME, short_name
from bot.paste.table_model import HealthyRow, Listed, Row, TableBlock, TableReading
from intents.facts.model import PodFacts, VolumeFacts

HEALTHY_SECTIONS = frozenset({VOLUMES})


def claim_subject(row: dict[str, str], shape: str) -> Subject | None:
    """A claim from one row (as a pod-less holder of its VolumeFacts)."""
    name, phase = short_name(row.get("NAME", "")), row.get("STATUS", "")
    if not NAME.match(name) or phase not in ("Bound", "Pending", "Lost"):
        return None
    volume = VolumeFacts(
        claim=name,
        phase=phase,
        storage_class=row.get("STORAGECLASS") or None,
        volume=row.get("VOLUME") or None,
    )
    namespace = row.get("NAMESPACE", "")
    facts = PodFacts(namespace=namespace, name=name, volumes=[volume])
    label = f"PersistentVolumeClaim {namespace + '/' if namespace else ''}{name}"
    return Subject(label, shape, facts, {VOLUMES}, health.volume_healthy(volume))


def read_row(line: str, header: Header, shape: str) -> Row:
    values = split_row(line, header)
    if not values:
        return None
    if NAME.match(short_name(values.get("NAME", ""))) and values.get("STATUS") == "Bound":
        return HealthyRow(HEALTHY_SECTIONS)
    return claim_subject(values, shape)


def list_claims(block: TableBlock, rows: Sequence[str], header: Header) -> None:
    block.found.append(
        Listed(
            "persistentvolumeclaims",
            frozenset(loose_cells(line, header).get("NAME", "") for line in rows),
        )
    )


CLAIMS = TableReading(
    "get pvc",
    lambda header: header.kind == "persistentvolumeclaims",
    frozenset({"PodFacts.volumes"}),
    row=read_row,
    finish=list_claims,
)
