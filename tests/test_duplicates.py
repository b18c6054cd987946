"""No new copies in the product: every pair of product files that repeat each other is listed in
tests/duplicates_allowed.txt with the runs they share, and the list only shrinks.

Measured with `duplicates` (a runs-of-six-lines finder, on this project's machines; a machine
without it skips these tests, `.ci/run` fails them) over copies of the product's rooms as they
are in the working tree. The tool lists 200 pairs at the most, so the product's top-level
modules and packages are dealt into four fixed groups (by a hash of their path) and the tool
reads each two groups together: every pair of files is read together at least once. A pair of files not listed, or a listed pair sharing more runs than
it did, fails: make the second place use the first instead of copying it. A listed pair that
no longer shares anything asks for its line to be removed. Regenerate the list after a
deliberate change with `python -m tests.test_duplicates > tests/duplicates_allowed.txt`.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from tests.ci import in_ci

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("bot", "intents", "responses")
ALLOWED = Path(__file__).with_name("duplicates_allowed.txt")
MOST = 200
"""The most rows the tool lists (a read that has more fails: make GROUPS larger)."""
ROW = re.compile(r"^D\d+ (\S+):\d+-\d+ ~ (\S+):\d+-\d+(.*)$")


GROUPS = 4


def _tool() -> str:
    tool = shutil.which("duplicates")
    if tool is None:
        if in_ci():
            pytest.fail("CI is set but `duplicates` is not on PATH")
        pytest.skip("`duplicates` is not on PATH (this project's machines have it)")
    return tool


def _read(tool: str, tree: Path, units: Iterable[str]) -> dict[str, int]:
    """`a.py ~ b.py` -> runs they share, for the files of `units` (paths under `tree`) read
    together by the tool."""
    with tempfile.TemporaryDirectory(prefix="kubemedic-dups-") as copy:
        for unit in units:
            source, target = tree / unit, Path(copy) / unit
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copyfile(source, target)
        found = subprocess.run(
            [tool, "--repo", copy, "--most", str(MOST), "--seconds", "300"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    if found.startswith("incomplete: no file that counts was read"):
        return {}  # two groups without a module (a small tree)
    assert "incomplete:" not in found and "more pair" not in found, found
    pairs: dict[str, int] = {}
    for line in found.splitlines()[1:]:
        row = ROW.match(line)
        if row is not None:
            more = re.search(r"\(\+(\d+) more runs?\)", row.group(3))
            key = " ~ ".join(sorted((row.group(1), row.group(2))))
            pairs[key] = pairs.get(key, 0) + 1 + (int(more.group(1)) if more else 0)
    return pairs


def pairs_in(tree: Path) -> dict[str, int]:
    """`a.py ~ b.py` -> runs they share, for every pair of Python files of `tree`'s product
    rooms (as they are in the working tree, tracked or not)."""
    tool = _tool()
    groups: list[list[str]] = [[] for _ in range(GROUPS)]
    for room in PRODUCT:
        for unit in sorted((tree / room).iterdir()):
            if unit.name != "__pycache__" and (unit.is_dir() or unit.suffix == ".py"):
                name = unit.relative_to(tree).as_posix()
                groups[zlib.crc32(name.encode()) % GROUPS].append(name)
    pairs: dict[str, int] = {}
    for one, other in itertools.combinations(groups, 2):
        for key, runs in _read(tool, tree, one + other).items():
            pairs[key] = max(pairs.get(key, 0), runs)
    return pairs


@cache
def product_pairs() -> dict[str, int]:
    """The product's pairs, measured once per session."""
    return pairs_in(ROOT)


def allowed() -> dict[str, int]:
    """The listed pairs and the runs each shared when listed."""
    listed: dict[str, int] = {}
    for line in ALLOWED.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            runs, key = line.split(" ", 1)
            listed[key] = int(runs)
    return listed


def test_no_pair_of_product_files_is_added_or_grown() -> None:
    pairs = product_pairs()
    listed = allowed()
    grown = {
        key: (runs, listed.get(key))
        for key, runs in pairs.items()
        if key not in listed or runs > listed[key]
    }
    assert not grown, (
        "new or grown copies in the product (`duplicates --change` shows where): use the first "
        f"place instead of repeating it (runs found, listed): {grown}"
    )


def test_the_list_of_copies_only_shrinks() -> None:
    pairs = product_pairs()
    gone = sorted(key for key in allowed() if key not in pairs)
    assert not gone, f"no longer repeated: remove from {ALLOWED.name}: {gone}"


def test_a_copy_is_seen(tmp_path: Path) -> None:
    """A function pasted into a second module is a pair (so the list cannot pass vacuously)."""
    body = "".join(f"    total += value * {n} + {n * 7}\n" for n in range(8))
    function = f"def weigh(value: int) -> int:\n    total = 0\n{body}    return total\n"
    for room in PRODUCT:
        (tmp_path / room).mkdir()
    (tmp_path / "bot" / "one.py").write_text(function)
    (tmp_path / "intents" / "two.py").write_text("import os\n\n\n" + function)
    assert pairs_in(tmp_path) == {"bot/one.py ~ intents/two.py": 1}


if __name__ == "__main__":
    found_pairs = pairs_in(ROOT)
    print("# pairs of product files that share runs of 6 lines (`duplicates`): runs, pair")
    for pair, shared in sorted(found_pairs.items()):
        print(shared, pair)
