"""`kubectl get pvc` rows: each claim's phase, class and volume (a Bound row is healthy).

The claims a table lists are kept too (`Listed`): a manifest in the same paste that declares a
claim the listing lacks may have been refused by a quota (bot.paste.readings.quota_room).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.paste import health
from bot.paste.model import VOLUMES, Subject
from bot.paste.readings.get_pods import NAME, short_name
from bot.paste.table_model import (
    Header,
    HealthyRow,
    Listed,
    Row,
    TableBlock,
    TableReading,
    named_cells,
    row_cells,
)
from bot.paste.text import is_age
from intents.facts.model import PodFacts, VolumeFacts

HEALTHY_SECTIONS = frozenset({VOLUMES})


def cells_of(words: list[str], *, namespaced: bool) -> dict[str, str] | None:
    at = 1 if namespaced else 0
    if len(words) < at + 3 or not is_age(words[-1]) and not is_age(words[-2]):
        return None
    row = {"NAME": words[at], "STATUS": words[at + 1]}
    if namespaced:
        row["NAMESPACE"] = words[0]
    rest = words[at + 2 :]
    if row["STATUS"] == "Bound" and len(rest) >= 5:
        row.update(VOLUME=rest[0], CAPACITY=rest[1], STORAGECLASS=rest[3])
    elif rest and not is_age(rest[0]):
        row["STORAGECLASS"] = rest[0]
    return row


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
    values = row_cells(line, header, lambda words: cells_of(words, namespaced=header.namespaced))
    if not values:
        return None
    if NAME.match(short_name(values.get("NAME", ""))) and values.get("STATUS") == "Bound":
        return HealthyRow(HEALTHY_SECTIONS)
    return claim_subject(values, shape)


def list_claims(block: TableBlock, rows: Sequence[str], header: Header) -> None:
    block.found.append(
        Listed(
            "persistentvolumeclaims",
            frozenset(named_cells(line, header).get("NAME", "") for line in rows),
        )
    )


CLAIMS = TableReading(
    "get pvc",
    lambda header: header.kind == "persistentvolumeclaims",
    frozenset({"PodFacts.volumes"}),
    row=read_row,
    finish=list_claims,
    columns=("ACCESS MODES",),
)
