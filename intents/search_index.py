"""The catalog's matching data, exported for the browsable catalog's in-page search.

The static catalog site searches in the browser, with no server: a pasted
error line is matched there the way the matcher does it, simplified. So the
page gets what the matcher knows, computed here by the same code: each
symptom's tokens after the same normalisation, the same inverse-document-
frequency weights and information mass, and the entry regexes translated to
JavaScript syntax (Python's leading `(?i)`/`(?im)` become flags; a pattern
JavaScript cannot compile is skipped there, the symptoms still count). A
caller's `runnable` test keeps out the regexes a browser must not run (the
site's: those not proven fast for a backtracking engine); each entry says
how many it left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from intents.index import CatalogIndex
from intents.schema import CatalogEntry

_LEADING_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")
_JS_FLAGS = {"i": "i", "m": "m", "s": "s"}


def js_regex(pattern: str) -> tuple[str, str]:
    """(source, flags) for JavaScript's RegExp from a Python pattern."""
    found = _LEADING_FLAGS.match(pattern)
    if not found:
        return pattern, ""
    flags = "".join(sorted({_JS_FLAGS[f] for f in found.group(1) if f in _JS_FLAGS}))
    return pattern[found.end() :], flags


def search_index(
    entries: Sequence[CatalogEntry], runnable: Callable[[str], bool] = lambda _pattern: True
) -> dict[str, Any]:
    """A JSON-ready index: token weights, the information mass of a full match, and per entry its
    title, summary, tags, symptom token lists and the `runnable` regexes (patterns, excludes,
    requires), with `left_out` counting the others."""
    index = CatalogIndex(entries)
    names = {number: token for token, number in index.vocab.items()}
    symptoms: list[list[list[str]]] = [[] for _ in entries]
    used: set[int] = set()
    for number in range(index.symptom_count):
        tokens = list(index.symptom_tokens(number))
        used.update(tokens)
        symptoms[index.symptom_entry[number]].append(sorted(names[t] for t in tokens))
    return {
        "weights": {names[t]: round(index.weights[t], 4) for t in sorted(used)},
        "full_mass": round(index.full_mass, 4),
        "entries": [
            {
                "id": entry.id,
                "title": entry.title,
                "summary": entry.summary,
                "tags": list(entry.tags),
                "symptoms": symptoms[number],
                "patterns": [js_regex(p) for p in entry.patterns if runnable(p)],
                "excludes": [js_regex(p) for p in entry.excludes if runnable(p)],
                "requires": [js_regex(p) for p in entry.requires if runnable(p)],
                "requires_left_out": sum(not runnable(p) for p in entry.requires),
                "left_out": sum(
                    not runnable(p) for p in (*entry.patterns, *entry.excludes, *entry.requires)
                ),
            }
            for number, entry in enumerate(entries)
        ],
    }
