"""The complexity and length ceilings: no product function may be added or grown past them.

Complexity is measured with ruff's mccabe rule (C901), the linter CI already runs; length is
a function's lines from its `def` to its last line (nested functions count in their parent
too). The functions that were over a ceiling when it was set are listed with their figure,
in tests/complexity_allowed.txt and tests/length_allowed.txt; they may shrink, never grow,
and a new function over the ceiling fails. When one of them comes under the ceiling, the
test asks for its line to be removed, so the lists only shrink. Regenerate them (after a
deliberate change) with `python -m tests.test_complexity complexity > tests/complexity_allowed.txt`
and `python -m tests.test_complexity length > tests/length_allowed.txt`.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CEILING = 10
"""A function whose mccabe complexity is above this fails, unless it is listed as it was."""
PRODUCT = ("bot", "intents", "responses")
ALLOWED = Path(__file__).with_name("complexity_allowed.txt")
LENGTH_CEILING = 60
"""A function longer than this many lines fails, unless it is listed as it was."""
LENGTH_ALLOWED = Path(__file__).with_name("length_allowed.txt")


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


def _functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, int]]:
    """(qualified name, lines) of every function in `tree`, nested ones included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = f"{prefix}{node.name}"
            yield name, (node.end_lineno or node.lineno) - node.lineno + 1
            yield from _functions(node, f"{name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        else:
            yield from _functions(node, prefix)


def too_long(root: Path, paths: Sequence[str]) -> dict[str, int]:
    """`path:qualified.name` -> lines for every function under `paths` longer than
    LENGTH_CEILING (paths relative to `root`)."""
    figures: dict[str, int] = {}
    for folder in paths:
        for file in sorted((root / folder).rglob("*.py")):
            where = file.relative_to(root).as_posix()
            for name, lines in _functions(ast.parse(file.read_text(encoding="utf-8"))):
                if lines > LENGTH_CEILING:
                    key = f"{where}:{name}"
                    figures[key] = max(figures.get(key, 0), lines)
    return figures


@cache
def over_length() -> dict[str, int]:
    """Every product function longer than LENGTH_CEILING (measured once per test session)."""
    return too_long(ROOT, PRODUCT)


def allowed(listing: Path = ALLOWED) -> dict[str, int]:
    """The listed functions and the figure each had when listed."""
    lines = [
        line.split()
        for line in listing.read_text().splitlines()
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


def test_no_function_is_added_or_grown_past_the_length_ceiling() -> None:
    listed = allowed(LENGTH_ALLOWED)
    grown = {
        key: (lines, listed.get(key))
        for key, lines in over_length().items()
        if key not in listed or lines > listed[key]
    }
    assert not grown, (
        f"longer than {LENGTH_CEILING} lines: split these into named helpers (found, listed): "
        f"{grown}"
    )


def test_the_list_of_long_functions_only_shrinks() -> None:
    current = over_length()
    gone = sorted(key for key in allowed(LENGTH_ALLOWED) if key not in current)
    assert not gone, f"now under the length ceiling: remove from {LENGTH_ALLOWED.name}: {gone}"


def test_the_length_ceiling_is_checked_against_real_code(tmp_path: Path) -> None:
    """Methods and nested functions are measured under their qualified names, each with its
    own lines (so neither list can pass vacuously)."""
    body = "".join(f"        x += {n}\n" for n in range(LENGTH_CEILING))
    (tmp_path / "long.py").write_text(
        "class Box:\n    def fill(self, x: int) -> int:\n"
        f"        def short() -> int:\n            return 1\n{body}        return x\n"
    )
    assert too_long(tmp_path, ["."]) == {"long.py:Box.fill": LENGTH_CEILING + 4}


if __name__ == "__main__":
    if sys.argv[1:] == ["length"]:
        print(f"# product functions longer than {LENGTH_CEILING} lines: lines, where")
        for key, lines in sorted(over_length().items()):
            print(lines, key)
    else:
        print(f"# product functions above mccabe complexity {CEILING} (ruff C901): figure, where")
        for key, figure in sorted(over_ceiling().items()):
            print(figure, key)
