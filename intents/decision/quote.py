"""The part of a pasted line that matched, quoted in "why this answer".

A log line starts with its timestamp, level and source file; what matched is usually further on
(`E0312 10:22:01 reflector.go:138] failed to list *v1.Pod: pods is forbidden: User ...`). The
quote starts where the match does: the span of the regex that matched, else of one of the
entry's patterns, else where the line best aligns with the symptom it resembles (rapidfuzz's
alignment, which the matcher's scores come from). A quote that does not start the line starts
with an ellipsis, one that does not end it ends with one.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from intents.regex_engine import compile_regex
from intents.results import EvidenceKind, MatchedLine
from intents.schema import CatalogEntry

MAX_LINE = 4000
"""Characters of a line searched for where the match starts (a quote shows far fewer)."""


def _span(line: str, matched: MatchedLine, entry: CatalogEntry) -> int:
    """Where in `line` what matched starts (0 when nothing says)."""
    line = line[:MAX_LINE]
    own = [matched.symptom] if matched.kind == EvidenceKind.REGEX else []
    regexes = own + list(entry.patterns)
    for regex in regexes:
        try:
            found = compile_regex(regex).search(line)
        except ValueError:
            continue
        if found is not None:
            return found.start()
    symptoms = [matched.symptom] if matched.kind == EvidenceKind.FUZZY else list(entry.symptoms)
    lowered = line.lower()
    best = max(
        (fuzz.partial_ratio_alignment(symptom.lower(), lowered) for symptom in symptoms),
        key=lambda alignment: alignment.score if alignment else 0.0,
        default=None,
    )
    return best.dest_start if best is not None and best.score >= 60 else 0


def quoted(matched: MatchedLine, entry: CatalogEntry, width: int) -> str:
    """At most `width` characters of the matched line, from a word or so before what matched."""
    line = matched.line.strip()
    if len(line) <= width:
        return line
    # from the word before the match ("pods is forbidden", not "is forbidden")
    start = line.rfind(" ", 0, max(0, _span(line, matched, entry) - 1)) + 1
    if start > len(line) - width + 1:  # near the end: as much of the line as fits, from a word
        start = max(0, len(line) - width + 1)
        start = line.find(" ", start) + 1 if start and line[start - 1] != " " else start
    part = line[start:].lstrip()
    lead = "…" if start > 0 else ""
    room = width - len(lead)
    return lead + (part if len(part) <= room else part[: room - 1] + "…")
