"""The `learned` rule: the learned decision (intents.calibration) on a paste's candidates.

It reads each candidate as the rules before it left it (its trace, its evidence) and may answer a
candidate the rules left silent, silence an answer the words alone support, order what is listed
and add its own likeliest entries to the listing, never as the answer. A confirmed or
outright-named answer stands.
"""

from __future__ import annotations

from dataclasses import replace

from intents.advice import advice_for
from intents.calibration import Candidate, second_opinion
from intents.decision.boards import FindingBoard
from intents.findings import Finding
from intents.results import Match


def learned(board: FindingBoard) -> None:
    """Apply the learned decision's verdict to the board (the rules' verdict when it abstains)."""
    if not board.findings and not board.seen.text.strip():
        return
    verdict = second_opinion(board.seen.text, [_candidate(board, f, rank) for rank, f in enumerate(board.findings)],
                             board.contradicted or ())
    if not verdict.consulted:
        return
    by_id = {f.match.id: f for f in board.findings}
    for entry_id in verdict.suggested:
        if entry_id in board.entries:
            by_id[entry_id] = Finding(Match(advice_for(board.entries[entry_id], board.seen), 0.0))
            board.note(entry_id, f"suggested by the learned model alone "
                       f"(p={verdict.probabilities[entry_id]:.2f}): never the answer")
    board.learned_offers = frozenset(verdict.suggested)
    for entry_id, finding in by_id.items():
        if verdict.scores.get(entry_id, finding.match.score) != finding.match.score:
            by_id[entry_id] = replace(finding, match=replace(finding.match, score=verdict.scores[entry_id]))
    if verdict.action != "keep":
        concerned = verdict.answer if verdict.action in ("promote", "switch") else board.findings[0].match.id
        board.note(concerned or "", verdict.reason.removeprefix("learned: "))
    for entry_id, passed in verdict.moved.items():
        board.note(entry_id, f"listed before {passed} by the learned model "
                   f"(p={verdict.probabilities.get(entry_id, 0.0):.2f})")
    board.findings = [by_id[i] for i in verdict.listing if i in by_id]


def _candidate(board: FindingBoard, finding: Finding, rank: int) -> Candidate:
    """A finding as the learned rule reads it, with the rules that changed it (its guards' signs)."""
    match = finding.match
    steps = (*match.why, *board.steps.get(match.id, ()))
    refuted = ("evidence",) if match.id in (board.contradicted or ()) else ()
    rules = tuple(dict.fromkeys([*(s.rule for s in steps if s.rule not in UNJUDGED), *refuted]))
    outright = any(line.kind.outright or line.kind.by_grammar for line in match.matched)
    return Candidate(match.id, match.score, rank, match.confidence, finding.confirmed, outright,
                     tuple(line.line for line in match.matched), rules=rules, because=finding.because)


UNJUDGED = ("own strength",)
"""Trace steps that judge nothing (every candidate has them)."""
