"""Node services from `systemctl status X` and `journalctl -u X` outputs (often via ssh).

Whether kubelet, the container runtime, kube-proxy or the scheduler is running is
not in the API; people record it with systemd.  `Active: failed (Result: exit-code)
since ...` gives the state and since when; the journal lines after it (or a
`journalctl -u` output) say why.  The node is the ssh host, `--host`, a `Node: NAME`
line some tools print, or the hostname the journal lines carry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.cluster.reader import JsonObject

MAX_LINES = 50
STATES = {"active": "active", "reloading": "active", "inactive": "inactive",
          "deactivating": "inactive", "failed": "failed", "activating": "activating"}
_HEADER = re.compile(r"^(?:Status:\s*)?[\u25cf\u25cb\u00d7*]?\s*([\w@:.\\-]{1,120})\.service"
                     r"(?:\s+-\s+.*)?$")
_ACTIVE = re.compile(r"^\s*Active:\s+([a-z-]{1,20})(?:\s+\([^)]*\)){0,3}(?:\s+since\s+(.*?))?\s*$")
_NODE = re.compile(r"^\s*(?:Node|Host|Hostname):\s+(\S+)\s*$")
_UNIT = re.compile(r"^\s*(?:Service|Unit):\s+([\w@:.\\-]+)\s*$")
_JOURNAL = re.compile(r"^\w{3} [ \d]\d \d\d:\d\d:\d\d (\S+) [\w.@-]+(?:\[\d+\])?: ")
_NOT_FOUND = re.compile(r"Unit ([\w@:.\\-]+?)(?:\.service)? could not be found")


def _blank(node: str | None, service: str) -> JsonObject:
    return {"node": node or "", "service": service, "active": "unknown", "since": "",
            "lines": []}


def read_services(lines: Sequence[str], *, units: Sequence[str], node: str | None,
                  journal: bool) -> list[JsonObject]:
    """The services an output shows, each with its state and last journal lines."""
    found: list[JsonObject] = []
    current: JsonObject | None = None
    in_status = False
    for line in lines:
        if current is None and (m := _NODE.match(line)):
            node = node or m[1]
            continue
        if current is None and (m := _UNIT.match(line)):
            units = [m[1].removesuffix(".service"), *units]
            continue
        if (m := _HEADER.match(line.strip())) and not journal:
            current, in_status = _blank(node, m[1]), True
            found.append(current)
            continue
        if m := _NOT_FOUND.search(line):
            current = _blank(node, m[1])
            current["lines"].append(line.strip())
            found.append(current)
            continue
        if current is None:
            if not line.strip():
                continue
            current = _blank(node, units[0] if units else "")
            found.append(current)
        if in_status and (m := _ACTIVE.match(line)):
            current["active"] = STATES.get(m[1], "unknown")
            current["since"] = (m[2] or "").strip()
        elif not line.strip():
            in_status = False
        elif not in_status and not line.startswith("-- "):
            current["lines"].append(line.rstrip())
    for service in found:
        service["lines"] = service["lines"][-MAX_LINES:]
        if not service["node"]:
            service["node"] = _journal_host(service["lines"]) or ""
    return [s for s in found if s["service"]]


def _journal_host(lines: Sequence[str]) -> str | None:
    for line in lines:
        if m := _JOURNAL.match(line):
            return m[1]
    return None
