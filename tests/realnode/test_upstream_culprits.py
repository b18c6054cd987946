"""The cascade app on the real node: each fault's culprit is deeper than the Service its users see fail.

The app (tests/cascade/app.py: load -> web -> api -> catalog, billing -> db) runs in one
namespace; its faults (tests/cascade/faults.py) are made one after another, each undone and the
app serving again before the next, so each fault's events are the next one's history. For each
fault, once it really shows, kubemedic is asked three ways as deploy/'s read-only role
(tests/cascade/asking.py): `diagnose namespace` with the users' symptom, `diagnose service` on
the Service the symptom names (web), `diagnose pod` on the culprit's caller's pod. What each
names first is printed; it is asserted for the questions tests/cascade/expected.py lists as
answered right today (the others are scored by `python -m bench.cascade live`, not asserted).
The untouched app gets no suspect. The module runs after test_shop.py (the node is quieter), and
its cluster DNS fault is given back even when a test stops half-way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cascade.asking import COMMANDS, Answer, ask_live
from tests.cascade.expected import LIVE
from tests.cascade.family import Fault
from tests.cascade.faults import CASCADE, FAULTS
from tests.cascade.sequence import CascadeRun
from tests.realnode.node import RealNode
from tests.realserver.api import Api
from tests.realserver.conftest import Identities


@pytest.fixture(scope="module")
def cascade(admin: Api, node: RealNode) -> Iterator[CascadeRun]:
    run = CascadeRun(admin, node.cascade_image, node.host_ip, CASCADE)
    yield run
    run.give_back()
    if node.state.exists():  # (the last test stops the node)
        admin.request("DELETE", f"/api/v1/namespaces/{run.namespace}")


def test_the_untouched_app_serves_its_users_and_gets_no_suspect(
    cascade: CascadeRun, identities: Identities, tmp_path: Path
) -> None:
    cascade.start()  # waits until web answers the users fast, through every tier
    for command in ("namespace", "service"):
        answer = ask_live(command, FAULTS[0], "", "", identities.read.kubeconfig, tmp_path)
        assert answer.error == "" and answer.ranked == (), (command, answer)


def assert_named(fault: Fault, answer: Answer, level: str) -> None:
    want = (fault.culprit, fault.entry) if level == "cause" else (fault.culprit,)
    got = (answer.object, answer.entry)[: len(want)]
    assert got == want, (
        f"{fault.name} / {answer.command}: named {answer.shown()}, want {want}; all: {answer.ranked}"
    )


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_the_culprit_comes_first(
    fault: Fault, cascade: CascadeRun, identities: Identities, tmp_path: Path
) -> None:
    try:
        cascade.make(fault)
        text, pod = cascade.symptom(fault)[0], cascade.caller_pod(fault)
        answers = {
            command: ask_live(command, fault, text, pod, identities.read.kubeconfig, tmp_path)
            for command in COMMANDS
        }
        print(json.dumps({"symptom": text, **{c: a.shown() for c, a in answers.items()}}, indent=1))
        for command, level in LIVE.get(fault.name, {}).items():
            assert_named(fault, answers[command], level)
    finally:
        cascade.undo(fault)  # and the app serves its users again before the next fault
