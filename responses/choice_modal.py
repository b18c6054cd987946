"""The "Not this" dialog (a Slack modal): the other candidates and a search over the catalog.

Both inputs are optional; the submission names one entry (the search's when both are set).
The search is an external select: Slack asks the bot for options as the person types
(`block_suggestion`), and the bot answers with `catalog_options`. The stored question's opaque
id rides in `private_metadata`; the view carries nothing else the bot trusts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from responses import ask_messages as say
from responses.choice_blocks import Offered
from responses.mrkdwn import plain, safe

NOT_THIS_CALLBACK = "not_this_pick"
OTHERS_BLOCK = "others"
OTHERS_ACTION = "other_candidate"
SEARCH_BLOCK = "search"
SEARCH_ACTION = "catalog_search"
MAX_OPTIONS = 100
OPTION_TEXT = 75
MIN_QUERY = 2


def _option(entry_id: str, title: str) -> dict[str, Any]:
    label = plain(f"{title} ({entry_id})", OPTION_TEXT)
    return {"text": {"type": "plain_text", "text": label}, "value": entry_id[:150]}


def not_this_view(
    question_id: str, *, answered: str | None, others: Sequence[Offered]
) -> dict[str, Any]:
    """The modal's view."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": safe(say.modal_lead(answered), 3000)},
        }
    ]
    if others:
        blocks.append(
            {
                "type": "input",
                "block_id": OTHERS_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": say.MODAL_OTHERS},
                "element": {
                    "type": "radio_buttons",
                    "action_id": OTHERS_ACTION,
                    "options": [_option(c.id, c.title) for c in others[:10]],
                },
            }
        )
    blocks.append(
        {
            "type": "input",
            "block_id": SEARCH_BLOCK,
            "optional": True,
            "label": {"type": "plain_text", "text": say.MODAL_SEARCH},
            "element": {
                "type": "external_select",
                "action_id": SEARCH_ACTION,
                "min_query_length": MIN_QUERY,
                "placeholder": {"type": "plain_text", "text": say.MODAL_SEARCH_HINT},
            },
        }
    )
    return {
        "type": "modal",
        "callback_id": NOT_THIS_CALLBACK,
        "private_metadata": question_id,
        "title": {"type": "plain_text", "text": say.MODAL_TITLE},
        "submit": {"type": "plain_text", "text": say.MODAL_SUBMIT},
        "close": {"type": "plain_text", "text": say.MODAL_CLOSE},
        "blocks": blocks,
    }


def catalog_options(found: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The options a search answers with: (id, title) in the order given."""
    return {"options": [_option(entry_id, title) for entry_id, title in found[:MAX_OPTIONS]]}


def picked_entry(state: dict[str, Any]) -> str | None:
    """The entry a submission names: the search's, else the candidate's (None: neither)."""
    values = state.get("values") if isinstance(state, dict) else None
    if not isinstance(values, dict):
        return None
    for block, action in ((SEARCH_BLOCK, SEARCH_ACTION), (OTHERS_BLOCK, OTHERS_ACTION)):
        value = _selected(values, block, action)
        if isinstance(value, str) and value:
            return value
    return None


def _selected(values: dict[str, Any], block: str, action: str) -> Any:
    """The value of the option selected in one block's action (None when none)."""
    selected = ((values.get(block) or {}).get(action) or {}).get("selected_option") or {}
    return selected.get("value") if isinstance(selected, dict) else None
