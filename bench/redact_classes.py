"""Secrets by class, measured both ways: leaks per class by every path, and over-redaction.

    python -m bench.redact_classes           # every path of the bot and MCP, then the corpus
    python -m bench.redact_classes --quick   # redaction in process, then the corpus

Leaks: the 370 values of tests/hardening/planted_classes.py and the 77 of planted_more.py (fixed
seeds, made up), each in the paste it arrives in, one paste per class. In process: `redact` and
`redact_paste` (what a chat arrival makes). By every path (tests/hardening/secret_paths.py): the
real bot with its stand-ins (Slack posts, Teams cards, the SQLite file's bytes, JSON logs, the
agent hand-off), `kubemedic mcp` over stdio (`match_error`, and `diagnose` of a pod whose log
and termination message hold the paste) and a real fleet agent's messages up the wire. A value
leaks when any 12 of its characters in a row come out. "Reached" is how many classes the agent
received (an ask the catalog answers is never handed off).

Over-redaction: every labelled paste (tests/corpus/real's halves and fresh batches, and
tests/corpus/cases) redacted as the bot redacts it; how many change, and how many of those
get another answer (`diagnose_paste`, the bot's product path). Counts only: the held-out
halves are never read paste by paste.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.redact_answers import _pastes
from intents.normalize import unwrap
from responses.redaction import redact, redact_paste
from tests.hardening.planted_classes import CLASSES as FIRST
from tests.hardening.planted_classes import leaked, secret_lines
from tests.hardening.planted_more import MORE
from tests.hardening.secret_paths import DESTINATIONS

REAL = ROOT / "tests" / "corpus" / "real"
CLASSES = {**FIRST, **MORE}


def in_process() -> dict[str, tuple[int, int]]:
    """Per class: values leaking from `redact`, and from `redact_paste`."""
    return {
        name: (
            sum(leaked(item.secret, redact(item.paste)) for item in planted),
            sum(leaked(item.secret, redact_paste(item.paste)) for item in planted),
        )
        for name, planted in CLASSES.items()
    }


def by_every_path() -> tuple[dict[str, dict[str, int]], list[str]]:
    """Per class and destination: values leaking; and the classes the agent received."""
    from tests.hardening.secret_paths import leaks, through_mcp, through_the_bot, through_the_fleet

    pastes = {name: "\n".join(item.paste for item in planted) for name, planted in CLASSES.items()}
    asks = {
        name: "\n".join(secret_lines(item) for item in planted) for name, planted in CLASSES.items()
    }
    with tempfile.TemporaryDirectory() as scratch:
        seen = asyncio.run(through_the_bot(Path(scratch) / "bot", pastes, asks))
        seen.carried.update(asyncio.run(through_mcp(pastes, Path(scratch))))
        fleet = asyncio.run(through_the_fleet(Path(scratch) / "fleet", pastes))
        seen.carried["fleet wire"] = fleet["fleet wire"]
        seen.carried["Slack posts"] += "\n" + fleet["Slack posts"]
    return leaks(seen.carried, CLASSES), seen.handed_off


def over_redaction() -> list[tuple[str, int, int, int]]:
    """(corpus, pastes, pastes redaction changes, answers it changes) for each part of the
    corpus."""
    from bot.diagnosis.paste import diagnose_paste
    from intents.loader import load_catalog
    from intents.matcher import Matcher

    matcher = Matcher.from_entries(sorted(load_catalog().entries.values(), key=lambda e: e.id))

    def answers(text: str) -> tuple[str, ...]:
        return tuple(f.match.id for f in diagnose_paste(matcher, text, top=3).answers)

    fresh = sorted(path.name for path in REAL.iterdir() if path.name.startswith("fresh"))
    rows = []
    for label, sources in (
        ("real dev", ["dev"]),
        ("real test", ["test"]),
        ("real fresh*", fresh),
        ("cases", ["cases"]),
    ):
        total = changed = moved = 0
        for source in sources:
            for _name, text in _pastes(source):
                total += 1
                redacted = redact_paste(text)
                if redacted == unwrap(text.replace("\r\n", "\n")):
                    continue
                changed += 1
                moved += answers(text) != answers(redacted)
        rows.append((label, total, changed, moved))
    return rows


def _leak_table(quick: bool) -> None:
    local = in_process()
    paths, reached = ({}, []) if quick else by_every_path()
    where = () if quick else DESTINATIONS
    head = ["class", "values", "redact", "paste view", *where]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for name, planted in CLASSES.items():
        cells = [name, str(len(planted)), *map(str, local[name])]
        cells += [str(paths[name][each]) for each in where]
        if where and name not in reached:
            cells[4 + list(where).index("hand-off")] += " (not reached)"
        print("| " + " | ".join(cells) + " |")
    total = sum(len(planted) for planted in CLASSES.values())
    leaks = sum(map(sum, local.values())) + sum(sum(row.values()) for row in paths.values())
    print(
        f"\n{total} values in {len(CLASSES)} classes; leaks in all: {leaks}"
        + ("" if quick else f"; the agent received {len(reached)} of {len(CLASSES)} classes")
    )


def _corpus_table() -> None:
    print("\n| corpus | pastes | changed by redaction | answers changed |\n|---|---|---|---|")
    rows = over_redaction()
    real = [row for row in rows if row[0].startswith("real")]
    totals = [
        (label, *(sum(row[at] for row in part) for at in (1, 2, 3)))
        for label, part in (("real, all", real), ("all", rows))
    ]
    for label, pastes, changed, moved in [*rows, *totals]:
        print(f"| {label} | {pastes:,} | {changed} | {moved} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="redaction in process only, then the corpus"
    )
    args = parser.parse_args(argv)
    _leak_table(args.quick)
    _corpus_table()
    return 0


if __name__ == "__main__":
    sys.exit(main())
