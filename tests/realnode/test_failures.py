"""Every common failure, made for real on the node and diagnosed by `kubemedic diagnose`.

Each scenario (tests/realnode/scenarios.py) was applied when the tier started;
each test waits until its failure has really happened, then runs the installed
console script as the bot's own ServiceAccount (deploy/'s rendered read-only
role, a TokenRequest token) and checks that the diagnosis names the right catalog
entry, confirmed, quoting what the kubelet, scheduler or controllers really wrote.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.realnode.scenarios import SCENARIOS, Scenario, pods
from tests.realserver.api import Api
from tests.realserver.conftest import CLI, Identities


def wait_visible(admin: Api, scenario: Scenario, namespace: str) -> None:
    deadline = time.monotonic() + scenario.timeout
    while not scenario.visible(admin, namespace):
        if time.monotonic() > deadline:
            states = [p.get("status") for p in pods(admin, namespace)]
            raise AssertionError(
                f"{scenario.name}: not visible after {scenario.timeout:.0f} s: {states}"
            )
        time.sleep(0.25)


def assert_no_overcome_mount_failure(body: dict[str, Any], scenario: Scenario) -> None:
    """A busy kubelet records FailedMount ('failed to sync secret cache: timed out waiting
    for the condition') for the token volume of pods that then run: not a problem to name."""
    if scenario.entry != "volume-mount-failed":
        named = [
            body.get("answer"),
            *body.get("answers", []),
            *(m["id"] for m in body["matches"] if m["confirmed"]),
        ]
        assert "volume-mount-failed" not in named, body["matches"]


def evidence_of(body: dict[str, Any], entry: str) -> list[str]:
    """The evidence lines of the match naming `entry` (in a pod's or a namespace's diagnosis)."""
    found: list[str] = []
    for match in body.get("matches", []):
        if match.get("id") == entry:
            found += match.get("evidence", [])
    for row in body.get("pods", []):
        if row.get("cause") == entry:
            found += row.get("evidence", [])
    return found


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_a_real_failure_is_diagnosed_from_live_evidence(
    scenario: Scenario, incidents: dict[str, str], admin: Api, identities: Identities, cli: CLI
) -> None:
    namespace = incidents[scenario.name]
    wait_visible(admin, scenario, namespace)
    if scenario.scope == "pod":
        pod = pods(admin, namespace)[-1]["metadata"]["name"]
        result = cli(identities.read, "diagnose", "pod", f"{namespace}/{pod}", "--json")
    else:
        result = cli(identities.read, "diagnose", "namespace", namespace, "--json")
    assert result.code == 0, result.stderr
    body = result.json()
    print(result.stdout)
    assert body["answer"] == scenario.entry, body
    top = body["matches"][0]
    assert top["confirmed"] is True and top["confidence"] in ("high", "medium"), top
    assert body["gaps"] == [], body["gaps"]
    assert_no_overcome_mount_failure(body, scenario)
    evidence = evidence_of(body, scenario.entry)
    for fact in scenario.facts:
        assert any(fact in line for line in evidence), (fact, evidence)
    for entry, facts in scenario.also.items():
        evidence = evidence_of(body, entry)
        for fact in facts:
            assert any(fact in line for line in evidence), (entry, fact, body["matches"])
