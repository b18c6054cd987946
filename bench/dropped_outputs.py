"""Each output taken away in turn: does kubemedic stay right, or at least not sure and wrong?

    python -m bench.dropped_outputs [--app market|cascade] [--only FAULT ...]

For every recorded fault of an app family (tests/<family>/recorded/), each output file is left
out in turn and the three questions of bench.cascade are asked of the rest (`--from-outputs`),
as a ticket that lacks one output would bring them. Prints one line per answer that is not the
culprit and its cause first ("sure": said at high or medium), then the totals. A script, not a
test: the figures go in docs/benchmarks.md ("Outputs taken away").
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from tests.cascade.asking import COMMANDS, ask_recorded
from tests.cascade.families import FAMILIES


def _without(folder: Path, dropped: str, into: Path) -> Path:
    """The fault's folder with one output left out."""
    shutil.rmtree(into, ignore_errors=True)
    (into / "outputs").mkdir(parents=True)
    shutil.copy(folder / "case.json", into / "case.json")
    for path in (folder / "outputs").iterdir():
        if path.name != dropped:
            shutil.copy(path, into / "outputs" / path.name)
    return into


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--app", choices=sorted(FAMILIES), default="market")
    parser.add_argument("--only", nargs="*", default=None, help="these faults only")
    args = parser.parse_args(argv)
    family, totals = FAMILIES[args.app], Counter[str]()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        for fault in family.faults:
            if args.only and fault.name not in args.only:
                continue
            folder = family.recorded / fault.name
            case = json.loads((folder / "case.json").read_text())
            for dropped in sorted(p.name for p in (folder / "outputs").iterdir()):
                copy = _without(folder, dropped, Path(tmp) / "copy")
                for command in COMMANDS:
                    answer = ask_recorded(command, fault, copy, case, home)
                    totals["asked"] += 1
                    if answer.cause_right(fault):
                        continue
                    sure = answer.confidence in ("high", "medium")
                    totals["sure and wrong" if sure else "not right, not sure"] += 1
                    print(
                        f"{fault.name} without {dropped}, {command}: {answer.shown()}"
                        f"{' (sure)' if sure else ''}"
                    )
    for name, count in totals.items():
        print(f"{name}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
