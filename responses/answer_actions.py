"""What travels with an answer besides its words: its buttons, and how often it was seen.

Transport-neutral, so the use cases can offer buttons without importing any chat SDK: a
`ButtonSpec` names an action id, a label and an opaque value; each platform's renderer
turns it into its own button (Block Kit, a Mattermost interactive action) or leaves it out
(Teams posts carry links only). The size limits are the strictest platform's (Slack's Block
Kit; a test checks them against slack_sdk's models), so a spec valid here fits everywhere.
Identifiers and the confirm text are never shortened: a cut action id would not route and a
cut confirm text would not state exactly what will change, so an oversized one is a
programming error raised when the spec is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from responses import messages
from responses.answer_build import answer_view
from responses.diagnosis import Diagnosis
from responses.inert import escape
from responses.ticket_text import TICKET_BUTTON

REMEDIATE_PREFIX = "remediate"
REMEDIATION_BLOCK_ID = "remediate"
FEEDBACK_BLOCK_ID = "feedback"
FEEDBACK_HELPFUL = "feedback_helpful"
FEEDBACK_NOT_THIS = "feedback_not_this"
SHOW_OTHER_MATCHES = "show_other_matches"
"""Kept for replies posted before the Details button: their clicks still get the other matches."""
SHOW_DETAILS = "show_details"
FILE_TICKET = "file_ticket"
"""An answer's Jira ticket (bot/incidents/tickets.py); its value is the diagnosis id."""

ACTION_ID_LIMIT = 255
VALUE_LIMIT = 2000
LABEL_LIMIT = 75
CONFIRM_TITLE_LIMIT = 100
CONFIRM_TEXT_LIMIT = 300
CONFIRM_BUTTON_LIMIT = 30

Style = Literal["danger", "primary"]


def _check(value: str, limit: int, what: str) -> None:
    if not value or len(value) > limit:
        raise ValueError(f"{what} must be 1..{limit} characters, got {len(value)}")


@dataclass(frozen=True)
class SeenInfo:
    """How often the same problem was seen again (no-repeat updates)."""

    count: int
    last_seen: datetime


@dataclass(frozen=True)
class ConfirmSpec:
    """A confirm dialog; `text` states exactly what will change (mrkdwn, ≤ 300 chars)."""

    title: str
    text: str
    confirm: str = messages.CONFIRM_DEFAULT
    deny: str = messages.DENY_DEFAULT

    def __post_init__(self) -> None:
        _check(self.title, CONFIRM_TITLE_LIMIT, "confirm title")
        _check(escape(self.text), CONFIRM_TEXT_LIMIT, "confirm text (escaped)")
        _check(self.confirm, CONFIRM_BUTTON_LIMIT, "confirm button text")
        _check(self.deny, CONFIRM_BUTTON_LIMIT, "deny button text")


@dataclass(frozen=True)
class ButtonSpec:
    """One button; `value` is an opaque id supplied by the caller."""

    action_id: str
    text: str
    value: str
    style: Style | None = None
    confirm: ConfirmSpec | None = None

    def __post_init__(self) -> None:
        _check(self.action_id, ACTION_ID_LIMIT, "action_id")
        _check(self.value, VALUE_LIMIT, "button value")
        if self.is_remediation and self.confirm is None:
            raise ValueError(f"remediation button {self.action_id!r} needs a confirm dialog")

    @property
    def is_remediation(self) -> bool:
        return self.action_id.startswith(REMEDIATE_PREFIX)


def remediation_button(kind: str, *, label: str, value: str, confirm: ConfirmSpec) -> ButtonSpec:
    """A red button whose action_id is "remediate:<kind>"."""
    return ButtonSpec(f"{REMEDIATE_PREFIX}:{kind}", label, value, "danger", confirm)


def feedback_buttons(diagnosis_id: str, *, show_others: bool = True) -> list[ButtonSpec]:
    """ "Helpful", "Not this" and (when there are others) "Show other matches"."""
    buttons = [
        ButtonSpec(FEEDBACK_HELPFUL, messages.HELPFUL, diagnosis_id),
        ButtonSpec(FEEDBACK_NOT_THIS, messages.NOT_THIS, diagnosis_id),
    ]
    if show_others:
        buttons.append(ButtonSpec(SHOW_OTHER_MATCHES, messages.SHOW_OTHERS, diagnosis_id))
    return buttons


def details_button(diagnosis_id: str) -> ButtonSpec:
    """ "Details": its click posts the answer's folded parts in the thread."""
    return ButtonSpec(SHOW_DETAILS, messages.DETAILS, diagnosis_id, "primary")


def reply_buttons(
    diagnosis: Diagnosis,
    remediation: Sequence[ButtonSpec],
    diagnosis_id: str,
    *,
    ticket: bool = False,
) -> list[ButtonSpec]:
    """An answer's buttons: remediation (only for a stated answer), "Details" (when the answer folds
    anything), then feedback (for any finding), then "Open ticket" (`ticket`: Jira is set up)."""
    buttons = list(remediation) if diagnosis.answer is not None else []
    if answer_view(diagnosis).details:
        buttons.append(details_button(diagnosis_id))
    if diagnosis.findings:
        buttons += feedback_buttons(diagnosis_id, show_others=False)
        if ticket:
            buttons.append(ButtonSpec(FILE_TICKET, TICKET_BUTTON, diagnosis_id))
    return buttons
