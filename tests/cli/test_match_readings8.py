"""Readings of the eighth pass (issue 21), each case written from the component's format, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json

CA_EVENT = "  Normal   NotTriggerScaleUp  2m (x31 over 12m)  cluster-autoscaler  pod didn't trigger scale-up{}: {}\n"
"""cluster-autoscaler's NotTriggerScaleUp (core/scaleup status: the reasons joined per node group)."""


def ca_events(reasons: str, *, older: bool = False) -> str:
    return ("Events:\n  Type     Reason             Age                From                Message\n"
            "  ----     ------             ----               ----                -------\n"
            + CA_EVENT.format(" (it wouldn't fit if a new node is added)" if older else "", reasons))


@pytest.mark.parametrize(("reasons", "answer"), [
    ("2 node(s) had volume node affinity conflict", "pending-volume-node-affinity-conflict"),
    ("2 node(s) didn't match Pod's node affinity/selector", "pending-node-selector-mismatch"),
    ("8 node(s) had taint {capacityType: SPOT}, that the pod didn't tolerate", "pending-untolerated-taint"),
    ("3 Insufficient nvidia.com/gpu", "pending-insufficient-resources"),
])
def test_node_groups_refused_for_a_scheduler_predicate_are_answered_by_that_predicate(reasons: str, answer: str) -> None:
    assert match_json(ca_events(reasons))["answer"] == answer


def test_the_older_wording_with_its_reasons_is_read_the_same() -> None:
    assert match_json(ca_events("4 node(s) didn't match node selector", older=True))["answer"] == \
        "pending-node-selector-mismatch"


@pytest.mark.parametrize("reasons", [
    "1 max node group size reached",
    "12 node(s) didn't match Pod's node affinity/selector, 3 max node group size reached",
    "2 in backoff after failed scale-up",
])
def test_a_refusal_of_the_autoscaler_s_own_stays_the_autoscaler(reasons: str) -> None:
    assert match_json(ca_events(reasons))["answer"] == "cluster-autoscaler-no-scale-up"
