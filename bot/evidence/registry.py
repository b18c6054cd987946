"""The explicit list of evidence collectors, in the order their gaps are reported."""

from __future__ import annotations

from bot.evidence.base import Collector
from bot.evidence.events import EventsCollector
from bot.evidence.logs import LogsCollector
from bot.evidence.nodes import NodesCollector
from bot.evidence.owners import OwnersCollector
from bot.evidence.quotas import QuotasCollector
from bot.evidence.services import ServicesCollector
from bot.evidence.volumes import VolumesCollector

COLLECTORS: dict[str, Collector] = {
    "events": EventsCollector(),
    "logs": LogsCollector(),
    "nodes": NodesCollector(),
    "volumes": VolumesCollector(),
    "owners": OwnersCollector(),
    "services": ServicesCollector(),
    "quotas": QuotasCollector(),
}
