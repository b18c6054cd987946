"""No import circle in the product: no module imports, even from inside a function or under
`TYPE_CHECKING`, a module that imports it back.

An import moved into a function hides a circle from Python and import-linter, not from the
reader: the two modules are one room cut in two. Break a new circle by moving what both need
to a module below them. A known circle is listed in `KNOWN` with whose area it is in; the list
only shrinks (a listed circle that is gone asks for its line to be removed).

Imports are read with a regex over the source (a full parse of 600 modules costs seconds; the
regex, a tenth of one), so a line in a docstring that reads like an import counts as one.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("bot", "intents", "responses")
FROM = re.compile(r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)
IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*)", re.MULTILINE)
NAME = re.compile(r"\w+")
COMMENT = re.compile(r"#[^\n]*")

KNOWN: set[frozenset[str]] = set()


def _modules() -> dict[str, Path]:
    modules = {}
    for top in PRODUCT:
        for path in (ROOT / top).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def _imported(text: str) -> set[str]:
    """Every dotted name the text imports: `from a import b` gives `a.b` (a submodule or a name)."""
    names = set()
    for module, imported in FROM.findall(text):
        for piece in COMMENT.sub("", imported).split(","):  # `b as c`: b
            names |= {f"{module}.{word}" for word in NAME.findall(piece)[:1]}
    for line in IMPORT.findall(text):
        names |= {name.strip() for name in line.split(",")}
    return names


def import_graph() -> dict[str, set[str]]:
    """Each product module and the product modules it imports anywhere in its text."""
    modules = _modules()

    def module_of(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in modules.items():
        targets = {module_of(imported) for imported in _imported(path.read_text())}
        graph[name] = {t for t in targets if t is not None and t != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []
    for start, targets_of_start in graph.items():
        if start in index:
            continue
        work = [(start, iter(sorted(targets_of_start)))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = {node}
                    while (member := stack.pop()) != node:
                        group.add(member)
                    if len(group) > 1:
                        found.append(frozenset(group))
            elif target not in index:
                index[target] = low[target] = len(index)
                stack.append(target)
                work.append((target, iter(sorted(graph[target]))))
            elif target in stack:
                low[node] = min(low[node], index[target])
    return found


def test_no_new_import_circle() -> None:
    new = [sorted(group) for group in circles(import_graph()) if group not in KNOWN]
    assert not new, f"modules importing each other (move what both need below them): {new}"


def test_known_circles_are_still_there() -> None:
    gone = [sorted(group) for group in KNOWN - set(circles(import_graph()))]
    assert not gone, f"broken circles: remove them from KNOWN: {gone}"


def test_a_circle_through_a_function_import_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [frozenset({"a", "b", "c"})]
    text = "def late():\n    from bot.x import (\n        y as w,  # why, and\n        z,\n    )\n"
    assert _imported(text) == {"bot.x.y", "bot.x.z"}
