"""Issue 83: every distribution the code imports is declared where it is needed.

`bot/teams/auth.py` imported PyJWT, which `pyproject.toml` did not declare: it only arrived
because `mcp` requires it, and would go when `mcp` stopped doing so. `tests/standins/
teams_webhook.py` imported markdown-it-py, which the test extras did not declare: eight test
modules failed to collect without it. The product's imports (bot/, intents/, responses/) must be
in `[project].dependencies`; the tests' in those or the `test` extras. Read from the source,
mapped to distributions by the installed metadata: fast, and it fails on the next one.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OWN = {"bot", "intents", "responses", "tests", "bench", "__future__"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def declared(*extras: str) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    return {_name(requirement) for requirement in wanted}


def imported(*roots: str) -> dict[str, str]:
    """Each top-level module imported outside the standard library and this repository, and a
    file that imports it."""
    found: dict[str, str] = {}
    for root in roots:
        for path in sorted((ROOT / root).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in OWN:
                        found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def undeclared(modules: dict[str, str], allowed: set[str]) -> list[str]:
    owners = importlib.metadata.packages_distributions()
    missing = []
    for module, where in sorted(modules.items()):
        distributions = {d.lower().replace("_", "-") for d in owners.get(module, [module])}
        if not distributions & allowed:
            missing.append(f"{where} imports {module} ({', '.join(sorted(distributions))})")
    return missing


def test_the_product_imports_only_what_it_declares() -> None:
    assert undeclared(imported("bot", "intents", "responses"), declared()) == []


def test_the_tests_import_only_what_they_and_the_product_declare() -> None:
    assert undeclared(imported("tests"), declared("test")) == []


def test_an_undeclared_import_is_named() -> None:
    """PyJWT as it was: imported by bot/teams/auth.py, declared by no one but `mcp`."""
    assert undeclared({"jwt": "bot/teams/auth.py"}, declared() - {"pyjwt"}) == [
        "bot/teams/auth.py imports jwt (pyjwt)"
    ]
