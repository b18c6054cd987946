"""Event rows, as `kubectl describe` and `kubectl get events` / `kubectl events` print them.

describe:    Type  Reason  Age [(xN over T)]  From  Message
get events:  [NAMESPACE] LAST SEEN  TYPE  REASON  OBJECT [SUBOBJECT SOURCE] MESSAGE [FIRST SEEN COUNT NAME]

Whitespace may be collapsed, so rows are read as tokens anchored on the
event type; the `From` column is recognised by its look (a lower-case
component name such as kubelet or default-scheduler) because a message
starts with a capital letter, a digit or a plain word.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.evidence.common import bounded
from bot.paste.text import MAX_LINE_CHARS, age_seconds, interval, is_age
from intents.facts.model import EventFacts
from intents.lazy_re import lazy_compile

EVENT_TYPES = frozenset({"Normal", "Warning"})
_REASON = lazy_compile(r"^[A-Z][A-Za-z0-9_.:-]{1,80}$")
_SOURCE = lazy_compile(r"^[a-z][a-z0-9._/:-]{0,120},?$")
_SOURCE_MARK = lazy_compile(r"[-._/,:]")
KNOWN_SOURCES = frozenset({"kubelet", "karpenter", "kueue", "flux", "argocd", "linkerd", "keda"})
KINDS = {
    "pod": "Pod",
    "node": "Node",
    "persistentvolumeclaim": "PersistentVolumeClaim",
    "persistentvolume": "PersistentVolume",
    "deployment": "Deployment",
    "replicaset": "ReplicaSet",
    "statefulset": "StatefulSet",
    "daemonset": "DaemonSet",
    "job": "Job",
    "cronjob": "CronJob",
    "horizontalpodautoscaler": "HorizontalPodAutoscaler",
    "service": "Service",
    "endpoints": "Endpoints",
    "ingress": "Ingress",
    "namespace": "Namespace",
    "poddisruptionbudget": "PodDisruptionBudget",
    "lease": "Lease",
}


@dataclass(frozen=True)
class PastedEvent:
    """One event row, with the object it is about when the row names it."""

    event: EventFacts
    namespace: str | None = None
    age: int | None = None
    """Seconds since the event was last seen (its LAST SEEN cell), when the row gives it."""


def _offset(line: str, words: list[str], index: int) -> int:
    """Where word `index` of `line` starts (words are its whitespace-split words)."""
    position = 0
    for word in words[:index]:
        position = line.find(word, position) + len(word)
    return line.find(words[index], position)


def is_source(token: str) -> bool:
    """Looks like an event source (kubelet, default-scheduler, "kubelet,"), not a message word."""
    return bool(_SOURCE.match(token)) and (
        token.rstrip(",") in KNOWN_SOURCES or _SOURCE_MARK.search(token) is not None
    )


def kind_of(text: str) -> str:
    """'pod' / 'Pod' / 'deployment.apps' -> the API kind."""
    base = text.split(".")[0]
    return KINDS.get(base.lower(), base[:1].upper() + base[1:])


def _facts(kind: str, name: str, reason: str, message: str, type_: str, count: int) -> EventFacts:
    return EventFacts(
        reason=reason,
        message=bounded(message) or "",
        type=type_,
        count=max(count, 1),
        object_kind=kind,
        object_name=name,
    )


def describe_row(line: str, *, kind: str = "Pod", name: str = "") -> EventFacts | None:
    """A row of a describe Events table (the object is the one described)."""
    line = line[:MAX_LINE_CHARS]
    words = line.split()
    if len(words) < 3 or words[0] not in EVENT_TYPES or not _REASON.match(words[1]):
        return None
    count, at = interval(words, 2)
    if count == 0:
        # a row shortened by hand ("Warning  FailedMount  MountVolume.SetUp failed ..."): no age
        # and no source, the message right after the reason
        if len(words) < 5 or is_source(words[2]):
            return None
        count, at = 1, 2
    if at < len(words) and is_source(words[at]):
        at += 2 if words[at].endswith(",") and at + 1 < len(words) else 1
    message = line[_offset(line, words, at) :].strip() if at < len(words) else ""
    return _facts(kind, name, words[1], message, words[0], count)


def get_row(line: str, *, namespaced: bool, wide: bool) -> PastedEvent | None:
    """A row of `kubectl get events` / `kubectl events` (with -A: a NAMESPACE first)."""
    line = line[:MAX_LINE_CHARS]
    words = line.split()
    at = 1 if namespaced else 0
    count, after = interval(words, at)
    if count == 0 or after + 2 >= len(words) or words[after] not in EVENT_TYPES:
        return None
    type_, reason = words[after], words[after + 1]
    if not _REASON.match(reason):
        return None
    at = after + 2
    kind, name = "", ""
    if "/" in words[at]:
        kind, _, name = words[at].partition("/")
        kind, at = kind_of(kind), at + 1
    end = len(words)
    if wide:
        at, end = _skip_wide(words, at)
    message = ""
    if at < end:
        last = _offset(line, words, end - 1)
        message = line[_offset(line, words, at) : last + len(words[end - 1])].strip()
    return PastedEvent(
        _facts(kind, name, reason, message, type_, count),
        words[0] if namespaced else None,
        age_seconds(words[1 if namespaced else 0]),
    )


def _skip_wide(words: list[str], at: int) -> tuple[int, int]:
    """Skip SUBOBJECT/SOURCE before the message and FIRST SEEN/COUNT/NAME after it."""
    if at < len(words) and words[at].startswith("spec."):
        at += 1
    if at < len(words) and is_source(words[at]):
        at += 2 if words[at].endswith(",") and at + 1 < len(words) else 1
    end = len(words)
    if end - at >= 4 and is_age(words[end - 3]) and words[end - 2].isdigit():
        end -= 3
    return at, end
