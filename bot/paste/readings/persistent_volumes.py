"""`kubectl get pv` beside a claim without a StorageClass: is there a volume it could bind to?

A claim that names no StorageClass is bound statically, to a hand-made PersistentVolume whose
STATUS is Available.  With a PV listing in the paste that shows none Available, a Pending
claim without a class has nothing to bind to (`VolumeFacts.no_available_volume`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.cluster.outputs.table import Header, loose_cells
from bot.paste.model import PastedFacts
from bot.paste.reading import AfterReading
from bot.paste.table_model import TableBlock, TableReading
from intents.facts.model import PodFacts

COLUMNS = frozenset({"NAME", "CAPACITY", "RECLAIM POLICY", "STATUS", "CLAIM"})


@dataclass(frozen=True)
class VolumesAvailable:
    """How many PVs one listing shows Available."""

    count: int


def count_available(block: TableBlock, rows: Sequence[str], header: Header) -> None:
    block.found.append(
        VolumesAvailable(
            sum(loose_cells(line, header).get("STATUS") == "Available" for line in rows)
        )
    )


def check_static_claims(facts: PastedFacts) -> None:
    """A Pending claim without a StorageClass while the listings show no Available PV."""
    listings = facts.found(VolumesAvailable)
    if not listings or sum(found.count for found in listings) != 0:
        return
    for subject in facts.subjects:
        if not isinstance(subject.facts, PodFacts):
            continue
        volumes = []
        for volume in subject.facts.volumes:
            if volume.phase == "Pending" and volume.storage_class in (None, "", "<unset>"):
                # no class to miss: binding is static, and nothing is there to bind to
                volume = replace(volume, storage_class_exists=True, no_available_volume=True)
            volumes.append(volume)
        subject.facts.volumes = volumes


PERSISTENT_VOLUMES = TableReading(
    "get pv",
    lambda header: header.has(COLUMNS),
    finish=count_available,
)
CHECK_STATIC_CLAIMS = AfterReading(
    "static claims", check_static_claims, "PV listings and pasted claims"
)
