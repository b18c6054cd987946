"""What `kubemedic examples import` costs on files whose YAML aliases multiply their text.

An alias costs a file a few bytes and the import a whole text: `text: *big` ten thousand times
made the import redact and read into words ten thousand copies of one long text (issue 68: over
30 s of CPU). The import now refuses texts that add up, expanded, to more than the file-size
limit, and redacts each distinct text once. Shapes, each read by `example_files.load` and turned
into the records an import stores (`example_of`), process CPU, best of RUNS:
- "one 60 KB text, 10,000 aliases": the bomb (refused now, in one line);
- "one 1.6 KB text, 10,000 aliases": the most an accepted file of aliases holds (16 MB expanded);
- "10,000 distinct texts of 1.6 KB": the same volume written out, no alias (16 MB file).

Run from the project root:  .venv/bin/python -m bench.examples_import_bench
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.answering.example_files import load
from bot.answering.examples import example_of
from bot.errors import BadInput

RUNS = 3
WORDS = ("pod", "container", "OOMKilled", "memory", "limit", "killed", "exit", "code", "137")
COUNT = 10_000


def _text(rng: random.Random, chars: int) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < chars:
        words.append(rng.choice(WORDS))
    return " ".join(words)


def aliased(chars: int) -> str:
    """One text of `chars` characters, then COUNT - 1 examples naming it by alias."""
    head = f'- entry: oom-killed\n  text: &t "{_text(random.Random(1), chars)}"'
    return "format: kubemedic.examples/v1\nexamples:\n" + "\n".join(
        [head, *["- entry: oom-killed\n  text: *t"] * (COUNT - 1)]
    )


def written_out(chars: int) -> str:
    rng = random.Random(2)
    return "format: kubemedic.examples/v1\nexamples:\n" + "\n".join(
        f'- entry: oom-killed\n  text: "{_text(rng, chars)} {n}"' for n in range(COUNT)
    )


def imported(text: str) -> str:
    """What the import does before the database: load, check, make the records."""
    try:
        entries = load(text, known=lambda: {"oom-killed"})
    except BadInput as exc:
        return f"refused: {exc.reason[:70]}"
    now = datetime.now(UTC)
    records = [
        example_of(e.text, e.example.entry, chosen_by="import", chooser="import", chosen_at=now)
        for e in entries
    ]
    return f"{len(records):,} records"


def best(make: Callable[[], str]) -> tuple[float, str]:
    text, times, said = make(), [], ""
    for _ in range(RUNS):
        start = time.process_time()
        said = imported(text)
        times.append(time.process_time() - start)
    return min(times), f"{len(text.encode()) / 1024:,.0f} KB file: {said}"


def main() -> int:
    shapes = {
        "one 60 KB text, 10,000 aliases": lambda: aliased(60_000),
        "one 1.6 KB text, 10,000 aliases": lambda: aliased(1_600),
        "10,000 distinct texts of 1.6 KB": lambda: written_out(1_600),
    }
    print("| file | s CPU | what the import did |\n|---|---|---|")
    for name, make in shapes.items():
        seconds, said = best(make)
        print(f"| {name} | {seconds:.2f} | {said} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
