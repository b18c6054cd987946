"""A describe Events section pasted alone (with or without `Events:` and its header).

People often paste only the Events of a `kubectl describe`: the rows are read as the events
of an object the paste does not name (they can show the kubelet's or the scheduler's pod
events by their absence).  Failures the object got past are history (bot.paste.describe,
EventsReader.settle).
"""

from __future__ import annotations

from bot.paste.describe import EventsReader, is_event_header, keyed
from bot.paste.model import EVENTS, POD_EVENTS, Block, Subject
from bot.paste.reading import At, Reading
from intents.facts.model import PodFacts

SHAPE = "kubectl describe (Events)"
MAX_ROWS = 5000


def parse_events(lines: list[str], start: int) -> Block | None:
    """The events from `start` on, as one subject (None when no row reads as an event)."""
    reader = EventsReader("", "")
    quiet: set[int] = set()
    end = start
    while end < len(lines) and end - start < MAX_ROWS:
        raw, stripped = lines[end], lines[end].strip()
        if not stripped or (end > start and not reader.events and keyed(stripped) is not None):
            break
        read = True if stripped.startswith("Events:") else reader.read(raw, end)
        if read is None:
            break
        if read:
            quiet.add(end)
        end += 1
    if not reader.events:
        return None
    quiet |= reader.settle()
    subject = Subject(
        "the pasted events",
        SHAPE,
        PodFacts(namespace="", name="", events=reader.events),
        {EVENTS, POD_EVENTS},
        reader.healthy,
        hidden=reader.unrefuting,
    )
    return Block(SHAPE, start, end, quiet=quiet, subjects=[subject]).settle()


def may_start(at: At) -> bool:
    stripped = at.stripped
    return stripped.startswith("Events:") or (
        stripped[0].isupper()
        and (is_event_header(stripped) or stripped.startswith(("Normal", "Warning")))
    )


EVENTS_ALONE = Reading(
    "describe events",
    may_start,
    lambda at: parse_events(at.lines, at.number),
    frozenset({"PodFacts.events"}),
)
