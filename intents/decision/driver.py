"""Run the decision's rules in order on a board, each under its own name.

The driver sets the running rule on the board (its steps carry the rule list's name), and after
each rule records every change of score or place the rule made without a step of its own, so no
rule acts silently. `skipping` leaves rules out, to see what each one changes (the trace test,
benches).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from intents.decision.boards import Choice, EntryBoard, FindingBoard
from intents.decision.rules import PROBLEMS, RULES, TEAM_EXAMPLE, Rule
from intents.findings import Finding
from intents.results import Match

_SKIPPED: ContextVar[frozenset[Rule]] = ContextVar("skipped_rules", default=frozenset())


@contextmanager
def skipping(rules: Iterable[Rule]) -> Iterator[None]:
    """Within the block the decision runs without these rules."""
    token = _SKIPPED.set(_SKIPPED.get() | frozenset(rules))
    try:
        yield
    finally:
        _SKIPPED.reset(token)


def run(rule: Rule, board: EntryBoard | FindingBoard) -> None:
    """Apply one rule, its steps and its silent changes recorded under its name."""
    if rule in _SKIPPED.get():
        return
    board.rule = rule.name
    before = board.snapshot()
    rule.apply(board)
    board.record(before)  # type: ignore[arg-type]
    board.rule = ""


def decide_entries(board: EntryBoard, top: int) -> list[Match]:
    """Run the entry rules in order; the best `top` entries as matches, each with its trace."""
    for rule in RULES:
        if rule.stage == "entries":
            run(rule, board)
    return board.matches(top)


@dataclass(frozen=True)
class Decided:
    """The finding board's outcome: the findings (best first, traced), the notes, the problems
    named (the answer first; None when no rule decided it) and what a person is offered."""

    findings: list[Finding]
    notes: tuple[str, ...]
    problems: tuple[str, ...] | None
    offered: tuple[str, ...]


def decide_findings(board: FindingBoard) -> Decided:
    """Run the finding rules in order."""
    for rule in RULES:
        if rule.stage == "findings" and (board.paste or not rule.paste_only):
            run(rule, board)
    return Decided(board.traced(), tuple(board.notes), board.problems, board.offered)


def decide_choice(board: FindingBoard, choice: Choice) -> Decided:
    """A person's choice on already decided findings: the team's rule puts it first, and the
    problems are counted again."""
    board.choice = choice
    for rule in (TEAM_EXAMPLE, PROBLEMS):
        run(rule, board)
    return Decided(board.traced(), tuple(board.notes), board.problems, board.offered)
