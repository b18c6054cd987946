"""The decision's rules on the finding board: the text's matches and the facts for one subject.

The findings start as the text's matches; these rules add what pasted or cluster facts state,
confirm or refute, order the findings, hold back close calls, ask the learned decision, and say
which findings are problems of their own and which a person is offered. intents.decision.rules
lists them in order and owns their names. Every number comes from POLICY.
"""

from __future__ import annotations

from dataclasses import replace

from intents.advice import advice_for
from intents.app_cause import read_app_cause
from intents.causality import declared_order, lead_with_causes
from intents.decision.boards import FindingBoard, moves
from intents.decision.judgements import (
    CLOSE_CALL_NOTE,
    STANDINGS,
    declared_causes,
    is_guess,
    offer,
    promotable,
    rival_of,
    standing_group,
    weighed,
    within_slots,
)
from intents.decision.learned_step import learned
from intents.examples import TeamExample, matching_example, words_of
from intents.findings import Confirmation, Finding, independent_problems
from intents.policy import POLICY
from intents.results import Match

__all__ = [
    "causes_first",
    "close_call",
    "confirmed_first",
    "finding_outranks",
    "learned",
    "named_outright_first",
    "offered",
    "pasted_fact",
    "pool",
    "problems",
    "shown",
    "stated_cause",
    "team_example",
    "weigh_evidence",
]


def pasted_fact(board: FindingBoard) -> None:
    """An entry a pasted object states outright (a `states` evidence rule held on it: a systemd
    unit down, a DaemonSet short of its pods) is as stated as by one of its own patterns: it
    scores the statement's score, with the facts quoted as its lines."""
    if not board.statements:
        return
    by_id = {finding.match.id: finding for finding in board.findings}
    for statement in board.statements:
        text = by_id.get(statement.id)
        match = (
            replace(statement, entry=advice_for(statement.entry, board.seen))
            if text is None
            else replace(
                text.match,
                score=max(text.match.score, statement.score),
                matched=statement.matched + text.match.matched,
                context_missing=False,
            )
        )
        by_id[statement.id] = Finding(match, (), match.score)
        board.weighed[statement.id] = match.score
        board.stated.add(statement.id)
        shown = statement.matched[0].symptom if statement.matched else "its facts"
        board.note(statement.id, f"a pasted object shows it ({shown}): {statement.score:.2f}")
    ranked = sorted(by_id.values(), key=lambda finding: -finding.match.score)
    board.findings = ranked[: POLICY.match_pool]


def weigh_evidence(board: FindingBoard) -> None:
    """Facts that confirm an entry make it at least medium (with a medium text match, high);
    facts that refute a text-only match (every rule read, none held) cap it below medium. On a
    paste, a fact of the surroundings alone (a Service without endpoints holds for every entry
    reading it) adds no entry its text did not match."""
    by_id = {finding.match.id: finding for finding in board.findings}
    confirmed = {k for k, v in board.confirmations.items() if v and (v.direct or not board.paste)}
    findings = []
    for entry_id in [*by_id, *sorted(confirmed - set(by_id))]:
        text, confirmation = by_id.get(entry_id), board.confirmations.get(entry_id, Confirmation())
        entry = board.entries[entry_id]
        refuted = (
            entry_id in board.contradicted
            if board.contradicted is not None
            else board.complete
            and any(not rule.states for rule in entry.evidence)
            and not confirmation
        )
        text_score = text.match.score if text else None
        score, effect = weighed(text_score, bool(confirmation), refuted, confirmation)
        board.weighed[entry_id] = score
        match = (
            replace(
                text.match,
                score=round(score, 3),
                context_missing=bool(text.match.context_missing and not confirmation),
            )
            if text
            else Match(advice_for(entry, board.seen), round(score, 3))
        )
        findings.append(Finding(match, confirmation.evidence, text_score))
        if effect:
            board.note(entry_id, effect)
    board.findings = findings


def confirmed_first(board: FindingBoard) -> None:
    """Specific entries confirmed by the subject's own facts first, then catch-alls confirmed
    so (below a specific entry confirmed on the same object), then entries confirmed only by
    the surroundings, then text matches at medium or above, then the rest; each finding it
    moves says by which standing."""
    specific_on = frozenset().union(
        *(
            c.subjects
            for entry_id, c in board.confirmations.items()
            if not board.entries[entry_id].fallback
        )
    )
    order = {match.id: at for at, match in enumerate(board.matches)}
    groups: dict[str, int] = {}

    def key(finding: Finding) -> tuple[object, ...]:
        confirmation = board.confirmations.get(finding.match.id, Confirmation())
        matched = (finding.text_score or 0.0) >= POLICY.medium
        groups[finding.match.id] = group = standing_group(finding, confirmation, specific_on)
        return (
            group,
            not matched,
            -confirmation.strength,
            -board.weighed[finding.match.id],
            -len(confirmation.evidence),
            order.get(finding.match.id, len(order)),
            finding.match.id,
        )

    was = [finding.match.id for finding in board.findings]
    board.findings.sort(key=key)
    for entry_id, change in moves(was, [finding.match.id for finding in board.findings]).items():
        board.note(entry_id, f"{change}: {STANDINGS[groups[entry_id]]}")


def causes_first(board: FindingBoard) -> None:
    """Each cause found (confirmed, matched high, or named outright at medium: a regex or a
    message format of its own) just before the symptom it explains, named in the symptom's
    `because`: a specific entry with its own evidence goes before the broader state it explains
    (a liveness probe before the crash loop, a Longhorn attach before "volume cannot be
    mounted"); a symptom the text only resembles carries no chain."""
    ordered = lead_with_causes(
        board.findings,
        board.graph,
        id_of=lambda f: f.match.id,
        present=lambda f: (
            f.confirmed
            or f.match.score >= POLICY.high
            or (f.match.score >= POLICY.medium and f.match.named_outright)
        ),
        stated=lambda f: f.confirmed or f.match.score >= POLICY.medium,
    )
    board.findings = [replace(f, because=because) if because else f for f, because in ordered]
    for finding in board.findings:
        if finding.because:
            board.note(finding.match.id, f"explained by {', '.join(finding.because)}")


def finding_outranks(board: FindingBoard) -> None:
    """The catalog's `outranks` kept after causes moved: an entry that outranks one ahead of it,
    at no lower score and no weaker standing, moves just ahead of it."""
    before = [f.match.id for f in board.findings]
    board.findings = declared_order(
        board.findings,
        lambda f: f.match.entry.outranks,
        key_of=lambda f: f.match.id,
        may_lead=lambda f, other: (
            f.match.score >= other.match.score and (f.confirmed or not other.confirmed)
        ),
    )
    for at, finding in enumerate(board.findings):
        if at < before.index(finding.match.id):
            board.note(finding.match.id, f"the catalog puts it before {before[at]}")


def pool(board: FindingBoard) -> None:
    """Keep the rivals the later rules compare (every confirmed finding, and at least `top`)."""
    confirmed = sum(1 for finding in board.findings if finding.confirmed)
    board.findings = within_slots(board.findings, max(board.pool, confirmed))


def named_outright_first(board: FindingBoard) -> None:
    """A specific cause the paste names outright (a regex, or a component's format read whole)
    goes before a confirmed but broader entry (crashloop-backoff holds for every crash loop;
    the pasted log says why)."""
    findings = board.findings
    if not findings or not findings[0].confirmed:
        return
    top = findings[0]
    for finding in findings[1:]:
        if promotable(finding, top, board.residue):
            board.findings = [finding, *(f for f in findings if f is not finding)]
            board.note(
                finding.match.id,
                f"the paste names it outright: before {top.match.id}, which is broader",
            )
            return


def team_example(board: FindingBoard) -> None:
    """A paste that reads the same as one a person chose an entry for (intents.examples), or the
    paste a person just chose one for, gets that entry first, at high confidence, whatever the
    words alone suggest; an example never goes before a catalog match the evidence confirms or
    the catalog names at high confidence (a note on it says what the example named)."""
    if board.choice is not None:
        entry, effect = board.entries.get(board.choice.entry_id), board.choice.effect
    elif board.examples:
        example = matching_example(board.examples, words_of(board.seen.text))
        if example is None:
            return
        entry = board.entries.get(example.entry_id)
        effect = f"chosen by @{example.chooser} on {example.chosen_on} for the same error"
        if entry is not None and _stronger_than_the_example(board, entry.id, example):
            return
    else:
        return
    if entry is None:
        return
    found = next((f for f in board.findings if f.match.id == entry.id), None)
    if found is None:
        found = Finding(
            Match(entry if board.choice is not None else advice_for(entry, board.seen), POLICY.high)
        )
    raised = replace(
        found,
        match=replace(found.match, score=max(found.match.score, POLICY.high)),
        because=() if board.choice is not None else found.because,
    )
    board.findings = [raised, *(f for f in board.findings if f.match.id != entry.id)]
    board.chosen = entry.id
    if not any(step.rule == board.rule for step in found.match.why):
        board.note(entry.id, effect)


def _stronger_than_the_example(board: FindingBoard, entry_id: str, example: TeamExample) -> bool:
    """Whether the first finding is a confirmed or high-confidence catalog match for another
    entry, which a team example never outranks (noted on it, naming what the example chose)."""
    top = board.findings[0] if board.findings else None
    if (
        top is None
        or top.match.id == entry_id
        or not (top.confirmed or top.match.score >= POLICY.high)
    ):
        return False
    standing = "confirmed" if top.confirmed else "high-confidence"
    board.note(
        top.match.id,
        f"kept before {entry_id}, which @{example.chooser} chose for the same error on "
        f"{example.chosen_on}: a team example never outranks a {standing} match",
    )
    return True


def stated_cause(board: FindingBoard) -> None:
    """What the app states as its cause (intents.app_cause) weighs its candidates: one whose
    entry declares only other kinds of cause (`app_cause` evidence) is not what the app says: it
    falls below the others, quiet, and no learned weight answers it (denied); the first specific
    one that declares the stated kind, clear of the runner-up, is said at medium."""
    cause = read_app_cause(board.seen.text) if board.findings else None
    if cause is None or cause.kind == "exception":
        return
    kept, other = [], []
    for finding in board.findings:
        kinds = declared_causes(finding.match.entry)
        if not kinds or cause.kind in kinds or finding.confirmed or finding.match.named_outright:
            kept.append(finding)
            continue
        quiet = min(finding.match.score, POLICY.quiet_score)  # the app's words deny it
        other.append(replace(finding, match=replace(finding.match, score=quiet, denied=True)))
        board.note(finding.match.id, f"the app states {cause.about}, not this")
    board.findings = kept + other
    first = kept[0] if kept else None
    if (
        first is None
        or first.match.entry.fallback
        or cause.kind not in declared_causes(first.match.entry)
    ):
        return
    runner_up = max((f.match.score for f in board.findings[1:]), default=0.0)
    score = first.match.score
    if score < POLICY.medium and score - runner_up >= POLICY.clear_lead:
        board.findings[0] = replace(first, match=replace(first.match, score=POLICY.medium))
        board.note(first.match.id, f"the app states it ({cause.said()}): {score:.2f} -> medium")


def close_call(board: FindingBoard) -> None:
    """A medium guess from the words alone is not said when another reading is as near: it and
    any guess as close drop below medium, and a note names the two readings."""
    findings = board.findings
    if not findings:
        return
    first, rival = findings[0], rival_of(findings)
    if (
        rival is None
        or not is_guess(first)
        or first.match.score - rival.match.score > POLICY.clear_lead
    ):
        return
    floor = first.match.score - POLICY.clear_lead
    quieted = []
    for finding in findings:
        if finding is first or (is_guess(finding) and finding.match.score >= floor):
            finding = replace(finding, match=replace(finding.match, score=POLICY.quiet_score))
            board.note(
                finding.match.id, f"{first.match.id} and {rival.match.id} are {CLOSE_CALL_NOTE}"
            )
        quieted.append(finding)
    board.findings = quieted
    board.notes.append(
        f"not answered: on the words alone, {first.match.id} ({first.match.score:.2f}) and "
        f"{rival.match.id} ({rival.match.score:.2f}) are {CLOSE_CALL_NOTE}"
    )


def shown(board: FindingBoard) -> None:
    """The first `top` problems (a symptom folded under its cause takes no slot)."""
    board.findings = within_slots(board.findings, board.top)


def problems(board: FindingBoard) -> None:
    """When the first finding is answered, the further findings that are problems of their own
    (matched on other lines, or named outright, and explained by none) are named with it, up to
    `POLICY.problems` in all."""
    findings = board.findings
    if not findings or findings[0].match.confidence == "low":
        board.problems = ()
        return
    counted = independent_problems(findings, POLICY.problems)
    board.problems = tuple(f.match.id for f in counted)
    for finding in counted[1:]:
        board.note(finding.match.id, f"a problem of its own beside {findings[0].match.id}")


def offered(board: FindingBoard) -> None:
    """A paste left without an answer offers its first `POLICY.choices` findings ("Is it one of
    these?" on a direct ask) whenever any finding has evidence in the paste (a matched line, a
    fact), or one reaches `POLICY.ask_min_score` or the learned decision offers it."""
    if board.question:
        return
    board.offered = tuple(
        f.match.id for f in offer(board.findings, POLICY.ask_min_score, board.learned_offers)
    )
    for entry_id in board.offered:
        board.note(entry_id, 'offered in "Is it one of these?"')
