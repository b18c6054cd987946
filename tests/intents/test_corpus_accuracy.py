"""Answer quality on the labelled corpus of real pastes (tests/corpus/), through the
product's paste path (`diagnose_paste`: kubectl output read as facts, then the matcher),
which is what `kubemedic match` and a pasted Slack message get.

The thresholds are the product's promise, asserted separately:
top-1 >= 0.93 and top-3 >= 0.98 on single-problem pastes; no answer at all
on healthy kubectl output and on chat; at most 3% answered on real
Kubernetes errors the catalog does not cover and on errors from outside
Kubernetes.  On failure the confusions are printed.
`python -m bench.calibrate` prints the same figures with the reliability table.
"""

from __future__ import annotations

import pytest

from bot.diagnosis.paste import diagnose_paste
from intents.loaded import LoadedCatalog
from intents.matcher import Matcher
from tests.corpus_cases import multi_cases, negative_cases, positive_cases
from tests.corpus_eval import CorpusReport, evaluate, ratio

MIN_TOP1 = 0.93
MIN_TOP3 = 0.98
MAX_ANSWERED = {"healthy": 0.0, "chat": 0.0, "out-of-catalog": 0.03, "foreign": 0.05}


@pytest.fixture(scope="module")
def report(matcher: Matcher) -> CorpusReport:
    return evaluate(lambda text: [f.match for f in diagnose_paste(matcher, text, top=3).findings])


def test_corpus_is_big_and_labelled_with_real_ids(builtin_catalog: LoadedCatalog) -> None:
    cases = positive_cases()
    labels = {label for _path, label in cases}
    multi_labels = {label for _path, ids in multi_cases() for label in ids}
    assert len(cases) >= 120
    assert len(negative_cases()) >= 30
    assert labels | multi_labels <= set(builtin_catalog.entries), "corpus labels unknown ids"
    missing = set(builtin_catalog.entries) - labels
    assert not missing, f"catalog ids with no corpus case: {sorted(missing)}"


def test_top1_accuracy(report: CorpusReport) -> None:
    total = len(report.positives)
    confusions = "\n".join(report.confusions())
    print(f"top-1 {ratio(report.top1, total)}\n{confusions}")
    assert report.top1 / total >= MIN_TOP1, (
        f"top-1 {ratio(report.top1, total)}; confusions:\n{confusions}"
    )


def test_top3_accuracy(report: CorpusReport) -> None:
    total = len(report.positives)
    missed = [o.describe() for o in report.positives if o.expected[0] not in o.top3_ids]
    print(f"top-3 {ratio(report.top3, total)}")
    assert report.top3 / total >= MIN_TOP3, (
        f"top-3 {ratio(report.top3, total)}; not in top 3:\n" + "\n".join(missed)
    )


def test_pastes_with_two_problems_return_both(report: CorpusReport) -> None:
    assert len(report.multi) >= 5
    failures = report.multi_failures()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("negative_class", sorted(MAX_ANSWERED))
def test_negatives_stay_quiet(report: CorpusReport, negative_class: str) -> None:
    outcomes = report.negatives[negative_class]
    if not outcomes:
        pytest.skip(f"no {negative_class} pastes in the corpus yet")
    loud = [o.describe() for o in report.answered(negative_class)]
    print(f"{negative_class} answered: {ratio(len(loud), len(outcomes))}\n" + "\n".join(loud))
    assert len(loud) / len(outcomes) <= MAX_ANSWERED[negative_class], (
        f"{negative_class} pastes answered ({ratio(len(loud), len(outcomes))}):\n" + "\n".join(loud)
    )
