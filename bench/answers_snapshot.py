"""Snapshot every development paste's answer, to prove a refactoring changed no answer.

    python -m bench.answers_snapshot > /tmp/before.tsv      # on the commit before
    python -m bench.answers_snapshot > /tmp/after.tsv       # on the change
    diff /tmp/before.tsv /tmp/after.tsv                      # empty: no answer changed
    python -m bench.answers_snapshot --held-out > /tmp/held.tsv   # held-out halves, digests only

One line per paste of the catalog's own cases and the development half of tests/corpus/real:
the file, the answers (ids, high/medium first findings) and the ranked ids with their
confidence and score. Held-out pastes are left out on purpose: they are measured, never read.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from tests.corpus_cases import positive_cases
from tests.real_corpus import HALVES, load


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def main() -> int:
    from bot.diagnosis.paste import diagnose_paste
    from intents.loader import load_catalog
    from intents.matcher import Matcher

    catalog = load_catalog()
    matcher = Matcher.from_entries(sorted(catalog.entries.values(), key=lambda e: e.id))
    held_out = "--held-out" in sys.argv[1:]
    if held_out:
        halves = [h for h in HALVES if h != "dev"]
        texts = [
            (f"{half}\t{case.path.name}", case.text()) for half in halves for case in load(half)
        ]
    else:
        texts = [(str(path), path.read_text()) for path, _ in positive_cases()]
        texts += [(str(case.path), case.text()) for case in load("dev")]
    root = Path.cwd()
    for name, text in texts:
        diagnosis = diagnose_paste(matcher, text, top=3)
        answers = ",".join(f.match.id for f in diagnosis.answers) or "-"
        ranked = " ".join(
            f"{f.match.id}:{f.match.confidence}:{f.match.score:.3f}" for f in diagnosis.findings
        )
        if held_out:
            half, file = name.split("\t")
            print(f"{half}\t{_digest(file)}\t{_digest(answers + ranked)}")
        else:
            print(f"{Path(name).resolve().relative_to(root)}\t{answers}\t{ranked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
