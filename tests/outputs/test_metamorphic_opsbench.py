"""Metamorphic checks over Cloud-OpsBench's development half: how a ticket's outputs arrive must
not change the walk's answer (issue 66).

Renaming the namespace, reordering the files, kubectl's short names, shell prompts and one file
for all change nothing (the first suspect and every medium or high one are the same); removing
one output may only weaken the answer (no new medium or high suspect); a healthy Deployment,
pod and Service added leave the first suspect alone. Both renderings are checked: the tool
cache and raw_data. Only development cases are read (tests/outputs/metamorphic.py says how each
transformation is made); the benchmark is read from /tmp/opsbench (skipped where it is not).

The fast tier runs a fixed sample; CI's `corpus` tier every CI_EVERY-th case (the whole half is
an hour of CPU on 2 cores); KUBEMEDIC_FULL_CORPUS=1 the whole development half."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bench.opsbench import default_data, load_cases
from bench.opsbench_renderings import rendered
from tests.outputs import metamorphic as m
from tests.tiers import WHOLE_CORPUS_SKIP, corpus_share, whole_corpus

SAMPLE = 3
CI_EVERY = 8
REMOVED_PER_CASE = 2
RENAMED = "zzshop"
Suspects = list[tuple[str, str, str]]
Run = Callable[[str, Path, str], list[dict[str, Any]]]


@pytest.fixture(scope="session")
def dev_cases() -> list[Any]:
    """The development half, loaded once per session (seeded order)."""
    root = default_data()
    if not (root / "benchmark").is_dir():
        pytest.skip(f"Cloud-OpsBench is not at {root} (git clone it there)")
    cases = [case for case in load_cases(root) if case.half == "dev"]
    random.Random(66).shuffle(cases)
    return cases


@pytest.fixture(scope="session")
def run() -> Run:
    """`diagnose namespace NS --from-outputs DIR --symptom TEXT --json`'s suspects."""
    from bench.opsbench_localise import suspects_of
    from bot.knowledge import load_knowledge
    from bot.settings import Settings

    settings = Settings()
    knowledge = load_knowledge(settings)

    def suspects(namespace: str, folder: Path, symptom: str) -> list[dict[str, Any]]:
        case = SimpleNamespace(namespace=namespace, query=symptom)
        found: list[dict[str, Any]] = suspects_of(case, folder, knowledge, settings)
        return found

    return suspects


def _same(base: Suspects, got: Suspects, namespace: str) -> bool:
    back = [(o.replace(f"namespace/{RENAMED}", f"namespace/{namespace}"), i, c) for o, i, c in got]
    return back[:1] == base[:1] and m.stated(back) == m.stated(base)


def _violations(case: Any, rendering: str, folder: Path, run: Run) -> list[str]:
    files, namespace = rendered(case, rendering, default_data()), case.namespace

    def answer(changed: m.Files, where: str = namespace) -> Suspects:
        return m.answer(changed, where, case.query, folder, run)

    base, found = answer(files), []
    unchanged = {
        "renamed": (m.renamed_namespace(files, namespace, RENAMED), RENAMED),
        "reordered": (m.reordered(files, case.name), namespace),
        "aliased": (m.aliased(files), namespace),
        "prompted": (m.prompted(files), namespace),
        "concatenated": (m.concatenated(files), namespace),
    }
    for name, (changed, where) in unchanged.items():
        if not _same(base, got := answer(changed, where), namespace):
            found.append(f"{case.name} {rendering} {name}: {base[:2]} -> {got[:2]}")
    if (added := answer(m.with_healthy_app(files, namespace)))[:1] != base[:1]:
        found.append(f"{case.name} {rendering} healthy app added: {base[:1]} -> {added[:1]}")
    for number in random.Random(case.name).sample(range(len(files)), REMOVED_PER_CASE):
        new = m.stated(answer(m.without(files, number))) - m.stated(base)
        if new:
            found.append(f"{case.name} {rendering} without {files[number][0]}: adds {new}")
    return found


@pytest.mark.parametrize("rendering", ["cache", "raw"])
def test_a_sample_keeps_its_answer_however_the_outputs_arrive(
    dev_cases: list[Any], run: Run, tmp_path: Path, rendering: str
) -> None:
    if whole_corpus():
        pytest.skip("the whole development half runs instead (the corpus tier)")
    found = [v for case in dev_cases[:SAMPLE] for v in _violations(case, rendering, tmp_path, run)]
    assert found == []


@pytest.mark.corpus
@pytest.mark.timeout(1800)  # 28 of the 224 cases x 9 readings: about 4 minutes of CPU
@pytest.mark.parametrize("rendering", ["cache", "raw"])
def test_the_development_half_keeps_its_answers_however_the_outputs_arrive(
    dev_cases: list[Any], run: Run, tmp_path: Path, rendering: str
) -> None:
    if not whole_corpus():
        pytest.skip(WHOLE_CORPUS_SKIP)
    cases = corpus_share(dev_cases, CI_EVERY)
    found = [v for case in cases for v in _violations(case, rendering, tmp_path, run)]
    known = [v for v in found if v.split(":", 1)[0] in KNOWN_VIOLATIONS]
    assert [v for v in found if v not in known] == []
    read = {case.name for case in cases}
    fixed = {k for k in KNOWN_VIOLATIONS if k.split(" ", 1)[0] in read} - {
        v.split(":", 1)[0] for v in found
    }
    assert not {k for k in fixed if f" {rendering} " in k}, (
        f"fixed: remove from KNOWN_VIOLATIONS: {fixed}"
    )


KNOWN_VIOLATIONS = (
    # a Pending pod whose describe is removed, its events read from the namespace listing as
    # complete: "no scheduler acted" is stated (medium) where the pod's own events were lost
    "scheduling/134 cache without 0040-DescribeResource.txt",
    # the outputs in another order: the Service's second cause is the quota, not its account
    "admission/17 raw reordered",
)
"""Violations found after the round's merges and not fixed yet (only ever shrinks; each is a
defect: see the CHANGELOG's 2026-11-27 second round)."""
