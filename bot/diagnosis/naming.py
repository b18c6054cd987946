"""Fix commands in the reader's names.

Catalog entries write their commands for any pod (`kubectl logs <pod> -n
<namespace>`); once the diagnosis knows the pod, its namespace, node and
failing container, the placeholders are filled so the command can be run
as shown. This happens on the transport-neutral Diagnosis, so the terminal,
JSON, Slack and `kubemedic preview` show the same commands. Only names that
are valid Kubernetes names are filled (a pasted name is never copied into a
command that a reader may run); an unknown one keeps its placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from bot.evidence.facts import NodeFacts, PodFacts
from intents.schema import FixStep
from responses.diagnosis import Diagnosis, Finding

PLACEHOLDERS = {
    "pod": ("<pod>", "<pod-name>"),
    "namespace": ("<namespace>", "<ns>"),
    "node": ("<node>", "<node-name>"),
    "container": ("<container>", "<container-name>"),
}
_NAME = re.compile(r"^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$")
"""A DNS-1123 subdomain (pods, nodes); namespaces and containers are labels, a subset."""


@dataclass(frozen=True)
class Names:
    """The subject's names, where known."""

    pod: str | None = None
    namespace: str | None = None
    node: str | None = None
    container: str | None = None

    def known(self) -> dict[str, str]:
        """Placeholder -> value, for each name that is known and a valid Kubernetes name."""
        values: dict[str, str] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value and _NAME.match(value):
                values.update(dict.fromkeys(PLACEHOLDERS[item.name], value))
        return values


def _container(facts: PodFacts) -> str | None:
    """The failing container's name when there is one (or the pod has a single container)."""
    failing = {c.name for c in facts.containers if c.failing}
    if len(failing) == 1:
        return failing.pop()
    return facts.containers[0].name if len(facts.containers) == 1 else None


def names_of(facts: PodFacts | NodeFacts | None) -> Names:
    """What the facts name: a pod (namespace, node, failing container) or a node."""
    if isinstance(facts, NodeFacts):
        return Names(node=facts.name)
    if isinstance(facts, PodFacts):
        return Names(pod=facts.name, namespace=facts.namespace, node=facts.node_name,
                     container=_container(facts))
    return Names()


def _filled(text: str | None, values: dict[str, str]) -> str | None:
    if not text:
        return text
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def _step(step: FixStep, values: dict[str, str]) -> FixStep:
    command, config = _filled(step.command, values), _filled(step.config, values)
    if (command, config) == (step.command, step.config):
        return step
    return replace(step, command=command, config=config)


def named_findings(findings: tuple[Finding, ...], names: Names) -> tuple[Finding, ...]:
    """The findings with their fix commands in these names."""
    values = names.known()
    if not values:
        return findings
    out: list[Finding] = []
    for finding in findings:
        entry = finding.match.entry
        steps = [_step(step, values) for step in entry.fix]
        if all(new is old for new, old in zip(steps, entry.fix, strict=True)):
            out.append(finding)
            continue
        match = replace(finding.match, entry=replace(entry, fix=steps))
        out.append(replace(finding, match=match))
    return tuple(out)


def named(diagnosis: Diagnosis, names: Names) -> Diagnosis:
    """The diagnosis with its findings' fix commands in these names."""
    findings = named_findings(diagnosis.findings, names)
    return diagnosis if findings is diagnosis.findings else replace(diagnosis, findings=findings)
