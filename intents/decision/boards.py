"""The state the decision's rules work on, and what each rule wrote in it (the trace).

A rule never writes its own name: the driver (intents.decision.driver) sets `rule` on the board
before it runs one, so every step is the rule list's, and after it the driver records any
change of score or place the rule made without a step of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from intents.advice import SeenContext, advice_for
from intents.causality import CausalGraph
from intents.decision.support import EntryHits
from intents.denials import Denial
from intents.examples import TeamExample
from intents.findings import ClusterNow, Confirmation, Finding
from intents.index import CatalogIndex
from intents.results import Match, MatchedLine, Step
from intents.schema import CatalogEntry

GrammarPlace = tuple[int, int]
"""An entry's place in the grammar's reading order: (the answer's place, 0), or (the answer's
place, -1) for an entry whose own regex reads the same message line more specifically."""

MAX_CHANGE = 0.0005
"""Changes smaller than the score's shown precision are not recorded."""


@dataclass(frozen=True)
class Choice:
    """An entry a person chose for this paste (a click on "Is it one of these?" or "Not this")."""

    entry_id: str
    effect: str


def moves(before: Sequence[str], after: Sequence[str]) -> dict[str, str]:
    """How each key that changed neighbours moved between two orders: the keys it passed, or
    the keys that passed it (a key in one order only is left out)."""
    if list(before) == list(after):
        return {}
    was, now = {k: at for at, k in enumerate(before)}, {k: at for at, k in enumerate(after)}
    found = {}
    for key, at in now.items():
        if key not in was:
            continue
        passed = [k for k in after[at + 1 :] if k in was and was[k] < was[key]]
        overtaken = [k for k in after[:at] if k in was and was[k] > was[key]]
        if passed or overtaken:
            ahead = "ahead of" if passed else "behind"
            names = passed or overtaken
            found[key] = f"moved {ahead} {', '.join(names[:3])}" + (
                " and others" if len(names) > 3 else ""
            )
    return found


@dataclass
class EntryBoard:
    """One paste's text against the catalog: every entry it touched, by index number."""

    index: CatalogIndex
    hits: dict[int, EntryHits]
    texts: Sequence[str] = ()
    """Every line the paste shows (what an entry's `requires` looks for)."""
    grammar: dict[int, GrammarPlace] = field(default_factory=dict)
    clauses: dict[int, int] = field(default_factory=dict)
    """Entries a scheduler message's clauses name, by the clause's place in its reading."""
    strengths: dict[int, float] = field(default_factory=dict)
    """Each entry's strength: its best line's score until a rule changes it."""
    capped: set[int] = field(default_factory=set)
    blocked: dict[int, int] = field(default_factory=dict)
    """Nodes the entry's scheduler clause blocks."""
    ranked: list[int] = field(default_factory=list)
    """The order the rules gave (empty: by strength alone, `order`)."""
    denials: list[tuple[Denial, str]] = field(default_factory=list)
    """What the paste says is not so, with its words (intents.denials)."""
    denied: set[int] = field(default_factory=set)
    """Entries the paste denies."""
    commonplace: set[int] = field(default_factory=set)
    """Entries matched only on words many entries use."""
    steps: dict[int, list[Step]] = field(default_factory=lambda: defaultdict(list))
    rule: str = ""
    """The rule running now (set by the driver): the name its steps are recorded under."""

    def __post_init__(self) -> None:
        for number, hits in self.hits.items():
            self.strengths.setdefault(number, hits.best)

    def note(self, number: int, effect: str) -> None:
        self.steps[number].append(Step(self.rule, effect))

    def set(self, number: int, value: float, reason: str) -> None:
        """Give the entry a new strength and record why (nothing when it does not change)."""
        old = self.strengths[number]
        if abs(value - old) > MAX_CHANGE:
            self.note(number, f"{reason}: {old:.2f} -> {value:.2f}")
        self.strengths[number] = value

    def rounded(self, number: int) -> float:
        return round(min(1.0, self.strengths[number]), 3)

    def order(self) -> list[int]:
        """The entries in the rules' order, or by strength (then id) before a rule ordered them."""
        if self.ranked:
            return self.ranked
        ids = self.index.entries.ids
        return sorted(
            (n for n, s in self.strengths.items() if s > 0),
            key=lambda n: (-self.rounded(n), ids[n]),
        )

    def matches(self, top: int) -> list[Match]:
        """The first `top` entries as matches, with their best distinct lines and their trace."""
        found = []
        for number in self.order()[:top]:
            lines = sorted(self.hits[number].lines, key=lambda line: line.score, reverse=True)
            distinct: dict[str, MatchedLine] = {}
            for line in lines:
                distinct.setdefault(line.line, line)
            found.append(
                Match(
                    self.index.entries[number],
                    self.rounded(number),
                    tuple(list(distinct.values())[:3]),
                    context_missing=number in self.capped,
                    why=tuple(self.steps[number]),
                    denied=number in self.denied,
                    common_words=number in self.commonplace,
                )
            )
        return found

    def snapshot(self) -> tuple[dict[int, float], list[int], dict[int, int]]:
        return dict(self.strengths), list(self.order()), {n: len(s) for n, s in self.steps.items()}

    def record(self, before: tuple[dict[int, float], list[int], dict[int, int]]) -> None:
        """Name the running rule on every entry whose strength or place it changed silently (the
        place in the rules' order, or by strength alone before a rule ordered them)."""
        strengths, order, counts = before
        ids = self.index.entries.ids
        moved = moves([ids[n] for n in order], [ids[n] for n in self.order()])
        for number, new in self.strengths.items():
            old = strengths.get(number, 0.0)
            change = (
                f"{old:.2f} -> {new:.2f}" if abs(new - old) > MAX_CHANGE else moved.get(ids[number])
            )
            if change and not any(
                step.rule == self.rule for step in self.steps[number][counts.get(number, 0) :]
            ):
                self.note(number, change)


@dataclass
class FindingBoard:
    """The text's matches and the facts' confirmations for one subject (a paste, a pod, a node).

    The findings start as the text's matches in their order; the rules add what the facts say."""

    matches: Sequence[Match]
    confirmations: Mapping[str, Confirmation]
    entries: Mapping[str, CatalogEntry]
    graph: CausalGraph
    top: int = 3
    pool: int = 3
    """Findings kept for the rules that compare the first with its rivals."""
    paste: bool = False
    complete: bool = True
    """Every collector succeeded, so a rule that did not hold really is false."""
    contradicted: Collection[str] | None = None
    """Exactly the entries the facts contradict, when known (a paste shows part of the facts)."""
    seen: SeenContext = field(default_factory=SeenContext)
    residue: str = ""
    """The paste's lines outside any kubectl output it shows."""
    examples: Sequence[TeamExample] = ()
    """The team's examples this paste may read the same as, newest first (intents.examples)."""
    statements: Sequence[Match] = ()
    """Entries a pasted object states outright (a `states` evidence rule held on it), each as a
    match of its facts (bot.diagnosis.paste_evidence.stated_matches)."""
    choice: Choice | None = None
    """An entry a person chose for this very paste."""
    output: bool = False
    """kubectl output was read in the paste."""
    healthy_output: bool = False
    """All the kubectl output read in the paste is healthy."""
    cluster: ClusterNow | None = None
    """What a connected cluster shows now of the pasted object (None: no cluster was read)."""
    findings: list[Finding] = field(default_factory=list)
    problems: tuple[str, ...] | None = None
    """The findings named as problems of their own, the answer first (None: not decided)."""
    offered: tuple[str, ...] = ()
    """The findings a person is offered when the paste gets no answer ("Is it one of these?")."""
    question: bool = False
    """The paste only asks how something works (the `a question` rule): nothing is offered."""
    learned_offers: frozenset[str] = frozenset()
    """Findings the learned decision offers whatever their score."""
    stated: set[str] = field(default_factory=set)
    """Entries a pasted object states outright (the `pasted fact` rule)."""
    chosen: str | None = None
    """The entry the team's choice put first (the `team example` rule)."""
    weighed: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    steps: dict[str, list[Step]] = field(default_factory=lambda: defaultdict(list))
    rule: str = ""
    """The rule running now (set by the driver): the name its steps are recorded under."""

    def __post_init__(self) -> None:
        if not self.findings:
            self.findings = [
                Finding(replace(m, entry=advice_for(m.entry, self.seen)), (), m.score)
                for m in self.matches
            ]
        for finding in self.findings:
            self.weighed.setdefault(finding.match.id, finding.match.score)

    def note(self, entry_id: str, effect: str) -> None:
        self.steps[entry_id].append(Step(self.rule, effect))

    def traced(self) -> list[Finding]:
        """The findings with every rule's steps added to their match's `why`."""
        return [
            replace(f, match=replace(f.match, why=(*f.match.why, *self.steps.get(f.match.id, ()))))
            for f in self.findings
        ]

    def snapshot(self) -> tuple[dict[str, float], list[str], dict[str, int]]:
        return (
            {f.match.id: f.match.score for f in self.findings},
            [f.match.id for f in self.findings],
            {i: len(s) for i, s in self.steps.items()},
        )

    def record(self, before: tuple[dict[str, float], list[str], dict[str, int]]) -> None:
        """Name the running rule on every finding whose score or place it changed silently."""
        scores, order, counts = before
        moved = moves(order, [finding.match.id for finding in self.findings])
        for finding in self.findings:
            entry_id, score = finding.match.id, finding.match.score
            if entry_id not in scores:
                change: str | None = f"added at {score:.2f}"
            elif abs(score - scores[entry_id]) > MAX_CHANGE:
                change = f"{scores[entry_id]:.2f} -> {score:.2f}"
            else:
                change = moved.get(entry_id)
            if change and not any(
                step.rule == self.rule for step in self.steps[entry_id][counts.get(entry_id, 0) :]
            ):
                self.note(entry_id, change)
