"""Write what the paste reader of 84e0a9fb read from every corpus paste (the agreement's golden).

    git -C /work/main archive 84e0a9fb | tar -x -C /tmp/base
    cp bench/reader_golden.py bench/reader_agreement.py /tmp/base/bench/
    cd /tmp/base && python -m bench.reader_golden   # writes tests/outputs/paste_reader_84e0a9fb.jsonl.gz

Runs only where `bot/paste/` exists (84e0a9fb and before): the file it writes is the frozen
record `bench.reader_agreement` and tests/outputs/test_corpus_agreement.py hold the one reader
to. Sentences (the prose readings) are left out: they are no kubectl output.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

from bench.reader_agreement import GOLDEN, ROOT, claim_key, event_key, node_keys, pod_keys

_FRACTION = re.compile(r"^\d{1,4}/\d{1,4}$")


def corpus_files() -> list[Path]:
    """Every paste of tests/corpus (all halves) and of the catalog packs' cases."""
    found = list((ROOT / "tests" / "corpus").rglob("*.txt"))
    found += (ROOT / "intents" / "catalog" / "packs").glob("*/cases/*/*.txt")
    return sorted(path for path in found if path.name != "SOURCES.md")


def old_keys(text: str) -> Iterator[str]:
    """The keys of what `bot.paste.detect.parse_paste` read (kubectl output only)."""
    from bot.paste.detect import parse_paste  # type: ignore[import-not-found,unused-ignore]

    from intents.facts.model import NodeFacts

    parsed = parse_paste(text)
    rows = sum(
        block.end - block.first_row for block in parsed.blocks if block.reading == "get pods"
    )
    if rows:
        yield f"pod rows {rows}"
    for subject in parsed.subjects:
        if subject.shape == "sentence":
            continue
        facts = subject.facts
        if isinstance(facts, NodeFacts):
            yield from _node_keys(facts)
            continue
        yield from (claim_key(volume) for volume in facts.volumes)
        yield from (event_key(event) for event in facts.events)
        if subject.label.startswith(("pod ", "the pasted pod")):
            yield from pod_keys(facts)


def _row_name(line: str) -> str:
    """The pod a `get pods` row is of: the word before its READY fraction."""
    words = line.split()
    at = next((i for i, w in enumerate(words[1:3], 1) if _FRACTION.match(w)), 1)
    return words[at - 1].rsplit("/", 1)[-1] if words else ""


def _node_keys(facts: object) -> Iterator[str]:
    """A node's keys; a systemd unit's (a node with units only), or only the events of a node
    an events table names (the one reader reads events, not the node, from those)."""
    units = getattr(facts, "units", [])
    if units:
        yield from (f"unit {unit.name} {unit.state}" for unit in units)
    elif facts.conditions or facts.taints or facts.unschedulable:  # type: ignore[attr-defined]
        yield from node_keys(facts)  # type: ignore[arg-type]
    else:
        yield from (event_key(event) for event in facts.events)  # type: ignore[attr-defined]


def main() -> int:
    with gzip.open(GOLDEN, "wt", encoding="utf-8") as out:
        for path in corpus_files():
            text = path.read_bytes().decode("utf-8", errors="replace")
            keys = sorted(set(old_keys(text)))
            if keys:
                row = {"file": str(path.relative_to(ROOT)), "keys": keys}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
