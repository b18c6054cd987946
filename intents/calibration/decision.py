"""The learned decision: for each candidate the chance it is right, and what to do with them.

One logistic regression over each candidate's named features (intents.calibration.features:
its trace, its evidence, the text model's probability, the kind of paste) gives P(right). The
decision then says, for the paste:

- answer: the rules' first candidate, or another whose P leads it by `switch`, when its P
  reaches the threshold for the paste's situation (`silent`: the rules left it low; `medium`,
  `high`: the rules answer it on the words alone). A confirmed answer, or one the paste names
  outright (a component's message format, the entry's own regex), stands as the rules give it;
- offer among the choices: the unsaid candidates listed by P (a person asked "Is it one of
  these?" picks from the first three), with up to `suggest` entries no rule found that the text
  model finds likeliest, listed at P = their text probability times `suggest_scale`, never
  answered;
- stay quiet: no candidate reaches its threshold.

Everything (the weights, each feature's centre and scale, the thresholds) is fitted by
`python -m bench.train_calibration` on the development half (cross-validation grouped by source
repository) and stored in model.json's "decision"; `--show` prints it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from intents.calibration.features import Candidate, PasteSigns, candidate_features, paste_kind
from intents.calibration.model import NONE
from intents.policy import POLICY
from intents.results import confidence_for

Action = Literal["keep", "answer", "switch", "quiet", "abstain"]
MAX_MARGIN = 60.0
"""A margin is clipped here before its exponential (a bound: beyond it P is 0 or 1 to double precision)."""


@dataclass(frozen=True)
class Thresholds:
    """Where the decision acts (a probability above 1: never)."""

    silent: float = 2.0
    """A candidate of a paste the rules leave silent is answered from this P(right)."""
    medium: float = 0.0
    """A medium answer on the words alone is kept from this P(right), else silenced."""
    high: float = 0.0
    """A high answer on the words alone is kept from this P(right), else silenced."""
    switch: float = 2.0
    """Another candidate is answered instead when its P(right) leads the first's by this much."""
    suggest: int = 0
    """Entries no rule found, listed from the text model's likeliest."""
    suggest_scale: float = 0.0
    """A suggestion is listed as if its P(right) were its text probability times this."""
    suggest_min: float = 0.0
    """A suggestion's text probability is at least this."""
    suggest_silent_only: bool = True
    """Suggestions only when the paste gets no answer."""
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per paste kind (features.PASTE_KINDS), its own `silent` and `medium` thresholds where
    they differ from the ones above."""

    def answering(self, confidence: str, kind: str) -> float:
        """The P(right) from which the rules' first candidate, of this confidence in a paste of
        this kind, is answered (kept, for a medium or high one)."""
        situation = {"low": "silent", "medium": "medium"}.get(confidence, "high")
        own = self.by_kind.get(kind, {})
        return float(own.get(situation, getattr(self, situation)))


@dataclass(frozen=True)
class Decision:
    """The fitted decision (model.json "decision")."""

    features: tuple[str, ...]
    centre: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    rule_names: tuple[str, ...]
    """The rules whose presence in a trace is a feature (those the model was trained with)."""
    thresholds: Thresholds = field(default_factory=Thresholds)

    @classmethod
    def from_json(cls, stored: dict[str, Any]) -> Decision:
        return cls(
            features=tuple(stored["features"]),
            centre=tuple(stored["centre"]),
            scale=tuple(stored["scale"]),
            weights=tuple(stored["weights"]),
            intercept=float(stored["intercept"]),
            rule_names=tuple(stored["rule_names"]),
            thresholds=Thresholds(**stored.get("thresholds", {})),
        )

    def to_json(self) -> dict[str, Any]:
        stored = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        stored["thresholds"] = asdict(self.thresholds)
        return stored

    def chance(self, features: dict[str, float]) -> float:
        """P(right) for one candidate's features."""
        margin = self.intercept + sum(
            weight * (features.get(name, 0.0) - centre) / scale
            for name, centre, scale, weight in zip(
                self.features, self.centre, self.scale, self.weights
            )
        )
        return 1.0 / (1.0 + math.exp(-max(-MAX_MARGIN, min(MAX_MARGIN, margin))))

    def weighed(self) -> list[tuple[str, float]]:
        """Each feature and its weight on the standardised scale, heaviest first (for reading)."""
        return sorted(zip(self.features, self.weights), key=lambda pair: -abs(pair[1]))


@dataclass(frozen=True)
class Verdict:
    """What the learned decision makes of the candidates."""

    action: Action
    answer: str | None
    """The id answered after the decision (None: silent)."""
    listing: tuple[str, ...]
    """Every candidate and suggestion in the order listed, the answer first."""
    scores: dict[str, float]
    """Each listed id's score after the decision (a suggestion's is 0)."""
    suggested: tuple[str, ...]
    """Ids no rule found, listed at low confidence and never answered."""
    chances: dict[str, float]
    """P(right) of each candidate (and the listing weight of each suggestion)."""
    probabilities: dict[str, float]
    """The text model's probability of each candidate and suggestion."""
    reason: str
    """One line for the trace."""
    consulted: bool = True
    """False when the model could not be read or abstained: the rules' verdict stands."""
    moved: dict[str, str] = field(default_factory=dict)
    """Candidates the decision's order lifts past a rule's earlier one, and past which."""


@dataclass(frozen=True)
class Question:
    """What the decision is asked about one paste."""

    text: str
    candidates: Sequence[Candidate]
    refuted: Collection[str] = ()
    """Entries the pasted facts contradict (never suggested)."""
    signs: PasteSigns = field(default_factory=PasteSigns)
    stale: Collection[str] = ()
    """Candidates the model is older than (their catalog text changed since training)."""


def rules_verdict(candidates: Sequence[Candidate], reason: str) -> Verdict:
    """The rules' own verdict, unchanged (the learned rule leaves the board as it is)."""
    ranked = sorted(candidates, key=lambda c: c.rank)
    answer = ranked[0].id if ranked and ranked[0].confidence != "low" else None
    return Verdict(
        "abstain",
        answer,
        tuple(c.id for c in ranked),
        {c.id: c.score for c in ranked},
        (),
        {},
        {},
        f"not consulted ({reason})",
        consulted=False,
    )


def decide(
    question: Question,
    probabilities: dict[str, float],
    decision: Decision,
    chances: dict[str, float] | None = None,
) -> Verdict:
    """The verdict on a paste's candidates given the text model's probability of every class
    (`chances`: each candidate's P(right) when already known, e.g. out of fold in training)."""
    ranked = sorted(question.candidates, key=lambda c: c.rank)
    stale = [c.id for c in ranked if c.id in question.stale]
    if stale:
        return rules_verdict(ranked, f"the model is older than the catalog for {', '.join(stale)}")
    th = decision.thresholds
    if chances is None:
        chances = {
            c.id: decision.chance(
                candidate_features(c, ranked, probabilities, question.signs, decision.rule_names)
            )
            for c in ranked
        }
    kind = paste_kind(question.signs)
    action, answer = _answer(ranked, chances, th, kind)
    scores = {c.id: c.score for c in ranked}
    first = ranked[0].id if ranked else None
    if answer is not None:
        scores[answer] = max(scores[answer], POLICY.medium)
    if first is not None and first != answer and confidence_for(scores[first]) != "low":
        scores[first] = min(scores[first], POLICY.quiet_score)
    suggested = _suggestions(
        ranked, probabilities, th, question.refuted, answered=answer is not None
    )
    weights = {**chances, **{i: probabilities[i] * th.suggest_scale for i in suggested}}
    listing = _listing(ranked, answer, scores, suggested, weights)
    scores.update(dict.fromkeys(suggested, 0.0))
    known = {i: probabilities[i] for i in listing if i in probabilities}
    return Verdict(
        action,
        answer,
        listing,
        scores,
        suggested,
        weights,
        known,
        _reason(
            action,
            answer,
            first,
            chances,
            th.answering(_situation(ranked), kind),
            ranked,
            th.switch,
        ),
        moved=_moved(listing, ranked),
    )


def answerable(candidate: Candidate) -> bool:
    """May the decision answer it? Never against the pasted facts (they refute it) or the paste's
    own words (it denies it), nor without the context the entry requires, nor on words many
    entries use alone: where a rule judged the candidate no answer, no learned weight overturns it."""
    return not (
        candidate.refuted or candidate.denied or candidate.context_missing or candidate.common_words
    )


def stands(first: Candidate) -> bool:
    """The rules' answer stands whatever the decision says: confirmed, named outright (a
    message format, the entry's regex, a pasted object's own statement), or a person's choice."""
    return first.confidence != "low" and (first.confirmed or first.named_outright or first.chosen)


def chosen(
    ranked: Sequence[Candidate], chances: dict[str, float], switch: float
) -> Candidate | None:
    """The candidate the decision would answer: the rules' first, or the answerable candidate whose
    P(right) leads it by `switch` (None: no answerable candidate)."""
    eligible = [c for c in ranked if answerable(c)]
    if not eligible:
        return None
    first, best = ranked[0], max(eligible, key=lambda c: chances[c.id])
    if not answerable(first) or (
        best is not first and chances[best.id] - chances[first.id] >= switch
    ):
        return best
    return first


def _answer(
    ranked: Sequence[Candidate], chances: dict[str, float], th: Thresholds, kind: str
) -> tuple[Action, str | None]:
    if not ranked:
        return "quiet", None
    first = ranked[0]
    if stands(first):
        return "keep", first.id
    choice = chosen(ranked, chances, th.switch)
    threshold = th.answering(first.confidence, kind)
    if choice is None or chances[choice.id] < threshold:
        return "quiet", None
    if first.confidence == "low":
        return "answer", choice.id
    return ("switch" if choice is not first else "keep"), choice.id


def _situation(ranked: Sequence[Candidate]) -> str:
    return ranked[0].confidence if ranked else "low"


def _suggestions(
    ranked: Sequence[Candidate],
    probabilities: dict[str, float],
    th: Thresholds,
    refuted: Collection[str],
    answered: bool,
) -> tuple[str, ...]:
    """The text model's likeliest ids no rule found, beside a rule's candidate (never alone, and
    never one the facts refute)."""
    if not th.suggest or not ranked or (answered and th.suggest_silent_only):
        return ()
    found = {c.id for c in ranked}
    likeliest = sorted(
        (i for i in probabilities if i != NONE and i not in found and i not in refuted),
        key=lambda i: -probabilities[i],
    )
    return tuple(i for i in likeliest[: th.suggest] if probabilities[i] >= th.suggest_min)


def _listing(
    ranked: Sequence[Candidate],
    answer: str | None,
    scores: dict[str, float],
    suggested: Sequence[str],
    weights: dict[str, float],
) -> tuple[str, ...]:
    """The answer (or, on a silent paste, nothing fixed), then what the rules still say, then the
    unsaid candidates and the suggestions by P(right), led by a candidate: a guess with no line
    and no fact in the paste never comes first before one a line or a fact speaks for; a symptom
    stays after its cause."""
    head = [answer] if answer is not None else []
    said = [c.id for c in ranked if c.id not in head and confidence_for(scores[c.id]) != "low"]
    unsaid = [c.id for c in ranked if c.id not in head and c.id not in said]
    ordered = sorted([*unsaid, *suggested], key=lambda i: -weights.get(i, 0.0))
    if not head and not said and unsaid and ordered[0] not in unsaid:
        lead = next(i for i in ordered if i in unsaid)
        ordered = [lead, *(i for i in ordered if i != lead)]
    causes = {c.id: c.because for c in ranked}
    listing: list[str] = [*head, *said, *ordered]
    for entry_id in list(listing):  # a symptom listed before its cause goes just after it
        cause = next((i for i in causes.get(entry_id, ()) if i in listing), None)
        if cause is not None and listing.index(cause) > listing.index(entry_id):
            listing.remove(entry_id)
            listing.insert(listing.index(cause) + 1, entry_id)
    return tuple(listing)


def _reason(
    action: Action,
    answer: str | None,
    first: str | None,
    chances: dict[str, float],
    needed: float,
    ranked: Sequence[Candidate],
    switch: float,
) -> str:
    def p(entry_id: str | None) -> str:
        return f"P(right)={chances[entry_id]:.2f}" if entry_id in chances else "no candidate"

    situation = _situation(ranked)
    if action == "keep" and ranked and stands(ranked[0]):
        return f"{p(first)}; a confirmed, named or chosen answer stands"
    if action == "answer":
        return f"{p(answer)} for {answer}, at least {needed:.2f}: answered (the rules left the paste silent)"
    if action == "switch":
        return f"{p(answer)} for {answer} leads {first} ({p(first)}) by {switch:.2f} or more: answered instead"
    if action == "keep":
        return f"{p(answer)} for {answer}, at least {needed:.2f}: kept"
    if first is not None and situation != "low":
        return f"{p(first)} for {first}, below {needed:.2f}: silenced"
    return f"{p(first)} for {first}, below {needed:.2f}: not answered" if first else "no candidate"


def _moved(listing: Sequence[str], ranked: Sequence[Candidate]) -> dict[str, str]:
    """Each candidate the decision's order lifted, and the first rule's candidate it passed."""
    place = {c.id: c.rank for c in ranked}
    moved = {}
    for at, entry_id in enumerate(listing):
        if entry_id not in place:
            continue
        passed = [i for i in listing[at + 1 :] if i in place and place[i] < place[entry_id]]
        if passed:
            moved[entry_id] = passed[0]
    return moved
