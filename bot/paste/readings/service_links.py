"""A Service and the pods it selects, in one paste: does its targetPort reach a container port?

The cluster path reads a pod's selecting Services and checks each targetPort (number, name,
protocol) against the containers' declared ports (bot.evidence.rules.service_port_mismatches).
A paste can show both sides too: a described Service (`Selector:`, `TargetPort:`) beside
described pods (`Labels:`, `Port:`), or YAML/JSON with a Service and the workload whose pod
template it selects (a chart's rendered manifests, `kubectl get -o yaml`).  Linked, the pod
carries the Service in its facts, so the same evidence rule confirms service-target-port-mismatch
(and, the ports agreeing, refutes a guess at it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.evidence.pods import container_ports
from bot.evidence.service_ports import port_targets
from bot.paste.model import SERVICE_PORTS, PastedFacts, ServiceShape, Subject
from bot.paste.reading import AfterReading
from intents.facts.kinds.service_ports import service_port_mismatches
from intents.facts.model import PodFacts, ServiceFacts

WORKLOADS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}
)
MAX_LINKED = 50
MAX_ITEMS = 2000


def link(pods: Iterable[Subject], services: list[ServiceShape]) -> None:
    """Give each pod the Services that select it; a port none of its containers declares makes
    the pod unhealthy (the paste showed a Service that cannot reach it)."""
    if not services:
        return
    for subject in pods:
        facts = subject.facts
        if not isinstance(facts, PodFacts) or not facts.ports or not facts.labels:
            continue
        chosen = [s for s in services if s.selects(facts)][:MAX_LINKED]
        if not chosen:
            continue
        facts.services = [
            ServiceFacts(s.name, -1, -1, s.targets) for s in chosen
        ]  # endpoints not shown
        subject.seen.add(SERVICE_PORTS)
        if service_port_mismatches(facts):
            subject.healthy = False


def link_described(facts: PastedFacts) -> None:
    """Described Services and the described pods they select: a pod a Service cannot reach
    makes its block unhealthy."""
    services = [s.service for s in facts.subjects if s.service is not None]
    if not services:
        return
    for block in facts.blocks:
        link(block.subjects, services)
        block.settle()


LINK = AfterReading(
    "Services and the pods they select", link_described, "described Services and pods"
)


def labels_of(text: str) -> dict[str, str]:
    """`app=web,tier=front` (kubectl's Selector: and Labels: values) as a mapping."""
    pairs = (item.strip().partition("=") for item in text.split(","))
    return {key: value for key, sign, value in pairs if sign and key}


def target_of(value: str) -> tuple[str, str]:
    """`8080/TCP` or `http/TCP` (kubectl describe service's TargetPort:) -> ("8080", "TCP")."""
    port, _slash, protocol = value.strip().partition("/")
    return port, protocol or "TCP"


def declared_ports(value: str) -> list[tuple[str, int, str]]:
    """`50051/TCP` or `8080/TCP, 9090/TCP` (describe pod's Port:/Ports:) as container ports."""
    found = []
    for item in value.split(","):
        number, _slash, protocol = item.strip().partition("/")
        if number.isdigit() and len(number) <= 5:
            found.append(("", int(number), protocol or "TCP"))
    return found


def manifest_subjects(objects: Iterable[dict[str, Any]], shape: str) -> list[Subject]:
    """The pod templates (and pods) a Service in the same YAML/JSON selects but cannot reach."""
    services: list[ServiceShape] = []
    pods: list[Subject] = []
    for obj in objects:
        kind, meta = obj.get("kind"), obj.get("metadata") or {}
        spec = obj.get("spec") or {}
        if not isinstance(meta, dict) or not isinstance(spec, dict):
            continue
        name, namespace = str(meta.get("name", "")), str(meta.get("namespace", ""))
        if (
            kind == "Service"
            and isinstance(spec.get("selector"), dict)
            and _mappings(spec.get("ports"))
        ):
            selector = tuple((str(k), str(v)) for k, v in spec["selector"].items())
            services.append(ServiceShape(name, namespace, selector, port_targets(obj)))
        elif kind in WORKLOADS or kind == "Pod":
            template = obj if kind == "Pod" else spec.get("template") or {}
            facts = _template_facts(template, namespace, f"{kind} {name}")
            if facts is not None:
                pods.append(Subject(f"{str(kind).lower()} {name}", shape, facts, set(), True))
    link(pods, services)
    return [pod for pod in pods if not pod.healthy]


def _template_facts(template: Any, namespace: str, name: str) -> PodFacts | None:
    if not isinstance(template, dict):
        return None
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    labels = meta.get("labels") if isinstance(meta, dict) else None
    containers = spec.get("containers") if isinstance(spec, dict) else None
    if (
        not isinstance(labels, dict)
        or not _mappings(containers)
        or not all(_mappings(c.get("ports")) for c in containers or [])
    ):
        return None
    return PodFacts(
        namespace=namespace,
        name=name,
        labels={str(k): str(v) for k, v in labels.items()},
        ports=container_ports(spec),
    )


def _mappings(value: Any) -> bool:
    """A YAML/JSON list of mappings, or nothing (a hand-written paste may hold anything)."""
    return value is None or (
        isinstance(value, list) and all(isinstance(item, dict) for item in value)
    )


def objects_in(value: Any, depth: int = 0) -> Iterable[dict[str, Any]]:
    """Every object with a kind in a decoded YAML/JSON value (a List's items included)."""
    if not isinstance(value, dict) or depth > 2:
        return
    if isinstance(value.get("items"), list):
        for item in value["items"][:MAX_ITEMS]:
            yield from objects_in(item, depth + 1)
    elif isinstance(value.get("kind"), str):
        yield value
