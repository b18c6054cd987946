"""The decision: one ordered list of named rules turns candidates into the answer.

Two boards pass through the list. On the entry board (one paste's text, every catalog
entry it touched) the rules turn each entry's matched lines into a strength and an order;
the best of them become matches. On the finding board the matches meet the facts that
confirm or refute them (a cluster read, or the kubectl output in a paste) and the rules
order the findings, hold back close calls and say which are answered. `RULES` is the
order; each rule records what it changed on each candidate (`Match.why`), so an answer
can say which rule made it and why a rival lost. Every number comes from POLICY.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from intents.advice import advice_for
from intents.calibration import Candidate, second_opinion
from intents.causality import declared_order, lead_with_causes
from intents.decision.boards import EntryBoard, FindingBoard
from intents.decision.judgements import (
    CLOSE_CALL_NOTE,
    is_guess,
    promotable,
    rival_of,
    standing_group,
    tie_break,
    weighed,
    within_slots,
)
from intents.decision.support import (
    best_symptom_support,
    clause_shares,
    corroborated,
    discriminating,
    explains_line,
    separate_supports,
    signature_tokens,
)
from intents.examples import matching_example, words_of
from intents.findings import Confirmation, Finding
from intents.policy import POLICY
from intents.results import Match
from intents.segments import Segment

Stage = Literal["entries", "findings"]


@dataclass(frozen=True)
class Rule:
    """One named rule of the decision and the board it works on."""

    name: str
    stage: Stage
    apply: Callable[..., None]
    paste_only: bool = False
    """Runs on pasted text only (a cluster read has no close calls to hold back)."""


# -- the entry board: one paste's text ------------------------------------------------------

def own_strength(board: EntryBoard) -> None:
    """An entry's strength starts from its best line, raised by separate lines pointing at it."""
    for number, hits in board.hits.items():
        strength = corroborated(hits)
        board.strengths[number] = strength
        best = hits.best_support()
        said = f"best line {hits.best:.2f} ({best.kind}: {best.label[:80]})" if best else "no line"
        if min(1.0, strength) > hits.best + 0.0005:
            said += f"; {min(1.0, strength):.2f} with its other lines and symptoms"
        board.note(number, "own strength", said)


def catch_all_discount(board: EntryBoard) -> None:
    """A catch-all entry (`fallback`) names a kind of failure, not its cause: it starts lower."""
    for number, strength in board.strengths.items():
        if board.index.entries.fallback[number]:
            board.set(number, strength * POLICY.fallback_discount, "catch-all", "a catch-all starts lower")


def requires_context(board: EntryBoard) -> None:
    """An entry whose `requires` finds nothing in the paste is capped low: the words fit, the
    subject is absent. An entry a component's message format names whole needs no context."""
    named = {n for n, (_place, refined) in board.grammar.items() if refined == 0}
    for number, strength in board.strengths.items():
        if number in named and board.hits[number].best >= 1.0:
            continue
        if strength >= POLICY.required_cap and board.index.requirement_missing(number, board.texts):
            board.set(number, POLICY.required_cap, "requires context", "its required context is absent")
            board.capped.add(number)


def needs_a_rare_word(board: EntryBoard) -> None:
    """An entry matched only on words many entries use ('user', 'pods') is no answer; a
    catch-all, whose own word many entries share, is exempt."""
    index = board.index
    for number, strength in board.strengths.items():
        if strength < POLICY.medium or index.entries.fallback[number]:
            continue
        strong = [s for s in board.hits[number].supports.values() if s.score >= POLICY.corroboration_min]
        if strong and not any(discriminating(index, s) for s in strong):
            board.set(number, POLICY.quiet_score, "needs a rare word", "matched only on common words")


def catch_all_yields(board: EntryBoard) -> None:
    """A catch-all ranks below an answerable specific entry that reads its best line too (a
    line a message format names as the catch-all's counts only when the specific entry reads
    it exactly: its regex or the grammar)."""
    index, strengths, hits = board.index, board.strengths, board.hits
    specific = [n for n in strengths if not index.entries.fallback[n] and strengths[n] >= POLICY.medium]
    for number, strength in strengths.items():
        best = hits[number].best_support()
        if not index.entries.fallback[number] or best is None:
            continue
        exact = any(s.kind.by_grammar and s.segment.overlaps(best.segment) for s in hits[number].supports.values())
        rivals = [other for other in specific if explains_line(hits[other], best, exact_only=exact)]
        if rivals:
            leader = max(rivals, key=lambda n: strengths[n])
            board.set(number, min(strength, strengths[leader] - POLICY.specific_margin), "catch-all yields",
                      f"{index.entries.ids[leader]} explains its line more specifically")


def scheduler_clauses(board: EntryBoard) -> None:
    """On a scheduler message listing several reasons, the entry whose reason is the likeliest
    cause (intents.scheduling) comes first; the others fall below it."""
    index, strengths, hits = board.index, board.strengths, board.hits

    def on_line(n: int) -> bool:
        best = hits[n].best_support()
        return strengths[n] >= POLICY.medium and best is not None and not best.kind.by_grammar

    lines: dict[str, tuple[Segment, list[int]]] = {}
    for number in strengths:
        best = hits[number].best_support()
        if on_line(number) and best is not None and "nodes are available" in best.segment.canonical:
            lines.setdefault(best.segment.canonical, (best.segment, []))[1].append(number)
    for segment, entries in lines.values():
        rivals = [n for n in strengths if n not in entries and on_line(n)
                  and (b := hits[n].best_support()) is not None and b.segment.overlaps(segment)]
        competing = entries + rivals
        shares = clause_shares(index, competing, segment) if len(competing) > 1 else {}
        if not shares:
            continue
        likeliest = max(tier for tier, _nodes in shares.values())
        leaders = [n for n in competing if n in shares and shares[n][0] == likeliest]
        ceiling = max(strengths[n] for n in leaders) - POLICY.scheduler_margin
        for number in competing:
            if number in leaders:
                board.blocked[number] = max(board.blocked.get(number, 0), shares[number][1])
                board.note(number, "scheduler clauses", f"its clause blocks {board.blocked[number]} node(s)")
            else:
                board.set(number, min(strengths[number], ceiling), "scheduler clauses",
                          "its clause is not the likeliest cause")


def rare_word_floor(board: EntryBoard) -> None:
    """A clear, unique match on the entry's own rare words is at least medium (never for an
    entry whose required context is absent)."""
    strengths = board.strengths
    if not strengths:
        return
    top = max(strengths, key=lambda n: strengths[n])
    strength = strengths[top]
    runner_up = max((s for n, s in strengths.items() if n != top), default=0.0)
    if (top in board.capped or not POLICY.rare_min_strength <= strength < POLICY.medium
            or strength - runner_up < POLICY.rare_unique_gap):
        return
    best = best_symptom_support(board.hits[top])
    if best is not None and signature_tokens(board.index, top, best.segment) >= POLICY.rare_min_tokens:
        board.set(top, POLICY.medium, "rare-word floor", "a unique match on its own rare words")


def ambiguous_line(board: EntryBoard) -> None:
    """Two entries tied below high on the same single line: the line does not tell them apart,
    so neither is an answer (right or quiet)."""
    strengths, fallback = board.strengths, board.index.entries.fallback
    if len(strengths) < 2:
        return
    first, second = sorted(strengths, key=lambda n: -strengths[n])[:2]
    if fallback[first] != fallback[second]:
        return  # a catch-all below the specific entry it yielded to: that order is the answer
    top = strengths[first]
    if not POLICY.medium <= top < POLICY.high or top - strengths[second] > POLICY.ambiguity_gap:
        return
    lines = [separate_supports(board.hits[n]) for n in (first, second)]
    if all(len(chosen) == 1 for chosen in lines) and lines[0][0].segment.overlaps(lines[1][0].segment):
        quiet = min(strengths[second], POLICY.quiet_score)
        ids = board.index.entries.ids
        board.set(first, quiet, "ambiguous line", f"tied with {ids[second]} on one line")
        board.set(second, quiet, "ambiguous line", f"tied with {ids[first]} on one line")


def order_by_strength(board: EntryBoard) -> None:
    """Strongest first; at equal strength the entry that explains others found beside it, then
    the better-corroborated, then the grammar's order, then the bigger blocker, then the one
    more of whose symptoms hit."""
    index, hits, strengths = board.index, board.hits, board.strengths
    answerable = {n for n, s in strengths.items() if s >= POLICY.medium}
    keys = {n: (-round(min(1.0, s), 3), -len(index.entries.explains[n] & answerable),
                -len(separate_supports(hits[n])), board.grammar.get(n, (1_000_000, 0)),
                -board.blocked.get(n, 0), -len(hits[n].symptoms_hit), index.entries.ids[n])
            for n, s in strengths.items() if s > 0}
    board.ranked = sorted(keys, key=keys.__getitem__)
    for ahead, behind in zip(board.ranked, board.ranked[1:]):
        if keys[ahead][0] == keys[behind][0] and strengths[ahead] >= POLICY.medium:
            board.note(ahead, "order by strength",
                       f"as strong as {index.entries.ids[behind]}; ahead by {tie_break(keys[ahead], keys[behind])}")


def clause_places(board: EntryBoard) -> None:
    """Among entries of equal strength, those a scheduler message's clauses name take the places
    they hold in the scheduler reading, whatever other lines support them."""
    clauses, ranked = board.clauses, board.ranked
    if len(clauses) < 2:
        return
    result, start = list(ranked), 0
    while start < len(result):
        end = start
        while end < len(result) and board.rounded(result[end]) == board.rounded(result[start]):
            end += 1
        places = [i for i in range(start, end) if result[i] in clauses]
        for place, number in zip(places, sorted((result[i] for i in places), key=clauses.__getitem__)):
            if result[place] != number:
                board.note(number, "clause places", "placed by the scheduler message's order of clauses")
            result[place] = number
        start = end
    board.ranked = result


def catalog_outranks(board: EntryBoard) -> None:
    """The catalog's pairwise order (`outranks`) among entries of equal strength."""
    outranks, ids = board.index.entries.outranks, board.index.entries.ids
    before = list(board.ranked)
    board.ranked = declared_order(before, lambda n: outranks[n], key_of=lambda n: n,
                                  may_lead=lambda n, other: board.rounded(n) == board.rounded(other))
    if board.ranked != before:
        was = {number: place for place, number in enumerate(before)}
        for place, number in enumerate(board.ranked):
            if place < was[number]:
                passed = [ids[n] for n in before[place:was[number]]]
                board.note(number, "catalog outranks", f"the catalog puts it before {', '.join(passed)}")


# -- the finding board: text and facts together ------------------------------------------------

def weigh_evidence(board: FindingBoard) -> None:
    """Facts that confirm an entry make it at least medium (with a medium text match, high);
    facts that refute a text-only match (every rule read, none held) cap it below medium."""
    by_id = {match.id: match for match in board.matches}
    confirmed = {k for k, v in board.confirmations.items() if v}
    for entry_id in sorted(set(by_id) | confirmed):
        text, confirmation = by_id.get(entry_id), board.confirmations.get(entry_id, Confirmation())
        entry = board.entries[entry_id]
        refuted = (entry_id in board.contradicted if board.contradicted is not None
                   else board.complete and any(not rule.states for rule in entry.evidence) and not confirmation)
        text_score = text.score if text else None
        score, effect = weighed(text_score, bool(confirmation), refuted, confirmation)
        board.weighed[entry_id] = score
        match = Match(advice_for(entry, board.seen), round(score, 3), text.matched if text else (),
                      context_missing=bool(text and text.context_missing and not confirmation),
                      why=text.why if text else ())
        board.findings.append(Finding(match, confirmation.evidence, text_score))
        if effect:
            board.note(entry_id, "evidence", effect)


def confirmed_first(board: FindingBoard) -> None:
    """Specific entries confirmed by the subject's own facts first, then catch-alls confirmed
    so (below a specific entry confirmed on the same object), then entries confirmed only by
    the surroundings, then text matches at medium or above, then the rest."""
    specific_on = frozenset().union(*(c.subjects for entry_id, c in board.confirmations.items()
                                      if not board.entries[entry_id].fallback))
    order = {match.id: place for place, match in enumerate(board.matches)}

    def key(finding: Finding) -> tuple[object, ...]:
        confirmation = board.confirmations.get(finding.match.id, Confirmation())
        matched = (finding.text_score or 0.0) >= POLICY.medium
        return (standing_group(finding, confirmation, specific_on), not matched, -confirmation.strength,
                -board.weighed[finding.match.id], -len(confirmation.evidence), order.get(finding.match.id, len(order)),
                finding.match.id)

    board.findings.sort(key=key)


def causes_first(board: FindingBoard) -> None:
    """Each cause found (confirmed, or matched high) just before the symptom it explains, named
    in the symptom's `because`; a symptom the text only resembles carries no chain."""
    ordered = lead_with_causes(
        board.findings, board.graph, id_of=lambda f: f.match.id,
        present=lambda f: f.confirmed or f.match.score >= POLICY.high,
        stated=lambda f: f.confirmed or f.match.score >= POLICY.medium)
    board.findings = [replace(f, because=because) if because else f for f, because in ordered]
    for finding in board.findings:
        if finding.because:
            board.note(finding.match.id, "causes first", f"explained by {', '.join(finding.because)}")


def finding_outranks(board: FindingBoard) -> None:
    """The catalog's `outranks` kept after causes moved: an entry that outranks one ahead of it,
    at no lower score and no weaker standing, moves just ahead of it."""
    board.findings = declared_order(
        board.findings, lambda f: f.match.entry.outranks, key_of=lambda f: f.match.id,
        may_lead=lambda f, other: f.match.score >= other.match.score and (f.confirmed or not other.confirmed))


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
            board.note(finding.match.id, "named outright",
                       f"the paste names it outright: before {top.match.id}, which is broader")
            return


def team_example(board: FindingBoard) -> None:
    """A paste that reads the same as one a person chose an entry for (intents.examples) gets
    that entry first, at high confidence, whatever the words alone suggest; but never before a
    catalog match the evidence confirms or the catalog names at high confidence (a note on it
    says what the example named)."""
    if not board.examples:
        return
    example = matching_example(board.examples, words_of(board.seen.text))
    entry = board.entries.get(example.entry_id) if example is not None else None
    if example is None or entry is None:
        return
    top = board.findings[0] if board.findings else None
    strong = top is not None and (top.confirmed or top.match.score >= POLICY.high)
    if top is not None and strong and top.match.id != entry.id:
        standing = "confirmed" if top.confirmed else "high-confidence"
        board.note(top.match.id, "team example",
                   f"kept before {entry.id}, which @{example.chooser} chose for the same error on "
                   f"{example.chosen_on}: a team example never outranks a {standing} match")
        return
    found = next((f for f in board.findings if f.match.id == entry.id), None)
    if found is None:
        found = Finding(Match(advice_for(entry, board.seen), POLICY.high))
    raised = replace(found, match=replace(found.match, score=max(found.match.score, POLICY.high)))
    board.findings = [raised, *(f for f in board.findings if f.match.id != entry.id)]
    board.note(entry.id, "team example", f"chosen by @{example.chooser} on {example.chosen_on} for the same error")


def close_call(board: FindingBoard) -> None:
    """A medium guess from the words alone is not said when another reading is as near: it and
    any guess as close drop below medium, and a note names the two readings."""
    findings = board.findings
    if not findings:
        return
    first, rival = findings[0], rival_of(findings)
    if rival is None or not is_guess(first) or first.match.score - rival.match.score > POLICY.clear_lead:
        return
    floor = first.match.score - POLICY.clear_lead
    quieted = []
    for finding in findings:
        if finding is first or (is_guess(finding) and finding.match.score >= floor):
            finding = replace(finding, match=replace(finding.match, score=POLICY.quiet_score))
            board.note(finding.match.id, "close call", f"{first.match.id} and {rival.match.id} are {CLOSE_CALL_NOTE}")
        quieted.append(finding)
    board.findings = quieted
    board.notes.append(f"not answered: on the words alone, {first.match.id} ({first.match.score:.2f}) and "
                       f"{rival.match.id} ({rival.match.score:.2f}) are {CLOSE_CALL_NOTE}")


def learned(board: FindingBoard) -> None:
    """A second opinion learned from the labelled pastes (intents.calibration): it may answer a
    silent candidate it finds likely, answer another candidate instead of an answer the words
    alone support, or silence such an answer, each only where its learned policy's guards
    allow; it orders the unsaid candidates and adds its own likeliest entries to the listing
    at low confidence, never as the answer. A confirmed or outright-named answer stands."""
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
            board.note(entry_id, "learned", f"suggested by the learned model alone "
                       f"(p={verdict.probabilities[entry_id]:.2f}): never the answer")
    for entry_id, finding in by_id.items():
        if verdict.scores.get(entry_id, finding.match.score) != finding.match.score:
            by_id[entry_id] = replace(finding, match=replace(finding.match, score=verdict.scores[entry_id]))
    if verdict.action != "keep":
        concerned = verdict.answer if verdict.action in ("promote", "switch") else board.findings[0].match.id
        board.note(concerned or "", "learned", verdict.reason.removeprefix("learned: "))
    for entry_id, passed in verdict.moved.items():
        board.note(entry_id, "learned", f"listed before {passed} by the learned model "
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


def shown(board: FindingBoard) -> None:
    """The first `top` problems (a symptom folded under its cause takes no slot)."""
    board.findings = within_slots(board.findings, board.top)


RULES: tuple[Rule, ...] = (
    Rule("own strength", "entries", own_strength),
    Rule("catch-all", "entries", catch_all_discount),
    Rule("requires context", "entries", requires_context),
    Rule("needs a rare word", "entries", needs_a_rare_word),
    Rule("catch-all yields", "entries", catch_all_yields),
    Rule("scheduler clauses", "entries", scheduler_clauses),
    Rule("rare-word floor", "entries", rare_word_floor),
    Rule("ambiguous line", "entries", ambiguous_line),
    Rule("order by strength", "entries", order_by_strength),
    Rule("clause places", "entries", clause_places),
    Rule("catalog outranks", "entries", catalog_outranks),
    Rule("evidence", "findings", weigh_evidence),
    Rule("confirmed first", "findings", confirmed_first),
    Rule("causes first", "findings", causes_first),
    Rule("catalog outranks", "findings", finding_outranks),
    Rule("pool", "findings", pool),
    Rule("named outright", "findings", named_outright_first, paste_only=True),
    Rule("team example", "findings", team_example, paste_only=True),
    Rule("close call", "findings", close_call, paste_only=True),
    Rule("learned", "findings", learned, paste_only=True),
    Rule("shown", "findings", shown, paste_only=True),
)
"""The decision, in order."""
