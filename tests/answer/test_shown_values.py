"""No shown fix carries a value absent from its paste, unless it is a named placeholder.

Over the labelled corpus (a fixed sample in the fast tier, every paste in the corpus tier),
each paste is diagnosed as `kubemedic match` diagnoses it, and every fix step of every answer
it gives is compared with the catalog's step it was filled from: each name filled in
(`shown_of`) appears in the paste, or is computed from what does (a Role's name from the
account, verb and resource; a Deployment from its ReplicaSet; amounts converted or summed);
and each value left in a place of the reader's own (intents.fix_values: a namespace, a subject,
a toleration, a request, the object a command acts on) appears in the paste. Anything else
must still be a placeholder, which asks for the value by name.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.diagnosis.naming import shown_of
from bot.diagnosis.paste import diagnose_paste
from intents import fix_values
from intents.loaded import LoadedCatalog
from intents.matcher import Matcher
from intents.schema import CatalogEntry
from tests.answer.test_fix_names import corpus
from tests.corpus_cases import read_case
from tests.tiers import WHOLE_CORPUS_SKIP, corpus_every, whole_corpus

SAMPLE_EVERY = 9
CI_EVERY = 2
"""The corpus tier reads every other paste in CI (all with KUBEMEDIC_FULL_CORPUS=1)."""
COMPUTED = frozenset(
    {
        "memory-limit",
        "memory-peak",
        "requested-cpu",
        "requested-memory",
        "free-cpu",
        "free-memory",
        "taint-effect",
    }
)
"""Amounts converted (kB to Mi), summed or subtracted from the paste's own figures, and a taint's
effect read from a node's `key=value:Effect`."""


def _from_paste(kind: str, value: str, text: str) -> bool:
    """Is `value` (of `kind`) the paste's, or computed from what it shows?"""
    if value in text or kind in COMPUTED:
        return True
    if kind == "workload":  # deployment/NAME from its ReplicaSet NAME-HASH, or pod/NAME
        return value.partition("/")[2] in text
    if kind == "role":  # SERVICEACCOUNT-VERB-RESOURCE
        return all(part in text for part in value.split("-") if part)
    return False


def problems(catalog: CatalogEntry, shown: CatalogEntry, text: str) -> Iterator[str]:
    """What a shown entry carries that the paste did not give."""
    filled = shown_of(catalog, shown).names.values
    for kind, value in filled.items():
        if not _from_paste(kind, value, text):
            yield f"{kind} {value!r} is not in the paste"
    for number, step in enumerate(shown.fix, start=1):
        for part in ("command", "config"):
            found = fix_values.literals(getattr(step, part), part, step.fixed_names)  # type: ignore[arg-type]
            for literal in found:
                # a slot the catalog wrote around a placeholder (`tikv-<pod>`) holds a filled name
                if literal.value not in text and not any(
                    v in literal.value for v in filled.values()
                ):
                    yield f"step {number} {part}: {literal.field} {literal.value!r} from nowhere"


def check(catalog: LoadedCatalog, matcher: Matcher, every: int) -> list[str]:
    found: list[str] = []
    for number, (label, path, _ids) in enumerate(corpus()):
        if number % every:
            continue
        text = read_case(path)
        diagnosis = diagnose_paste(matcher, text)
        for finding in diagnosis.answers:
            entry = catalog.entries[finding.match.id]
            found += [
                f"{label} ({entry.id}): {problem}"
                for problem in problems(entry, finding.match.entry, text)
            ]
    return found


def test_a_fixed_sample_of_answers_shows_only_the_pastes_values_or_placeholders(
    builtin_catalog: LoadedCatalog, matcher: Matcher
) -> None:
    wrong = check(builtin_catalog, matcher, SAMPLE_EVERY)
    assert wrong == [], "\n".join(wrong[:40])


@pytest.mark.corpus
def test_every_answer_of_the_corpus_shows_only_the_pastes_values_or_placeholders(
    builtin_catalog: LoadedCatalog, matcher: Matcher
) -> None:
    if not whole_corpus():
        pytest.skip(WHOLE_CORPUS_SKIP)
    wrong = check(builtin_catalog, matcher, corpus_every(CI_EVERY))
    assert wrong == [], f"{len(wrong)} problems:\n" + "\n".join(wrong[:60])


def test_the_check_finds_a_value_from_nowhere(builtin_catalog: LoadedCatalog) -> None:
    """A shown step holding a namespace the paste never gave is found (it cannot pass vacuously)."""
    from dataclasses import replace

    catalog = builtin_catalog.entries["rbac-forbidden"]
    step = catalog.fix[0]
    shown = replace(
        catalog, fix=[replace(step, command=step.command.replace("<namespace>", "billing"))]
    )  # type: ignore[union-attr]
    text = 'User "system:serviceaccount:ci:deployer" cannot list resource "pods"'
    assert any("'billing'" in problem for problem in problems(catalog, shown, text))
