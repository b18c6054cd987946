"""Adding history never moves the first suspect, and taking an output away never adds one.

Metamorphic checks on the cascade app's recorded faults (tests/cascade/recorded/), whatever
each answers today:

- chronic noise (tests/cascade/noise.py: a pod that failed its probes and restarted minutes
  ago and is Running and ready since, a logging agent logging its own errors, a Job that failed
  yesterday) is added beside the fault: `diagnose namespace`, `service` and `pod` name the
  same first suspect with the same cause;
- an output is taken away (one per fault, in turn, so every kind of output is taken from some
  fault): nothing is stated (medium or high) that was not stated with it; what was not shown
  is unknown, never absent.

The noise check asks three commands twice per fault: the fast tier runs a fixed sample of the
faults, CI all of them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cascade.asking import COMMANDS, Answer, ask
from tests.cascade.family import Fault
from tests.cascade.faults import FAULTS
from tests.cascade.noise import NOISE_PODS, with_noise
from tests.cascade.record import RECORDED
from tests.tiers import whole_corpus

STATED = ("high", "medium")


def _ask(command: str, fault: Fault, folder: Path, home: Path) -> Answer:
    case = json.loads((folder / "case.json").read_text())
    source = ["--from-outputs", str(folder / "outputs")]
    answer = ask(
        command, fault, case["symptom"], case["caller_pod"], source=source, env={"HOME": str(home)}
    )
    assert not answer.error, answer.error
    return answer


NOISY = FAULTS if whole_corpus() else FAULTS[::4]
"""Every fault in CI (or with KUBEMEDIC_FULL_CORPUS=1), a fixed sample in the fast tier."""


@pytest.mark.parametrize("fault", NOISY, ids=[f.name for f in NOISY])
def test_chronic_noise_never_moves_the_first_suspect(fault: Fault, tmp_path: Path) -> None:
    noisy = with_noise(RECORDED / fault.name, tmp_path)
    for command in COMMANDS:
        before = _ask(command, fault, RECORDED / fault.name, tmp_path)
        after = _ask(command, fault, noisy, tmp_path)
        assert (after.object, after.entry) == (before.object, before.entry), (command, after.ranked)
        noise = {pod.split("-")[0] for pod in NOISE_PODS}
        stated = {obj for obj, _id, confidence in after.ranked if confidence in STATED}
        assert not {obj for obj in stated if obj.partition("/")[2] in noise}, after.ranked


@pytest.mark.parametrize("fault", NOISY, ids=[f.name for f in NOISY])
def test_a_noisy_agent_off_the_chain_never_takes_the_lead(fault: Fault, tmp_path: Path) -> None:
    """The logging agent restarted 20 minutes ago and still logs its own errors: a current
    failure, off the chain of what the users see. Where the answer names something, that still
    leads; the agent is never stated."""
    noisy = with_noise(RECORDED / fault.name, tmp_path, agent=20)
    for command in COMMANDS:
        before = _ask(command, fault, RECORDED / fault.name, tmp_path)
        after = _ask(command, fault, noisy, tmp_path)
        if before.object is not None:
            assert (after.object, after.entry) == (before.object, before.entry), after.ranked
        stated = {obj for obj, _id, confidence in after.ranked if confidence in STATED}
        assert not {obj for obj in stated if "log-agent" in obj}, after.ranked


def _stated(answer: Answer) -> set[tuple[str, str]]:
    return {(obj, entry) for obj, entry, confidence in answer.ranked if confidence in STATED}


@pytest.mark.parametrize("at", range(len(FAULTS)), ids=[f.name for f in FAULTS])
def test_an_output_taken_away_adds_no_stated_suspect(at: int, tmp_path: Path) -> None:
    fault = FAULTS[at]
    files = sorted((RECORDED / fault.name / "outputs").iterdir())
    gone = files[at % len(files)].name
    folder = tmp_path / fault.name
    shutil.copytree(RECORDED / fault.name, folder)
    (folder / "outputs" / gone).unlink()
    before = _ask("namespace", fault, RECORDED / fault.name, tmp_path)
    after = _ask("namespace", fault, folder, tmp_path)
    assert _stated(after) <= _stated(before), (gone, after.ranked)
