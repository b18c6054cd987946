"""Services whose selector matches the pod, and their Endpoints.

A pod that is Running but not Ready drops out of its Services' endpoints;
"no ready endpoints" is what users actually notice (connection refused,
503 from the ingress), so it is recorded per selecting Service.
"""

from __future__ import annotations

import asyncio

from bot.cluster.errors import NotFound
from bot.cluster.reader import ClusterReader, JsonObject
from bot.evidence.common import derived
from bot.evidence.service_ports import count_addresses, port_targets
from intents.facts.model import PodFacts, ServiceFacts

MAX_SERVICES = 500


def selects(service: JsonObject, labels: dict[str, str]) -> bool:
    """True when the Service's (non-empty) selector matches the labels."""
    selector = (service.get("spec") or {}).get("selector") or {}
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


async def service_facts(reader: ClusterReader, namespace: str, service: JsonObject) -> ServiceFacts:
    name, targets = str(service["metadata"]["name"]), port_targets(service)
    try:
        endpoints = await reader.get("endpoints", name, namespace)
    except NotFound:
        return ServiceFacts(name=name, ready=0, not_ready=0, targets=targets)
    ready, not_ready = count_addresses(endpoints)
    return ServiceFacts(name=name, ready=ready, not_ready=not_ready, targets=targets)


def _by_label(services: list[JsonObject]) -> dict[tuple[str, str], list[int]]:
    """(key, value) -> where the Services whose selector asks for it stand in the list (at
    most the MAX_SERVICES asked for), so a pod is matched against the few that could select it."""
    index: dict[tuple[str, str], list[int]] = {}
    for at, service in enumerate(services[:MAX_SERVICES]):
        for pair in ((service.get("spec") or {}).get("selector") or {}).items():
            index.setdefault(pair, []).append(at)
    return index


class ServicesCollector:
    """Selecting Services and how many ready endpoints each has."""

    what = "services"

    @staticmethod
    async def prefetch(namespace: str, name: str, *, reader: ClusterReader) -> None:
        """Start listing the namespace's Services before the pod's labels are known."""
        await reader.list("services", namespace, limit=MAX_SERVICES)

    async def collect(self, facts: PodFacts, *, reader: ClusterReader) -> None:
        services = await reader.list("services", facts.namespace, limit=MAX_SERVICES)
        index = derived("services by selector", services, _by_label)
        candidates = sorted({at for pair in facts.labels.items() for at in index.get(pair, ())})
        selecting = [services[at] for at in candidates if selects(services[at], facts.labels)]
        found = await asyncio.gather(
            *(service_facts(reader, facts.namespace, s) for s in selecting)
        )
        facts.services.extend(found)
