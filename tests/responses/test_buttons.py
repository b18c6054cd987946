"""Remediation and feedback buttons: ids, values and the confirm dialog, exactly as given."""

from __future__ import annotations

import pytest

from intents.schema import CatalogEntry
from responses.block_kit import diagnosis_blocks
from responses.buttons import ButtonSpec, ConfirmSpec, feedback_buttons, remediation_button
from tests.responses.conftest import check_limits, finding, pod_diagnosis

CONFIRM = ConfirmSpec(
    title="Delete pod and PVC?",
    text="Delete pod `tidb/tikv-0` and PVC `tidb/tikv-tikv-0` in cluster `prod`. "
    "TiKV will be recreated with an empty volume.",
    confirm="Delete",
    deny="Cancel",
)


def _rows(blocks: list[dict]) -> dict[str, dict]:
    return {b["block_id"]: b for b in blocks if b["type"] == "actions"}


def test_remediation_button_carries_id_value_and_exact_confirm(
    entries: dict[str, CatalogEntry],
) -> None:
    fix = remediation_button(
        "delete-pvc-and-pod", label="Delete PVC and pod", value="pa_8f3k2", confirm=CONFIRM
    )
    blocks = diagnosis_blocks(
        pod_diagnosis(finding(entries["tikv-cluster-id-mismatch"])),
        buttons=[fix, *feedback_buttons("diag-42")],
    )
    check_limits(blocks)
    button = _rows(blocks)["remediate"]["elements"][0]
    assert button["action_id"] == "remediate:delete-pvc-and-pod"
    assert button["value"] == "pa_8f3k2" and button["style"] == "danger"
    assert button["confirm"] == {
        "title": {"type": "plain_text", "text": "Delete pod and PVC?"},
        "text": {"type": "mrkdwn", "text": CONFIRM.text},
        "confirm": {"type": "plain_text", "text": "Delete"},
        "deny": {"type": "plain_text", "text": "Cancel"},
        "style": "danger",
    }
    # The remediation row follows the fix; feedback comes last.
    kinds = [b.get("block_id") for b in blocks]
    assert kinds.index("remediate") < kinds.index("feedback") == len(blocks) - 1


def test_feedback_buttons_carry_the_diagnosis_id(entries: dict[str, CatalogEntry]) -> None:
    blocks = diagnosis_blocks(
        pod_diagnosis(finding(entries["oom-killed"])), buttons=feedback_buttons("diag-42")
    )
    row = _rows(blocks)["feedback"]["elements"]
    assert [(b["action_id"], b["text"]["text"], b["value"]) for b in row] == [
        ("feedback_helpful", "Helpful", "diag-42"),
        ("feedback_not_this", "Not this", "diag-42"),
        ("show_other_matches", "Show other matches", "diag-42"),
    ]
    assert "remediate" not in _rows(blocks)


def test_long_label_is_clipped_but_ids_are_not() -> None:
    spec = ButtonSpec("remediate:scale-deployment", "L" * 200, "v" * 2000, "danger", CONFIRM)
    blocks = diagnosis_blocks(pod_diagnosis(), buttons=[spec])
    check_limits(blocks)
    button = _rows(blocks)["remediate"]["elements"][0]
    assert len(button["text"]["text"]) <= 75 and button["value"] == "v" * 2000


@pytest.mark.parametrize(
    ("build", "message"),
    [
        # A remediation button without a confirm dialog could change the cluster in one click.
        (lambda: ButtonSpec("remediate:delete-pod", "Delete", "v"), "confirm dialog"),
        # An action_id or value that Slack would reject must not be silently cut.
        (lambda: ButtonSpec("x" * 256, "Go", "v"), "action_id"),
        (lambda: ButtonSpec("feedback_helpful", "Go", "v" * 2001), "button value"),
        (lambda: ButtonSpec("feedback_helpful", "Go", ""), "button value"),
        # A confirm text that does not fit cannot state exactly what will change.
        (lambda: ConfirmSpec("Delete?", "x" * 301), "confirm text"),
        (lambda: ConfirmSpec("T" * 101, "x"), "confirm title"),
        (lambda: ConfirmSpec("Delete?", "x", confirm="C" * 31), "confirm button"),
    ],
)
def test_invalid_specs_are_refused_when_built(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()  # type: ignore[operator]


def test_duplicate_action_ids_in_a_row_are_refused() -> None:
    spec = remediation_button("delete-pod", label="Delete", value="a", confirm=CONFIRM)
    with pytest.raises(ValueError, match="duplicate action_id"):
        diagnosis_blocks(pod_diagnosis(), buttons=[spec, spec])
