"""Group pasted events by the object they are about, as subjects the rules can read.

Events about a pod or a node become that pod's or node's events; events
about anything else (a Deployment, an HPA, a claim, a Certificate) are
held by a stand-in subject named after the object, so event rules still
run on them and the answer can say which object the event was about.
"""

from __future__ import annotations

from bot.evidence.health import event_healthy
from bot.paste.events import PastedEvent
from bot.paste.model import EVENTS, POD_EVENTS, Subject
from intents.facts.model import EventFacts, NodeFacts, PodFacts

MAX_EVENT_SUBJECTS = 500


def _label(kind: str, namespace: str | None, name: str) -> str:
    where = f"{namespace}/" if namespace and kind != "Node" else ""
    return f"{kind or 'object'} {where}{name}".strip() if name else "the pasted events"


def event_subjects(pasted: list[PastedEvent], shape: str) -> list[Subject]:
    """One subject per object the events name (pods and nodes as such)."""
    grouped: dict[tuple[str, str | None, str], list[EventFacts]] = {}
    for row in pasted:
        key = (row.event.object_kind, row.namespace, row.event.object_name)
        if key in grouped or len(grouped) < MAX_EVENT_SUBJECTS:
            grouped.setdefault(key, []).append(row.event)
    subjects = []
    for (kind, namespace, name), events in grouped.items():
        facts: PodFacts | NodeFacts
        if kind == "Node":
            facts = NodeFacts(name=name, events=events)
        else:
            facts = PodFacts(namespace=namespace or "", name=name, events=events)
        healthy = all(event_healthy(event) for event in events)
        seen = {EVENTS, POD_EVENTS} if kind in ("Pod", "") else {EVENTS}
        subjects.append(Subject(_label(kind, namespace, name), shape, facts, seen, healthy))
    return subjects
