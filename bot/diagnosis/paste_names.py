"""The fix values a paste's recorded objects hold as fields: read from the objects, not the text.

A fix that rewrites a probe writes its path and the port the container listens on: the one port
the container declares, when it declares exactly one, else the probe's own. A fix that names a
cert-manager issuer names the one a Certificate asks for (`spec.issuerRef`) or an Ingress's
annotation does. The one reader (bot/cluster/outputs) has read them into the objects, whatever
view showed them (`describe`'s `Readiness: http-get http://:9090/ready ...`, `-o yaml`'s
`readinessProbe:`, a custom resource's `Issuer Ref:`); what only a message says (an event's
`Readiness probe failed: Get "http://10.1.2.3:9090/ready"`, an issuer "not found") stays read
from the text (bot.diagnosis.probe_names, issuer_names).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from bot.cluster.outputs.store import Store
from bot.cluster.reader import JsonObject

PROBES = ("readiness", "liveness", "startup")
WORKLOADS = ("deployments", "statefulsets", "daemonsets", "replicasets", "jobs")
ISSUER_ANNOTATIONS = ("cert-manager.io/cluster-issuer", "cert-manager.io/issuer")


def recorded_names(store: Store) -> dict[str, set[str]]:
    """Every value the objects hold, by kind of name (`readiness-port`, `issuer`)."""
    found: dict[str, set[str]] = defaultdict(set)
    for kind, value in (*_probes(store), *_issuers(store)):
        found[kind].add(value)
    return found


def _pod_specs(store: Store) -> Iterator[JsonObject]:
    for pod in store.objects.get("pods", {}).values():
        yield pod.get("spec") or {}
    for kind in WORKLOADS:
        for workload in store.objects.get(kind, {}).values():
            yield ((workload.get("spec") or {}).get("template") or {}).get("spec") or {}


def _probes(store: Store) -> Iterator[tuple[str, str]]:
    """(kind, value) of each probe's path and the port its fix should use."""
    for spec in _pod_specs(store):
        for container in _dicts(spec.get("containers")):
            yield from _container_probes(container)


def _container_probes(container: JsonObject) -> Iterator[tuple[str, str]]:
    """A container's probes' paths, and the one port it declares (else each probe's own)."""
    declared = [str(p.get("containerPort")) for p in _dicts(container.get("ports"))]
    for probe in PROBES:
        handler = container.get(f"{probe}Probe") or {}
        target = handler.get("httpGet") or handler.get("tcpSocket") or {}
        if not isinstance(target, dict) or not target:
            continue
        if path := target.get("path"):
            yield f"{probe}-path", str(path)
        port = declared[0] if len(declared) == 1 else target.get("port")
        if port is not None:
            yield f"{probe}-port", str(port)


def _issuers(store: Store) -> Iterator[tuple[str, str]]:
    """(`issuer`, name) a Certificate asks for, or an Ingress's cert-manager annotation names."""
    for certificate in store.objects.get("certificates", {}).values():
        reference = (certificate.get("spec") or {}).get("issuerRef") or {}
        if isinstance(reference, dict) and reference.get("name"):
            yield "issuer", str(reference["name"])
    for ingress in store.objects.get("ingresses", {}).values():
        yield from _annotated_issuers(ingress)


def _annotated_issuers(ingress: JsonObject) -> Iterator[tuple[str, str]]:
    """(`issuer`, name) an Ingress's cert-manager annotations name."""
    annotations = (ingress.get("metadata") or {}).get("annotations") or {}
    for key in ISSUER_ANNOTATIONS:
        if annotations.get(key):
            yield "issuer", str(annotations[key])


def _dicts(value: Any) -> Iterable[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
