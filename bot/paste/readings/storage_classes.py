"""`kubectl get storageclass` beside a claim: does the class the claim names exist?

The cluster read checks the same (bot.evidence.volumes): a claim naming a class no one created
never binds.  With a StorageClass listing in the paste, each pasted claim's class is known to
exist or not (`VolumeFacts.storage_class_exists`); without one it stays unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.cluster.outputs.table import Header
from bot.paste.model import PastedFacts
from bot.paste.reading import AfterReading
from bot.paste.table_model import TableBlock, TableReading
from bot.paste.text import tokens
from intents.facts.model import PodFacts

COLUMNS = frozenset({"NAME", "PROVISIONER", "RECLAIMPOLICY"})
"""`kubectl get storageclass` (the default class's NAME cell ends in " (default)")."""


@dataclass(frozen=True)
class StorageClassesListed:
    """The StorageClasses one listing names."""

    names: frozenset[str]


def list_classes(block: TableBlock, rows: Sequence[str], header: Header) -> None:
    block.found.append(
        StorageClassesListed(frozenset(tokens(line)[0] for line in rows if tokens(line)))
    )


def check_classes(facts: PastedFacts) -> None:
    """Mark each pasted claim's StorageClass as listed or not."""
    lists = facts.found(StorageClassesListed)
    if not lists:
        return
    listed = frozenset().union(*(found.names for found in lists))
    for subject in facts.subjects:
        if isinstance(subject.facts, PodFacts):
            subject.facts.volumes = [
                replace(v, storage_class_exists=v.storage_class in listed) if v.storage_class else v
                for v in subject.facts.volumes
            ]


STORAGE_CLASSES = TableReading(
    "get storageclass", lambda header: header.has(COLUMNS), finish=list_classes
)
CHECK_CLASSES = AfterReading(
    "claims' StorageClasses", check_classes, "StorageClass listings and pasted claims"
)
