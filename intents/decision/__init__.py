"""One place decides the answer: the ordered rules of intents.decision.rules, run on a board.

    matches = decide_entries(EntryBoard(index, hits, ...), top)      # a paste's text
    findings, notes = decide_findings(FindingBoard(matches, ...))   # text and facts together
"""

from __future__ import annotations

from intents.decision.boards import EntryBoard, FindingBoard, GrammarPlace
from intents.decision.rules import RULES, Rule
from intents.findings import Finding
from intents.results import Match

__all__ = ["RULES", "EntryBoard", "FindingBoard", "GrammarPlace", "Rule", "decide_entries", "decide_findings"]


def decide_entries(board: EntryBoard, top: int) -> list[Match]:
    """Run the entry rules in order; the best `top` entries as matches, each with its trace."""
    for rule in RULES:
        if rule.stage == "entries":
            rule.apply(board)
    return board.matches(top)


def decide_findings(board: FindingBoard) -> tuple[list[Finding], tuple[str, ...]]:
    """Run the finding rules in order; the findings (best first, traced) and the notes."""
    for rule in RULES:
        if rule.stage == "findings" and (board.paste or not rule.paste_only):
            rule.apply(board)
    return board.traced(), tuple(board.notes)
