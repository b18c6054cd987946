"""Every planted value, by every path out of kubemedic (issue 68): posted to Slack and Teams,
stored in the SQLite file, logged, handed off to an agent, answered by MCP's `match_error` and
`diagnose` (a pod whose log and termination message hold the paste), and sent up the fleet wire
by a real agent. Three planted sets run: issue 60's classes (a value of each context), the
second set of `planted_more.py` and issue 76's shapes and tracebacks (`planted_issue76.py`), all
of them. A leak is any 12 characters of a value in a row.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from responses.redaction import REDACTED
from tests.hardening.planted_classes import CLASSES, Planted, one_per_context, secret_lines
from tests.hardening.planted_issue76 import ISSUE76
from tests.hardening.planted_more import MORE
from tests.hardening.secret_paths import (
    DESTINATIONS,
    leaks,
    through_mcp,
    through_the_bot,
    through_the_fleet,
)

PLANTED: dict[str, list[Planted]] = {
    **{name: one_per_context(planted) for name, planted in CLASSES.items()},
    **MORE,
    **ISSUE76,
}


def test_no_planted_value_leaves_by_any_path(tmp_path: Path) -> None:
    pastes = {name: "\n".join(item.paste for item in planted) for name, planted in PLANTED.items()}
    asks = {
        name: "\n".join(secret_lines(item) for item in planted) for name, planted in PLANTED.items()
    }
    seen = asyncio.run(through_the_bot(tmp_path / "bot", pastes, asks))
    carried = dict(seen.carried)
    carried.update(asyncio.run(through_mcp(pastes, tmp_path)))
    fleet = asyncio.run(through_the_fleet(tmp_path / "fleet", pastes))
    carried["fleet wire"] = fleet["fleet wire"]
    carried["Slack posts"] += "\n" + fleet["Slack posts"]
    assert set(carried) == set(DESTINATIONS)
    found = leaks(carried, PLANTED)
    leaked = {name: {at: n for at, n in where.items() if n} for name, where in found.items()}
    assert {name: where for name, where in leaked.items() if where} == {}
    # every path carried the pastes, so the scan means something
    assert all(REDACTED in text for text in carried.values()), [
        where for where, text in carried.items() if REDACTED not in text
    ]
    # an ask the catalog answers is never handed off: most classes, not all, reach the agent
    assert len(seen.handed_off) >= len(PLANTED) * 3 // 4, seen.handed_off
