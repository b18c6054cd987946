"""One place decides the answer: the ordered rules of intents.decision.rules, run on a board.

matches = decide_entries(EntryBoard(index, hits, ...), top)      # a paste's text
decided = decide_findings(FindingBoard(matches, ...))            # text and facts together
"""

from __future__ import annotations

from intents.decision.boards import Choice, EntryBoard, FindingBoard, GrammarPlace
from intents.decision.driver import Decided, decide_choice, decide_entries, decide_findings

__all__ = [
    "Choice",
    "Decided",
    "EntryBoard",
    "FindingBoard",
    "GrammarPlace",
    "decide_choice",
    "decide_entries",
    "decide_findings",
]
