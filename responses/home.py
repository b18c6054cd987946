"""The bot's App Home tab: what it does, how to ask, and a link to the browsable catalog."""

from __future__ import annotations

from typing import Any

from responses import messages
from responses.mrkdwn import safe

MAX_URL = 900


def home_view(*, catalog_url: str | None, catalog_entries: int) -> dict[str, Any]:
    """A `home` view for views.publish."""
    usage = "\n".join(f"`{safe(form, 100)}` — {safe(what, 200)}" for form, what in messages.USAGE)
    if catalog_url:
        link = f"{messages.HOME_CATALOG} ({catalog_entries} entries): <{catalog_url[:MAX_URL]}|open the catalog>"
    else:
        link = messages.HOME_NO_CATALOG
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": messages.USAGE_TITLE}},
        {"type": "section", "text": {"type": "mrkdwn", "text": messages.HOME_INTRO}},
        {"type": "section", "text": {"type": "mrkdwn", "text": usage}},
        {"type": "divider"},
        {"type": "section", "text": {"type": "mrkdwn", "text": link}},
    ]
    return {"type": "home", "blocks": blocks}
