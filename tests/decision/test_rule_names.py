"""A rule's name is the rule list's: no code outside it writes one as a string to act on.

Code that needs to know which rule did something names the `Rule` object of
intents/decision/rules.py (`step.rule == CLOSE_CALL.name`); a name typed again elsewhere is control
data the list no longer owns, and a renamed rule would silently stop matching it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from intents.decision.explain import NOTABLE, SILENCING
from intents.decision.rules import NAMES, RULES

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("bot", "intents", "responses", "bench")


def _names_a_rule(node: ast.AST) -> bool:
    """`x.rule` or `x["rule"]`: a trace step's rule."""
    if isinstance(node, ast.Attribute):
        return node.attr == "rule"
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and node.slice.value == "rule"
    )


def _literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [v for item in node.elts for v in _literals(item)]
    return []


def rule_literals() -> list[str]:
    """`path:line: 'name'` of every string compared with a step's rule, given to `Step` as its
    rule, or kept in a collection of rule names, outside the rule list."""
    found = []
    for folder in PRODUCT:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "intents/decision/rules.py":
                continue
            text = path.read_text(encoding="utf-8")
            if not any(f"{quote}{name}{quote}" in text for name in NAMES for quote in "'\""):
                continue  # no rule name written as a string literal anywhere in the file
            for node in ast.walk(ast.parse(text)):
                literals: list[str] = []
                if isinstance(node, ast.Compare) and any(
                    map(_names_a_rule, [node.left, *node.comparators])
                ):
                    literals = [
                        v for side in [node.left, *node.comparators] for v in _literals(side)
                    ]
                elif (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", "") == "Step"
                    and node.args
                ):
                    literals = _literals(node.args[0])
                elif (
                    isinstance(node, ast.Tuple | ast.List | ast.Set)
                    and node.elts
                    and all(
                        isinstance(item, ast.Constant) and item.value in NAMES for item in node.elts
                    )
                ):
                    literals = _literals(node)  # a list of rule names kept as data
                found += [
                    f"{path.relative_to(ROOT)}:{node.lineno}: {v!r}" for v in literals if v in NAMES
                ]
    return found


def test_no_code_names_a_rule_with_a_string_of_its_own() -> None:
    assert rule_literals() == []


def test_every_rule_a_consumer_acts_on_is_in_the_list() -> None:
    assert set(SILENCING) | set(NOTABLE) <= set(RULES)
    assert len(NAMES) == len({rule.name for rule in RULES})
