"""Each app family's faults as recorded on the real node, diagnosed offline at the recording's own time.

Each fault of a family (tests/cascade/faults.py, tests/market/faults.py) has a folder under its
`recorded/` (written by `python -m bench.cascade live --app FAMILY --record`): the kubectl
outputs a person would attach, the users' symptom and the caller's pod. kubemedic reads it with
`--from-outputs` as it reads a live cluster; what it names first is asserted for the questions
the family's `expected.py` lists as answered right today (the rest are scored by
`python -m bench.cascade recorded --app FAMILY`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from intents.matcher import Matcher
from tests.cascade.asking import ask, ask_recorded, rendered
from tests.cascade.families import DESCRIBED, FAMILIES, RECORDED
from tests.cascade.family import Family, Fault
from tests.cascade.renaming import RENAMES, rename_text, renamed, renamed_fault

RECORDINGS = [(family, fault) for family in FAMILIES.values() for fault in family.faults]
ASKED = [
    (family, name, command, level)
    for family, found in RECORDED.items()
    for name, commands in found.items()
    for command, level in commands.items()
]
WITHOUT_YAML = [
    (family, name, command, level)
    for family, found in DESCRIBED.items()
    for name, commands in found.items()
    for command, level in commands.items()
]


@pytest.mark.parametrize(
    ("family", "fault"), RECORDINGS, ids=[f"{a.name}-{f.name}" for a, f in RECORDINGS]
)
def test_each_fault_is_recorded_as_a_person_attaches_it(family: Family, fault: Fault) -> None:
    folder = family.recorded / fault.name
    case = json.loads((folder / "case.json").read_text())
    assert case["fault"] == fault.name and case["symptom"] and case["caller_pod"]
    outputs = {path.name: path.read_text() for path in (folder / "outputs").iterdir()}
    for name, command in family.commands:
        assert outputs[f"{name}.txt"].startswith(f"$ kubectl {command} -n "), name
    caller = case["caller_pod"].rpartition("/")[2]
    logs = [text for name, text in outputs.items() if name.startswith(f"logs-{caller}-")]
    assert logs, f"no log of the caller's pod {case['caller_pod']}"
    if fault.action == "delay":  # the alerts a latency rule fired on what the tiers measured
        alerts = json.loads(outputs["alerts.txt"].split("\n", 1)[1])
        fired = {a["labels"].get("service") for a in alerts}
        assert fired >= {fault.symptom_service, fault.culprit.partition("/")[2]}


@pytest.mark.parametrize(
    ("family", "name", "command", "level"), ASKED, ids=[f"{a}-{n}-{c}" for a, n, c, _ in ASKED]
)
def test_the_culprit_comes_first_at_the_recording_s_own_time(
    family: str, name: str, command: str, level: str, tmp_path: Path
) -> None:
    app = FAMILIES[family]
    fault, folder = app.fault(name), app.recorded / name
    case = json.loads((folder / "case.json").read_text())
    answer = ask_recorded(command, fault, folder, case, tmp_path)
    want = (fault.culprit, fault.entry) if level == "cause" else (fault.culprit,)
    assert (answer.object, answer.entry)[: len(want)] == want, (answer.shown(), answer.ranked)


@pytest.mark.parametrize(
    ("family", "name", "command", "level"),
    WITHOUT_YAML,
    ids=[f"{a}-{n}-{c}" for a, n, c, _ in WITHOUT_YAML],
)
def test_the_culprit_comes_first_from_tables_describe_and_logs_alone(
    family: str, name: str, command: str, level: str, tmp_path: Path
) -> None:
    """A ticket without `-o yaml`: routes from `describe ingress`, calls from a proxy's upstream
    addresses, and what a workload calls through a ConfigMap the ticket lacks is unknown, not
    absent (docs/suspects.md)."""
    app = FAMILIES[family]
    fault = app.fault(name)
    folder = rendered(app.recorded / name, True, tmp_path / "rendered")
    case = json.loads((folder / "case.json").read_text())
    answer = ask_recorded(command, fault, folder, case, tmp_path)
    want = (fault.culprit, fault.entry) if level == "cause" else (fault.culprit,)
    assert (answer.object, answer.entry)[: len(want)] == want, (answer.shown(), answer.ranked)


def test_without_the_pod_list_the_callers_address_is_not_blamed(tmp_path: Path) -> None:
    """Open world: with no `get pods` (nor `describe pods`) attached, a workload running as
    `postgres` could exist unseen, so api's DB_HOST=postgres is no confident suspect."""
    cascade = FAMILIES["cascade"]
    fault, folder = cascade.fault("api-unknown-db-host"), cascade.recorded / "api-unknown-db-host"
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
        namespace=case["namespace"],
        source=["--from-outputs", str(outputs)],
        env={"HOME": str(tmp_path)},
    )
    assert not answer.error
    assert not (answer.object == fault.culprit and answer.confidence in ("medium", "high")), (
        answer.ranked
    )


@pytest.mark.parametrize("family", list(FAMILIES.values()), ids=list(FAMILIES))
def test_every_fault_is_labelled_with_an_entry_the_catalog_has(
    family: Family, matcher: Matcher
) -> None:
    # a label the catalog never had can never be answered right: the score would hide it
    ids = {entry.id for entry in matcher.index.entries}
    assert [f.entry for f in family.faults if f.entry not in ids] == []


RENAMED = [(f, n, c, lv) for f, n, c, lv in ASKED if f in RENAMES and f != "ledger"]


@pytest.mark.parametrize(
    ("family", "name", "command", "level"), RENAMED, ids=[f"{a}-{n}-{c}" for a, n, c, _ in RENAMED]
)
def test_the_culprit_comes_first_whatever_the_tiers_are_called(
    family: str, name: str, command: str, level: str, tmp_path: Path
) -> None:
    """The same recording with every tier renamed (tests/cascade/renaming.py): no rule leans on
    what a team calls its services."""
    app, names = FAMILIES[family], RENAMES[family]
    folder = renamed(app.recorded / name, names, tmp_path / "renamed")
    fault = renamed_fault(app.fault(name), names)
    case = json.loads((folder / "case.json").read_text())
    outputs = [path.read_text() for path in (folder / "outputs").iterdir()]
    assert all(rename_text(text, names) == text for text in outputs), "a tier kept its name"
    answer = ask_recorded(command, fault, folder, case, tmp_path)
    want = (fault.culprit, fault.entry) if level == "cause" else (fault.culprit,)
    assert (answer.object, answer.entry)[: len(want)] == want, (answer.shown(), answer.ranked)
