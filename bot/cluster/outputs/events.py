"""Events as `kubectl get events`, `kubectl events` and describe's Events table print them.

describe:    Type  Reason  Age [(xN over T)]  From  Message
get events:  [NAMESPACE] LAST SEEN  TYPE  REASON  OBJECT [SUBOBJECT SOURCE] MESSAGE [FIRST SEEN COUNT NAME]

The one reader of event rows, for a paste and a folder of outputs alike. Whitespace may be
collapsed (Slack, an email) and a header may be missing (`kubectl get events | tail`), so rows
are read as tokens anchored on the event type; the `From` column is recognised by its look (a
lower-case component name such as kubelet or default-scheduler), because a message starts with
a capital letter, a digit or a plain word. Each row becomes a core/v1 Event about its object
(`involvedObject`), with its count and its first and last times from the ages (`2m (x5 over
10m)`: last seen 2 min ago, five times, first 10 min ago). An event's name is derived from its
object, reason and message, so the same event seen in `get events` and in a describe is one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from typing import Any

from bot.cluster.outputs.ages import Stamp, age_seconds
from bot.cluster.outputs.kinds import OUTPUT_KINDS, resolve
from bot.cluster.outputs.recording import LINE
from bot.cluster.outputs.table import columns_of, cut_at, is_age, read_header
from bot.cluster.reader import JsonObject

EVENT_TYPES = frozenset({"Normal", "Warning"})
MAX_MESSAGE_CHARS = 4000
MAX_CONTINUATION = 20
"""Lines of one event's multi-line message (kubectl prints a message's newlines as they are)."""
MAX_LINE_CHARS = 4000
_REASON = re.compile(r"^[A-Z][A-Za-z0-9_.:-]{1,80}$")
_SOURCE = re.compile(r"^[a-z][a-z0-9._/:-]{0,120},?$")
_SOURCE_MARK = re.compile(r"[-._/,:]")
_COUNT = re.compile(r"^\(x(\d{1,9})$")
KNOWN_SOURCES = frozenset({"kubelet", "karpenter", "kueue", "flux", "argocd", "linkerd", "keda"})
_NEW_SHAPE = ("Name:", "NAME ", "NAMESPACE ", "LAST SEEN", "apiVersion:", "kind:", "{", "[")
_DESCRIBE_COLUMNS = ("Type", "Reason", "Age", "From", "Message")


def _times(count: int, last: float | None, first: float | None) -> dict[str, Any]:
    out: dict[str, Any] = {"count": max(count, 1)}
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
    times: dict[str, Any],
    source: str = "",
    namespace: str | None = None,
) -> JsonObject:
    """A core/v1 Event about `involved` (kind, name, namespace)."""
    message = message.strip()[:MAX_MESSAGE_CHARS]
    digest = hashlib.blake2b(
        f"{involved.get('kind')}/{reason}/{message}".encode(), digest_size=6
    ).hexdigest()
    namespace = involved.get("namespace") or namespace
    meta: dict[str, Any] = {"name": f"{involved.get('name') or 'unknown'}.{digest}"}
    if namespace:
        meta["namespace"] = namespace
        involved = {**involved, "namespace": namespace}
    obj: JsonObject = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": meta,
        "involvedObject": involved,
        "reason": reason,
        "message": message,
        "type": type_,
        **times,
    }
    component, _, host = source.partition(",")
    if component.strip():
        obj["source"] = {
            "component": component.strip(),
            **({"host": host.strip()} if host.strip() else {}),
        }
    return obj


def kind_of(text: str) -> str:
    """'pod' / 'Pod' / 'deployment.apps' -> the API kind."""
    plural = resolve(text)
    if plural in OUTPUT_KINDS:
        return OUTPUT_KINDS[plural].kind
    base = text.split(".")[0]
    return base[:1].upper() + base[1:]


def is_source(token: str) -> bool:
    """Looks like an event source (kubelet, default-scheduler, "kubelet,"), not a message word."""
    return bool(_SOURCE.match(token)) and (
        token.rstrip(",") in KNOWN_SOURCES or _SOURCE_MARK.search(token) is not None
    )


def interval(words: Sequence[str], start: int) -> tuple[int, int, float | None, float | None]:
    """An event age at `start` ("3m" or "3m (x5 over 10m)"): (count, next index, seconds since
    last seen, since first seen); count 0 when there is none."""
    if start >= len(words) or not is_age(words[start]):
        return 0, start, None, None
    last = age_seconds(words[start])
    found = _COUNT.match(words[start + 1]) if start + 1 < len(words) else None
    if found and start + 3 < len(words) and words[start + 2] == "over":
        return int(found.group(1)), start + 4, last, age_seconds(words[start + 3].rstrip(")"))
    return 1, start + 1, last, None


def _offset(line: str, words: Sequence[str], index: int) -> int:
    """Where word `index` of `line` starts (words are its whitespace-split words)."""
    position = 0
    for word in words[:index]:
        position = line.find(word, position) + len(word)
    return line.find(words[index], position)


def _past_source(words: Sequence[str], at: int) -> int:
    if at < len(words) and is_source(words[at]):
        return at + (2 if words[at].endswith(",") and at + 1 < len(words) else 1)
    return at


def describe_row(line: str, involved: dict[str, str]) -> JsonObject | None:
    """A row of a describe Events table (about the object described)."""
    line = line[:MAX_LINE_CHARS]
    words = line.split()
    if len(words) < 3 or words[0] not in EVENT_TYPES or not _REASON.match(words[1]):
        return None
    count, at, last, first = interval(words, 2)
    if count == 0:
        # a row shortened by hand ("Warning  FailedMount  MountVolume.SetUp failed ..."): no age
        # and no source, the message right after the reason
        if len(words) < 5 or is_source(words[2]):
            return None
        count, at = 1, 2
    source_at, at = at, _past_source(words, at)
    source = " ".join(words[source_at:at])
    message = line[_offset(line, words, at) :].strip() if at < len(words) else ""
    return event(
        involved=involved,
        reason=words[1],
        message=message,
        type_=words[0],
        times=_times(count, last, first),
        source=source,
    )


def _involved(words: list[str], at: int) -> tuple[dict[str, str], int]:
    """The row's `kind/name` object at `at` (blank when the row names none), and where its
    next word is."""
    if "/" not in words[at]:
        return {"kind": "", "name": ""}, at
    kind, _, name = words[at].partition("/")
    return {"kind": kind_of(kind), "name": name}, at + 1


def _message(line: str, words: list[str], at: int, end: int) -> str:
    """The row's words from `at` to `end` as the line spells them (its inner spaces kept)."""
    if at >= end:
        return ""
    stop = _offset(line, words, end - 1) + len(words[end - 1])
    return line[_offset(line, words, at) : stop].strip()


def get_row(line: str, *, namespaced: bool, wide: bool, namespace: str | None) -> JsonObject | None:
    """A row of `kubectl get events` / `kubectl events` (with -A: a NAMESPACE first)."""
    line = line[:MAX_LINE_CHARS]
    words = line.split()
    at = 1 if namespaced else 0
    count, after, last, first = interval(words, at)
    if count == 0 or after + 2 >= len(words) or words[after] not in EVENT_TYPES:
        return None
    type_, reason = words[after], words[after + 1]
    if not _REASON.match(reason):
        return None
    involved, at = _involved(words, after + 2)
    end, source = len(words), ""
    if wide:
        at, end, source, first_count = _wide(words, at)
        if first_count is not None:
            first, count = first_count
    return event(
        involved=involved,
        reason=reason,
        message=_message(line, words, at, end),
        type_=type_,
        times=_times(count, last, first),
        source=source,
        namespace=words[0] if namespaced else namespace,
    )


def _wide(words: Sequence[str], at: int) -> tuple[int, int, str, tuple[float | None, int] | None]:
    """-o wide's columns around the message: SUBOBJECT and SOURCE before it, FIRST SEEN, COUNT
    and NAME after it; (message start, message end, source, (first seen, count))."""
    if at < len(words) and words[at].startswith("spec."):
        at += 1
    source_at, at = at, _past_source(words, at)
    end, counted = len(words), None
    if end - at >= 4 and is_age(words[end - 3]) and words[end - 2].isdigit():
        counted = (age_seconds(words[end - 3]), int(words[end - 2]))
        end -= 3
    return at, end, " ".join(words[source_at:at]), counted


def table_events(
    lines: Sequence[str], namespace: str | None, bad: list[int]
) -> Iterator[JsonObject]:
    """Events of a `get events` / `kubectl events` output; `bad` gets unreadable row indexes."""
    namespaced = wide = False
    for i, line in enumerate(lines):
        if not line.strip() or line.startswith("No resources found"):
            continue
        if (header := read_header(line, min_names=1)) is not None:
            namespaced, wide = header.namespaced, header.wide
            continue
        found = get_row(line, namespaced=namespaced, wide=wide, namespace=namespace)
        if found is None:
            bad.append(i)
        else:
            found[LINE] = i
            yield found


def by_offsets(line: str, layout: tuple[tuple[str, int], ...] | None) -> dict[str, str] | None:
    """A describe Events row cut at its header's offsets (the spacing kept), else None."""
    if layout is None or tuple(name for name, _ in layout) != _DESCRIBE_COLUMNS:
        return None
    return cut_at(line, layout)


def offsets_row(
    line: str, layout: tuple[tuple[str, int], ...] | None, involved: dict[str, str]
) -> JsonObject | None:
    """A describe Events row read by its header's offsets (None when they do not fit)."""
    cells = by_offsets(line.rstrip(), layout)
    if cells is None or cells["Type"] not in EVENT_TYPES or not cells["Reason"]:
        return None
    ages = cells["Age"].split()
    count, used, last, first = interval(ages, 0)
    if count == 0 or used != len(ages):
        return None
    return event(
        involved=involved,
        reason=cells["Reason"],
        message=cells["Message"],
        type_=cells["Type"],
        times=_times(count, last, first),
        source=cells["From"],
    )


def continued(previous: JsonObject, line: str, lines_so_far: int) -> bool:
    """`line` goes on the message of the event read before it (a message over several lines)."""
    stripped = line.strip()
    return (
        bool(stripped)
        and lines_so_far < MAX_CONTINUATION
        and not stripped.startswith(_NEW_SHAPE)
        and len(previous["message"]) < MAX_MESSAGE_CHARS
    )


def _rule_or_blank(stripped: str) -> bool:
    """A blank line, or the table's `----` rule."""
    return not stripped or set(stripped) <= {"-", " "}


def describe_events(
    lines: Sequence[str], involved: dict[str, str], numbers: Sequence[int] = ()
) -> list[JsonObject]:
    """Rows of describe's Events table (after its `Type Reason Age From Message` header);
    `numbers`: the text's line of each of `lines`, kept on each event (`LINE`)."""
    out: list[JsonObject] = []
    layout: tuple[tuple[str, int], ...] | None = None
    more = 0
    for number, line in enumerate(lines):
        stripped = line.strip()
        if _rule_or_blank(stripped):
            continue
        if stripped.split() == list(_DESCRIBE_COLUMNS):
            layout = columns_of(line).layout
        elif (
            found := offsets_row(line, layout, involved) or describe_row(line, involved)
        ) is not None:
            if number < len(numbers):
                found[LINE] = numbers[number]
            out.append(found)
            more = 0
        elif out and continued(out[-1], line, more):
            out[-1]["message"] = f"{out[-1]['message']} {stripped}"[:MAX_MESSAGE_CHARS]
            more += 1
    return out
