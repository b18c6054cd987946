"""Draft catalog entries from what was never answered (`kubemedic catalog suggest`).

The recorded direct asks with no candidate and the "None of these" choices (redacted) are
grouped by the lines they share, read the way the matcher reads lines (transport damage undone,
values replaced by placeholders): two pastes share a line when their normalised lines are
equal, and pastes joined by shared lines form one group. Each group of at least `min_pastes`
becomes a draft: its shared lines as symptoms and as patterns (values generalised), how many
pastes and channels asked, and example texts, with TODO where an author must write. The draft
is a valid entry (`kubemedic catalog check` accepts it), so it can be finished in place.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.storage.ask_records import QuestionRecord
from intents.normalize import canonical, clean_text

MIN_LINE_WORDS = 4
MAX_SHARED = 5
MAX_PATTERNS = 3
MAX_EXAMPLES = 3
MAX_EXAMPLE_LINES = 12
MAX_LINE = 300
MAX_ID = 40
DOC_LINK = "https://kubernetes.io/docs/tasks/debug/"
_WORDS = re.compile(r"[a-z0-9]+")
_VALUE = re.compile(r"\d+")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Draft:
    """One draft entry and where it comes from."""

    id: str
    shared: list[str]
    """The shared lines, as first pasted (cleaned, redacted)."""
    pastes: int
    channels: int
    examples: list[str] = field(default_factory=list)

    def entry(self, today: date) -> dict[str, Any]:
        """The draft as a catalog entry (the YAML mapping)."""
        asked = f"{self.pastes} unanswered pastes in {self.channels} channel{'s' if self.channels != 1 else ''}"
        return {
            "id": self.id,
            "title": f"TODO: name the problem ({self.shared[0][:80]})",
            "summary": f"TODO: what goes wrong. Drafted by kubemedic catalog suggest from {asked}.",
            "symptoms": self.shared,
            "patterns": [as_pattern(line) for line in self.shared[:MAX_PATTERNS]],
            "root_cause": "TODO: why it happens.",
            "fix": [{"text": "TODO: the fix, with the commands to run."}],
            "links": [
                {"url": DOC_LINK, "title": "TODO: the issue or page this entry is written from"}
            ],
            "sources": [f"kubemedic catalog suggest, {today.isoformat()}: {asked}"],
            "tags": ["draft"],
        }


def as_pattern(line: str) -> str:
    """A regex for the line: its text literally, its numbers as any number."""
    parts: list[str] = []
    last = 0
    for found in _VALUE.finditer(line):
        parts += [re.escape(line[last : found.start()]), r"\d+"]
        last = found.end()
    return "".join([*parts, re.escape(line[last:])])


def _lines(text: str) -> dict[str, str]:
    """canonical line -> the line as pasted (cleaned), for the lines long enough to mean something."""
    found: dict[str, str] = {}
    for line in clean_text(text).split("\n"):
        key = canonical(line)
        if len(_WORDS.findall(key)) >= MIN_LINE_WORDS:
            found.setdefault(key, " ".join(line.split())[:MAX_LINE])
    return found


def _groups(lines: list[dict[str, str]], min_pastes: int) -> list[list[int]]:
    """Pastes joined by the lines they share (union-find over the shared lines)."""
    parent = list(range(len(lines)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    holders: dict[str, list[int]] = defaultdict(list)
    for number, found in enumerate(lines):
        for key in found:
            holders[key].append(number)
    for numbers in holders.values():
        for other in numbers[1:]:
            parent[root(other)] = root(numbers[0])
    groups: dict[int, list[int]] = defaultdict(list)
    for number in range(len(lines)):
        groups[root(number)].append(number)
    return sorted(
        (g for g in groups.values() if len(g) >= min_pastes), key=lambda g: (-len(g), g[0])
    )


def drafts(questions: Sequence[QuestionRecord], *, min_pastes: int = 2) -> list[Draft]:
    """Draft entries from unanswered pastes, the most asked first."""
    asked = [q for q in questions if q.text]
    lines = [_lines(q.text or "") for q in asked]
    made: list[Draft] = []
    taken: set[str] = set()
    for group in _groups(lines, max(2, min_pastes)):
        counts = Counter(key for number in group for key in lines[number])
        shared = [key for key, n in counts.most_common() if n >= 2][:MAX_SHARED]
        if not shared:
            continue
        first = {key: next(lines[n][key] for n in group if key in lines[n]) for key in shared}
        slug = _SLUG.sub("-", shared[0]).strip("-")[: MAX_ID - 6].strip("-") or "unanswered"
        draft_id = f"draft-{slug}"
        while draft_id in taken:
            draft_id = f"{draft_id[:MAX_ID]}-{len(taken)}"
        taken.add(draft_id)
        examples = [
            "\n".join((asked[n].text or "").splitlines()[:MAX_EXAMPLE_LINES])
            for n in group[:MAX_EXAMPLES]
        ]
        made.append(
            Draft(
                draft_id,
                [first[key] for key in shared],
                len(group),
                len({asked[n].channel for n in group}),
                examples,
            )
        )
    return made
