"""Does redaction cost any answer? Every labelled paste answered raw and redacted, paste by paste.

    python -m bench.redact_answers dev test          # halves of tests/corpus/real
    python -m bench.redact_answers cases             # tests/corpus/cases (the catalog's own)

The bot redacts a paste before it matches it (`bot/answering/diagnosing.py`), so a secret
rule that eats error words, ids or names the evidence needs shows up here as a changed
answer. For each paste: the product path (`diagnose_paste`, as `python -m bench.realcorpus`)
on the raw text and on `redact_paste(text)` (what the bot matches); printed: how many pastes had something redacted,
how many answers (the names the reply gives, in order) changed, and each changed one.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _pastes(source: str) -> Iterator[tuple[str, str]]:
    if source == "cases":
        from tests.corpus_cases import case_files

        for path in case_files():
            yield str(path.relative_to(ROOT)), path.read_text(errors="replace")
        return
    from tests.real_corpus import load

    for case in load(source):
        yield f"{source}/{case.path.name}", case.text()


def compare(sources: Sequence[str]) -> list[str]:
    """Lines of the report: per source, pastes, pastes changed by redaction, answers changed."""
    from bot.diagnosis.paste import diagnose_paste
    from intents.loader import load_catalog
    from intents.matcher import Matcher
    from intents.normalize import unwrap
    from responses.redaction import redact_paste

    catalog = load_catalog()
    matcher = Matcher.from_entries(sorted(catalog.entries.values(), key=lambda e: e.id))

    def answers(text: str) -> tuple[str, ...]:
        return tuple(f.match.id for f in diagnose_paste(matcher, text, top=3).answers)

    lines = ["| pastes | pastes | with something redacted | answer changed |", "|---|---|---|---|"]
    changed: list[str] = []
    for source in sources:
        total = touched = moved = 0
        for name, text in _pastes(source):
            total += 1
            redacted = redact_paste(text)
            if redacted == text:
                continue
            touched += redacted != unwrap(text.replace("\r\n", "\n"))  # not only unwrapped
            before, after = answers(text), answers(redacted)
            if before != after:
                moved += 1
                changed.append(f"{name}: {list(before)} -> {list(after)}")
        lines.append(f"| {source} | {total} | {touched} | {moved} |")
    return [*lines, "", *(changed or ["no answer changed"])]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", help="halves of tests/corpus/real, or 'cases'")
    args = parser.parse_args(argv)
    print("\n".join(compare(args.sources)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
