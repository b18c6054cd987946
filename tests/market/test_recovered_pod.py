"""The present judges the past on the pod door: `diagnose pod` of a pod that is Running and ready
since after its failures were last seen answers what it failed of, never high, and says it is
history; a pod of the same recording that failed and runs no more stays sure."""

from __future__ import annotations

import json
from typing import Any

from tests.cli.runner import kubemedic
from tests.market.faults import MARKET as FAMILY

OUTPUTS = FAMILY.recorded / "inventory-delay" / "outputs"
RECOVERED = "market/payments-57d989b985-889hs"
"""Restarted once while cluster DNS was down (an earlier fault), Running and ready since."""
ENDED = "market/db-backup-29929110-6p74g"
"""The nightly backup's pod: Failed, its container terminated with an error."""


def _diagnosed(pod: str) -> dict[str, Any]:
    result = kubemedic("diagnose", "pod", pod, "--from-outputs", str(OUTPUTS), "--json")
    assert result.code == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def test_a_pod_ready_since_its_failures_is_history_never_high() -> None:
    answer = _diagnosed(RECOVERED)
    assert any(
        note.startswith(f"history: pod {RECOVERED.split('/')[1]} is Running and ready since")
        for note in answer["notes"]
    ), answer["notes"]
    assert answer["matches"] and answer["matches"][0]["id"] == "dns-resolution-failure"
    assert all(match["confidence"] != "high" for match in answer["matches"]), answer["matches"]


def test_a_pod_that_failed_and_runs_no_more_is_not_called_recovered() -> None:
    answer = _diagnosed(ENDED)
    assert not any(note.startswith("history:") for note in answer["notes"]), answer["notes"]
    assert answer["matches"][0]["confidence"] == "high", answer["matches"]


def test_a_namespace_lists_the_pods_failing_now_before_the_recovered() -> None:
    result = kubemedic("diagnose", "namespace", "market", "--from-outputs", str(OUTPUTS), "--json")
    assert result.code == 0, result.stderr
    rows = json.loads(result.stdout)["pods"]
    recovered = [row["pod"] for row in rows if row["history"]]
    assert RECOVERED in recovered and ENDED not in recovered
    assert [bool(row["history"]) for row in rows] == sorted(bool(row["history"]) for row in rows)
    shown = kubemedic("diagnose", "namespace", "market", "--from-outputs", str(OUTPUTS)).stdout
    assert "are unhealthy (2 of them recovered since, listed last)" in shown, shown[:400]
    [line] = [line for line in shown.splitlines() if line.startswith(RECOVERED)]
    assert "recovered" in line and "(high)" not in line, line
