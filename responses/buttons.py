"""Buttons under a diagnosis in Block Kit: remediation (with a confirm dialog) and feedback.

The caller decides which buttons exist and what opaque value each carries (the
transport-neutral specs live in responses.answer_actions, re-exported here); this module only
turns those specs into valid Block Kit (plain dicts; tests check them against slack_sdk's
models).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from responses.answer_actions import (
    FEEDBACK_BLOCK_ID,
    LABEL_LIMIT,
    REMEDIATION_BLOCK_ID,
    ButtonSpec,
    ConfirmSpec,
    details_button,
    feedback_buttons,
    remediation_button,
    reply_buttons,
)
from responses.mrkdwn import escape, plain

__all__ = [
    "MAX_BUTTONS_PER_ROW",
    "ButtonSpec",
    "ConfirmSpec",
    "actions_block",
    "button",
    "button_rows",
    "details_button",
    "feedback_buttons",
    "remediation_button",
    "reply_buttons",
]

MAX_BUTTONS_PER_ROW = 25


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def _confirm(spec: ConfirmSpec) -> dict[str, Any]:
    return {
        "title": _plain(spec.title),
        "text": {"type": "mrkdwn", "text": escape(spec.text)},
        "confirm": _plain(spec.confirm),
        "deny": _plain(spec.deny),
        "style": "danger",
    }


def button(spec: ButtonSpec) -> dict[str, Any]:
    """The Block Kit button; the label is clipped to 75 chars, nothing else is changed."""
    element: dict[str, Any] = {
        "type": "button",
        "text": _plain(plain(spec.text, LABEL_LIMIT)),
        "action_id": spec.action_id,
        "value": spec.value,
    }
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
