"""Where a py-spy profile's samples went: inclusive share by function, from its raw (folded) output.

    py-spy record --pid BOT_PID --duration 15 --rate 200 --format raw -o storm.folded
    python -m bench.folded_summary storm.folded [--thread MainThread] [--top 25]

Each line of a folded file is one stack (frames joined by ';', outermost
first) and its sample count. A function counts once per stack it appears
in, so a share is "of the samples, how many were inside this function".
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path


def _function(frame: str) -> str:
    """`name (path/to/file.py:12)` -> `name (file.py)`; a thread's frame (`--threads`) as it is."""
    if frame.startswith("thread ("):
        return frame
    name, _, where = frame.partition(" (")
    return f"{name} ({where.split(':')[0].rsplit('/', 1)[-1]})" if where else name


def inclusive(lines: list[str], thread: str | None = None) -> tuple[int, Counter[str]]:
    """Total samples and samples per function (inclusive) of the stacks of `thread` (all when None)."""
    total, shares = 0, Counter[str]()
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or (thread is not None and thread not in stack.split(";", 1)[0]):
            continue
        total += int(count)
        shares.update(dict.fromkeys({_function(frame) for frame in stack.split(";")}, int(count)))
    return total, shares


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folded", type=Path)
    parser.add_argument(
        "--thread", help="only stacks whose first frame names this thread (py-spy --threads)"
    )
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    total, shares = inclusive(args.folded.read_text().splitlines(), args.thread)
    print(f"{total} samples")
    for function, samples in shares.most_common(args.top):
        print(f"{samples / max(total, 1):6.1%}  {function}")


if __name__ == "__main__":
    main()
