"""Write gathered facts as the text an engineer would paste (kubectl describe style).

The matcher was built for pasted `kubectl describe` output, events and logs,
so the facts are written in that shape: one line per state, event or
condition, then the log tails.  Only facts read from the cluster are
written; nothing is inferred here.
"""

from __future__ import annotations

from bot.evidence.health import classify
from intents.facts.model import ContainerFacts, EventFacts, NodeFacts, PodFacts
from intents.policy import POLICY


def _container_lines(c: ContainerFacts) -> list[str]:
    lines: list[str] = []
    if c.state == "waiting" and c.reason:
        lines.append(
            f"State: Waiting Reason: {c.reason}" + (f" Message: {c.message}" if c.message else "")
        )
    if c.state == "terminated" and c.reason:
        lines.append(f"State: Terminated Reason: {c.reason} Exit Code: {c.exit_code}")
        if c.message:
            lines.append(c.message)
    if c.last_reason:
        lines.append(
            f"Last State: Terminated Reason: {c.last_reason} Exit Code: {c.last_exit_code}"
        )
        if c.last_message:
            lines.append(c.last_message)
    return lines


def _event_line(event: EventFacts) -> str:
    return f"{event.type}  {event.reason}  (x{event.count})  {event.message}"


def _tail(text: str | None) -> list[str]:
    return (text or "").splitlines()[-POLICY.log_lines :]


def node_lines(node: NodeFacts) -> list[str]:
    """Unhealthy conditions, taints and node events."""
    lines = [
        f"{c.type}  {c.status}  {c.reason}  {c.message}"
        for c in node.conditions
        if (c.type == "Ready") != (c.status == "True")
    ]
    lines += [f"Taints: {taint}" for taint in node.taints]
    lines += [_event_line(event) for event in node.events]
    return lines


def pod_lines(facts: PodFacts) -> list[str]:
    """Everything in PodFacts worth matching, one fact per line."""
    lines = [f"Status: {facts.phase}" + (f" Reason: {facts.reason}" if facts.reason else "")]
    status = classify(facts).status
    if status.startswith("Init:"):
        # kubectl's STATUS column: the only place saying the failing container is an init one
        lines.append(f"STATUS {status}")
    if facts.message:
        lines.append(facts.message)
    lines += [c.message for c in facts.conditions if c.status != "True" and c.message]
    for container in facts.containers:
        lines += _container_lines(container)
    lines += [_event_line(event) for event in facts.events]
    for volume in facts.volumes:
        kind, name, phase = volume.described
        lines.append(f"{kind.lower()} {name} {phase}")
        if volume.storage_class_exists is False:
            lines.append(f'storageclass.storage.k8s.io "{volume.storage_class}" not found')
    for owner in facts.owners:
        lines += list(owner.condition_messages)
    for container in facts.containers:
        lines += _tail(container.previous_log) + _tail(container.current_log)
    return lines


def facts_text(facts: PodFacts | NodeFacts) -> str:
    """The text the matcher reads for these facts."""
    lines = pod_lines(facts) if isinstance(facts, PodFacts) else node_lines(facts)
    return "\n".join(line for line in lines if line.strip())
