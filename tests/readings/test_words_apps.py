"""Products' own lines (TiDB, Prometheus, cert-manager): an entry that needs its product's context.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "waiting for discovery service to return start args ...\n"
            "waiting for discovery service to return start args ...\n"
            "waiting for discovery service to return start args ...\n"
        ),
        answer="pd-waiting-for-discovery",
        why="pds own start script line is tidb context enough",
    ),
    Case(
        (
            '[2024/03/01 10:00:00.000 +00:00] [FATAL] [server.rs:312] ["failed to start node: cluster ID '
            'mismatch, local 71 != remote 93"]\n'
        ),
        answer="tikv-cluster-id-mismatch",
        why="tikvs own start up check needs no tidb word",
    ),
    Case(
        (
            'Two alerts keep firing, "Target disappeared from Prometheus target discovery": '
            "KubeSchedulerDown and KubeControllerManagerDown, on our managed cluster.\n"
        ),
        answer="prometheus-target-down",
        why="a control plane component gone from prometheus discovery",
    ),
    Case(
        (
            "API Version:  cert-manager.io/v1\n"
            "Kind:         Certificate\n"
            "    Message:  The certificate request has failed to complete and will be retried: issuer could "
            "not be found\n"
            "    Reason:   Failed\n"
        ),
        answer="cert-manager-issuer-not-ready",
        why="an issuer that could not be found is the issuer not ready",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_products_own_line_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
