"""The present judges the past: evidence the recording's current state contradicts is history,
never stated and never first.

The recording (tests/suspects/recordings/superseded-refusal.txt): a Deployment whose first pod
was refused for a ServiceAccount made a moment later (FailedCreate, then SuccessfulCreate), and
whose pod now waits for a scheduler that never acts (no scheduling event at all).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cli.runner import kubemedic_in_process

RECORDING = Path(__file__).with_name("recordings") / "superseded-refusal.txt"
POD = "shop/ads-64ddc5c766-skqvc"


def _suspects(folder: Path) -> list[dict[str, Any]]:
    result = kubemedic_in_process(
        "diagnose", "namespace", "shop", "--from-outputs", str(folder), "--json"
    )
    assert result.code == 0, result.stderr
    found: list[dict[str, Any]] = result.json()["suspects"]
    return found


def _without(tmp_path: Path, word: str) -> Path:
    """The recording without the lines holding `word`."""
    lines = [line for line in RECORDING.read_text().splitlines() if word not in line]
    (tmp_path / "outputs.txt").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_a_refusal_a_later_success_superseded_is_no_cause() -> None:
    # the scheduler that never acts is the fault; the account's refusal was over at once
    suspects = _suspects(RECORDING)
    assert [(s["object"], s["id"]) for s in suspects] == [
        ("namespace/shop", "scheduler-not-running")
    ]
    pod = kubemedic_in_process("diagnose", "pod", POD, "--from-outputs", str(RECORDING))
    assert pod.code == 0 and "serviceaccount-not-found" not in pod.stdout


def test_a_not_found_for_an_object_the_input_lists_is_history(tmp_path: Path) -> None:
    # no success recorded, but `get sa` lists the account now: its `not found` is past
    suspects = _suspects(_without(tmp_path, "SuccessfulCreate"))
    history = next(s for s in suspects if s["id"] == "serviceaccount-not-found")
    assert history["confidence"] == "low"
    assert any("lists serviceaccount/ads now" in why for why in history["why"])
    assert suspects[0]["id"] != "serviceaccount-not-found"
    assert "lists serviceaccount/ads now" in history["lower"]
