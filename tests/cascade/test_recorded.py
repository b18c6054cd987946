"""The cascade app's faults as recorded on the real node, diagnosed offline at the recording's own time.

Each fault of tests/cascade/faults.py has a folder under tests/cascade/recorded/ (written by
`python -m bench.cascade live --record`): the kubectl outputs a person would attach, the
users' symptom and the caller's pod. kubemedic reads it with `--from-outputs` as it reads a
live cluster; what it names first is asserted for the questions tests/cascade/expected.py
lists as answered right today (the rest are scored by `python -m bench.cascade recorded`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cascade.asking import ask
from tests.cascade.expected import RECORDED
from tests.cascade.faults import FAULTS, Fault
from tests.cascade.record import COMMANDS as RECORDED_COMMANDS
from tests.cascade.record import RECORDED as FOLDERS

BY_NAME = {fault.name: fault for fault in FAULTS}
ASKED = [
    (name, command, level) for name, found in RECORDED.items() for command, level in found.items()
]


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_each_fault_is_recorded_as_a_person_attaches_it(fault: Fault) -> None:
    folder = FOLDERS / fault.name
    case = json.loads((folder / "case.json").read_text())
    assert case["fault"] == fault.name and case["symptom"] and case["caller_pod"]
    outputs = {path.name: path.read_text() for path in (folder / "outputs").iterdir()}
    for name, command in RECORDED_COMMANDS:
        assert outputs[f"{name}.txt"].startswith(f"$ kubectl {command} -n "), name
    logs = [
        text for name, text in outputs.items() if name.startswith(f"logs-{case['caller_pod']}-")
    ]
    assert logs, f"no log of the caller's pod {case['caller_pod']}"
    if fault.action == "delay":  # the alerts a latency rule fired on what the tiers measured
        alerts = json.loads(outputs["alerts.txt"].split("\n", 1)[1])
        assert {a["labels"]["service"] for a in alerts} >= {"web", "api", "catalog"}


@pytest.mark.parametrize(("name", "command", "level"), ASKED, ids=[f"{n}-{c}" for n, c, _ in ASKED])
def test_the_culprit_comes_first_at_the_recording_s_own_time(
    name: str, command: str, level: str, tmp_path: Path
) -> None:
    fault, folder = BY_NAME[name], FOLDERS / name
    case = json.loads((folder / "case.json").read_text())
    source = ["--from-outputs", str(folder / "outputs")]
    answer = ask(
        command,
        fault,
        case["symptom"],
        case["caller_pod"],
        source=source,
        env={"HOME": str(tmp_path)},
    )
    want = (fault.culprit, fault.entry) if level == "cause" else (fault.culprit,)
    assert (answer.object, answer.entry)[: len(want)] == want, (answer.shown(), answer.ranked)


def test_without_the_pod_list_the_callers_address_is_not_blamed(tmp_path: Path) -> None:
    """Open world: with no `get pods` (nor `describe pods`) attached, a workload running as
    `postgres` could exist unseen, so api's DB_HOST=postgres is no confident suspect."""
    fault, folder = BY_NAME["api-unknown-db-host"], FOLDERS / "api-unknown-db-host"
    case = json.loads((folder / "case.json").read_text())
    outputs = tmp_path / "outputs"
    shutil.copytree(folder / "outputs", outputs)
    for shown in ("get-pods.txt", "describe-pods.txt"):
        (outputs / shown).unlink()
    answer = ask(
        "namespace",
        fault,
        case["symptom"],
        case["caller_pod"],
        source=["--from-outputs", str(outputs)],
        env={"HOME": str(tmp_path)},
    )
    assert not answer.error
    assert not (answer.object == fault.culprit and answer.confidence in ("medium", "high")), (
        answer.ranked
    )
