"""Buttons under a diagnosis: remediation (with a confirm dialog) and feedback.

The caller decides which buttons exist and what opaque value each carries;
this module only turns those specs into valid Block Kit (plain dicts; the
limits are slack_sdk's, and tests check the dicts against its models).  Identifiers and
the confirm text are never shortened: a cut action_id would not route and
a cut confirm text would not state exactly what will change, so an
oversized one is a programming error raised when the spec is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from slack_sdk.models.blocks import ButtonElement, ConfirmObject

from responses import messages
from responses.answer_build import answer_view
from responses.diagnosis import Diagnosis
from responses.mrkdwn import escape, plain

REMEDIATE_PREFIX = "remediate"
REMEDIATION_BLOCK_ID = "remediate"
FEEDBACK_BLOCK_ID = "feedback"
FEEDBACK_HELPFUL = "feedback_helpful"
FEEDBACK_NOT_THIS = "feedback_not_this"
SHOW_OTHER_MATCHES = "show_other_matches"
"""Kept for replies posted before the Details button: their clicks still get the other matches."""
SHOW_DETAILS = "show_details"
MAX_BUTTONS_PER_ROW = 25

Style = Literal["danger", "primary"]


def _check(value: str, limit: int, what: str) -> None:
    if not value or len(value) > limit:
        raise ValueError(f"{what} must be 1..{limit} characters, got {len(value)}")


@dataclass(frozen=True)
class ConfirmSpec:
    """A confirm dialog; `text` states exactly what will change (mrkdwn, ≤ 300 chars)."""

    title: str
    text: str
    confirm: str = messages.CONFIRM_DEFAULT
    deny: str = messages.DENY_DEFAULT

    def __post_init__(self) -> None:
        _check(self.title, ConfirmObject.title_max_length, "confirm title")
        _check(escape(self.text), ConfirmObject.text_max_length, "confirm text (escaped)")
        _check(self.confirm, ConfirmObject.confirm_max_length, "confirm button text")
        _check(self.deny, ConfirmObject.deny_max_length, "deny button text")


@dataclass(frozen=True)
class ButtonSpec:
    """One button; `value` is an opaque id supplied by the caller."""

    action_id: str
    text: str
    value: str
    style: Style | None = None
    confirm: ConfirmSpec | None = None

    def __post_init__(self) -> None:
        _check(self.action_id, ButtonElement.action_id_max_length, "action_id")
        _check(self.value, ButtonElement.value_max_length, "button value")
        if self.is_remediation and self.confirm is None:
            raise ValueError(f"remediation button {self.action_id!r} needs a confirm dialog")

    @property
    def is_remediation(self) -> bool:
        return self.action_id.startswith(REMEDIATE_PREFIX)


def remediation_button(kind: str, *, label: str, value: str, confirm: ConfirmSpec) -> ButtonSpec:
    """A red button whose action_id is "remediate:<kind>"."""
    return ButtonSpec(f"{REMEDIATE_PREFIX}:{kind}", label, value, "danger", confirm)


def feedback_buttons(diagnosis_id: str, *, show_others: bool = True) -> list[ButtonSpec]:
    """"Helpful", "Not this" and (when there are others) "Show other matches"."""
    buttons = [
        ButtonSpec(FEEDBACK_HELPFUL, messages.HELPFUL, diagnosis_id),
        ButtonSpec(FEEDBACK_NOT_THIS, messages.NOT_THIS, diagnosis_id),
    ]
    if show_others:
        buttons.append(ButtonSpec(SHOW_OTHER_MATCHES, messages.SHOW_OTHERS, diagnosis_id))
    return buttons


def details_button(diagnosis_id: str) -> ButtonSpec:
    """"Details": its click posts the answer's folded parts in the thread."""
    return ButtonSpec(SHOW_DETAILS, messages.DETAILS, diagnosis_id, "primary")


def reply_buttons(diagnosis: Diagnosis, remediation: Sequence[ButtonSpec], diagnosis_id: str) -> list[ButtonSpec]:
    """An answer's buttons: remediation (only for a stated answer), "Details" (when the answer folds
    anything), then feedback (for any finding)."""
    buttons = list(remediation) if diagnosis.answer is not None else []
    if answer_view(diagnosis).details:
        buttons.append(details_button(diagnosis_id))
    if diagnosis.findings:
        buttons += feedback_buttons(diagnosis_id, show_others=False)
    return buttons


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def _confirm(spec: ConfirmSpec) -> dict[str, Any]:
    return {"title": _plain(spec.title), "text": {"type": "mrkdwn", "text": escape(spec.text)},
            "confirm": _plain(spec.confirm), "deny": _plain(spec.deny), "style": "danger"}


def button(spec: ButtonSpec) -> dict[str, Any]:
    """The Block Kit button; the label is clipped to 75 chars, nothing else is changed."""
    element: dict[str, Any] = {"type": "button", "text": _plain(plain(spec.text, ButtonElement.text_max_length)),
                               "action_id": spec.action_id, "value": spec.value}
    if spec.style is not None:
        element["style"] = spec.style
    if spec.confirm is not None:
        element["confirm"] = _confirm(spec.confirm)
    return element


def actions_block(specs: Sequence[ButtonSpec], *, block_id: str) -> dict[str, Any]:
    """One row of buttons; action_ids must be distinct and at most 25 buttons fit."""
    ids = [spec.action_id for spec in specs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate action_id in one row: {ids}")
    if len(specs) > MAX_BUTTONS_PER_ROW:
        raise ValueError(f"{len(specs)} buttons in one row; Slack allows {MAX_BUTTONS_PER_ROW}")
    return {"type": "actions", "block_id": block_id, "elements": [button(spec) for spec in specs]}


def button_rows(specs: Sequence[ButtonSpec]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(remediation row, feedback row), each empty when it has no buttons."""
    fix = [spec for spec in specs if spec.is_remediation]
    rest = [spec for spec in specs if not spec.is_remediation]
    return (
        [actions_block(fix, block_id=REMEDIATION_BLOCK_ID)] if fix else [],
        [actions_block(rest, block_id=FEEDBACK_BLOCK_ID)] if rest else [],
    )
