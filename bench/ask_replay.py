"""Replay the labelled corpus as direct asks, with a team that answers "Is it one of these?".

    python -m bench.ask_replay                 # the held-out half (tests/corpus/real/test)
    python -m bench.ask_replay dev             # the development half (tune POLICY here only)
    python -m bench.ask_replay held-out        # the test half and every fresh batch
    python -m bench.ask_replay dev --min-score 0.4    # what another `ask_min_score` would do
    python -m bench.ask_replay test --lookup 10000    # and what finding a paste's examples costs

Each source repository is one team; its pastes arrive in time order (the issue or pull
request number in their address, then the file name). Every paste is asked directly, as the
bot sees it (redacted first), with the team's examples so far:

- answered: the bot's answer (high or medium), right or wrong, and whether a team example
  gave it (the decision's "team example" rule);
- asked: no answer but candidates, so "Is it one of these?"; the simulated team picks the
  right entry when one of the three is right (it becomes an example) and "None of these"
  otherwise (healthy, out-of-catalog and chat pastes always get "None of these");
- told there is no answer: no candidate from `POLICY.ask_min_score` up.

It prints: how many asked positives had the right entry among the three offered (target at
least 95%), how many later pastes the examples answered and how many of those right, that no
example answers a healthy, out-of-catalog or chat paste (each is checked against every
example learned by every team), that confident wrong answers are no more than without
examples, and that a passive channel says exactly what it said before on those pastes.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.answering.candidates import offered
from bot.diagnosis.paste import diagnose_paste
from intents.decision.rules import TEAM_EXAMPLE
from intents.examples import TeamExample, lead_of, lookup, matching_example, words_of
from intents.loader import load_catalog
from intents.matcher import Matcher
from intents.policy import POLICY
from responses.diagnosis import Finding
from responses.redaction import redact
from tests.noise import TRANSFORMATIONS
from tests.real_corpus import HELD_OUT, RealCase, load

_NUMBER = re.compile(r"/(?:issues|pull|discussions|merge_requests)/(\d+)")
TARGET = 0.95


def in_time_order(cases: Sequence[RealCase]) -> dict[str, list[RealCase]]:
    """The cases of each source, oldest first (issue number, then file name)."""
    teams: dict[str, list[RealCase]] = defaultdict(list)
    for case in cases:
        teams[case.repo].append(case)
    for cases_of_team in teams.values():
        cases_of_team.sort(
            key=lambda c: (int(m.group(1)) if (m := _NUMBER.search(c.url)) else 10**9, c.path.name)
        )
    return dict(sorted(teams.items()))


@dataclass
class Tally:
    """What the replay counted."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: list[TeamExample] = field(default_factory=list)
    example_cases: list[str] = field(default_factory=list)
    """The file each example was recorded from, in the same order."""
    passive_changed: list[str] = field(default_factory=list)


def _answered_by_example(answer: Finding | None) -> bool:
    return answer is not None and any(step.rule == TEAM_EXAMPLE.name for step in answer.match.why)


def replay_case(
    matcher: Matcher, case: RealCase, team: list[TeamExample], tally: Tally, *, min_score: float
) -> None:
    """One paste asked directly, with the team's examples so far (newest first)."""
    text = redact(case.text())
    words = words_of(text)
    positive = case.klass == "positive"
    before = diagnose_paste(matcher, text, top=3)
    after = diagnose_paste(matcher, text, top=3, examples=team) if team else before
    kind = "positive" if positive else "negative"
    if (before.answer is None) != (after.answer is None) and not positive:
        tally.passive_changed.append(case.path.name)
    for name, diagnosis in (("before", before), ("after", after)):
        if diagnosis.answer is not None:
            right = positive and diagnosis.answer.match.id in case.expected
            tally.counts[f"{name} {kind} answered"] += 1
            tally.counts[f"{name} {kind} answered right"] += right
    if after.answer is not None:
        if _answered_by_example(after.answer):
            right = positive and after.answer.match.id in case.expected
            tally.counts[f"{kind} answered by an example"] += 1
            tally.counts[f"{kind} answered by an example right"] += right
        return
    choices = offered(after, min_score=min_score)
    if not choices:
        tally.counts[f"{kind} told no answer"] += 1
        return
    tally.counts[f"{kind} asked"] += 1
    offered_right = [c.id for c in choices if positive and c.id in case.expected]
    if not offered_right:
        tally.counts[f"{kind} none of these"] += 1
        return
    tally.counts["positive asked, right among the offered"] += 1
    example = TeamExample(offered_right[0], words, case.repo, "replay")
    team.insert(0, example)
    tally.examples.append(example)
    tally.example_cases.append(case.path.name)


def repeats(matcher: Matcher, tally: Tally, cases: dict[str, RealCase]) -> None:
    """Every example's paste told again later through each transformation people apply to a paste
    (tests/noise.py): answered by the example, and right?"""
    for example, name in zip(tally.examples, tally.example_cases, strict=True):
        case = cases[name]
        for transform in TRANSFORMATIONS.values():
            text = redact(transform(case.text()))
            answer = diagnose_paste(matcher, text, top=3, examples=[example]).answer
            tally.counts["repeat"] += 1
            if answer is not None and _answered_by_example(answer):
                tally.counts["repeat answered by its example"] += 1
                tally.counts["repeat answered right"] += answer.match.id in case.expected


def replay(
    matcher: Matcher, cases: Sequence[RealCase], *, min_score: float = POLICY.ask_min_score
) -> Tally:
    tally = Tally()
    for team_cases in in_time_order(cases).values():
        team: list[TeamExample] = []
        for case in team_cases:
            replay_case(matcher, case, team, tally, min_score=min_score)
    others(tally, cases)
    repeats(matcher, tally, {case.path.name: case for case in cases})
    return tally


def others(tally: Tally, cases: Sequence[RealCase]) -> None:
    """Every paste against every team's examples (not its own): a negative must never read the same
    as one; a positive that does is answered with the example's entry (right or wrong)."""
    by_lead: dict[str, list[int]] = defaultdict(list)
    for number, recorded in enumerate(tally.examples):
        by_lead[lead_of(recorded.words)].append(number)
    for case in cases:
        words = words_of(redact(case.text()))
        wanted = lookup(words)
        numbers = {n for lead in (wanted.leads if wanted else ()) for n in by_lead.get(lead, ())}
        found = [
            tally.examples[n] for n in sorted(numbers) if tally.example_cases[n] != case.path.name
        ]
        example = matching_example(found, words)
        if example is None:
            continue
        if case.klass != "positive":
            tally.counts["negative read the same as some example"] += 1
            tally.passive_changed.append(case.path.name)
        else:
            tally.counts["other positive read the same as an example"] += 1
            tally.counts["other positive read the same, entry right"] += (
                example.entry_id in case.expected
            )


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.3f}" if whole else "0/0"


def report(tally: Tally, pastes: int, teams: int, min_score: float) -> list[str]:
    c = tally.counts
    asked, listed = c["positive asked"], c["positive asked, right among the offered"]
    met = "met" if asked and listed / asked >= TARGET else "not met"
    by_example = c["positive answered by an example"] + c["negative answered by an example"]
    return [
        (
            f"{pastes} pastes from {teams} sources, each source a team, in time order; "
            f"ask_min_score {min_score}, up to {POLICY.choices} offered"
        ),
        (
            f'positives asked "Is it one of these?": {asked}; right entry among the offered: '
            f"{share(listed, asked)} (target {TARGET:.0%}: {met})"
        ),
        f"positives told no answer (no candidate from {min_score}): {c['positive told no answer']}",
        (
            f"negatives (healthy, out-of-catalog, chat) asked: {c['negative asked']}; "
            f"told no answer: {c['negative told no answer']}"
        ),
        (
            f"examples recorded: {len(tally.examples)}; later pastes of the corpus answered by an example: "
            f"{by_example}, right "
            f"{share(c['positive answered by an example right'], c['positive answered by an example'])}"
        ),
        (
            f"each example's paste told again through {len(TRANSFORMATIONS)} transformations (tests/noise.py): "
            f"answered by its example {share(c['repeat answered by its example'], c['repeat'])}, "
            f"right {share(c['repeat answered right'], c['repeat'])}"
        ),
        (
            f"negatives answered by an example: {c['negative answered by an example']}; negatives that read "
            f"the same as any team's example: {c['negative read the same as some example']} (must be 0)"
        ),
        (
            f"other positive pastes (any team) that read the same as an example: "
            f"{c['other positive read the same as an example']}, its entry right "
            f"{share(c['other positive read the same, entry right'], c['other positive read the same as an example'])}"
        ),
        (
            f"positives answered right: {c['before positive answered right']} without examples, "
            f"{c['after positive answered right']} with them"
        ),
        (
            f"confident wrong: {c['before positive answered'] - c['before positive answered right']} without "
            f"examples, {c['after positive answered'] - c['after positive answered right']} with them (must not grow)"
        ),
        (
            f"passive channels: negatives answered {c['before negative answered']} before, "
            f"{c['after negative answered']} after; changed: {len(tally.passive_changed)} (must be 0)"
        ),
    ]


async def _lookups(
    texts: Sequence[str], seeds: Sequence[str], stored: int
) -> tuple[list[float], list[str]]:
    """Seconds of wall time per `TeamExamples.for_paste` of `texts` against a SQLite file of `stored`
    examples made from `seeds`."""
    from bot.answering.examples import TeamExamples, example_of
    from bot.storage.sql import SqlStore

    with tempfile.TemporaryDirectory() as folder:
        store = SqlStore(f"sqlite+aiosqlite:///{folder}/kubemedic.db")
        await store.start()
        try:
            now = datetime.now(UTC)
            records = [
                example_of(
                    seeds[n % len(seeds)] + f"\nseen on host-{n}",
                    "oom-killed",
                    chosen_by="U1",
                    chooser="bench",
                    chosen_at=now,
                    confirmed_by="bench",
                )
                for n in range(stored)
            ]
            for start in range(0, len(records), 1000):
                await store.add_examples(records[start : start + 1000])
            examples, times, found = TeamExamples(store), [], []
            for text in texts:
                started = time.perf_counter()
                if await examples.for_paste(text):
                    found.append(text)
                times.append(time.perf_counter() - started)
            return times, found
        finally:
            await store.close()


def lookup_cost(cases: Sequence[RealCase], stored: int) -> str:
    """What finding a paste's candidate examples costs the bot per paste (its head's words, one query),
    with `stored` examples made from the development half's pastes."""
    texts = [case.text() for case in cases]
    times, found = asyncio.run(_lookups(texts, [case.text() for case in load("dev")], stored))
    checks = []
    for text in found:  # the decision then reads the whole paste's words to check the candidates
        started = time.process_time()
        words_of(redact(text))
        checks.append(time.process_time() - started)
    return (
        f"looking up a paste's examples among {stored:,} stored (SQLite, made from the development half): "
        f"{_percentiles(times)} per paste over {len(texts)} pastes; {len(found)} found a candidate, and "
        f"checking it cost the decision {_percentiles(checks)} more CPU"
    )


def _percentiles(seconds: list[float]) -> str:
    ordered = sorted(seconds) or [0.0]
    return (
        f"p50 {ordered[len(ordered) // 2] * 1000:.2f} ms, "
        f"p95 {ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000:.2f} ms"
    )


def halves(name: str) -> list[str]:
    if name == "held-out":
        return list(HELD_OUT)
    return [name]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("half", nargs="?", default="test", help="dev, test (default) or held-out")
    parser.add_argument("--min-score", type=float, help="replay with another POLICY.ask_min_score")
    parser.add_argument(
        "--lookup", type=int, metavar="N", help="also time the example look-up with N stored"
    )
    args = parser.parse_args(argv)
    min_score = POLICY.ask_min_score if args.min_score is None else args.min_score
    catalog = load_catalog()
    matcher = Matcher.from_entries(sorted(catalog.entries.values(), key=lambda entry: entry.id))
    cases = [case for half in halves(args.half) for case in load(half)]
    started = time.process_time()
    tally = replay(matcher, cases, min_score=min_score)
    print("\n".join(report(tally, len(cases), len({case.repo for case in cases}), min_score)))
    print(f"({time.process_time() - started:.0f} s CPU)")
    if args.lookup:
        print(lookup_cost(cases, args.lookup))
    return 0


if __name__ == "__main__":
    sys.exit(main())
