"""What the suite's own cases require of the learned rule: a constraint set for choosing its policy.

The recording (bench/calibration_suite.py) gives every paste the hand-written tests hand to
the product path, with the candidates the learned rule is asked about. Each becomes a
`SuiteCase` with what it must keep, taken from the project's own labels:
- a case-table row (tests/readings/cases.py) keeps what its row asserts: the answer (None: the
  bot stays quiet), an id the answer must not be, the first ids listed, ids listed or at high
  confidence, the rule the row is about in the listed matches' trace; the rows about which problems are named together keep the rules' verdict;
- a labelled corpus paste (tests/corpus: cases, multi, healthy, out-of-catalog, negatives,
  validation) keeps a right answer right and a negative unanswered, and the labelled
  positives together keep as many right ids among the three listed;
- any other paste of those tests keeps the rules' answer (the tests pass on it and most
  assert it), and the rules' three listed when a test of it failed under the listing probe
  (bench/calibration_suite.py): that test asserts what is listed.
The test suite itself stays the judge (`pytest`); this set lets the training command keep it
while choosing, without training the model on any of it. Pastes of the noise test (the
corpus through transport damage) and of the development half are left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.calibration_policy import listed_three
from intents.calibration import Assessment, Candidate, Policy, judge
from intents.results import confidence_for
from tests.corpus_cases import multi_cases, negative_cases, positive_cases
from tests.real_corpus import load

LEFT_OUT = ("tests/intents/test_noise.py",)
"""Tests whose pastes are generated from the corpora (checked by running them, not here)."""
VERDICT_FIELDS = ("answers", "answers_start", "among_answers", "not_among_answers", "problems")
"""Case fields about which problems are named: kept when the rule keeps the rules' verdict."""


@dataclass
class SuiteCase:
    """One paste of the suite and what it must keep."""

    text: str
    candidates: tuple[Candidate, ...]
    refuted: frozenset[str] = frozenset()
    tests: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    """Case-table rows run on this paste (their asserted fields)."""
    expected: tuple[str, ...] | None = None
    """A labelled corpus paste: its right ids (empty: a negative); None: not labelled."""
    listing_sensitive: bool = False
    """A test of it failed when the listing changed as much as the rule may: it keeps the rules' listing."""

    @property
    def rules_answer(self) -> str | None:
        first = min(self.candidates, key=lambda c: c.rank, default=None)
        return first.id if first is not None and first.confidence != "low" else None

    @property
    def rules_listed(self) -> tuple[str, ...]:
        ranked = sorted(self.candidates, key=lambda c: c.rank)
        return listed_three([c.id for c in ranked], {c.id: c.because for c in ranked})

    def verdict(self, probabilities: dict[str, float], policy: Policy) -> Assessment:
        return judge(self.candidates, probabilities, policy, self.refuted)

    def listed_right(self, verdict: Assessment | None) -> int:
        """1 when a labelled positive has a right id among the three listed (the rules' listing
        when no verdict is given); the corpus tests hold the share, not each paste."""
        if not self.expected:
            return 0
        listed = self.rules_listed if verdict is None else listed_three(
            verdict.listing, {c.id: c.because for c in self.candidates})
        return int(bool(set(self.expected) & set(listed)))

    def broken(self, verdict: Assessment) -> list[str]:
        """What the verdict breaks of this case (empty: it keeps everything)."""
        because = {c.id: c.because for c in self.candidates}
        listed = listed_three(verdict.listing, because)
        answer = verdict.answer
        traced = {"own strength"} | {rule for c in self.candidates if c.id in listed for rule in c.rules}
        problems = [f"{row_problem}" for row in self.rows
                    for row_problem in _row_breaks(row, verdict, listed, traced)]
        if self.expected is not None:
            was = self.rules_answer
            if not self.expected and answer is not None and answer != was:
                problems.append(f"negative answered {answer}")
            if self.expected and was in self.expected and answer not in self.expected:
                problems.append(f"right answer {was} lost to {answer}")
        elif not self.rows:
            if answer != self.rules_answer:
                problems.append(f"answer {self.rules_answer} -> {answer}")
            if self.listing_sensitive and listed != self.rules_listed:
                problems.append(f"listing {list(self.rules_listed)} -> {list(listed)}")
        return problems


def _row_breaks(row: dict[str, Any], verdict: Assessment, listed: Sequence[str],
                traced: set[str]) -> Iterable[str]:
    answer = verdict.answer
    if row.get("rule") and row["rule"] not in traced:
        yield f"the rule {row['rule']!r} no longer in the listed matches' trace"
    if "answer" in row and answer != row["answer"]:
        yield f"answer {answer}, the row wants {row['answer']}"
    if "not_answer" in row and answer == row["not_answer"]:
        yield f"answer {answer}, the row forbids it"
    if "confidence" in row:
        first = confidence_for(verdict.scores[listed[0]]) if listed else ""
        if first != row["confidence"]:
            yield f"first listed at {first}, the row wants {row['confidence']}"
    if any(name in row for name in VERDICT_FIELDS) and verdict.action != "keep":
        yield f"{verdict.action} changes which problems are named"
    if "first" in row and list(listed[:len(row["first"])]) != list(row["first"]):
        yield f"listed first {list(listed[:len(row['first'])])}, the row wants {row['first']}"
    for key in ("listed", "high", "confirmed"):
        missing = set(row.get(key, ())) - set(listed)
        if missing:
            yield f"{sorted(missing)} no longer listed"
    for entry_id in row.get("high", ()):
        if entry_id in listed and confidence_for(verdict.scores[entry_id]) != "high":
            yield f"{entry_id} no longer high"
    for symptom, *_ in (*row.get("because", ()), *row.get("caused_by", ())):
        if symptom not in listed:
            yield f"{symptom} no longer listed"


def _labels() -> dict[str, tuple[str, ...]]:
    """Each labelled corpus paste's text and its right ids (empty: a negative)."""
    from bench.validate import cases as validation_cases

    def read(path: Path) -> str:
        return path.read_bytes().decode("utf-8", errors="replace")

    labels = {read(path): (entry_id,) for path, entry_id in positive_cases()}
    labels.update({read(path): tuple(ids) for path, ids in multi_cases()})
    labels.update({read(path): () for path in negative_cases()})
    labels.update({read(path): (expected,) if expected else () for path, expected in validation_cases()})
    return labels


def _development_texts() -> set[str]:
    """The development half's pastes (training data: some tests sample it)."""
    return {case.text() for case in load("dev")}


def suite_cases(rows: Iterable[dict[str, Any]]) -> list[SuiteCase]:
    """The recorded pastes as cases, one per distinct paste and candidates."""
    labels, real = _labels(), _development_texts()
    found: dict[str, SuiteCase] = {}
    for row in rows:
        if row["test"].startswith(LEFT_OUT) or row["text"] in real:
            continue
        candidates = tuple(Candidate(**{**c, "lines": tuple(c["lines"]), "because": tuple(c["because"])})
                           for c in row["candidates"])
        key = json.dumps([row["text"], row["candidates"], row.get("refuted", ())])
        case = found.setdefault(key, SuiteCase(row["text"], candidates, frozenset(row.get("refuted", ())),
                                               expected=labels.get(row["text"])))
        case.tests.append(row["test"])
        if row.get("case") and row["case"] not in case.rows:
            case.rows.append(row["case"])
        case.listing_sensitive |= bool(row.get("listing_sensitive"))
    return list(found.values())
