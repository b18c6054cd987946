"""The present judges the past on the pod door: `diagnose pod` of a pod that is Running and ready
since after its failures were last seen answers what it failed of, never high, and says it is
history; a pod of the same recording that failed and runs no more stays sure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
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


def _without_deployments(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """ingress-wrong-port without the Deployments' table: the recording's moment is then its
    newest date, a second after payments got ready again."""
    folder = tmp_path / "outputs"
    shutil.copytree(FAMILY.recorded / "ingress-wrong-port" / "outputs", folder)
    (folder / "get-deployments.txt").unlink()
    case = json.loads((FAMILY.recorded / "ingress-wrong-port" / "case.json").read_text())
    return folder, case


def test_a_pod_ready_since_its_failures_is_not_said_high_before_it_can_be_called_over(
    tmp_path: Path,
) -> None:
    # without the Deployments' table the recording's moment is its newest date, a second after
    # payments got ready again: too soon to call its liveness failure over, yet it is past it
    # now, so it is never said high and never above the route that fails now
    folder, case = _without_deployments(tmp_path)
    result = kubemedic(
        "diagnose", "namespace", "market", "--symptom", case["symptom"],
        "--from-outputs", str(folder), "--json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    suspects = json.loads(result.stdout)["suspects"]
    first = suspects[0]
    assert (first["object"], first["id"]) == ("ingress/shop", "route-backend-port-mismatch")
    [payments] = [s for s in suspects if s["object"] == "service/payments"]
    assert payments["confidence"] != "high", payments
    assert any("too soon to call them over" in why for why in payments["why"]), payments["why"]


def test_the_pod_door_says_the_same_of_that_pod(tmp_path: Path) -> None:
    folder, _ = _without_deployments(tmp_path)
    result = kubemedic(
        "diagnose", "pod", "market/payments-57d989b985-qxjmj", "--from-outputs", str(folder),
        "--json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["matches"][0]["id"] == "liveness-probe-failed", answer["matches"]
    assert all(match["confidence"] != "high" for match in answer["matches"]), answer["matches"]
    assert any("too soon to call them over" in note for note in answer["notes"]), answer["notes"]
