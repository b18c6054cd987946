"""An unsure answer always asks: every labelled paste that gets no answer but has a candidate with
evidence in the paste (a matched line, a confirming fact) offers the first three in "Is it one of
these?" (intents.decision.judgements.offer). An empty offer sends a direct ask to "no confident
match" though the paste pointed somewhere. A paste that only asks how something works is the
exception: it says so and offers nothing (intents.decision.evidence_rules.a_question).

The whole development half takes minutes of CPU, so a fixed sample (every SAMPLE_EVERY-th paste)
runs by default; the `corpus` tier (CI, or KUBEMEDIC_FULL_CORPUS=1) runs every paste."""

from __future__ import annotations

import pytest

from bot.diagnosis.paste import diagnose_paste
from intents.decision.evidence_rules import QUESTION_NOTE
from intents.decision.judgements import has_evidence
from intents.matcher import Matcher
from tests.real_corpus import DEVELOPMENT, RealCase, load
from tests.tiers import WHOLE_CORPUS_SKIP, corpus_share, whole_corpus

SAMPLE_EVERY = 40
CI_EVERY = 4
"""The corpus tier reads every fourth development paste in CI (all with KUBEMEDIC_FULL_CORPUS=1)."""


def _cases() -> list[RealCase]:
    return [case for half in DEVELOPMENT for case in load(half)]


def _empty_offers(matcher: Matcher, cases: list[RealCase]) -> list[str]:
    empty = []
    for case in cases:
        diagnosis = diagnose_paste(matcher, case.text())
        unsure = diagnosis.answer is None and QUESTION_NOTE not in diagnosis.notes
        if unsure and any(has_evidence(f) for f in diagnosis.findings) and not diagnosis.offered:
            empty.append(
                f"{case.half}/{case.path.name}: {[f.match.id for f in diagnosis.findings]}"
            )
    return empty


def test_a_sample_of_unsure_pastes_each_offers_its_candidates(matcher: Matcher) -> None:
    if whole_corpus():
        pytest.skip("the whole corpus runs instead (the corpus tier)")
    sample = _cases()[::SAMPLE_EVERY]
    assert _empty_offers(matcher, sample) == []


@pytest.mark.corpus
@pytest.mark.timeout(1800)  # every development paste: minutes of CPU
def test_every_unsure_paste_offers_its_candidates(matcher: Matcher) -> None:
    if not whole_corpus():
        pytest.skip(WHOLE_CORPUS_SKIP)
    assert _empty_offers(matcher, corpus_share(_cases(), CI_EVERY)) == []
