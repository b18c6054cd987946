"""The decision's rules on the entry board: one paste's text against every entry it touched.

Each turns the entries' matched lines into a strength and an order (intents.decision.rules lists
them in order and owns their names). Every number comes from POLICY.
"""

from __future__ import annotations

from intents.causality import declared_order
from intents.decision.boards import MAX_CHANGE, EntryBoard
from intents.decision.judgements import tie_break
from intents.decision.support import (
    best_symptom_support,
    clause_shares,
    corroborated,
    discriminating,
    explains_line,
    generic_support,
    separate_supports,
    signature_tokens,
)
from intents.denials import denied_in
from intents.policy import POLICY
from intents.segments import Segment


def own_strength(board: EntryBoard) -> None:
    """An entry's strength starts from its best line, raised by separate lines pointing at it."""
    for number, hits in board.hits.items():
        strength = corroborated(hits)
        board.strengths[number] = strength
        best = hits.best_support()
        said = f"best line {hits.best:.2f} ({best.kind}: {best.label[:80]})" if best else "no line"
        if min(1.0, strength) > hits.best + MAX_CHANGE:
            said += f"; {min(1.0, strength):.2f} with its other lines and symptoms"
        board.note(number, said)


def catch_all_discount(board: EntryBoard) -> None:
    """A catch-all entry (`fallback`) names a kind of failure, not its cause: it starts lower."""
    for number, strength in board.strengths.items():
        if board.index.entries.fallback[number]:
            board.set(number, strength * POLICY.fallback_discount, "a catch-all starts lower")


def requires_context(board: EntryBoard) -> None:
    """An entry whose `requires` finds nothing in the paste is capped low and rivals no reading:
    the words fit, the subject is absent. An entry a component's message format names whole needs no context."""
    named = {n for n, (_place, refined) in board.grammar.items() if refined == 0}
    for number, strength in board.strengths.items():
        if number in named and board.hits[number].best >= 1.0:
            continue
        if not board.index.requirement_missing(number, board.texts):
            continue
        board.capped.add(number)  # below the cap too: never a rival, never lifted to medium
        if strength >= POLICY.required_cap:
            board.set(number, POLICY.required_cap, "its required context is absent")
        else:
            board.note(number, "its required context is absent: it rivals no reading")


def keyword_alone(board: EntryBoard) -> None:
    """An entry matched on generic words alone ("i/o timeout", "413", "quota exceeded":
    intents.keywords) is capped low and rivals no reading unless the paste names what the entry is
    about (its `requires`, product or tags): a database's timeout is no API server's."""
    index = board.index
    for number, strength in board.strengths.items():
        if number in board.capped:
            continue
        supports = list(board.hits[number].supports.values())
        strong = [s for s in supports if s.score >= POLICY.corroboration_min] or supports
        if not strong or not all(generic_support(index, number, s) for s in strong):
            continue
        if index.require_texts[number] or index.names_subject(number, board.texts):
            continue
        board.capped.add(number)  # below the cap too: never a rival, never lifted to medium
        said = "a generic phrase alone, and nothing it is about"
        if strength >= POLICY.required_cap:
            board.set(number, POLICY.required_cap, said)
        else:
            board.note(number, f"{said}: it rivals no reading")


def needs_a_rare_word(board: EntryBoard) -> None:
    """An entry matched only on words many entries use ('user', 'pods') is no answer; a
    catch-all, whose own word many entries share, is exempt."""
    index = board.index
    for number, strength in board.strengths.items():
        if strength < POLICY.medium or index.entries.fallback[number]:
            continue
        strong = [
            s for s in board.hits[number].supports.values() if s.score >= POLICY.corroboration_min
        ]
        if strong and not any(discriminating(index, s) for s in strong):
            board.commonplace.add(number)
            board.set(number, POLICY.quiet_score, "matched only on common words")


def denied(board: EntryBoard) -> None:
    """What the paste says is not so (intents.denials: "no OOMKilled", "not a memory problem",
    "the liveness probe passes") is not its answer: a denied entry falls to `denied_score`."""
    board.denials = denied_in(board.texts)
    number_of = board.index.entries.number_of
    for denial, words in board.denials:
        for entry_id in denial.denies:
            number = number_of.get(entry_id)
            if number in board.strengths:
                board.denied.add(number)
                if board.strengths[number] > POLICY.denied_score:
                    board.set(number, POLICY.denied_score, f"the paste denies it (“{words}”)")


def what_remains(board: EntryBoard) -> None:
    """Once the paste denies an entry, the entry the catalog has for what remains (a SIGKILL that
    was no OOM kill: exit-code-137-sigkill) rises to medium when the paste matched it too and
    shows what it needs (intents.denials, `when`)."""
    number_of, texts = board.index.entries.number_of, "\n".join(board.texts)
    for denial, words in board.denials:
        if denial.when is not None and not denial.when.search(texts):
            continue
        for entry_id in denial.instead:
            number = number_of.get(entry_id)
            if number in board.strengths and board.hits[number].best >= POLICY.support_min:
                board.set(
                    number,
                    max(board.strengths[number], POLICY.medium),
                    f"what remains once the paste denies {denial.name} (“{words}”)",
                )


def catch_all_yields(board: EntryBoard) -> None:
    """A catch-all ranks below an answerable specific entry that reads its best line too (a
    line a message format names as the catch-all's counts only when the specific entry reads
    it exactly: its regex or the grammar)."""
    index, strengths, hits = board.index, board.strengths, board.hits
    specific = [
        n for n in strengths if not index.entries.fallback[n] and strengths[n] >= POLICY.medium
    ]
    for number, strength in strengths.items():
        best = hits[number].best_support()
        if not index.entries.fallback[number] or best is None:
            continue
        exact = any(
            s.kind.by_grammar and s.segment.overlaps(best.segment)
            for s in hits[number].supports.values()
        )
        rivals = [other for other in specific if explains_line(hits[other], best, exact_only=exact)]
        if rivals:
            leader = max(rivals, key=lambda n: strengths[n])
            board.set(
                number,
                min(strength, strengths[leader] - POLICY.specific_margin),
                f"{index.entries.ids[leader]} explains its line more specifically",
            )


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
        rivals = [
            n
            for n in strengths
            if n not in entries
            and on_line(n)
            and (b := hits[n].best_support()) is not None
            and b.segment.overlaps(segment)
        ]
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
                board.note(number, f"its clause blocks {board.blocked[number]} node(s)")
            else:
                board.set(
                    number, min(strengths[number], ceiling), "its clause is not the likeliest cause"
                )


def rare_word_floor(board: EntryBoard) -> None:
    """A clear, unique match on the entry's own rare words is at least medium (never for an
    entry whose required context is absent)."""
    strengths = board.strengths
    if not strengths:
        return
    top = max(strengths, key=lambda n: strengths[n])
    strength = strengths[top]
    runner_up = max((s for n, s in strengths.items() if n != top), default=0.0)
    if (
        top in board.capped
        or not POLICY.rare_min_strength <= strength < POLICY.medium
        or strength - runner_up < POLICY.rare_unique_gap
    ):
        return
    best = best_symptom_support(board.hits[top])
    if (
        best is not None
        and signature_tokens(board.index, top, best.segment) >= POLICY.rare_min_tokens
    ):
        board.set(top, POLICY.medium, "a unique match on its own rare words")


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
    if all(len(chosen) == 1 for chosen in lines) and lines[0][0].segment.overlaps(
        lines[1][0].segment
    ):
        quiet = min(strengths[second], POLICY.quiet_score)
        ids = board.index.entries.ids
        board.set(first, quiet, f"tied with {ids[second]} on one line")
        board.set(second, quiet, f"tied with {ids[first]} on one line")


def order_by_strength(board: EntryBoard) -> None:
    """Strongest first; at equal strength the entry that explains others found beside it, then
    the better-corroborated, then the grammar's order, then the bigger blocker, then the one
    more of whose symptoms hit."""
    index, hits, strengths = board.index, board.hits, board.strengths
    answerable = {n for n, s in strengths.items() if s >= POLICY.medium}
    keys = {
        n: (
            -round(min(1.0, s), 3),
            -len(index.entries.explains[n] & answerable),
            -len(separate_supports(hits[n])),
            board.grammar.get(n, (1_000_000, 0)),
            -board.blocked.get(n, 0),
            -len(hits[n].symptoms_hit),
            index.entries.ids[n],
        )
        for n, s in strengths.items()
        if s > 0
    }
    board.ranked = sorted(keys, key=keys.__getitem__)
    for ahead, behind in zip(board.ranked, board.ranked[1:]):
        if keys[ahead][0] == keys[behind][0] and strengths[ahead] >= POLICY.medium:
            board.note(
                ahead,
                f"as strong as {index.entries.ids[behind]}; "
                f"ahead by {tie_break(keys[ahead], keys[behind])}",
            )


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
        for place, number in zip(
            places, sorted((result[i] for i in places), key=clauses.__getitem__)
        ):
            if result[place] != number:
                board.note(number, "placed by the scheduler message's order of clauses")
            result[place] = number
        start = end
    board.ranked = result


def catalog_outranks(board: EntryBoard) -> None:
    """The catalog's pairwise order (`outranks`) among entries of equal strength."""
    outranks, ids = board.index.entries.outranks, board.index.entries.ids
    before = list(board.ranked)
    board.ranked = declared_order(
        before,
        lambda n: outranks[n],
        key_of=lambda n: n,
        may_lead=lambda n, other: board.rounded(n) == board.rounded(other),
    )
    if board.ranked != before:
        was = {number: place for place, number in enumerate(before)}
        for place, number in enumerate(board.ranked):
            if place < was[number]:
                passed = [ids[n] for n in before[place : was[number]]]
                board.note(number, f"the catalog puts it before {', '.join(passed)}")
