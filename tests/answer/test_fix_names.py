"""Fix commands in the reader's own names, on every corpus paste of every entry.

For each entry, its fix steps are filled from each labelled paste of that entry
(tests/corpus/cases/<id>/ and the labelled dev half of tests/corpus/real) as
`kubemedic match` fills them. What a paste gives is read here on its own, from the
plain forms Kubernetes prints a name of a kind in (`pvc/data-0`, `pods "web-0"`,
`exceeded quota: compute`, `untolerated taint {team: data}`...), not with the
product's reader. A step fails when the paste gave one value of a kind and its
placeholder stayed, when a value fills the place of another kind (a claim in a
pod's place), or when a filled value appears nowhere in the paste.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from bot.diagnosis.naming import KINDS, Names, named_step
from bot.diagnosis.text_names import names_of_paste
from intents.loaded import LoadedCatalog
from intents.schema import CatalogEntry, FixStep
from tests.corpus_cases import positive_cases, read_case
from tests.real_corpus import load
from tests.tiers import WHOLE_CORPUS_SKIP, whole_corpus

N = r"([a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)"
GIVEN: dict[str, tuple[str, ...]] = {
    "pod": (
        rf"(?<![\w/-])pod/{N}(?![\w/.-])",
        rf'\b[Pp]ods? "{N}"',
        rf"kubectl [^\n|]*\b(?:describe|logs) pod {N}\b",
        rf"\bSuccessfully assigned [a-z0-9-]+/{N} to ",
    ),
    "claim": (
        rf"(?<![\w/-])(?:pvc|persistentvolumeclaim)/{N}(?![\w/.-])",
        rf'(?i)\bpersistentvolumeclaims? "{N}"',
        rf"kubectl [^\n|]*\bdescribe pvc {N}\b",
    ),
    "node": (
        rf"(?<![\w/-])node/{N}(?![\w/.-])",
        rf'\b[Nn]odes? "{N}"',
        rf"kubectl [^\n|]*\bdescribe node {N}\b",
    ),
    "quota": (rf"\bexceeded quota: {N}",),
    "namespace": (
        rf"(?m)^Namespace:\s+{N}\s*$",
        rf"(?:kubectl|helm) [^\n|]* -n {N}\b",
        rf'\bnamespace "{N}"',
    ),
    # the control plane's own taint is never a key an app's toleration is filled with
    "taint-key": (
        r"\buntolerated taint \{(?!node-role\.kubernetes\.io/(?:control-plane|master):)([^{}:\s]+):",
    ),
    "image": (r'\b[Ii]mage "([a-z0-9][a-z0-9._/-]*(?::[\w.-]+)?)"',),
}
"""Kind -> forms whose first group is a value of that kind (the issue's own examples among them)."""
OBJECT_KINDS = ("pod", "claim", "node", "quota")
DERIVED = (
    "registry",
    "repository",
    "memory-limit",
    "memory-peak",
    "taint-value",
    "taint-effect",
    "workload",
    "role",
    "requested-cpu",
    "requested-memory",
    "free-cpu",
    "free-memory",
)
"""Kinds read from a part of another value (an image's host), converted (kB to Mi), built from
several (a Role's name, the Deployment above a ReplicaSet) or computed (requests summed, a
node's room): not quoted as such."""
SAMPLE_EVERY = 5


def given(text: str) -> dict[str, set[str]]:
    """Every value the paste states, by kind, in the forms above."""
    found: dict[str, set[str]] = defaultdict(set)
    for kind, forms in GIVEN.items():
        for form in forms:
            found[kind].update(match.group(1) for match in re.finditer(form, text))
    return found


def placeholders(kind: str) -> tuple[str, ...]:
    return KINDS[kind][0]


def problems(entry: CatalogEntry, text: str, names: Names) -> Iterator[str]:
    """What is wrong with the entry's steps filled from this paste (nothing, when they are right)."""
    stated = given(text)
    steps: list[FixStep] = [named_step(step, names) for step in entry.fix]
    shown = "\n".join(part for step in steps for part in (step.command, step.config) if part)
    for kind, values in stated.items():
        left = [p for p in placeholders(kind) if p in shown]
        if len(values) == 1 and left:
            yield f"the paste gives {kind} {next(iter(values))!r} but {left[0]} stayed"
    for kind, value in names.values.items():
        others = [
            other for other in OBJECT_KINDS if other != kind and value in stated.get(other, ())
        ]
        if kind in OBJECT_KINDS and others and value not in stated.get(kind, ()):
            yield f"{value!r}, a {others[0]} in the paste, fills the place of a {kind}"
        if kind not in DERIVED and value not in text:
            yield f"{kind} {value!r} appears nowhere in the paste"


@cache
def corpus() -> tuple[tuple[str, Path, tuple[str, ...]], ...]:
    """(label, path, entry ids) for every labelled paste: the cases folders, then the dev half."""
    cases = [
        (f"cases/{entry_id}/{path.name}", path, (entry_id,)) for path, entry_id in positive_cases()
    ]
    dev = [
        (f"real/dev/{case.path.name}", case.path, case.expected)
        for case in load("dev")
        if case.klass == "positive"
    ]
    return tuple(cases + dev)


def check(catalog: LoadedCatalog, every: int) -> list[str]:
    found = []
    for number, (label, path, ids) in enumerate(corpus()):
        if number % every:
            continue
        text = read_case(path)
        names = names_of_paste(text)
        for entry_id in ids:
            entry = catalog.entries.get(entry_id)
            if entry is not None:
                found += [
                    f"{label} ({entry_id}): {problem}" for problem in problems(entry, text, names)
                ]
    return found


def test_a_fixed_sample_of_corpus_pastes_fills_every_fix_step_in_its_own_names(
    builtin_catalog: LoadedCatalog,
) -> None:
    wrong = check(builtin_catalog, SAMPLE_EVERY)
    assert wrong == [], "\n".join(wrong[:40])


@pytest.mark.corpus
def test_every_corpus_paste_fills_every_fix_step_of_its_entries_in_its_own_names(
    builtin_catalog: LoadedCatalog,
) -> None:
    if not whole_corpus():
        pytest.skip(WHOLE_CORPUS_SKIP)
    wrong = check(builtin_catalog, 1)
    assert wrong == [], f"{len(wrong)} problems:\n" + "\n".join(wrong[:60])
