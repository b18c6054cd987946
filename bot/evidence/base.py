"""The one small interface every evidence collector implements."""

from __future__ import annotations

from typing import Protocol

from bot.cluster.reader import ClusterReader
from intents.facts.model import PodFacts


class Collector(Protocol):
    """Reads one kind of resource about a pod and adds what it finds to the facts.

    `what` names the evidence in gaps ("could not read events: ..."); a
    collector raises ClusterError when it cannot read anything at all and
    appends to `facts.gaps` itself for partial failures.
    """

    what: str

    async def collect(self, facts: PodFacts, *, reader: ClusterReader) -> None: ...
