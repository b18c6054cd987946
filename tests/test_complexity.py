"""The complexity ceiling: no product function may be added or grown past it.

Measured with ruff's mccabe rule (C901), the linter CI already runs. The functions that were
over the ceiling when it was set are listed in tests/complexity_allowed.txt with their figure;
they may shrink, never grow, and a new function over the ceiling fails. When one of them
comes under the ceiling, the test asks for its line to be removed, so the list only shrinks.
Regenerate the list (after a deliberate change) with
`python -m tests.test_complexity > tests/complexity_allowed.txt`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CEILING = 10
"""A function whose mccabe complexity is above this fails, unless it is listed as it was."""
PRODUCT = ("bot", "intents", "responses")
ALLOWED = Path(__file__).with_name("complexity_allowed.txt")


def too_complex(root: Path, paths: Sequence[str]) -> dict[str, int]:
    """`path:function` -> complexity (paths relative to `root`) for every function under `paths`
    above CEILING, as ruff's mccabe rule measures it."""
    found = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--select",
            "C901",
            "--output-format",
            "json",
            "--config",
            f"lint.mccabe.max-complexity={CEILING}",
            "--exit-zero",
            "--no-cache",
            *paths,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, int] = {}
    for item in json.loads(found.stdout):
        match = re.match(r"`(.+)` is too complex \((\d+) > \d+\)", item["message"])
        assert match, item["message"]
        where = Path(item["filename"]).resolve().relative_to(root.resolve()).as_posix()
        key = f"{where}:{match.group(1)}"
        figures[key] = max(figures.get(key, 0), int(match.group(2)))
    return figures


@cache
def over_ceiling() -> dict[str, int]:
    """Every product function above CEILING (measured once per test session)."""
    return too_complex(ROOT, PRODUCT)


def allowed() -> dict[str, int]:
    """The listed functions and the complexity each had when listed."""
    lines = [
        line.split()
        for line in ALLOWED.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return {key: int(figure) for figure, key in lines}


def test_no_function_is_added_or_grown_past_the_ceiling() -> None:
    listed = allowed()
    grown = {
        key: (figure, listed.get(key))
        for key, figure in over_ceiling().items()
        if key not in listed or figure > listed[key]
    }
    assert not grown, (
        f"over the complexity ceiling ({CEILING}, ruff C901): split these into named helpers or "
        f"tables (found, listed): {grown}"
    )


def test_the_list_of_exceptions_only_shrinks() -> None:
    current = over_ceiling()
    gone = sorted(key for key in allowed() if key not in current)
    assert not gone, f"now under the ceiling: remove from {ALLOWED.name}: {gone}"


def test_the_ceiling_is_checked_against_real_code(tmp_path: Path) -> None:
    """The measurement sees a function with a dozen branches (so the list cannot pass vacuously)."""
    branches = "\n".join(f"    if x == {n}:\n        return {n}" for n in range(12))
    (tmp_path / "branchy.py").write_text(
        f"def branchy(x: int) -> int:\n{branches}\n    return -1\n"
    )
    assert too_complex(tmp_path, ["branchy.py"]) == {"branchy.py:branchy": 13}


if __name__ == "__main__":
    print(f"# product functions above mccabe complexity {CEILING} (ruff C901): figure, where")
    for key, figure in sorted(over_ceiling().items()):
        print(figure, key)
