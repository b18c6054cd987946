"""The interactivity payloads of a Slack modal, as Slack sends them (block_suggestion, view_submission)."""

from __future__ import annotations

import secrets
from typing import Any

from tests.standins.slack_state import APP_ID, TEAM_DOMAIN, TEAM_ID


def _user(user_id: str, name: str) -> dict[str, Any]:
    return {"id": user_id, "username": name, "name": name, "team_id": TEAM_ID}


def suggestion(
    view: dict[str, Any], *, block_id: str, action_id: str, value: str, user_id: str = "U0ALICE001"
) -> dict[str, Any]:
    """What Slack sends as a person types into an external select of an open view."""
    return {
        "type": "block_suggestion",
        "user": _user(user_id, "alice"),
        "container": {"type": "view", "view_id": view["id"]},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "view": view,
    }


def submission(
    view: dict[str, Any],
    values: dict[str, dict[str, Any]],
    *,
    user_id: str = "U0ALICE001",
    user_name: str = "alice",
) -> dict[str, Any]:
    """What Slack sends when the view's Submit is pressed with these input values."""
    submitted = {**view, "state": {"values": values}}
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "user": _user(user_id, user_name),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": f"{secrets.randbelow(10**12)}.{secrets.token_hex(8)}",
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def selected(entry_id: str, kind: str = "external_select") -> dict[str, Any]:
    return {
        "type": kind,
        "selected_option": {"text": {"type": "plain_text", "text": entry_id}, "value": entry_id},
    }
