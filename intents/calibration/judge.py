"""What the learned rule does with the model's probabilities: the policy and the verdict.

The rules find candidates and decide the answer; the text model says how likely each is on
the words of the paste. It reads topic, not state (it cannot tell "X failed" from "X
passed"), so it acts only where the rules' own signs allow, and never answers alone:

- promote: a paste the rules leave silent gets its likeliest candidate that passes the
  guards (a rule score of at least `promote_floor`; changed by none of the rules in
  `promote_blocked_by`, e.g. "evidence" when the pasted facts refute it; silenced by a tie,
  when `promote_ties_only`) if the model gives it at least `promote`;
- switch: an answer the words alone support gives way to another candidate passing the same
  guards that the model gives at least `switch` (`switch_high` for a high answer) and more
  than the answer;
- veto: such an answer is silenced below `gate` (`gate_high` for a high answer);
- order: the first listed keeps its place (or the promoted answer takes it), then what is
  said, then the unsaid candidates from a rule score of `order_floor` up (on a silent paste,
  every one: that listing is what a person is asked to pick from; those the guards hold back
  left out when `order_guarded`) and up to `suggest` ids no rule found (from a
  probability of `suggest_min`; never one the pasted facts refute; only on a silent paste
  when `suggest_silent_only`; also with no rule's candidate when `suggest_alone`), together
  by the model's probability, then the other unsaid candidates in the rules' order.
  Suggestions are listed at score 0 and never answered.

A confirmed answer, or one the paste names outright (a component's message format or the
entry's own regex), is never changed. Every threshold is chosen with the model by
bench/train_calibration.py (grouped cross-validation on the development half, within the
suite's own cases) and stored in model.json's "policy".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from intents.calibration.model import NONE
from intents.policy import POLICY
from intents.results import confidence_for
from intents.schema import Confidence

Action = Literal["keep", "promote", "switch", "veto"]
TIE_RULES = ("close call", "ambiguous line")
"""Rules that silence a candidate because another reads the same words as well (a tie)."""


@dataclass(frozen=True)
class Candidate:
    """One candidate as the rules left it, with the signs the guards read."""

    id: str
    score: float
    rank: int
    """0 is the rules' first."""
    confidence: Confidence
    confirmed: bool = False
    """Facts (the paste's kubectl output) confirm it."""
    named_outright: bool = False
    """A component's own message format names it, or one of its regexes matched: the paste
    says it in so many words."""
    lines: tuple[str, ...] = ()
    """The paste lines it was matched on (the model reads those beyond the paste's head)."""
    rules: tuple[str, ...] = ()
    """The decision rules that changed it (its trace; "evidence" also when the pasted facts
    refute it), e.g. ("requires context",): the signs the guards read."""
    because: tuple[str, ...] = ()
    """The candidates that explain it (it is their symptom): it is listed under them."""


@dataclass(frozen=True)
class Policy:
    """The learned thresholds (model.json "policy"); a probability threshold above 1 never acts."""

    promote: float
    promote_floor: float = 0.0
    promote_blocked_by: tuple[str, ...] = ()
    """A candidate any of these rules changed is never made the answer."""
    promote_ties_only: bool = False
    """Only a candidate a tie silenced (TIE_RULES) is made the answer."""
    gate: float = 0.0
    gate_high: float = 0.0
    switch: float = 2.0
    switch_high: float = 2.0
    order_floor: float = 0.0
    order_guarded: bool = False
    """The order leaves in place a candidate whose promotion the guards block."""
    suggest: int = 0
    suggest_min: float = 0.0
    suggest_silent_only: bool = False
    """Suggestions only when the paste gets no answer."""
    suggest_alone: bool = True
    """Suggestions also when the rules found no candidate at all."""

    @classmethod
    def from_json(cls, stored: dict[str, Any]) -> Policy:
        """The policy as model.json stores it (lists for tuples)."""
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in stored.items()}
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    def promotable(self, candidate: Candidate) -> bool:
        """May the model make this candidate the answer (promote or switch to it)?"""
        return (candidate.score >= self.promote_floor and not candidate.confirmed
                and not set(candidate.rules) & set(self.promote_blocked_by)
                and (not self.promote_ties_only or bool(set(candidate.rules) & set(TIE_RULES))))


@dataclass(frozen=True)
class Assessment:
    """What the learned rule makes of the candidates."""

    action: Action
    answer: str | None
    """The id answered after the rule (None: silent)."""
    listing: tuple[str, ...]
    """Every candidate and suggestion in the order listed, the answer first."""
    scores: dict[str, float]
    """Each listed id's score after the rule (a suggestion's is 0)."""
    suggested: tuple[str, ...]
    """Ids no rule found, listed at low confidence and never answered."""
    probabilities: dict[str, float]
    """The model's probability of each candidate and suggestion it knows."""
    none: float
    """The model's probability that no catalog entry explains the paste."""
    reason: str
    """One line for the trace, e.g. "learned: p=0.62 for X, promoted from silent"."""
    consulted: bool = True
    """False when the model could not be read: the rules' verdict stands unchanged."""
    moved: dict[str, str] = field(default_factory=dict)
    """Unsaid candidates the model's order lifts past a rule's earlier one, and past which."""

    @property
    def order(self) -> tuple[str, ...]:
        """The listing without the suggestions."""
        return tuple(i for i in self.listing if i not in self.suggested)


def _p(known: dict[str, float], entry_id: str | None) -> str:
    return f"p={known[entry_id]:.2f}" if entry_id in known else "p unknown"


def decide(ranked: Sequence[Candidate], known: dict[str, float], policy: Policy) -> tuple[Action, str | None]:
    """The action and the candidate it concerns, for candidates in rank order."""
    if not ranked:
        return "keep", None
    first = ranked[0]
    eligible = [c for c in ranked if c.id in known and policy.promotable(c)]
    best = max(eligible, key=lambda c: known[c.id], default=None)
    if first.confidence == "low":
        return ("promote", best.id) if best is not None and known[best.id] >= policy.promote else ("keep", None)
    if first.confirmed or first.named_outright or first.id not in known:
        return "keep", first.id
    switch = policy.switch if first.confidence == "medium" else policy.switch_high
    if best is not None and best.id != first.id and known[best.id] >= switch and known[best.id] > known[first.id]:
        return "switch", best.id
    if known[first.id] < (policy.gate if first.confidence == "medium" else policy.gate_high):
        return "veto", first.id
    return "keep", first.id


def _reason(action: Action, chosen: str | None, first: str | None, known: dict[str, float]) -> str:
    if action == "promote":
        return f"learned: {_p(known, chosen)} for {chosen}, promoted from silent"
    if action == "switch":
        return f"learned: {_p(known, chosen)} for {chosen} over {first} ({_p(known, first)}), answered instead"
    if action == "veto":
        return f"learned: {_p(known, first)} for {first}, an answer on the words alone, silenced"
    if chosen is None:
        return "learned: no candidate likely enough to answer"
    return f"learned: {_p(known, chosen)} for {chosen}, kept"


def judge(candidates: Sequence[Candidate], probabilities: dict[str, float], policy: Policy,
          refuted: Collection[str] = ()) -> Assessment:
    """The verdict given the model's probability of every class (`assess` without the model);
    `refuted`: entries the pasted facts contradict (never suggested)."""
    ranked = sorted(candidates, key=lambda c: c.rank)
    by_id = {c.id: c for c in ranked}
    known = {i: probabilities[i] for i in by_id if i in probabilities and i != NONE}
    action, chosen = decide(ranked, known, policy)
    scores = {c.id: c.score for c in ranked}
    first = ranked[0].id if ranked else None
    if action in ("promote", "switch") and chosen is not None:
        scores[chosen] = max(scores[chosen], POLICY.medium)
    if action in ("switch", "veto") and first is not None:
        scores[first] = min(scores[first], POLICY.quiet_score)
    head = [chosen] if action in ("promote", "switch") and chosen is not None else [c.id for c in ranked[:1]]
    answer = head[0] if head and confidence_for(scores[head[0]]) != "low" else None
    suggested = _suggestions(ranked, probabilities, policy, refuted, answered=answer is not None)
    known_all = {**known, **{i: probabilities[i] for i in suggested}}
    said = [i for i in by_id if i not in head and confidence_for(scores[i]) != "low"]
    unsaid = [i for i in by_id if i not in head and i not in said]
    floor = _order_floor(policy, answer)
    movable = [i for i in unsaid if scores[i] >= floor
               and not (policy.order_guarded and set(by_id[i].rules) & set(policy.promote_blocked_by))]
    ordered = sorted([*movable, *suggested], key=lambda i: -known_all.get(i, -1.0))
    listing = (*head, *said, *ordered, *(i for i in unsaid if i not in movable))
    scores.update(dict.fromkeys(suggested, 0.0))
    return Assessment(action=action, answer=answer, listing=listing, scores=scores, suggested=suggested,
                      probabilities=known_all, none=probabilities.get(NONE, 0.0),
                      reason=_reason(action, chosen, first, known), moved=_moved(listing, ranked, ordered))


def _order_floor(policy: Policy, answer: str | None) -> float:
    """From what rule score the unsaid candidates are listed by probability: on a silent paste the
    listing is what a person is asked to pick from ("Is it one of these?"), so every candidate is
    ordered by the model, which chooses among candidates better than it tells whether there is a
    failure."""
    return policy.order_floor if answer is not None else 0.0


def _suggestions(ranked: Sequence[Candidate], probabilities: dict[str, float], policy: Policy,
                 refuted: Collection[str], answered: bool) -> tuple[str, ...]:
    """The likeliest ids no rule found, as the policy allows them (never one the facts refute)."""
    if (answered and policy.suggest_silent_only) or (not ranked and not policy.suggest_alone):
        return ()
    found = {c.id for c in ranked}
    likeliest = sorted((i for i in probabilities if i != NONE and i not in found and i not in refuted),
                       key=lambda i: -probabilities[i])
    return tuple(i for i in likeliest[:policy.suggest] if probabilities[i] >= policy.suggest_min)


def _moved(listing: Sequence[str], ranked: Sequence[Candidate], ordered: Sequence[str]) -> dict[str, str]:
    """Each candidate the model's order lifted, and the first rule's candidate it passed."""
    place = {c.id: c.rank for c in ranked}
    moved = {}
    for at, entry_id in enumerate(listing):
        passed = [i for i in listing[at + 1:] if place.get(i, len(ranked)) < place.get(entry_id, -1)]
        if passed and entry_id in ordered:
            moved[entry_id] = passed[0]
    return moved
