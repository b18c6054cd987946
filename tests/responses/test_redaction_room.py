"""Redaction is a type and a room (issue 69): only the room makes a `Redacted`, and its ways out
are called where they are meant to be, read from the source.

mypy makes every sink (storage, the fleet wire, MCP, a paste's diagnosis) take `Redacted`; what
it cannot see is a `Redacted(text)` written somewhere else, which would mark a text redacted
without redacting it. So: `Redacted(...)` only inside responses/redaction/; `shown_by_request`
only where `--show-secrets` is read or passed on; `already_redacted` only where a value was
redacted before (what a redacting column gives back, a diagnosis as JSON).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROOM = "responses/redaction/"
ALLOWED = {
    "Redacted": set(),  # the room only
    "shown_by_request": {
        "bot/commands/arguments.py",
        "bot/cluster/gateway.py",
        "bot/cluster/redacting.py",
    },
    "already_redacted": {
        "bot/storage/redacted.py",
        "responses/json_view.py",
        # a delivery or page whose every text was redacted as it was read, stored as it is
        "bot/alerting/processing.py",
        "bot/incidents/intake.py",
    },
}


def _calls() -> list[tuple[str, str, int]]:
    """(name, file, line) of every call of a name in ALLOWED in the product, outside the room."""
    found = []
    for room in ("bot", "responses", "intents"):
        for path in sorted((ROOT / room).rglob("*.py")):
            where = str(path.relative_to(ROOT))
            if where.startswith(ROOM):
                continue
            for node in ast.walk(ast.parse(path.read_text(), where)):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in ALLOWED:
                    found.append((name, where, node.lineno))
    return found


def test_only_the_room_makes_a_redacted_text_and_its_ways_out_stay_where_they_belong() -> None:
    calls = _calls()
    stray = [call for call in calls if call[1] not in ALLOWED[call[0]]]
    assert stray == []
    assert {name for name, _, _ in calls} == {"shown_by_request", "already_redacted"}


def test_the_room_imports_nothing_else_of_responses_or_bot() -> None:
    """.importlinter says so too; this names the module that would break it."""
    for path in sorted((ROOT / ROOM).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                inside = node.module.startswith("responses.redaction")
                assert inside or not node.module.startswith(("responses", "bot")), (
                    path.name,
                    node.module,
                )
