"""The `learned` rule: the learned decision (intents.calibration) on a paste's candidates.

It hands each candidate as the rules before it left it (its score and place, its trace, its
evidence, whether facts refute it) and the paste's kind to the decision, which may answer a
candidate the rules left silent, answer another instead, silence an answer the words alone
support, order what is listed and add the text model's likeliest entries to the listing, never
as the answer. A confirmed or outright-named answer stands. The decision abstains for an entry
whose catalog text changed since the model was trained.
"""

from __future__ import annotations

from dataclasses import replace

from intents.advice import advice_for
from intents.calibration import Candidate, Question, paste_signs, second_opinion, stale_ids
from intents.decision.boards import FindingBoard
from intents.findings import Finding
from intents.policy import POLICY
from intents.results import Match


def learned(board: FindingBoard) -> None:
    """Apply the learned decision's verdict to the board (the rules' verdict when it abstains)."""
    if not board.findings and not board.seen.text.strip():
        return
    text = board.seen.text
    candidates = [_candidate(board, f, rank) for rank, f in enumerate(board.findings)]
    question = Question(
        text,
        candidates,
        board.contradicted or (),
        paste_signs(text, output=board.output, healthy=board.healthy_output),
        stale_ids(board.entries, [c.id for c in candidates]),
    )
    verdict = second_opinion(question)
    if not verdict.consulted:
        if board.findings and question.stale:
            board.note(
                board.findings[0].match.id,
                f"abstained: {verdict.reason.removeprefix('not consulted (')[:-1]}",
            )
        return
    by_id = {f.match.id: f for f in board.findings}
    for entry_id in verdict.suggested:
        if entry_id in board.entries:
            by_id[entry_id] = Finding(Match(advice_for(board.entries[entry_id], board.seen), 0.0))
            board.note(
                entry_id,
                f"suggested by the text model alone (p={verdict.probabilities[entry_id]:.2f}): "
                "never the answer",
            )
    # a guess opens "Is it one of these?" only as likely as a candidate the rules would offer
    board.learned_offers = frozenset(
        i for i in verdict.suggested if verdict.probabilities[i] >= POLICY.ask_min_score
    )
    for entry_id, finding in by_id.items():
        if verdict.scores.get(entry_id, finding.match.score) != finding.match.score:
            by_id[entry_id] = replace(
                finding, match=replace(finding.match, score=verdict.scores[entry_id])
            )
    first = board.findings[0] if board.findings else None
    answered = first is not None and first.match.confidence != "low"
    if verdict.action in ("answer", "switch") and verdict.answer is not None:
        board.note(verdict.answer, verdict.reason)
    elif verdict.action == "quiet" and first is not None and answered:
        board.note(first.match.id, verdict.reason)
    for entry_id, passed in verdict.moved.items():
        board.note(
            entry_id,
            f"listed before {passed} by its P(right)={verdict.chances.get(entry_id, 0.0):.2f}",
        )
    board.findings = [by_id[i] for i in verdict.listing if i in by_id]


def _candidate(board: FindingBoard, finding: Finding, rank: int) -> Candidate:
    """A finding as the learned decision reads it: its score and place, its trace, its evidence."""
    match = finding.match
    steps = (*match.why, *board.steps.get(match.id, ()))
    outright = (
        any(line.kind.outright or line.kind.by_grammar for line in match.matched)
        or match.id in board.stated
    )
    return Candidate(
        match.id,
        match.score,
        rank,
        match.confidence,
        finding.confirmed,
        outright,
        tuple(line.line for line in match.matched),
        rules=tuple(dict.fromkeys(s.rule for s in steps)),
        because=finding.because,
        kinds=tuple(dict.fromkeys(line.kind.value for line in match.matched)),
        refuted=match.id in (board.contradicted or ()),
        context_missing=match.context_missing,
        denied=match.denied,
        common_words=match.common_words,
        chosen=match.id == board.chosen,
    )
