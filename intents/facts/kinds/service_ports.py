"""A selecting Service's target ports against the ports the pod's containers declare."""

from __future__ import annotations

from intents.facts.kind import FactKind, Facts, Rule, RuleField, pod
from intents.facts.model import PodFacts


def _port_mismatch(
    target: str, protocol: str, ports: list[tuple[str, int, str]]
) -> tuple[str, str] | None:
    """("port" or "protocol", what differs) of one Service port against the declared ports."""
    declared = ", ".join(
        f"{name + '=' if name else ''}{number}/{proto}" for name, number, proto in ports
    )
    if not target.isdigit():
        named = [proto for name, _number, proto in ports if name == target]
        if not named:
            return "port", (
                f"targets port name {target!r}, which no container declares ({declared or 'none'})"
            )
        if protocol not in named:
            return "protocol", (
                f"targets port {target}/{protocol}; the container declares it as {'/'.join(named)}"
            )
        return None
    same_number = [proto for _name, number, proto in ports if number == int(target)]
    if ports and not same_number:
        return "port", f"targets port {target}/{protocol}; the containers declare {declared}"
    if same_number and protocol not in same_number:
        return "protocol", (
            f"targets port {target}/{protocol}; the container declares it as "
            f"{'/'.join(same_number)}"
        )
    return None


def service_port_mismatches(facts: PodFacts, kind: str | None = None) -> list[str]:
    """Each selecting Service port whose target (number or name: `kind` "port"; protocol:
    "protocol"; None: either) no container declares. A port name is judged only where the
    Service has no ready endpoint (one it has says the name resolved on a pod) and the input
    showed the ports' names (a describe prints `8080/TCP` without them)."""
    return [
        f"Service {service.name} {mismatch[1]}"
        for service in facts.services
        for target, protocol in service.targets
        if (target.isdigit() or (service.ready <= 0 and facts.port_names_shown))
        and (mismatch := _port_mismatch(target, protocol, facts.ports)) is not None
        and kind in (None, mismatch[0])
    ]


def check(rule: Rule, facts: Facts) -> str | None:
    """A selecting Service's targetPort (number or name) or protocol against the containers'
    ports."""
    found = pod(facts)
    if found is None or not found.services:
        return None
    wanted, kind = (
        (rule.service_port_mismatch, "port")
        if rule.service_port_mismatch is not None
        else (rule.service_protocol_mismatch, "protocol")
    )
    mismatches = service_port_mismatches(found, kind)
    if wanted:
        return mismatches[0] if mismatches else None
    services = ", ".join(s.name for s in found.services)
    return None if mismatches else f"the {kind}s of Service(s) {services} match"


KIND = FactKind(
    "service_ports",
    90,
    "PodFacts.services, ports",
    __doc__ or "",
    check=check,
    fields=(
        RuleField(
            "service_port_mismatch",
            bool | None,
            "A Service selecting the pod targets a port "
            "(number or name) none of the pod's containers declares.",
            refutes=True,
        ),
        RuleField(
            "service_protocol_mismatch",
            bool | None,
            "A Service selecting the pod targets a "
            "port its containers declare with another protocol (UDP against TCP).",
            refutes=True,
        ),
    ),
)
