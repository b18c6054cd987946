"""A targeted mutation run: does mutating a product rule or reading fail a test?

    python -m bench.mutation [--tests REV] [--per-module N] [--limit M] [--only FOLDER] [--seed S] [--jobs J]

Each mutant changes one thing in one module of `intents/` or `bot/evidence/` (a comparison
turned around, `and` for `or`, a number moved by one, a `not` dropped, a condition negated, a
returned True/False flipped), chosen from every such site with a fixed seed, at most N per
module. It is written into a scratch copy of the checkout (product and tests as they are in the
working tree, or the tests of git revision REV with `--tests`, to measure a change to the tests
against the same mutants), and the tests that cover the module's room run there, stopping at
the first failure (`-x`): a failing test kills the mutant, a run that passes lets it survive.
Mutants that no longer import or compile are left out (they show nothing about the tests).
Tests that already fail on the unmutated checkout are found first and left out of every
mutant's run (they would kill every mutant). The figures are in docs/testing.md (Mutation
run); each mutant's outcome is printed by site as it comes, the counts at the end.
"""

from __future__ import annotations

import argparse
import ast
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("intents", "bot/evidence")
TESTS_OF = {  # a module's folder -> the tests that cover it (the rest of the suite is not run)
    "intents": ["tests/intents", "tests/decision", "tests/readings"],
    "intents/decision": ["tests/decision", "tests/evidence", "tests/intents/test_matcher.py"],
    "intents/calibration": ["tests/calibration", "tests/decision"],
    "intents/messages": ["tests/readings", "tests/intents/test_message_formats.py"],
    "intents/facts": ["tests/readings", "tests/evidence", "tests/decision"],
    "bot/evidence": ["tests/evidence", "tests/standins/test_real_shapes.py", "tests/decision"],
}
SWAPS: dict[type[ast.AST], type[ast.AST]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.And: ast.Or,
    ast.Or: ast.And,
}


@dataclass(frozen=True)
class Mutant:
    module: str
    line: int
    what: str
    index: int
    """The site's place among the module's sites, in the order `_sites` walks them."""


OPERATORS = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.And: "and",
    ast.Or: "or",
}


@dataclass(frozen=True)
class Edit:
    """One mutation as a change of the source's bytes: `start:end` becomes `text`."""

    line: int
    start: int
    end: int
    text: bytes
    what: str


def _offsets(source: bytes) -> list[int]:
    """The byte offset of each line's start (ast's columns count UTF-8 bytes)."""
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _span(starts: list[int], node: ast.AST) -> tuple[int, int]:
    return (
        starts[node.lineno - 1] + node.col_offset,  # type: ignore[attr-defined]
        starts[node.end_lineno - 1] + node.end_col_offset,  # type: ignore[attr-defined]
    )


def _between(source: bytes, after: int, before: int, op: ast.AST) -> Edit | None:
    """The operator `op` written between two operands, turned into its SWAPS partner."""
    written, swapped = OPERATORS[type(op)], OPERATORS[SWAPS[type(op)]]
    gap = source[after:before]
    words = gap.decode("utf-8", "replace")
    at = words.find(f" {written} ") if written.isalpha() or " " in written else words.find(written)
    if at < 0:
        return None
    at += 1 if words[at] == " " else 0
    start = after + len(words[:at].encode())
    line = source.count(b"\n", 0, start) + 1
    return Edit(line, start, start + len(written), swapped.encode(), f"{written} -> {swapped}")


def edits(source: bytes) -> list[Edit]:
    """Every mutation one site of `source` allows, in source order (docstrings left alone)."""
    tree = ast.parse(source)
    starts = _offsets(source)
    docstrings = _docstrings(tree)
    found: list[Edit] = []
    for node in ast.walk(tree):
        found += _node_edits(source, starts, node, docstrings)
    return sorted((edit for edit in found if edit is not None), key=lambda e: e.start)


def _node_edits(
    source: bytes, starts: list[int], node: ast.AST, docstrings: set[int]
) -> list[Edit | None]:
    if isinstance(node, ast.Compare):
        operands = [node.left, *node.comparators]
        return [
            _between(source, _span(starts, left)[1], _span(starts, right)[0], op)
            for op, left, right in zip(node.ops, operands, operands[1:], strict=False)
            if type(op) in SWAPS
        ]
    if isinstance(node, ast.BoolOp):
        return [
            _between(
                source, _span(starts, node.values[0])[1], _span(starts, node.values[1])[0], node.op
            )
        ]
    line = getattr(node, "lineno", 0)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        start, _ = _span(starts, node)
        return [Edit(line, start, _span(starts, node.operand)[0], b"", "not dropped")]
    if isinstance(node, (ast.If, ast.While)):
        start, end = _span(starts, node.test)
        text = b"not (" + source[start:end] + b")"
        return [Edit(node.test.lineno, start, end, text, "condition negated")]
    if (
        isinstance(node, ast.Constant)
        and type(node.value) in (int, float)
        and id(node) not in docstrings
    ):
        start, end = _span(starts, node)
        return [Edit(line, start, end, repr(node.value + 1).encode(), f"{node.value!r} + 1")]
    value = node.value if isinstance(node, ast.Return) else None
    if isinstance(value, ast.Constant) and isinstance(value.value, bool):
        start, end = _span(starts, value)
        flipped = str(not value.value).encode()
        return [Edit(line, start, end, flipped, f"return {value.value} flipped")]
    return []


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the constants that are docstrings (not code to mutate)."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            found.add(id(first.value))
    return found


def mutants(per_module: int, seed: int, root: Path = ROOT) -> list[Mutant]:
    """At most `per_module` mutants of each target module of `root`, chosen with `seed`."""
    chosen: list[Mutant] = []
    chooser = random.Random(seed)
    for target in TARGETS:
        for path in sorted((root / target).rglob("*.py")):
            module = path.relative_to(root).as_posix()
            sites = [
                Mutant(module, edit.line, edit.what, n)
                for n, edit in enumerate(edits(path.read_bytes()))
            ]
            picked = chooser.sample(sites, min(per_module, len(sites)))
            chosen += sorted(picked, key=lambda m: m.index)
    return chosen


def mutated_source(path: Path, index: int) -> bytes:
    """The module's source with its mutation number `index` made (nothing else changed)."""
    source = path.read_bytes()
    edit = edits(source)[index]
    return source[: edit.start] + edit.text + source[edit.end :]


def _tests_for(module: str) -> list[str]:
    room = max((room for room in TESTS_OF if module.startswith(room + "/")), key=len)
    return TESTS_OF[room]


def snapshot(tests_rev: str | None) -> Path:
    """A copy of the checkout to make every mutant from: the working tree's product as it is
    now (later edits do not reach a run under way), its tests or those of `tests_rev`."""
    scratch = Path(tempfile.mkdtemp(prefix="kubemedic-mutation-base-"))
    for name in ("bot", "intents", "responses", "tests", "examples", "deploy", "docs", "bench"):
        shutil.copytree(
            ROOT / name, scratch / name, ignore=shutil.ignore_patterns("__pycache__", "corpus")
        )
    for name in ("pyproject.toml", ".importlinter", "README.md"):
        shutil.copy(ROOT / name, scratch / name)
    if tests_rev is not None:
        shutil.rmtree(scratch / "tests")
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", tests_rev, "tests"], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(scratch)], input=archive.stdout, check=True)
        shutil.rmtree(scratch / "tests" / "corpus")
    (scratch / "tests" / "corpus").symlink_to(ROOT / "tests" / "corpus")  # read only: 50 MB
    return scratch


def _pytest(tests: list[str], extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-m",
        "not slow",
        "--timeout",
        "300",
        *extra,
        *tests,
    ]


def failing_already(base: Path, tests: list[str]) -> list[str]:
    """The tests of `tests` that fail on the unmutated snapshot: left out of every mutant's run,
    or each would 'kill' every mutant."""
    ran = subprocess.run(
        _pytest(tests, ["-rf"]), cwd=base, capture_output=True, text=True, check=False
    )
    return [
        line.removeprefix("FAILED ").split(" - ", 1)[0]
        for line in ran.stdout.splitlines()
        if line.startswith("FAILED ")
    ]


def run_one(mutant: Mutant, base: Path, known: dict[str, list[str]] | None = None) -> str:
    """'killed', 'survived' or 'broken' (the mutant does not compile or import), in a copy of
    `base` (a `snapshot`)."""
    scratch = Path(tempfile.mkdtemp(prefix="kubemedic-mutation-"))
    try:
        shutil.copytree(base, scratch, symlinks=True, dirs_exist_ok=True)
        path = scratch / mutant.module
        try:
            source = mutated_source(base / mutant.module, mutant.index)
            compile(source, str(path), "exec")
        except (SyntaxError, ValueError):
            return "broken"
        path.write_bytes(source)
        tests = _tests_for(mutant.module)
        deselected = [f"--deselect={test}" for test in (known or {}).get(" ".join(tests), [])]
        ran = subprocess.run(
            _pytest(tests, ["-x", *deselected]),
            cwd=scratch,
            capture_output=True,
            text=True,
            check=False,
        )
        if ran.returncode == 0:
            return "survived"
        errors = "ImportError" in ran.stdout or "error during collection" in ran.stdout
        return "broken" if ran.returncode in (2, 3, 4) and errors else "killed"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tests", help="run the tests of this git revision (default: working tree)"
    )
    parser.add_argument("--per-module", type=int, default=2)
    parser.add_argument("--seed", type=int, default=69)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, help="at most this many of them, chosen with the seed")
    parser.add_argument("--only", help="only the modules under this folder (e.g. bot/evidence)")
    args = parser.parse_args(argv)
    base = snapshot(args.tests)
    chosen = [
        mutant
        for mutant in mutants(args.per_module, args.seed, base)
        if args.only is None or mutant.module.startswith(args.only.rstrip("/") + "/")
    ]
    if args.limit is not None and args.limit < len(chosen):
        picked = set(random.Random(args.seed).sample(range(len(chosen)), args.limit))
        chosen = [mutant for n, mutant in enumerate(chosen) if n in picked]
    started = time.monotonic()
    selections = {" ".join(_tests_for(m.module)): _tests_for(m.module) for m in chosen}
    known = {key: failing_already(base, tests) for key, tests in selections.items()}
    for tests, failing in known.items():
        if failing:
            print(f"  failing before any mutation, left out: {tests}: {failing}", flush=True)

    def one(mutant: Mutant) -> str:
        outcome = run_one(mutant, base, known)
        print(f"  {outcome}: {mutant.module}:{mutant.line} {mutant.what}", flush=True)
        return outcome

    try:
        with ThreadPoolExecutor(args.jobs) as pool:
            outcomes = list(pool.map(one, chosen))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    counts = {kind: outcomes.count(kind) for kind in ("killed", "survived", "broken")}
    tested = counts["killed"] + counts["survived"]
    sample = f"{args.per_module} a module" + (f", {args.limit} of those" if args.limit else "")
    print(
        f"{len(chosen)} mutants of {', '.join(TARGETS)} (seed {args.seed}, {sample}), tests of "
        f"{args.tests or 'the working tree'}: {counts['killed']} killed, "
        f"{counts['survived']} survived, {counts['broken']} left out (broken); "
        f"{counts['killed'] / max(tested, 1):.0%} killed; {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
