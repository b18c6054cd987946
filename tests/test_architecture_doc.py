"""docs/architecture.md draws the rooms as the code has them: every package of bot/ is in its
picture, in the order the import-linter contract layers them, and every path it names exists."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"


def _picture() -> list[str]:
    """The lines of the doc's first text block (the rooms, top to bottom)."""
    text = DOC.read_text()
    return re.search(r"```text\n(.*?)```", text, flags=re.DOTALL).group(1).splitlines()  # type: ignore[union-attr]


def _layers() -> dict[str, int]:
    """bot/'s packages and modules -> their place in the `bot-layers` contract (0 = top)."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    lines = config["importlinter:contract:bot-layers"]["layers"].split("\n")
    return {
        name.strip(): place
        for place, line in enumerate(lines)
        for name in line.split("|")
        if name.strip()
    }


def _packages() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "bot").glob("*/__init__.py"))


def test_every_package_of_bot_is_in_the_picture() -> None:
    picture = "\n".join(_picture())
    missing = [name for name in _packages() if f"bot/{name}/" not in picture]
    assert not missing, f"docs/architecture.md's picture does not show: {missing}"


def test_the_picture_runs_top_to_bottom_as_the_layers_do() -> None:
    layers = _layers()
    seen: list[tuple[int, str]] = []  # (line, package) in the order drawn
    for number, line in enumerate(_picture()):
        seen += [(number, name) for name in re.findall(r"bot/(\w+)/", line) if name in layers]
    wrong = [
        (upper, lower)
        for n, (at, upper) in enumerate(seen)
        for later, lower in seen[n + 1 :]
        if later > at and layers[upper] > layers[lower]
    ]
    assert not wrong, f"drawn above a room that is below it in .importlinter: {wrong}"


def test_every_path_the_doc_names_exists() -> None:
    named = set(
        re.findall(r"\b((?:bot|intents|responses|bench|deploy|tests)/[\w./-]*\w)", DOC.read_text())
    )
    missing = sorted(p for p in named if not (ROOT / p).exists() and "*" not in p)
    assert not missing, f"docs/architecture.md names paths that do not exist: {missing}"
