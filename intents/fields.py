"""Values that must agree: a symptom and a paste line that disagree on them are different problems.

`kubectl describe` and kubelet messages carry a few fields whose value is
the whole point: the container's Reason (OOMKilled is not Error), its exit
code (137 is SIGKILL, 143 is SIGTERM, 128 is a failed start, 1 and 2 say
only "the program failed") and the signal.  Two texts that share the field
names but not the value share only boilerplate, so a symptom whose value
conflicts with the line's value for the same field is discounted instead
of matching on the labels ("Last State: Terminated Reason: ... Exit Code:").

Fields are read from canonical text, where significant numbers keep their
value as `n<digits>` (see intents.normalize).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from intents.policy import POLICY

Field = tuple[str, str]

_NEXT_KEY = r"[a-z]+(?: [a-z]+){0,3}:"
"""The next describe key ("session affinity:") where a field's value would be."""

_FIELDS = (
    ("reason", re.compile(r"\breason: ?([a-z][a-z0-9_-]{1,60})")),
    ("last-state", re.compile(r"\blast state: ?(waiting|running|terminated)\b")),
    ("state", re.compile(r"(?<!last )\bstate: ?(waiting|running|terminated)\b")),
    # a describe's Status line names the object's phase or state in one word ("Status: Pending"
    # is no line about "Status: Running" or a certificate's "Status: FailedNotVisible")
    ("status", re.compile(r"(?<![\w\"-])status: ?([a-z][a-z]{2,30})\b(?! ?[:=(])")),
    (
        "exit-code",
        re.compile(
            r"\b(?:exit ?code|exit status|exited with (?:exit )?(?:code|status))\W{0,3}n(\d{1,4})\b"
        ),
    ),
    ("signal", re.compile(r"\bsignal\W{0,3}n(\d{1,3})\b")),
    # a describe field whose value is one of a few words: the value is the whole point
    (
        "setting",
        re.compile(
            r"\b((?:external|internal) traffic policy|session affinity|qos class|restart policy|reclaim policy"
            r"|volumebindingmode|strategytype|access modes): ?([a-z][a-z0-9-]{1,40})\b"
        ),
    ),
    # a Service's (or a describe's) Endpoints field: "<none>" is the failure, addresses or a
    # table's header after an empty value are not; an empty value before the next key ("Endpoints:"
    # then "Session Affinity: None", as kubectl 1.2x prints a Service without endpoints) is "<none>"
    ("endpoints", re.compile(rf"\bendpoints: ?(<none>|(?!{_NEXT_KEY})[a-z0-9][^\s,]{{0,80}})")),
    (
        "terminated-reason",
        re.compile(
            r"\bterminated\b[^a-z\n]{1,12}reason[^a-z\n]{1,6}([a-z][a-z0-9_-]{1,60})"
            r"|\"terminated\":\{[^}]{0,300}\"reason\":\"([a-z][a-z0-9_-]{1,60})"
            r"|\breason: ?([a-z][a-z0-9_-]{1,60}) exit ?code\b"
        ),
    ),
)
_EMPTY_ENDPOINTS = re.compile(rf"\bendpoints:(?= *$| *{_NEXT_KEY})")
ENTRY_LEVEL = frozenset({"exit-code", "terminated-reason"})
"""Fields that define an entry as a whole: the exit codes and termination reasons any of
its symptoms state apply to all of them (an OOM entry is about Reason OOMKilled and 137,
even in its symptom that says only 'exit code 137')."""

GENERIC_VALUE_TOKENS = frozenset({"n0", "n1", "n2"})
"""Exit/status values that say only 'it failed' (or 'it succeeded'): they
weigh like a common word, so 'exit code 1' is never a signature."""

_MARKERS = (
    "endpoints",
    "reason",
    "state",
    "status",
    "exit",
    "signal",
    "terminated",
    "policy",
    "affinity",
    "class",
    "mode",
    "strategy",
)


def fields(canonical_text: str) -> frozenset[Field]:
    """The (field, value) pairs a canonical text states."""
    if not any(marker in canonical_text for marker in _MARKERS):
        return frozenset()
    found: set[Field] = set()
    for name, pattern in _FIELDS:
        for value in pattern.findall(canonical_text):
            found.update(_stated(name, value))
    if _EMPTY_ENDPOINTS.search(canonical_text):
        found.add(("endpoints", "<none>"))
    return frozenset(found)


def _stated(name: str, value: str | tuple[str, ...]) -> list[Field]:
    """One regex finding as fields: a setting is named by its first group."""
    if name == "setting":
        return [(f"setting:{value[0]}", value[1])]
    return [(name, v) for v in ((value,) if isinstance(value, str) else value) if v]


def conflict_factor(
    symptom_fields: frozenset[Field], line_fields: frozenset[Field], canonical_line: str
) -> float:
    """1.0, or POLICY.conflict_factor for each field both state with no value in common, once when
    both state a describe setting but not the same one ("Internal Traffic Policy: Cluster" is
    not a line about "External Traffic Policy: Local"), and once when the symptom states a phase
    the line never says (see phase_missing)."""
    if not symptom_fields:
        return 1.0
    factor = POLICY.conflict_factor if phase_missing(symptom_fields, canonical_line) else 1.0
    if not line_fields:
        return factor
    if _other_setting(symptom_fields, line_fields):
        factor *= POLICY.conflict_factor
    for name in {name for name, _value in symptom_fields}:
        if _values_differ(name, symptom_fields, line_fields):
            factor *= POLICY.conflict_factor
    return factor


def _other_setting(symptom_fields: frozenset[Field], line_fields: frozenset[Field]) -> bool:
    """Both state a describe setting, but not the same one."""
    settings = {name for name, _value in symptom_fields if name.startswith("setting:")}
    stated = {name for name, _value in line_fields if name.startswith("setting:")}
    return bool(settings and stated and settings.isdisjoint(stated))


def _values_differ(
    name: str, symptom_fields: frozenset[Field], line_fields: frozenset[Field]
) -> bool:
    """The line states field `name` with none of the values the symptom states."""
    present = {value for field, value in line_fields if field == name}
    return bool(present) and {value for field, value in symptom_fields if field == name}.isdisjoint(
        present
    )


def phase_missing(symptom_fields: frozenset[Field], canonical_line: str) -> bool:
    """The symptom states an object's phase ("Status: Pending") or a condition's reason ("Reason:
    SchedulingGated") and the line never says that word: what they share is boilerplate
    ("Events: <none>", "Node: <none>", a condition's type and status), not the failure."""
    return any(
        name in ("status", "reason")
        and re.search(rf"\b{re.escape(value)}\b", canonical_line) is None
        for name, value in symptom_fields
    )


def termination_reasons(canonical_texts: Iterable[str]) -> frozenset[Field]:
    """Every termination reason a paste states (OOMKilled, Error, Completed...)."""
    return frozenset(
        f
        for text in canonical_texts
        if "reason" in text
        for f in fields(text)
        if f[0] == "terminated-reason"
    )


def with_paste_reasons(
    line_fields: frozenset[Field], paste_reasons: Callable[[], frozenset[Field]]
) -> frozenset[Field]:
    """A line stating an exit code but no termination reason (`kubectl describe` puts the
    Reason on the line before) takes the reasons the paste states: exit code 137 next to
    'Reason: Error' is a SIGKILL, not an OOM kill."""
    names = {name for name, _value in line_fields}
    if "exit-code" in names and "terminated-reason" not in names:
        return line_fields | paste_reasons()
    return line_fields


# Fields as values: a line that states a field is read as field and value, and a healthy
# value is erased before matching, so it can never satisfy a failure symptom that names the
# same field ("Endpoints: 10.0.0.5:8080" is not "Endpoints: <none>", "OOMKilled": false is
# not an OOM kill).  Linear regexes; each runs only on lines holding its marker character.

_FIELD = re.compile(
    r"(?i)(^|[\s{,\[])\"?(endpoints|oomkilled|dead|paused|restarting|ready|containersready|initialized|"
    r"podscheduled|status|phase|state|exit ?code|exitcode|restart ?count|restartcount|unschedulable|taints)\"?"
    r"[ \t]*[:=][ \t]*(\"[^\"\n]{0,200}\"|[^\s,}\]]{0,200}(?:,[0-9][^\s,}\]]{0,60}){0,50})"
)
_CONDITION_ROW = re.compile(
    r"(?i)^(\s*)(?:(ready|containersready|initialized|podscheduled|podreadytostartcontainers)\s+true"
    r"|(memorypressure|diskpressure|pidpressure|networkunavailable)\s+false)\b.*$"
)
_ADDRESS = re.compile(
    r"\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}", re.IGNORECASE
)
_HEALTHY_VALUES = {
    "oomkilled": {"false"},
    "dead": {"false"},
    "paused": {"false"},
    "restarting": {"false"},
    "ready": {"true"},
    "containersready": {"true"},
    "initialized": {"true"},
    "podscheduled": {"true"},
    "status": {
        "running",
        "bound",
        "active",
        "succeeded",
        "complete",
        "completed",
        "available",
        "true",
        "ready",
    },
    "phase": {"running", "succeeded", "bound", "active"},
    "state": {"running"},
    "exitcode": {"0"},
    "restartcount": {"0"},
    "unschedulable": {"false"},
    "taints": {"<none>"},  # a node that takes pods, untainted
}


def healthy_field(name: str, value: str) -> bool:
    """Does this field value say the object is fine (an Endpoints list with addresses, Ready
    True, OOMKilled false, Exit Code 0, Status Running, a node's Unschedulable false...)?"""
    key = name.lower().replace(" ", "")
    plain = value.strip().strip("\"'").lower()
    if key == "endpoints":
        return _ADDRESS.search(plain) is not None
    return plain in _HEALTHY_VALUES.get(key, ())


def erase_healthy_fields(line: str) -> str:
    """The line with every healthy field statement blanked (a healthy condition row: all of
    it); the rest of the line is kept for matching."""
    if _CONDITION_ROW.match(line):
        return ""
    if ":" not in line and "=" not in line:
        return line

    def erase(found: re.Match[str]) -> str:
        if healthy_field(found.group(2), found.group(3)):
            return found.group(1) + " " * (len(found.group(0)) - len(found.group(1)))
        return found.group(0)

    return _FIELD.sub(erase, line)
