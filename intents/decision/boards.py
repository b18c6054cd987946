"""The state the decision's rules work on, and what each rule wrote in it (the trace)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from intents.advice import SeenContext
from intents.causality import CausalGraph
from intents.decision.support import EntryHits
from intents.examples import TeamExample
from intents.findings import Confirmation, Finding
from intents.index import CatalogIndex
from intents.results import Match, MatchedLine, Step
from intents.schema import CatalogEntry

GrammarPlace = tuple[int, int]
"""An entry's place in the grammar's reading order: (the answer's place, 0), or (the answer's
place, -1) for an entry whose own regex reads the same message line more specifically."""

MAX_CHANGE = 0.0005
"""Changes smaller than the score's shown precision are not recorded."""


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
    capped: set[int] = field(default_factory=set)
    blocked: dict[int, int] = field(default_factory=dict)
    """Nodes the entry's scheduler clause blocks."""
    ranked: list[int] = field(default_factory=list)
    steps: dict[int, list[Step]] = field(default_factory=lambda: defaultdict(list))

    def note(self, number: int, rule: str, effect: str) -> None:
        self.steps[number].append(Step(rule, effect))

    def set(self, number: int, value: float, rule: str, reason: str) -> None:
        """Give the entry a new strength and record why (nothing when it does not change)."""
        old = self.strengths[number]
        if abs(value - old) > MAX_CHANGE:
            self.note(number, rule, f"{reason}: {old:.2f} -> {value:.2f}")
        self.strengths[number] = value

    def rounded(self, number: int) -> float:
        return round(min(1.0, self.strengths[number]), 3)

    def matches(self, top: int) -> list[Match]:
        """The first `top` entries as matches, with their best distinct lines and their trace."""
        found = []
        for number in self.ranked[:top]:
            lines = sorted(self.hits[number].lines, key=lambda line: line.score, reverse=True)
            distinct: dict[str, MatchedLine] = {}
            for line in lines:
                distinct.setdefault(line.line, line)
            found.append(Match(self.index.entries[number], self.rounded(number), tuple(list(distinct.values())[:3]),
                               context_missing=number in self.capped, why=tuple(self.steps[number])))
        return found


@dataclass
class FindingBoard:
    """The text's matches and the facts' confirmations for one subject (a paste, a pod, a node)."""

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
    findings: list[Finding] = field(default_factory=list)
    weighed: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    steps: dict[str, list[Step]] = field(default_factory=lambda: defaultdict(list))

    def note(self, entry_id: str, rule: str, effect: str) -> None:
        self.steps[entry_id].append(Step(rule, effect))

    def traced(self) -> list[Finding]:
        """The findings with every rule's steps added to their match's `why`."""
        return [replace(f, match=replace(f.match, why=(*f.match.why, *self.steps.get(f.match.id, ()))))
                for f in self.findings]
