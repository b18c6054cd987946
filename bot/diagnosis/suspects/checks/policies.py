"""NetworkPolicies that shut a caller out: a client says its calls to a Service time out or are
refused, and a NetworkPolicy selecting that Service's pods admits none of the client's pods on
that port (or one selecting the client's pods lets none of its traffic out to them).

A policy is read as the API defines it: once any policy selects a pod for Ingress (Egress),
only what some such policy's rules allow reaches it (leaves it). A peer or port the input does
not let the check resolve (a namespaceSelector, an ipBlock, matchExpressions, a named port) is
taken to admit: unknown is not absent, and the clue needs a rule that plainly leaves the
caller out.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import mapping, mappings
from bot.diagnosis.suspects.clues import CONFIRMED, Clue, SymptomClass
from bot.diagnosis.suspects.deps import Dependencies, Edge
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of, selects

CLASSES: frozenset[SymptomClass] = frozenset(("errors", "unreachable", "latency"))


def _selects(policy: JsonObject, labels: dict[str, str]) -> bool:
    """The policy's podSelector picks pods with these labels (an empty selector: every pod)."""
    chosen = mapping(policy, "spec", "podSelector")
    if chosen.get("matchExpressions"):
        return False  # not resolved here: the check says nothing of this policy
    match = {str(k): str(v) for k, v in (chosen.get("matchLabels") or {}).items()}
    return not match or selects(match, labels)


def _types(policy: JsonObject) -> set[str]:
    spec = mapping(policy, "spec")
    declared = spec.get("policyTypes")
    if isinstance(declared, list):
        return {str(t) for t in declared}
    return {"Ingress", *(["Egress"] if spec.get("egress") else [])}


def _peer_admits(peer: JsonObject, labels: dict[str, str]) -> bool:
    chosen = peer.get("podSelector")
    if peer.get("namespaceSelector") is not None or peer.get("ipBlock") is not None:
        return True  # not resolved here
    if not isinstance(chosen, dict) or chosen.get("matchExpressions"):
        return True
    match = {str(k): str(v) for k, v in (chosen.get("matchLabels") or {}).items()}
    return not match or selects(match, labels)


def _port_admits(rule: JsonObject, port: int | None) -> bool:
    ports = mappings(rule, "ports")
    return (
        not ports
        or port is None
        or any(p.get("port") in (None, port) or isinstance(p.get("port"), str) for p in ports)
    )


def _admits(rules: list[JsonObject], peers: str, labels: dict[str, str], port: int | None) -> bool:
    """Some rule lets a pod with these labels through on the port."""
    for rule in rules:
        listed = mappings(rule, peers)
        if _port_admits(rule, port) and (
            not listed or any(_peer_admits(p, labels) for p in listed)
        ):
            return True
    return False


def shut_out(
    policies: Iterable[JsonObject], caller: dict[str, str], callee: dict[str, str], port: int | None
) -> list[str]:
    """The policies that keep a pod labelled `caller` from one labelled `callee` on `port`:
    every policy selecting the callee for Ingress when none admits the caller, then the same
    for the caller's Egress (empty: nothing shuts it out)."""
    policies = list(policies)
    for direction, chosen, peer, field in (
        ("Ingress", callee, caller, "from"),
        ("Egress", caller, callee, "to"),
    ):
        over = [p for p in policies if direction in _types(p) and _selects(p, chosen)]
        rules = [r for p in over for r in mappings(p, "spec", direction.lower())]
        if over and not _admits(rules, field, peer, port):
            return [name_of(p) for p in over]
    return []


def _clue(graph: Graph, caller: Workload, edge: Edge, names: list[str]) -> Clue:
    service = f"service/{edge.callee}"
    policy = names[0]
    return Clue(
        "policy_shuts_out_caller",
        service,
        f"networkpolicy/{policy}",
        (
            (
                f"NetworkPolicy {', '.join(names)} selects the pods of {service} and admits no "
                f"pod of {caller.ref} on port {edge.port or 'any'}"
            ),
            f"{caller.ref}: {edge.failing}: {edge.how}",
        ),
        (service, f"NetworkPolicy {policy} shuts out {caller.ref}", edge.failing),
        CONFIRMED,
        affects=frozenset({graph.known_as(caller)}),
        classes=CLASSES,
        names=frozenset({edge.callee, caller.name, policy}),
        why=(f"a NetworkPolicy admits none of {caller.ref}'s pods, whose calls fail",),
        fix_names={
            "service": edge.callee,
            "workload": caller.ref,
            "policy": policy,
            "namespace": graph.namespace,
            **({"port": str(edge.port)} if edge.port else {}),
        },
    )


def check(graph: Graph, deps: Dependencies) -> list[Clue]:
    policies = graph.snapshot.of("networkpolicies")
    if not policies:
        return []
    clues = []
    for caller in graph.workloads.values():
        for edge in deps.edges.get(caller.ref, ()):
            service = graph.service(edge.callee) if edge.failing else None
            for callee in graph.backing(service) if service is not None else []:
                names = shut_out(policies, caller.labels, callee.labels, edge.port)
                if names:
                    clues.append(_clue(graph, caller, edge, names))
                    break
    return clues
