"""Does an entry's own evidence tell a silent right answer from a silent wrong one (issue 82)?

For each silent paste of a half (the product answered nothing; its first listed entry scores
from FLOOR up), the words of the first entry's own evidence the paste shows, derived from the
entry as it stands (no edit of the catalog):

- codes: the code- and field-like words of its symptoms and regexes (camelCase, letters with
  digits, words joined by `_` or `.`) that at most MAX_USERS entries use, and its component;
- regex words: the literal words of its regexes that at most MAX_USERS entries use.

"clear" means no other listed entry shows as many of its own. A rule "answer at medium on
evidence" pays only where right-first rows outnumber wrong-first and negative rows together in
some bucket. Development half only: `python -m bench.silent_evidence dev` (the held-out halves
are refused, since the table lists rows by bucket).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from bench.realcorpus import Outcome, product_outcomes
from intents.decision.components import components_of
from intents.schema import CatalogEntry
from tests.real_corpus import load

FLOOR = 0.30
MAX_USERS = 2
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{2,}[A-Za-z0-9]")
_CODE = re.compile(r"[a-z][A-Z]|[A-Za-z]\d|\d[A-Za-z]|[A-Za-z][_.][A-Za-z]")
_REGEX_SYNTAX = re.compile(r"\\.|\(\?\w+\)|[\[\]()|?*+{}^$]")

Words = Callable[[CatalogEntry], set[str]]


def codes(entry: CatalogEntry) -> set[str]:
    text = "\n".join([*entry.symptoms, *(_REGEX_SYNTAX.sub(" ", p) for p in entry.patterns)])
    found = {w.lower() for w in _WORD.findall(text) if _CODE.search(w)}
    return found | set(components_of(entry))


def regex_words(entry: CatalogEntry) -> set[str]:
    return {w.lower() for p in entry.patterns for w in _WORD.findall(_REGEX_SYNTAX.sub(" ", p))}


def evidence(entries: Iterable[CatalogEntry], words: Words) -> dict[str, frozenset[str]]:
    """Each entry's words that at most MAX_USERS entries use."""
    own = {entry.id: words(entry) for entry in entries}
    users = Counter(word for found in own.values() for word in found)
    return {i: frozenset(w for w in found if users[w] <= MAX_USERS) for i, found in own.items()}


def shown(words: frozenset[str], text: str) -> frozenset[str]:
    return frozenset(
        w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text, re.IGNORECASE)
    )


def bucket(outcome: Outcome, own: Mapping[str, frozenset[str]]) -> tuple[str, str] | None:
    """(the row's class, the evidence the first entry shows) for a silent row, else None."""
    if outcome.answered or not outcome.ranked or outcome.ranked[0][1] < FLOOR:
        return None
    text, listed = outcome.case.text(), [entry_id for entry_id, _, _ in outcome.ranked[:3]]
    first = listed[0]
    if outcome.case.klass != "positive":
        row = "negative"
    else:
        row = "right first" if first in outcome.case.expected else "wrong first"
    mine = shown(own.get(first, frozenset()), text)
    rivals = (shown(own.get(other, frozenset()), text) - mine for other in listed[1:])
    clear = not any(len(theirs) >= len(mine) for theirs in rivals)
    shows = f"{min(len(mine), 2)}{'+' if len(mine) >= 2 else ''}"
    return row, f"{shows} {'clear' if mine and clear else 'contested' if mine else ''}".strip()


def table(outcomes: list[Outcome], own: Mapping[str, frozenset[str]]) -> list[str]:
    counts = Counter(b for o in outcomes if (b := bucket(o, own)) is not None)
    columns = sorted({shows for _, shows in counts})
    lines = ["| silent row | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for row in ("right first", "wrong first", "negative"):
        cells = " | ".join(str(counts[row, shows]) for shows in columns)
        lines.append(f"| {row} | {cells} |")
    return lines


def main(argv: list[str]) -> int:
    half = argv[0] if argv else "dev"
    if half != "dev":
        print("development half only: the held-out halves are reported as totals")
        return 2
    from intents.loader import load_catalog

    entries = load_catalog().entries.values()
    outcomes = product_outcomes(load(half))
    for name, words in (("codes, field names, component", codes), ("regex words", regex_words)):
        print(f"\n{name} (used by at most {MAX_USERS} entries), silent rows from {FLOOR}:")
        print("\n".join(table(outcomes, evidence(entries, words))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
