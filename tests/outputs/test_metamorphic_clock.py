"""Metamorphic: the same recording diagnosed at its own time, a day later and a year later gives
the same suspects (one clock, issue 73).

Over Cloud-OpsBench's development half (both renderings: the tool cache and raw_data), each
case is walked as `diagnose namespace --from-outputs` reads it: at the moment it says it was
recorded, with `--at` that moment given, and with the wall clock (KUBEMEDIC_NOW, injected
through the settings) a day and a year after it. The suspects must be the same, every field.
The fast tier runs a sample; the `corpus` tier every fifth case in CI, the whole half with
KUBEMEDIC_FULL_CORPUS=1.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bench.opsbench import default_data, load_cases
from bench.opsbench_localise import suspects_of
from bench.opsbench_renderings import rendered, write
from tests.tiers import WHOLE_CORPUS_SKIP, corpus_share, whole_corpus

SAMPLE = 4
CI_EVERY = 5
"""CI reads every fifth development case (about 45 of 224); KUBEMEDIC_FULL_CORPUS=1 reads them all."""
LATER = {"a day later": timedelta(days=1), "a year later": timedelta(days=365)}


@pytest.fixture(scope="module")
def cases() -> list[Any]:
    root = default_data()
    if not (root / "benchmark").is_dir():
        pytest.skip(f"Cloud-OpsBench is not at {root} (git clone it there)")
    found = [case for case in load_cases(root) if case.half == "dev"]
    random.Random(73).shuffle(found)
    return found


def _differences(case: Any, rendering: str, tmp_path: Path) -> list[str]:
    from bot.cluster.outputs import OutputsReader
    from bot.knowledge import load_knowledge
    from bot.settings import Settings

    settings = Settings()
    knowledge = load_knowledge(settings)
    folder = tmp_path / f"{case.name.replace('/', '-')}-{rendering}"
    write(rendered(case, rendering, default_data()), folder)
    recorded = OutputsReader(folder).as_of()
    base = suspects_of(case, folder, knowledge, settings)
    runs = {
        "--at its own time": suspects_of(
            case, folder, knowledge, settings, ("--at", recorded.isoformat())
        )
    }
    for name, later in LATER.items():
        moved = settings.model_copy(update={"now": recorded + later})
        runs[name] = suspects_of(case, folder, knowledge, moved)
    return [
        f"{case.name} {rendering} {name}: {base[:1]} -> {got[:1]}"
        for name, got in runs.items()
        if got != base
    ]


@pytest.mark.parametrize("rendering", ["cache", "raw"])
def test_a_sample_gets_the_same_suspects_on_any_later_day(
    cases: list[Any], tmp_path: Path, rendering: str
) -> None:
    if whole_corpus():
        pytest.skip("the whole development half runs instead (the corpus tier)")
    found = [d for case in cases[:SAMPLE] for d in _differences(case, rendering, tmp_path)]
    assert found == []


@pytest.mark.corpus
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("rendering", ["cache", "raw"])
def test_the_development_half_gets_the_same_suspects_on_any_later_day(
    cases: list[Any], tmp_path: Path, rendering: str
) -> None:
    if not whole_corpus():
        pytest.skip(WHOLE_CORPUS_SKIP)
    found = [
        d for case in corpus_share(cases, CI_EVERY) for d in _differences(case, rendering, tmp_path)
    ]
    assert found == []
