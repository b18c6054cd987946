"""Lines pasted beside one failing pod are its log (bot/diagnosis/paste_evidence.with_logs); the user's
own sentences about it are not.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json
from tests.readings.cases import Case, check

RESTARTED_POD = (
    "NAME                READY   STATUS    RESTARTS      AGE\n"
    "cluster1-haproxy-0  1/2     Running   2 (76s ago)   7m17s\n"
)

CASES = [
    Case(
        (
            "I can create the cluster without sidecars, but with the exporter sidecar I cannot create pods\n"
            "NAME                READY   STATUS    RESTARTS      AGE\n"
            "cluster1-haproxy-0  1/2     Running   2 (76s ago)   7m17s\n"
        ),
        answer=None,
        why="the user s own sentences are not read as the pod s log",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_lines_beside_a_pod_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


def test_a_log_line_beside_the_pod_is_still_its_log() -> None:
    paste = RESTARTED_POD + "panic: cannot open /data/haproxy.cfg: no such file or directory\n"
    body = match_json(paste)
    crashloop = next(m for m in body["matches"] if m["id"] == "crashloop-backoff")
    assert any("log" in line for line in crashloop["evidence"])
