"""The decision's rules on what the paste itself says an answer rests on, run last before the
answer is shown (after the learned decision, which no rule here lets overturn them).

- `component agreement`: an entry of a component (intents.decision.components) is no answer on
  a paste that names another component and states none of the entry's: the words they share (an
  IAM refusal, a dial timeout, a rejected config) are that other component's. The API server
  is stated by its own words only, named or not: a dial of some other server is no API server's.
- `own words`: the first candidate, left below medium, whose own words the paste shows (one of
  its regexes or its message format read a line, or facts confirm it) while no other candidate
  shows words of its own, is said at medium: the entry's own evidence, not the fuzzy score,
  says how sure the answer is. Nothing it lifts was silenced for a reason of its own (context
  absent, denied, common words only, refuted by the facts read).
- `a question`: a paste that only asks how something works, with no failure of its own
  (intents.told.asks_only), gets no diagnosis and offers none: its words name a failure only as
  the subject of the question.
"""

from __future__ import annotations

from dataclasses import replace

from intents.decision.boards import FindingBoard
from intents.decision.components import known, own_words, rivals, unsaid
from intents.findings import Finding
from intents.policy import POLICY
from intents.told import asks_only, questions_only

QUESTION_NOTE = "a question about how something works, with no failure of its own: no diagnosis"


def _quiet(finding: Finding) -> Finding:
    score = min(finding.match.score, POLICY.quiet_score)
    return replace(finding, match=replace(finding.match, score=score))


def component_agreement(board: FindingBoard) -> None:
    """Every finding of a component the paste does not state (its name, a tag only its entries
    carry, or the own words of any entry of it), on a paste naming another component, falls
    below medium and behind the findings it no longer outranks; a finding of the API server
    falls so wherever the paste shows none of the API server's words."""
    text = board.seen.text
    components = known(board.entries)
    shown = {f.match.entry.product for f in board.findings if own_words(f)}
    kept: list[Finding] = []
    fallen: list[Finding] = []
    for finding in board.findings:
        answerable = finding.match.score > POLICY.quiet_score
        others = rivals(finding, text, components, shown) if answerable else ()
        if others:
            said = f"the paste names {', '.join(sorted(others))}, and states none of its component"
        elif answerable and unsaid(finding, text, components, shown):
            said = "the paste shows none of the API server's own words"
        else:
            kept.append(finding)
            continue
        fallen.append(_quiet(finding))
        board.note(finding.match.id, said)
    board.findings = kept + fallen


def _silenced(finding: Finding, board: FindingBoard) -> bool:
    """A rule silenced it for a reason its own words do not answer: its required context is
    absent, the paste denies it or matched only common words, the facts read refute it."""
    match = finding.match
    refuted = board.contradicted is not None and match.id in board.contradicted
    return match.context_missing or match.denied or match.common_words or refuted


def own_words_first(board: FindingBoard) -> None:
    """The first finding, below medium, that shows its own words, clear of every other finding's
    own words (a cause or symptom of it excepted: one chain), is said at medium."""
    if not board.findings:
        return
    first = board.findings[0]
    if first.match.score >= POLICY.medium or not own_words(first) or _silenced(first, board):
        return
    chain = {*first.because, first.match.id}
    rivals_own = [
        f.match.id
        for f in board.findings[1:]
        if own_words(f) and f.match.id not in chain and first.match.id not in f.because
    ]
    if rivals_own:
        board.note(first.match.id, f"its own words, beside {rivals_own[0]}'s: not said")
        return
    said = "confirmed by facts" if first.confirmed else "its own words in the paste"
    board.findings[0] = replace(first, match=replace(first.match, score=POLICY.medium))
    board.note(first.match.id, f"{said}, no other entry's: {first.match.score:.2f} -> medium")


def _states_something(board: FindingBoard) -> bool:
    """A component's message format read a line (its own words, whatever they ask: "Has your
    network provider started?"), or a line some finding matched strongly is more than questions
    ("Are you trying to mount a directory onto a file? Check if the host path exists")."""
    return any(
        line.kind.by_grammar
        or (line.score >= POLICY.corroboration_min and not questions_only(line.line))
        for finding in board.findings
        for line in finding.match.matched
    )


def a_question(board: FindingBoard) -> None:
    """A paste of written questions with no failure of its own: every finding falls below medium
    and nothing is offered."""
    if board.output or any(f.confirmed for f in board.findings) or _states_something(board):
        return
    if not asks_only(board.seen.text):
        return
    board.question = True
    board.notes.append(QUESTION_NOTE)
    for finding in board.findings:
        board.note(finding.match.id, QUESTION_NOTE)
    board.findings = [_quiet(finding) for finding in board.findings]
