"""`systemctl status <unit>`: a node component's state as systemd reports it.

systemctl prints a header (`● kubelet.service - kubelet: The Kubernetes Node Agent`, the
bullet showing the state), then indented `Key: value` lines (Loaded, Active, Docs, Main PID,
Tasks, Memory, CPU, CGroup and its process tree), then a blank line and the unit's last
journal lines.  `Active:` is the state now: `active (running)`, `inactive (dead)`, `failed
(Result: exit-code)`, `activating (auto-restart)` between two failed starts.  The header and
its keys are read as one subject, healthy when active, its state a typed fact of the node
(`UnitFacts`) that the entries' `states:` rules read (kubelet or the runtime down is a node
not ready); the journal lines after them stay text for the matcher (they say why).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.paste.model import Block, Subject
from bot.paste.reading import Reading
from intents.facts.model import NodeFacts, UnitFacts
from intents.lazy_re import lazy_compile

SHAPE = "systemctl status"
_HEADER = lazy_compile(
    r"^(?:Status:\s{0,4})?[\u25cf\u25cb\u00d7*]?\s{0,3}([\w@:.\\-]{1,120})\.service\s+-\s+\S"
)
_KEY = lazy_compile(r"^\s{2,}(?:[A-Z][A-Za-z ]{1,20}:\s|[\u2514\u251c\u2502|`]|\d{1,9}\s)")
_ACTIVE = lazy_compile(r"^\s*Active:\s+([a-z-]{1,20})(?:\s+\(([^)]{1,80})\))?")
MAX_KEY_LINES = 60


def starts_unit(lines: Sequence[str], number: int) -> bool:
    """A systemctl status header with its Active line within the next few lines."""
    if ".service" not in lines[number] or _HEADER.match(lines[number].strip()) is None:
        return False
    return any(_ACTIVE.match(line) for line in lines[number + 1 : number + 5])


def parse_unit(lines: Sequence[str], number: int) -> Block:
    """The header and its indented keys as one block; the journal lines after stay residue."""
    header = _HEADER.match(lines[number].strip())
    unit = header.group(1) if header else "unknown"
    state, sub = "unknown", ""
    end = number + 1
    while end < len(lines) and end - number <= MAX_KEY_LINES and _KEY.match(lines[end]):
        active = _ACTIVE.match(lines[end])
        if active:
            state, sub = active.group(1), active.group(2) or ""
        end += 1
    healthy = state == "active"
    block = Block(SHAPE, number, end, healthy=healthy, quiet=set(range(number, end)))
    facts = NodeFacts(name="", units=[UnitFacts(unit, state, sub)])
    block.subjects = [Subject(f"unit {unit}.service", SHAPE, facts, set(), healthy)]
    return block


SYSTEMD_UNITS = Reading(
    "systemctl status",
    lambda at: ".service" in at.stripped and starts_unit(at.lines, at.number),
    lambda at: parse_unit(at.lines, at.number),
    frozenset({"NodeFacts.units"}),
)
