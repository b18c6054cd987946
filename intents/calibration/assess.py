"""Ask the learned model for its second opinion on the rules' candidates.

`assess(text, candidates)` reads the paste's words with the shipped model
(intents.calibration.model) and returns the verdict of intents.calibration.judge under the
policy stored with the model. The decision's `learned` rule asks through `second_opinion`,
which a bench or a test may point elsewhere (`consulting`): at another model, or at nothing,
to see the rules' own verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from intents.calibration.judge import Assessment, Candidate, Policy, judge
from intents.calibration.model import ModelError, TextModel, shipped_model
from intents.calibration.text import model_text, terms

Opinion = Callable[[str, Sequence[Candidate], Collection[str]], Assessment]
"""Anything that gives a verdict on a paste's candidates, given the entries its facts refute
(`assess` in the product)."""


def read_text(text: str, candidates: Sequence[Candidate], model: TextModel) -> dict[str, float]:
    """The model's probability of every class for the paste and its candidates' lines."""
    lines = [line for candidate in sorted(candidates, key=lambda c: c.rank) for line in candidate.lines]
    return model.probabilities(terms(model_text(text, lines, model.reading)))


def unconsulted(candidates: Sequence[Candidate], why: str) -> Assessment:
    """The rules' own verdict, unchanged (the learned rule leaves the board as it is)."""
    ranked = sorted(candidates, key=lambda c: c.rank)
    ids = tuple(c.id for c in ranked)
    answer = ranked[0].id if ranked and ranked[0].confidence != "low" else None
    return Assessment("keep", answer, ids, {c.id: c.score for c in ranked}, (), {}, 0.0,
                      f"learned: not consulted ({why})", consulted=False)


def assess(text: str, candidates: Sequence[Candidate], refuted: Collection[str] = (),
           model: TextModel | None = None) -> Assessment:
    """The learned rule's verdict on the rules' candidates for one paste (the shipped model
    unless one is given); `refuted`: entries the pasted facts contradict. A model that cannot
    be read changes nothing and says why."""
    try:
        model = model if model is not None else shipped_model()
    except ModelError as error:
        return unconsulted(candidates, str(error))
    return judge(candidates, read_text(text, candidates, model), Policy.from_json(model.meta["policy"]), refuted)


_OPINION: ContextVar[Opinion] = ContextVar("learned_opinion", default=assess)


def second_opinion(text: str, candidates: Sequence[Candidate], refuted: Collection[str] = ()) -> Assessment:
    """The verdict of the opinion in force (the shipped model's, unless `consulting` says)."""
    return _OPINION.get()(text, candidates, refuted)


@contextmanager
def consulting(opinion: Opinion) -> Iterator[None]:
    """Within the block, the learned rule asks `opinion` (e.g. `rules_only` for the rules'
    own verdict, or another model)."""
    token = _OPINION.set(opinion)
    try:
        yield
    finally:
        _OPINION.reset(token)


def rules_only(_text: str, candidates: Sequence[Candidate], _refuted: Collection[str] = ()) -> Assessment:
    """An opinion that changes nothing: the rules' verdict as if the learned rule were absent."""
    return unconsulted(candidates, "the rules' verdict asked for")
