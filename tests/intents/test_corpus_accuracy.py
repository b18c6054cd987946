"""Matching quality on the labelled corpus of real pastes (tests/corpus/).

The thresholds are the product's promise: top-1 >= 0.90, top-3 >= 0.97, and
at most 5% of chat / non-Kubernetes errors get a high or medium answer (the
bot must stay quiet on those).  On failure the confusion list is printed.
"""

from __future__ import annotations

from intents.loader import LoadedCatalog
from intents.matcher import Matcher
from tests.corpus_cases import multi_cases, negative_cases, positive_cases, read_case

MIN_TOP1 = 0.90
MIN_TOP3 = 0.97
MAX_NEGATIVE_ANSWERS = 0.05


def test_corpus_is_big_and_labelled_with_real_ids(builtin_catalog: LoadedCatalog) -> None:
    cases = positive_cases()
    labels = {label for _path, label in cases}
    multi_labels = {label for _path, ids in multi_cases() for label in ids}
    assert len(cases) >= 120
    assert len(negative_cases()) >= 30
    assert labels | multi_labels <= set(builtin_catalog.entries), "corpus labels unknown ids"
    missing = set(builtin_catalog.entries) - labels
    assert not missing, f"catalog ids with no corpus case: {sorted(missing)}"


def test_top1_and_top3_accuracy(matcher: Matcher) -> None:
    cases = positive_cases()
    confusions = []
    top1 = top3 = 0
    for path, expected in cases:
        matches = matcher.match(read_case(path), top=3)
        ids = [match.id for match in matches]
        answered = bool(matches) and matches[0].confidence != "low"
        if ids[:1] == [expected] and answered:
            top1 += 1
        else:
            got = ", ".join(f"{m.id} {m.score:.2f} {m.confidence}" for m in matches) or "nothing"
            confusions.append(f"{path.parent.name}/{path.name}: got [{got}]")
        top3 += expected in ids
    report = "\n".join(confusions)
    print(f"top-1 {top1}/{len(cases)}  top-3 {top3}/{len(cases)}\n{report}")
    assert top1 / len(cases) >= MIN_TOP1, f"top-1 {top1}/{len(cases)}; confusions:\n{report}"
    assert top3 / len(cases) >= MIN_TOP3, f"top-3 {top3}/{len(cases)}; confusions:\n{report}"


def test_pastes_with_two_problems_return_both(matcher: Matcher) -> None:
    failures = []
    for path, expected in multi_cases():
        ids = [match.id for match in matcher.match(read_case(path), top=3)]
        if not set(expected) <= set(ids):
            failures.append(f"{path.name}: expected {expected}, got {ids}")
    assert len(multi_cases()) >= 5
    assert not failures, "\n".join(failures)


def test_chat_and_foreign_errors_stay_quiet(matcher: Matcher) -> None:
    loud = []
    for path in negative_cases():
        matches = matcher.match(read_case(path), top=1)
        if matches and matches[0].confidence != "low":
            loud.append(f"{path.name}: {matches[0].id} {matches[0].score:.2f} {matches[0].confidence}")
    rate = len(loud) / len(negative_cases())
    print(f"negatives answered: {len(loud)}/{len(negative_cases())}\n" + "\n".join(loud))
    assert rate <= MAX_NEGATIVE_ANSWERS, "negatives answered:\n" + "\n".join(loud)
