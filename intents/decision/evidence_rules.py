"""The decision's rules on what the paste itself says an answer rests on, run last before the
answer is shown (after the learned decision, which no rule here lets overturn them).

- `component agreement`: an entry of a component (intents.decision.components) is no answer on
  a paste that names another component and states none of the entry's: the words they share (an
  IAM refusal, a dial timeout, a rejected config) are that other component's. The API server
  is stated by its own words only, named or not: a dial of some other server is no API server's.
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
