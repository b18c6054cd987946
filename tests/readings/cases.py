"""One row of a reading's table: a paste and what a user must see for it.

Each table (tests/readings/test_*.py) lists the pastes one reading, message format or set of
an entry's words is about, and `check` runs each through `kubemedic match --json` as a user
would (in process, tests.cli.runner).  `read_by` names the shape the paste's reading
(bot.diagnosis.paste_read) gave a part of it, as the answer quotes it, that
must have read part of the paste: moving a reading in the registry, or a reading that starts
taking lines it should leave, fails the rows of its table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.diagnosis.paste_read import read_pasted
from tests.cli.runner import match_json


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class Case:
    """A paste, and what the answer must be (each field left UNSET is not checked)."""

    paste: str
    answer: str | None = UNSET
    """The first answer's catalog id, or None: the bot stays quiet."""
    not_answer: str | None = UNSET
    """An id the first answer must not be (None: some answer must be given)."""
    confidence: str = UNSET
    """The first match's confidence (high, medium)."""
    answers: tuple[str, ...] = UNSET
    """Every problem the answer names, in order."""
    answers_start: tuple[str, ...] = UNSET
    """The first problems the answer names, in order."""
    among_answers: tuple[str, ...] = ()
    """Problems the answer names, in any order..."""
    not_among_answers: tuple[str, ...] = ()
    """...and ones it does not name apart (a symptom named in its cause's chain)."""
    problems: tuple[str, ...] = UNSET
    """The matches at medium or high confidence that no other explains, in order."""
    first: tuple[str, ...] = UNSET
    """The ids the matches list first, in order."""
    listed: tuple[str, ...] = ()
    """Ids among the matches listed."""
    high: tuple[str, ...] = ()
    """Ids listed at high confidence."""
    confirmed: tuple[str, ...] = ()
    """Ids listed with confirming evidence."""
    because: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(symptom, the causes its listing names, exactly)."""
    caused_by: tuple[tuple[str, str], ...] = ()
    """(symptom, a cause its listing names among others)."""
    why: str = ""
    """What the case shows, in a few words."""
    rule: str = ""
    """The decision's rule that decides the case (tests/decision/test_rule_cases.py)."""
    read_by: str = ""
    """The shape one part of the paste must have been read as (its start: `kubectl get`,
    `kubectl describe pod`, `sentence`, `helm status`)."""
    tags: tuple[str, ...] = field(default=())

    def id(self) -> str:
        words = re.sub(r"[^a-z0-9]+", "-", self.why.lower()).strip("-")
        return words[:70] or "case"


def check(case: Case) -> None:
    """Run the paste as `kubemedic match --json` does and compare with the row."""
    if case.read_by:
        shapes = {part.shape for part in read_pasted(case.paste).parts}
        assert any(shape.startswith(case.read_by) for shape in shapes), (
            f"read as {sorted(shapes)}, not {case.read_by}"
        )
    body = match_json(case.paste)
    answer = body["answer"]
    if case.answer is not UNSET:
        assert answer == case.answer, body["matches"][:3]
    if case.not_answer is not UNSET:
        assert answer != case.not_answer, body["matches"][:3]
    if case.confidence is not UNSET:
        first = body["matches"][0]["confidence"] if body["matches"] else ""
        assert first == case.confidence, body["matches"][:3]
    if case.answers is not UNSET:
        assert body["answers"] == list(case.answers), body["matches"][:3]
    if case.answers_start is not UNSET:
        assert body["answers"][: len(case.answers_start)] == list(case.answers_start), body[
            "matches"
        ][:3]
    assert set(case.among_answers) <= set(body["answers"]), body["matches"][:3]
    assert not set(case.not_among_answers) & set(body["answers"]), body["answers"]
    _check_listing(case, body["matches"])


def _check_listing(case: Case, matches: list[dict[str, Any]]) -> None:
    listed = {match["id"]: match for match in matches}
    if case.problems is not UNSET:
        problems = [m["id"] for m in matches if m["confidence"] != "low" and not m["because"]]
        assert problems == list(case.problems), matches[:3]
    if case.first is not UNSET:
        assert [m["id"] for m in matches[: len(case.first)]] == list(case.first), matches[:3]
    assert set(case.listed) <= set(listed), list(listed)
    assert all(listed[i]["confidence"] == "high" for i in case.high if i in listed) and set(
        case.high
    ) <= set(listed)
    assert all(listed[i]["evidence"] for i in case.confirmed if i in listed) and set(
        case.confirmed
    ) <= set(listed)
    for symptom, causes in case.because:
        assert listed[symptom]["because"] == list(causes), listed[symptom]
    for symptom, cause in case.caused_by:
        assert cause in listed[symptom]["because"], listed[symptom]
