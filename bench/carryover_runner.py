"""Read pastes with whatever product tree is first on PYTHONPATH (bench.carryover runs it in an
older tree): one JSON line per file with the ranked findings and the answers.

Kept to the interface every tree since the real corpus began has: `diagnose_paste`, findings
with `match.id`, `match.score` and `confirmed` (and `because` when it has it); `answers` when
the tree has it, else the first finding when high or medium.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(folder: str, names: list[str]) -> None:
    from bot.diagnosis.paste import diagnose_paste
    from intents.loader import load_catalog
    from intents.matcher import Matcher

    matcher = Matcher.from_entries(sorted(load_catalog().entries.values(), key=lambda e: e.id))
    for name in names:
        text = (Path(folder) / name).read_bytes().decode("utf-8", errors="replace")
        diagnosis = diagnose_paste(matcher, text, top=3)
        ranked = [
            (f.match.id, f.match.score, bool(f.confirmed), list(getattr(f, "because", ())))
            for f in diagnosis.findings
        ]
        if hasattr(diagnosis, "answers"):
            answered = [f.match.id for f in diagnosis.answers]
        else:
            first = diagnosis.findings[0] if diagnosis.findings else None
            answered = (
                [first.match.id] if first and first.match.confidence in ("high", "medium") else []
            )
        print(json.dumps({"file": name, "ranked": ranked, "answered": answered}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
