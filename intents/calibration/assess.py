"""Ask the learned decision about the rules' candidates.

`assess(question)` reads the paste's words with the shipped text model
(intents.calibration.model) and returns the verdict of intents.calibration.decision under the
decision stored with the model. The decision's `learned` rule asks through `second_opinion`,
which a bench or a test may point elsewhere (`consulting`): at another model, or at nothing,
to see the rules' own verdict. `stale_ids` names the candidates whose catalog text changed since
the model was trained: the decision abstains for them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from intents.calibration.decision import Decision, Question, Verdict, decide, rules_verdict
from intents.calibration.features import Candidate
from intents.calibration.fingerprint import entry_digest
from intents.calibration.model import ModelError, TextModel, shipped_model
from intents.calibration.text import model_text, terms
from intents.schema import CatalogEntry

Opinion = Callable[[Question], Verdict]
"""Anything that gives a verdict on a paste's candidates (`assess` in the product)."""


def read_text(text: str, candidates: Collection[Candidate], model: TextModel) -> dict[str, float]:
    """The text model's probability of every class for the paste and its candidates' lines."""
    lines = [
        line for candidate in sorted(candidates, key=lambda c: c.rank) for line in candidate.lines
    ]
    return model.probabilities(terms(model_text(text, lines, model.reading)))


_DECISIONS: dict[int, tuple[TextModel, Decision]] = {}


def decision_of(model: TextModel) -> Decision:
    """The decision stored with the model, read once (ModelError when it has none)."""
    known = _DECISIONS.get(id(model))
    if known is not None and known[0] is model:
        return known[1]
    try:
        decision = Decision.from_json(model.meta["decision"])
    except (KeyError, TypeError) as error:
        raise ModelError(f"the model holds no learned decision ({error}): retrain it") from error
    _DECISIONS[id(model)] = (model, decision)
    return decision


def assess(question: Question, model: TextModel | None = None) -> Verdict:
    """The learned decision's verdict on the rules' candidates for one paste (the shipped model
    unless one is given). A model that cannot be read changes nothing and says why."""
    try:
        model = model if model is not None else shipped_model()
        decision = decision_of(model)
    except ModelError as error:
        return rules_verdict(question.candidates, str(error))
    return decide(question, read_text(question.text, question.candidates, model), decision)


def stale_ids(entries: Mapping[str, CatalogEntry], ids: Collection[str]) -> frozenset[str]:
    """Of `ids`, those whose catalog text differs from what the shipped model was trained on (an
    entry edited or added since): the decision abstains for them. None when no model ships."""
    try:
        trained = shipped_model().meta["fingerprint"]["entries"]
    except (ModelError, KeyError, TypeError):
        return frozenset()
    return frozenset(i for i in ids if i in entries and trained.get(i) != entry_digest(entries[i]))


_OPINION: ContextVar[Opinion] = ContextVar("learned_opinion", default=assess)


def second_opinion(question: Question) -> Verdict:
    """The verdict of the opinion in force (the shipped model's, unless `consulting` says)."""
    return _OPINION.get()(question)


@contextmanager
def consulting(opinion: Opinion) -> Iterator[None]:
    """Within the block, the learned rule asks `opinion` (e.g. `rules_only` for the rules'
    own verdict, or another model)."""
    token = _OPINION.set(opinion)
    try:
        yield
    finally:
        _OPINION.reset(token)


def rules_only(question: Question) -> Verdict:
    """An opinion that changes nothing: the rules' verdict as if the learned rule were absent."""
    return rules_verdict(question.candidates, "the rules' verdict asked for")
