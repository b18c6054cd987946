"""Events as `kubectl get events`, `kubectl events` and describe's Events table print them.

Each row becomes a core/v1 Event about its object (`involvedObject`), with its count
and its first and last times from the ages (`2m (x5 over 10m)`: last seen 2 min ago,
five times, first 10 min ago).  An event's name is derived from its object, reason and
message, so the same event seen in `get events` and in a describe is one event.
Rows may come without their header (`kubectl get events | tail`): a row that starts
with an age and Normal/Warning is read as the default columns.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from typing import Any

from bot.cluster.outputs.ages import Stamp, age_seconds
from bot.cluster.outputs.kinds import OUTPUT_KINDS, resolve
from bot.cluster.outputs.table import Header, columns_of, is_header, read_header, split_row
from bot.cluster.reader import JsonObject

EVENT_TYPES = ("Normal", "Warning")
MAX_MESSAGE_CHARS = 4000
_REPEATS = re.compile(r"^(\S+)\s+\(x(\d+) over (\S+)\)$")
_BARE_ROW = re.compile(
    r"^(?:(?P<ns>[a-z0-9][-a-z0-9.]*)\s+)?(?P<age>\S+(?:\s+\(x\d+ over \S+\))?)\s+"
    r"(?P<type>Normal|Warning)\s+(?P<reason>\S+)\s+(?P<object>[\w.-]+/\S+)\s+(?P<message>.*)$"
)
_DESCRIBE_ROW = re.compile(
    r"^(?P<type>Normal|Warning)\s+(?P<reason>\S+)\s+(?P<age>\S+(?: \(x\d+ over \S+\))?)\s+"
    r"(?P<source>\S+(?:, \S+)?)\s+(?P<message>.*)$"
)


def _times(age_text: str) -> dict[str, Any]:
    """count, lastTimestamp and firstTimestamp of an age cell (`2m`, `2m (x5 over 10m)`)."""
    text = age_text.strip()
    count, first = 1, None
    if m := _REPEATS.match(text):
        text, count, first = m[1], int(m[2]), age_seconds(m[3])
    last = age_seconds(text)
    out: dict[str, Any] = {"count": count}
    if last is not None:
        out["lastTimestamp"] = Stamp(ago=last)
        out["firstTimestamp"] = Stamp(ago=first if first is not None else last)
    return out


def event(
    *,
    involved: dict[str, str],
    reason: str,
    message: str,
    type_: str,
    age: str,
    source: str = "",
    namespace: str | None = None,
) -> JsonObject:
    """A core/v1 Event about `involved` (kind, name, namespace)."""
    message = message.strip()[:MAX_MESSAGE_CHARS]
    digest = hashlib.blake2b(
        f"{involved.get('kind')}/{reason}/{message}".encode(), digest_size=6
    ).hexdigest()
    namespace = involved.get("namespace") or namespace
    meta: dict[str, Any] = {"name": f"{involved.get('name', 'unknown')}.{digest}"}
    if namespace:
        meta["namespace"] = namespace
        involved = {**involved, "namespace": namespace}
    component, _, host = source.partition(",")
    obj: JsonObject = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": meta,
        "involvedObject": involved,
        "reason": reason,
        "message": message,
        "type": type_,
        **_times(age),
    }
    if component.strip():
        obj["source"] = {
            "component": component.strip(),
            **({"host": host.strip()} if host.strip() else {}),
        }
    return obj


def _object_ref(text: str) -> dict[str, str]:
    word, _, name = text.partition("/")
    plural = resolve(word)
    kind = OUTPUT_KINDS[plural].kind if plural in OUTPUT_KINDS else word[:1].upper() + word[1:]
    return {"kind": kind, "name": name}


def event_from_cells(cells: dict[str, str], namespace: str | None) -> JsonObject | None:
    if cells.get("TYPE") not in EVENT_TYPES or "/" not in cells.get("OBJECT", ""):
        return None
    age = cells.get("LAST SEEN", "")
    if (count := cells.get("COUNT", "")).isdigit() and "FIRST SEEN" in cells:
        age = f"{age} (x{count} over {cells['FIRST SEEN']})"
    return event(
        involved=_object_ref(cells["OBJECT"]),
        reason=cells.get("REASON", ""),
        message=cells.get("MESSAGE", ""),
        type_=cells["TYPE"],
        age=age,
        source=cells.get("SOURCE", ""),
        namespace=cells.get("NAMESPACE") or namespace,
    )


def _bare(line: str, namespace: str | None) -> JsonObject | None:
    if not (m := _BARE_ROW.match(line.strip())):
        return None
    return event(
        involved=_object_ref(m["object"]),
        reason=m["reason"],
        message=m["message"],
        type_=m["type"],
        age=m["age"],
        namespace=m["ns"] or namespace,
    )


def table_events(
    lines: Sequence[str], namespace: str | None, bad: list[int]
) -> Iterator[JsonObject]:
    """Events of a `get events` / `kubectl events` output; `bad` gets unreadable row indexes."""
    header: Header | None = None
    for i, line in enumerate(lines):
        if not line.strip() or line.startswith("No resources found"):
            continue
        if is_header(line):
            header = read_header(line, min_names=1)
            continue
        cells = split_row(line, header) if header else None
        found = event_from_cells(cells, namespace) if cells else _bare(line, namespace)
        if found is None:
            bad.append(i)
        else:
            yield found


def describe_events(lines: Sequence[str], involved: dict[str, str]) -> list[JsonObject]:
    """Rows of describe's Events table (after its `Type Reason Age From Message` header)."""
    out: list[JsonObject] = []
    header: Header | None = None
    for line in lines:
        stripped = line.strip()
        if not stripped or set(stripped) <= {"-", " "}:
            continue
        if stripped.startswith("Type ") and "Reason" in stripped:
            header = columns_of(line.replace("From", "SOURCE").upper())
        elif (found := _describe_event(line, header, involved)) is not None:
            out.append(found)
        elif out and len(out[-1]["message"]) < MAX_MESSAGE_CHARS:
            out[-1]["message"] = f"{out[-1]['message']}\n{stripped}"[:MAX_MESSAGE_CHARS]
    return out


def _describe_event(
    line: str, header: Header | None, involved: dict[str, str]
) -> JsonObject | None:
    """The event of one row of describe's Events table; None for a message's next line."""
    cells = split_row(line, header) if header else None
    if cells and cells.get("TYPE") in EVENT_TYPES:
        return event(
            involved=involved,
            reason=cells.get("REASON", ""),
            message=cells.get("MESSAGE", ""),
            type_=cells["TYPE"],
            age=cells.get("AGE", ""),
            source=cells.get("SOURCE", ""),
        )
    if m := _DESCRIBE_ROW.match(line.strip()):
        return event(
            involved=involved,
            reason=m["reason"],
            message=m["message"],
            type_=m["type"],
            age=m["age"],
            source=m["source"],
        )
    return None
