"""How many lines a Slack reader sees before the fold: the blocks above the Details button."""

from __future__ import annotations

import math
import re
from typing import Any

SLACK_LINE = 100
"""Characters of mrkdwn that fit on one line of a message in Slack's desktop client."""
_MARKUP = re.compile(r"```|\*|_|`")


def _rows(text: str) -> int:
    plain = _MARKUP.sub("", text)
    return sum(
        max(1, math.ceil(len(line) / SLACK_LINE))
        for line in plain.split("\n")
        if line.strip() or True
    )


def lines_before_fold(blocks: list[dict[str, Any]], fold: str = "show_details") -> int:
    """Lines of the blocks above the row holding the `fold` button (all blocks when there is none)."""
    total = 0
    for block in blocks:
        kind = block.get("type")
        if kind == "actions":
            if any(element.get("action_id") == fold for element in block.get("elements", [])):
                return total
            total += 1
        elif kind == "header":
            total += 1
        elif kind == "context":
            total += _rows(
                "  ".join(element.get("text", "") for element in block.get("elements", []))
            )
        elif kind == "section":
            total += _rows(block["text"]["text"])
        elif kind == "divider":
            total += 1
    return total
