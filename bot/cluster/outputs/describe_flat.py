"""A `kubectl describe` whose indentation was lost (a chat, an email), indented back.

describe nests by indentation: a container's keys under its name under `Containers:`, a
State's Reason and Exit Code under the State.  Pasted where leading spaces are dropped, every
line starts in the first column and the tree reader would see one flat list.  The keys
describe prints are few and known, so the nesting is put back from them: top-level keys at the
first column, a container's name and keys under `Containers:`, a State's details under it,
rows and listings under their heading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

TOP = frozenset(
    (
        "Addresses",
        "Allocatable",
        "Allocated resources",
        "Annotations",
        "Capacity",
        "Conditions",
        "Containers",
        "Controlled By",
        "CreationTimestamp",
        "Events",
        "IPs",
        "Init Containers",
        "Labels",
        "Lease",
        "Name",
        "Namespace",
        "Node",
        "Node-Selectors",
        "NominatedNodeName",
        "Non-terminated Pods",
        "PodCIDR",
        "PodCIDRs",
        "Priority Class Name",
        "Priority",
        "ProviderID",
        "QoS Class",
        "Readiness Gates",
        "Roles",
        "Runtime Class Name",
        "SeccompProfile",
        "Service Account",
        "Start Time",
        "Status",
        "System Info",
        "Taints",
        "Tolerations",
        "Topology Spread Constraints",
        "Unschedulable",
        "Volumes",
    )
)
"""Keys describe prints in the first column (of a pod and of a node)."""
_POD_TOP_AMBIGUOUS = frozenset({"Reason", "Message", "IP"})
"""First-column keys of a pod that a container's State (or IPs) also prints."""
CONTAINER = frozenset(
    {
        "Container ID",
        "Image",
        "Image ID",
        "Port",
        "Ports",
        "Host Port",
        "Host Ports",
        "Command",
        "Args",
        "State",
        "Last State",
        "Ready",
        "Restart Count",
        "Limits",
        "Requests",
        "Liveness",
        "Readiness",
        "Startup",
        "Environment",
        "Environment Variables from",
        "Mounts",
    }
)
STATE = frozenset({"Reason", "Message", "Exit Code", "Signal", "Started", "Finished"})
_KEY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9 ()/._-]{0,60}):(?:[ \t]++(.*))?$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{0,62}$")
_SECTIONS = {"Init Containers": "containers", "Containers": "containers", "Volumes": "volumes"}


def flat(lines: Sequence[str]) -> bool:
    """A describe that nests something (a heading with nothing after its colon: containers,
    conditions, events) and indents nothing."""
    nests = any(_HEADING.match(line) for line in lines)
    return nests and not any(line[:1] in (" ", "\t") for line in lines[1:] if line.strip())


_HEADING = re.compile(r"^(?:Init Containers|Containers|Conditions|Events|Volumes):\s*$")


def _key_value(stripped: str) -> tuple[str | None, str]:
    """A line's `Key:` and its value; no key when it has none (the line is the value)."""
    found = _KEY.match(stripped)
    return (found[1], found[2] or "") if found else (None, stripped)


class _Indenter:
    """The indentation each line of a flat describe had, from the keys it holds."""

    def __init__(self) -> None:
        self.section = "top"
        self.in_state = False
        self.last = 0

    def indent(self, stripped: str) -> int:
        key, value = _key_value(stripped)
        if key in TOP or (key in _POD_TOP_AMBIGUOUS and self.section == "top"):
            self.section, self.in_state = _SECTIONS.get(key, "top"), False
            self.last = 0
        elif self.section == "containers":
            self.last = self._container(key, value)
        elif self.section == "volumes" and key is not None:
            self.last = 2 if not value and _NAME.match(key) else 4
        else:
            self.last = 2
        return self.last

    def _container(self, key: str | None, value: str) -> int:
        if key in STATE and self.in_state:
            return 6
        if key in CONTAINER:
            self.in_state = key in ("State", "Last State")
            return 4
        if key is not None and not value and _NAME.match(key):
            self.in_state = False
            return 2
        return 6


def reindented(lines: Sequence[str]) -> list[str]:
    """The lines of a flat describe, each indented as describe printed it."""
    indenter = _Indenter()
    return [
        " " * indenter.indent(line.strip()) + line.strip() if line.strip() else line
        for line in lines
    ]
