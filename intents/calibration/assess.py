"""A learned second opinion on the candidates the rules found: confirm, promote, veto, re-order.

The rules find candidates and decide the answer; the text model (intents.calibration.model)
says how likely each candidate is on the words of the paste. It reads topic, not state (it
cannot tell "X failed" from "X passed"), so it never answers alone: it may answer a candidate
the rules found but left silent (promote), answer another candidate instead of a medium
answer the words alone support (switch), silence such an answer (veto), and order the listed
candidates. A confirmed, high-confidence or outright-named answer is never changed. The
thresholds are learned with the model (cross-validation grouped by source repository on the
development half) and stored in model.json's "policy"; nothing here is tuned by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from intents.calibration.model import NONE, ModelError, TextModel, shipped_model
from intents.calibration.text import model_text, terms
from intents.schema import Confidence

Action = Literal["keep", "promote", "switch", "veto"]


@dataclass(frozen=True)
class Candidate:
    """One candidate as the rules left it (after every other rule ran)."""

    id: str
    score: float
    rank: int
    """0 is the rules' first."""
    confidence: Confidence
    confirmed: bool = False
    """Facts (the cluster's, or the paste's kubectl output) confirm it."""
    named_outright: bool = False
    """A component's own message format names it."""
    lines: tuple[str, ...] = ()
    """The paste lines it was matched on (the model reads those beyond the paste's head)."""


@dataclass(frozen=True)
class Policy:
    """The learned thresholds on the model's probability (model.json "policy")."""

    promote: float
    """Answer the likeliest candidate of a silent paste at this probability or more (a threshold
    above 1 never acts)."""
    gate: float
    """Silence a medium answer the words alone support below this probability."""
    switch: float
    """Answer another candidate instead of such an answer at this probability or more (and more
    likely than the answer)."""
    suggest: int
    """How many ids no rule found the listing may hold (never answered)."""


@dataclass(frozen=True)
class Assessment:
    """What the learned rule makes of the candidates."""

    action: Action
    answer: str | None
    """The id to answer with (None: stay silent)."""
    order: tuple[str, ...]
    """Every candidate id, the answer first, the rest by the model's probability."""
    listing: tuple[str, ...]
    """`order` with the model's own suggestions merged in by probability (ids no rule found:
    list them as other matches at low confidence, never as the answer)."""
    probabilities: dict[str, float]
    """The model's probability of each candidate and suggestion it knows."""
    none: float
    """The model's probability that no catalog entry explains the paste."""
    reason: str
    """One line for the trace, e.g. "learned: p=0.62 for X, promoted from silent"."""


def _describe(action: Action, chosen: str | None, previous: str | None, known: dict[str, float]) -> str:
    def p(entry_id: str | None) -> str:
        return f"p={known[entry_id]:.2f}" if entry_id in known else "p unknown"
    if action == "promote":
        return f"learned: {p(chosen)} for {chosen}, promoted from silent"
    if action == "switch":
        return f"learned: {p(chosen)} for {chosen} over {previous} ({p(previous)}), answered instead"
    if action == "veto":
        return f"learned: {p(previous)} for {previous}, a medium answer on the words alone, silenced"
    if previous is None:
        return "learned: no candidate likely enough to answer"
    return f"learned: {p(previous)} for {previous}, kept"


def decide(candidates: Sequence[Candidate], known: dict[str, float], policy: Policy) -> tuple[Action, str | None]:
    """The action and the answer for candidates in rank order, given their probabilities."""
    if not candidates:
        return "keep", None
    first = candidates[0]
    rivals = [c for c in candidates if c.id in known]
    best = max(rivals, key=lambda c: known[c.id], default=None)
    if first.confidence == "low":
        if best is not None and known[best.id] >= policy.promote:
            return "promote", best.id
        return "keep", None
    if first.confirmed or first.confidence == "high" or first.named_outright or first.id not in known:
        return "keep", first.id
    if best is not None and best.id != first.id and known[best.id] >= policy.switch:
        return "switch", best.id
    if known[first.id] < policy.gate:
        return "veto", None
    return "keep", first.id


def _by_probability(ids: Sequence[str], known: dict[str, float], answer: str | None) -> tuple[str, ...]:
    rest = sorted((i for i in ids if i != answer), key=lambda i: -known.get(i, -1.0))
    return (answer, *rest) if answer is not None else tuple(rest)


def judge(candidates: Sequence[Candidate], probabilities: dict[str, float], policy: Policy) -> Assessment:
    """The verdict given the model's probability of every class (`assess` without the model)."""
    ranked = sorted(candidates, key=lambda c: c.rank)
    ids = [c.id for c in ranked]
    known = {i: probabilities[i] for i in ids if i in probabilities and i != NONE}
    action, answer = decide(ranked, known, policy)
    likeliest = sorted((i for i in probabilities if i != NONE), key=lambda i: -probabilities[i])
    suggested = [i for i in likeliest[:policy.suggest] if i not in known]
    known_all = {**known, **{i: probabilities[i] for i in suggested}}
    previous = ranked[0].id if ranked and ranked[0].confidence != "low" else None
    return Assessment(
        action=action, answer=answer, order=_by_probability(ids, known, answer),
        listing=_by_probability([*ids, *suggested], known_all, answer), probabilities=known_all,
        none=probabilities.get(NONE, 0.0), reason=_describe(action, answer, previous, known))


def read_text(text: str, candidates: Sequence[Candidate], model: TextModel) -> dict[str, float]:
    """The model's probability of every class for the paste and its candidates' lines."""
    lines = [line for candidate in sorted(candidates, key=lambda c: c.rank) for line in candidate.lines]
    return model.probabilities(terms(model_text(text, lines, model.reading)))


def unconsulted(candidates: Sequence[Candidate], why: str) -> Assessment:
    """The rules' own verdict, unchanged, when the model cannot be read."""
    ranked = sorted(candidates, key=lambda c: c.rank)
    ids = tuple(c.id for c in ranked)
    answer = ranked[0].id if ranked and ranked[0].confidence != "low" else None
    return Assessment("keep", answer, ids, ids, {}, 0.0, f"learned: not consulted ({why})")


def assess(text: str, candidates: Sequence[Candidate], model: TextModel | None = None) -> Assessment:
    """The learned rule's verdict on the rules' candidates for one paste (the shipped model
    unless one is given). A model that cannot be read changes nothing and says why."""
    try:
        model = model if model is not None else shipped_model()
    except ModelError as error:
        return unconsulted(candidates, str(error))
    return judge(candidates, read_text(text, candidates, model), Policy(**model.meta["policy"]))
