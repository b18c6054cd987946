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
STATES = {
    "active": "active",
    "reloading": "active",
    "inactive": "inactive",
    "deactivating": "inactive",
    "failed": "failed",
    "activating": "activating",
}
_HEADER = re.compile(
    r"^(?:Status:\s*+)?[\u25cf\u25cb\u00d7*]?\s*+([\w@:.\\-]{1,120})\.service"
    r"(?:\s+-\s++.*)?$"
)
_ACTIVE = re.compile(
    r"^\s*Active:\s+([a-z-]{1,20})(?:\s+\([^)]*\)){0,3}(?:\s+since\s++((?:\s*+\S++)*+))?\s*$"
)
_NODE = re.compile(r"^\s*(?:Node|Host|Hostname):\s+(\S+)\s*$")
_UNIT = re.compile(r"^\s*(?:Service|Unit):\s+([\w@:.\\-]+)\s*$")
_JOURNAL = re.compile(r"^\w{3} [ \d]\d \d\d:\d\d:\d\d (\S+) [\w.@-]+(?:\[\d+\])?: ")
_NOT_FOUND = re.compile(r"Unit ([\w@:.\\-]+?)(?:\.service)? could not be found")


def _blank(node: str | None, service: str) -> JsonObject:
    return {"node": node or "", "service": service, "active": "unknown", "since": "", "lines": []}


def read_services(
    lines: Sequence[str], *, units: Sequence[str], node: str | None, journal: bool
) -> list[JsonObject]:
    """The services an output shows, each with its state and last journal lines."""
    reader = _Reader(units, node, journal=journal)
    for line in lines:
        reader.read(line)
    for service in reader.found:
        service["lines"] = service["lines"][-MAX_LINES:]
        if not service["node"]:
            service["node"] = _journal_host(service["lines"]) or ""
    return [s for s in reader.found if s["service"]]


class _Reader:
    """The services of one output, line by line: a unit's status block, then its journal."""

    def __init__(self, units: Sequence[str], node: str | None, *, journal: bool) -> None:
        self.units, self.node, self.journal = list(units), node, journal
        self.found: list[JsonObject] = []
        self.current: JsonObject | None = None
        self.in_status = False

    def read(self, line: str) -> None:
        if self.current is None and self._preamble(line):
            return
        if (m := _HEADER.match(line.strip())) and not self.journal:
            self._start(m[1])
            self.in_status = True
        elif m := _NOT_FOUND.search(line):
            self._start(m[1])["lines"].append(line.strip())
        elif self.current is not None:
            self._body(self.current, line)
        elif line.strip():
            self._body(self._start(self.units[0] if self.units else ""), line)

    def _preamble(self, line: str) -> bool:
        """`Node: NAME` or `Unit: NAME` before any service: where, and which unit."""
        if m := _NODE.match(line):
            self.node = self.node or m[1]
        elif m := _UNIT.match(line):
            self.units.insert(0, m[1].removesuffix(".service"))
        return m is not None

    def _start(self, service: str) -> JsonObject:
        self.current = _blank(self.node, service)
        self.found.append(self.current)
        return self.current

    def _body(self, service: JsonObject, line: str) -> None:
        if self.in_status and (m := _ACTIVE.match(line)):
            service["active"] = STATES.get(m[1], "unknown")
            service["since"] = (m[2] or "").strip()
        elif not line.strip():
            self.in_status = False
        elif not self.in_status and not line.startswith("-- "):
            service["lines"].append(line.rstrip())


def _journal_host(lines: Sequence[str]) -> str | None:
    for line in lines:
        if m := _JOURNAL.match(line):
            return m[1]
    return None
