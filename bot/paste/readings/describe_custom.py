"""`kubectl describe` of a custom resource whose status is a fact (a Knative Revision, an Argo CD
Application, a Flux Kustomization, a cert-manager Certificate or Challenge, a database cluster).

kubectl describes a custom resource by printing its object as an indented tree: each field's
name split into capitalised words (`lastTransitionTime` as `Last Transition Time:`), a map's
fields one level deeper, the maps of a list one after the other at the same depth (a key seen
again starts the next one). The tree is read back into the object's shape and read by the
same code as a pasted `-o yaml` (bot.paste.readings.objects), its Events table as a pod's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.paste.describe import EventsReader, keyed
from bot.paste.model import EVENTS, Block, Subject
from bot.paste.reading import At, Reading
from bot.paste.readings.objects import subjects_of
from intents.facts.custom_status import custom_kinds_of
from intents.lazy_re import lazy_compile

SHAPE = "kubectl describe"
MAX_LINES = 2000
MAX_LOOK_AHEAD = 15
"""Lines after `Name:` in which `API Version:` and `Kind:` must appear."""
_KEY_LINE = lazy_compile(r"^( *)([A-Z][A-Za-z0-9 ./()-]{0,60}):(?:[ \t]++(.*))?$")


def _camel(words: str) -> str:
    """`Last Transition Time` -> `lastTransitionTime`; `API Version` -> `apiVersion`."""
    parts = words.replace("API ", "Api ").split()
    return parts[0].lower() + "".join(p[:1].upper() + p[1:] for p in parts[1:]) if parts else ""


def _header(lines: list[str], start: int) -> tuple[str, str] | None:
    """(apiVersion, kind) of a describe starting at `start` when it is a known custom kind."""
    found: dict[str, str] = {}
    for line in lines[start : start + MAX_LOOK_AHEAD]:
        pair = keyed(line.strip())
        if pair is not None and pair[0] in ("API Version", "Kind") and not line.startswith(" "):
            found[pair[0]] = pair[1]
    api, kind = found.get("API Version", ""), found.get("Kind", "")
    return (api, kind) if api and custom_kinds_of(api, kind) is not None else None


def may_start(at: At) -> bool:
    return (
        at.stripped.startswith("Name:")
        and not at.line.startswith(" ")
        and (_header(at.lines, at.number) is not None)
    )


class _Tree:
    """The describe's indented `Key: value` lines as nested maps and lists of maps."""

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}
        # (depth, the map being filled, the map holding it and under which key)
        self.stack: list[tuple[int, dict[str, Any], dict[str, Any] | None, str]] = [
            (-1, self.root, None, "")
        ]
        self.last: tuple[dict[str, Any], str] | None = None

    def add(self, depth: int, key: str, value: str) -> None:
        while self.stack[-1][0] >= depth:
            self.stack.pop()
        at, parent, holder, under = self.stack[-1]
        name = _camel(key)
        if name in parent and holder is not None:  # a key seen again: the list's next map
            items = holder[under]
            parent = {}
            holder[under] = [*(items if isinstance(items, list) else [items]), parent]
            self.stack[-1] = (at, parent, holder, under)
        if value:
            parent[name] = value
            self.last = (parent, name)
            return
        child: dict[str, Any] = {}
        parent[name] = child
        self.stack.append((depth, child, parent, name))
        self.last = None

    def more(self, text: str) -> None:
        """A line of the last value (a long message wrapped)."""
        if self.last is not None:
            parent, name = self.last
            parent[name] = f"{parent[name]} {text}"[:4000]


def read(at: At) -> Block | None:
    header = _header(at.lines, at.number)
    if header is None:
        return None
    tree, end = _Tree(), at.number
    events: EventsReader | None = None
    while end < len(at.lines) and end - at.number < MAX_LINES:
        line = at.lines[end]
        if end > at.number and line.startswith("Name:"):
            break
        if events is not None:
            if events.read(line, end) is None and line.strip():
                break
        elif (found := _KEY_LINE.match(line)) is not None:
            if found.group(2) == "Events" and not found.group(1):
                events = EventsReader(header[1], str(tree.root.get("name", "")))
            else:
                tree.add(len(found.group(1)), found.group(2), (found.group(3) or "").strip())
        elif line.strip():
            tree.more(line.strip())
        end += 1
    status = tree.root.get("status")
    status = _listed(status) if isinstance(status, dict) else {}
    obj = {
        "apiVersion": header[0],
        "kind": header[1],
        "metadata": {
            "name": tree.root.get("name", ""),
            "namespace": tree.root.get("namespace", ""),
        },
        "status": status,
    }
    subjects = [_with_events(s, events) for s in subjects_of(obj, SHAPE)]
    block = Block(SHAPE, at.number, end, subjects=subjects)
    return block.settle()


LISTS = frozenset({"conditions", "messages"})
"""Fields that are lists in the object: describe prints a list of one map as the map alone."""


def _listed(tree: dict[str, Any]) -> dict[str, Any]:
    """The tree with each list field a list, however many maps describe printed."""
    return {
        key: [value] if key in LISTS and isinstance(value, dict) else value
        for key, value in tree.items()
    }


def _with_events(subject: Subject, events: EventsReader | None) -> Subject:
    if events is None or not events.events:
        return subject
    facts = subject.facts
    facts.events = list(events.events)
    return replace(
        subject, seen=subject.seen | {EVENTS}, healthy=subject.healthy and events.healthy
    )


DESCRIBE_CUSTOM = Reading(
    "describe custom resource",
    may_start,
    read,
    frozenset({"PodFacts.more", "PodFacts.owners", "PodFacts.events"}),
)
