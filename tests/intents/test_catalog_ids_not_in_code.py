"""One source of truth: which state or alert is which catalog entry is catalog data, never code.

The watcher's state -> entry table comes from the entries' `watch:` declarations, the alert
mapping from their `alerts:`, causes from `explains:`.  A catalog id written as a string in
bot/, intents/ or responses/ would be a second, silent source that a catalog change cannot
reach (a renamed entry would leave the code pointing at nothing).  Docstrings may name ids.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from intents.packs import builtin_entry_files

ROOT = Path(__file__).resolve().parents[2]
CODE = ("bot", "intents", "responses")
ID_LIKE = re.compile(r"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-])")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def catalog_ids_in_code(ids: set[str]) -> list[str]:
    """file:line: id for every string literal (f-string parts included) naming a catalog id."""
    hits = []
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = _docstrings(tree)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                ):
                    hits += [
                        f"{path.relative_to(ROOT)}:{node.lineno}: {word}"
                        for word in ID_LIKE.findall(node.value)
                        if word in ids
                    ]
    return hits


def test_no_catalog_id_is_written_in_python() -> None:
    ids = {path.stem for path in builtin_entry_files()}
    assert len(ids) > 100
    assert catalog_ids_in_code(ids) == []


def test_the_scan_finds_an_id_written_in_code() -> None:
    # the detectors' old table, as it was written before the catalog declared it
    tree = ast.parse(
        'PRESSURE = {"DiskPressure": "node-disk-pressure"}\nproblem = f"x {y} oom-killed"\n'
    )
    words = [
        w
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        for w in ID_LIKE.findall(node.value)
    ]
    assert words == ["node-disk-pressure", "oom-killed"]
