"""No rule acts silently: each rule of the decision removed in turn over 200 development pastes,
and every change it makes is named in the trace (`why`) of the full decision.

A change is a finding listed, dropped, scored or placed otherwise (among the findings both
decisions list: one dropped moves the rest up without anyone moving them), or other problems named beside
the answer, or other candidates offered. When a rule changes a paste, the full trace names it on
at least one of the findings that changed: the one it acted on (a rule that caps one candidate
moves the others, and a later rule may act on what it left: the trace names each rule on what it
acted on, and that finding is among the changed). The findings
compared are the decision's whole pool (`shown` left out on both sides, so a finding a rule
pushed below the three listed still shows its trace); `shown` itself is compared as the reply
lists. Each paste is read once (its facts and its scored lines) and decided again without each
rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.diagnosis.paste import ReadPaste, decide_paste, read_paste
from intents.calibration import Question, Verdict, assess, consulting
from intents.decision.boards import MAX_CHANGE
from intents.decision.driver import skipping
from intents.decision.rules import LEARNED, RULES, SHOWN, Rule
from intents.matcher import Matcher
from responses.diagnosis import Diagnosis
from tests.real_corpus import load

PASTES = 200


@dataclass(frozen=True)
class Seen:
    """What a user sees of one diagnosis, and each listed finding's trace."""

    listed: tuple[tuple[str, float], ...]
    answers: tuple[str, ...]
    offered: tuple[str, ...]
    rules: dict[str, frozenset[str]]

    @classmethod
    def of(cls, diagnosis: Diagnosis) -> Seen:
        """The findings some rule found (the text model's suggestions, which no rule found, come
        and go with its reading of the candidates' lines: they are left out)."""
        found = [
            f for f in diagnosis.findings if not f.match.why or f.match.why[0].rule != LEARNED.name
        ]
        return cls(
            tuple((f.match.id, f.match.score) for f in found),
            tuple(f.match.id for f in diagnosis.answers),
            diagnosis.offered,
            {f.match.id: frozenset(step.rule for step in f.match.why) for f in diagnosis.findings},
        )


def changed(full: Seen, without: Seen) -> dict[str, str]:
    """Each finding of the full decision that differs without the rule, and how."""
    scores = dict(without.listed)
    common = [i for i, _ in full.listed if i in scores]
    before = [i for i, _ in without.listed if i in set(common)]
    found = {}
    for entry_id, score in full.listed:
        if entry_id not in scores:
            found[entry_id] = "listed"
        elif abs(score - scores[entry_id]) > MAX_CHANGE:
            found[entry_id] = f"scored {scores[entry_id]:.3f} -> {score:.3f}"
        elif before.index(entry_id) != common.index(entry_id):
            found[entry_id] = (
                f"placed {before.index(entry_id) + 1} -> {common.index(entry_id) + 1} among the common"
            )
    return found


def unnamed(full: Seen, without: Seen, rule: Rule) -> list[str]:
    """The changes `rule` makes (the full decision against the one without it) when the full
    trace names it on none of the findings that changed."""
    named = {i for i, rules in full.rules.items() if rule.name in rules}
    differ = changed(full, without)
    # a finding the rule acted on may end where it would have ended anyway, by other rules: the
    # rule still changed how it was decided (the rules that acted on it, the rule itself aside),
    # and what followed from that is the change the trace names
    differ.update(
        {
            i: "decided by other rules"
            for i in named
            if i in without.rules and full.rules[i] - {rule.name} != without.rules[i]
        }
    )
    if RULES.index(rule) < RULES.index(LEARNED):
        # the learned rule reads every earlier rule's steps as its features: an earlier rule may
        # change only the order the learned rule lists the unsaid candidates in, which its trace
        # names on the candidates it moved
        named |= {
            i
            for i, how in differ.items()
            if how.startswith("placed") and LEARNED.name in full.rules.get(i, ())
        }
    for what, now, before in (
        ("problems", full.answers, without.answers),
        ("offered", full.offered, without.offered),
    ):
        if list(now) != list(before):
            differ.update(
                {
                    i: f"{what} {list(before)} -> {list(now)}"
                    for i in {*now, *before}
                    if i in full.rules
                }
            )
            if not {*now, *before} & set(full.rules):
                differ[what] = f"{list(before)} -> {list(now)}"
    return (
        [f"{i}: {how}" for i, how in sorted(differ.items())]
        if differ and not set(differ) & named
        else []
    )


@pytest.fixture(scope="module")
def read(matcher: Matcher) -> list[tuple[str, ReadPaste]]:
    cases = load("dev")[::29][:PASTES]
    assert len(cases) == PASTES
    return [(case.path.name, read_paste(matcher, case.text())) for case in cases]


_ASKED: dict[str, Verdict] = {}


def remembered(question: Question) -> Verdict:
    """The shipped learned decision, asked once per distinct question (the replays ask again)."""
    key = repr(
        (
            question.text,
            tuple(question.candidates),
            sorted(question.refuted),
            question.signs,
            sorted(question.stale),
        )
    )
    if key not in _ASKED:
        _ASKED[key] = assess(question)
    return _ASKED[key]


def test_every_listed_finding_of_200_development_pastes_has_a_trace(
    matcher: Matcher, read: list[tuple[str, ReadPaste]]
) -> None:
    with consulting(remembered):
        for name, paste in read:
            for finding in decide_paste(matcher, paste).findings:
                assert finding.match.why, f"{name}: {finding.match.id} has no trace"
                assert all(step.rule and step.effect for step in finding.match.why)


def test_each_rule_removed_changes_only_what_the_trace_names_it_for(
    matcher: Matcher, read: list[tuple[str, ReadPaste]]
) -> None:
    with consulting(remembered):
        listed = [Seen.of(decide_paste(matcher, paste)) for _, paste in read]
        with skipping([SHOWN]):
            pooled = [Seen.of(decide_paste(matcher, paste)) for _, paste in read]
        changed: dict[str, int] = {}
        silent: list[str] = []
        for rule in dict.fromkeys(RULES):
            full = listed if rule is SHOWN else pooled
            with skipping([rule, SHOWN]):
                for (name, paste), seen in zip(read, full):
                    without = Seen.of(decide_paste(matcher, paste))
                    changed[rule.name] = changed.get(rule.name, 0) + (without != seen)
                    silent += [
                        f"{rule.name}: {name}: {change}" for change in unnamed(seen, without, rule)
                    ]
    assert silent == []
    acting = [name for name, count in changed.items() if count]
    assert len(acting) >= len(RULES) // 2, f"most rules change some of the 200 pastes: {changed}"
