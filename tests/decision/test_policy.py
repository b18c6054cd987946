"""Every number that decides an answer lives in the policy object (intents/policy.py).

A number written into a matching module is a tuning constant nobody can find: this test
lists every module-level number of the matching path and fails on one that is neither an
input bound (`MAX_*`) nor one of the few sizes named below with the reason it is no tuning.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from intents.policy import POLICY, Policy

ROOT = Path(__file__).resolve().parents[2]
MATCHING_PATH = ("intents", "bot/diagnosis", "bot/paste", "bot/evidence")
NOT_TUNING = {
    "bot/evidence/common.py:TAIL_LINES": "how much of a log is read (a bound)",
    "intents/facts/kind.py:SNIPPET": "how much of a fact is quoted",
    "bot/evidence/runner.py:DEFAULT_TIMEOUT": "a time bound",
    "intents/entry_store.py:COMPACT_ABOVE": "memory layout of a large catalog, not its answers",
    "intents/entry_store.py:CACHE_ENTRIES": "a cache size",
    "intents/index_cache.py:KEEP": "how many built indexes stay on disk",
    "bot/diagnosis/explaining.py:DIAGNOSIS_TIMEOUT": "a time bound",
    "bot/diagnosis/many.py:DEEP_LIMIT": "how many pods one request reads deeply",
    "bot/diagnosis/many.py:POD_CONCURRENCY": "concurrency",
    "bot/diagnosis/node.py:NODE_POD_DEEP_LIMIT": "how many pods one request reads deeply",
    "bot/diagnosis/workload.py:WORKLOAD_DEEP_LIMIT": "how many pods one request reads deeply",
    "bot/diagnosis/suspects/snapshot.py:LOG_CONCURRENCY": "concurrency",
    "bot/evidence/history.py:FLAPPING_COUNT": "Kubernetes' default: a probe's failureThreshold",
    "bot/paste/readings/workload_rows.py:PROGRESS_DEADLINE_SECONDS": "Kubernetes' default: a Deployment's progressDeadlineSeconds",
    "intents/calibration/features.py:LOG_FLOOR": "part of a learned feature's definition, fixed when it is trained",
}


def module_numbers() -> dict[str, object]:
    """`path:NAME` -> value of every module-level name bound to a number literal."""
    found: dict[str, object] = {}
    for folder in MATCHING_PATH:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.Assign):
                    targets, value = node.targets, node.value
                elif isinstance(node, ast.AnnAssign) and node.value is not None:
                    targets, value = [node.target], node.value
                else:
                    continue
                literal = value.operand if isinstance(value, ast.UnaryOp) else value
                if not (isinstance(literal, ast.Constant) and type(literal.value) in (int, float)):
                    continue
                for target in targets:
                    if isinstance(target, ast.Name):
                        found[f"{path.relative_to(ROOT)}:{target.id}"] = literal.value
    return found


def test_no_tuning_constant_outside_the_policy() -> None:
    strays = sorted(
        key
        for key in module_numbers()
        if not key.split(":")[1].startswith("MAX_") and key not in NOT_TUNING
    )
    assert strays == [], (
        f"move these into intents/policy.py (or name them MAX_* if a bound): {strays}"
    )


def test_the_exemptions_still_exist() -> None:
    # an exemption for a constant that is gone would hide the next one with its name
    assert set(NOT_TUNING) <= set(module_numbers())


SCALES = {0.0, 1.0, 100.0}
"""Float literals that are no tuning: zero, one, and rapidfuzz's percent scale."""


def inline_floats() -> list[str]:
    """`path:line` of every float literal inside a function of intents/ (where lines are scored
    and the decision's rules run) that is not a scale: a tuning number nobody can find."""
    found = []
    for path in sorted((ROOT / "intents").rglob("*.py")):
        if path.name == "policy.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Constant)
                    and type(inner.value) is float
                    and inner.value not in SCALES
                ):
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


def test_no_tuning_number_inline_in_a_function() -> None:
    assert inline_floats() == [], "move these numbers into intents/policy.py"


def test_every_policy_value_is_documented_and_in_range() -> None:
    source = (ROOT / "intents/policy.py").read_text(encoding="utf-8")
    for field in dataclasses.fields(Policy):
        value = getattr(POLICY, field.name)
        assert isinstance(value, int | float) and value >= 0, field.name
        assert f"    {field.name}:" in source
    assert 0 < POLICY.quiet_score < POLICY.medium < POLICY.high <= 1


def test_the_index_cache_key_follows_the_index_values() -> None:
    changed = dataclasses.replace(POLICY, hapax_weight=POLICY.hapax_weight / 2)
    assert changed.index_key() != POLICY.index_key()
    assert dataclasses.replace(POLICY, medium=0.6).index_key() == POLICY.index_key()
