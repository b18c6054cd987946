"""Block Kit's building blocks and the `Part` a message is assembled from.

A part comes in levels, fullest first, so the assembler in block_kit can
shrink the least important parts until the message fits Slack's limits; a
level is rendered only when the assembler asks for it. Blocks are plain
dicts, built within Slack's limits (tests/responses check them against
slack_sdk's models, which validate every limit). The answer's own parts are
in answer_blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from responses.mrkdwn import clip, plain

SECTION_LIMIT = 3000
CONTEXT_LIMIT = 2000
CONTEXT_ELEMENTS = 10
HEADER_LIMIT = 150
MAX_ITEMS = 100
"""List items considered per part; more are only counted ("…and N more")."""


Block = dict[str, Any]
"""One Block Kit block, as Slack's JSON."""


@dataclass(frozen=True)
class Part:
    """A part of the message in `count` levels, fullest first; `render(n)` makes level n (n < count).
    `priority` 0 is never shrunk."""

    name: str
    render: Callable[[int], tuple[Block, ...]]
    count: int = 1
    priority: int = 0


def fixed(*blocks: Block) -> Part:
    return Part("", lambda _: blocks)


def mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(clip(text, SECTION_LIMIT))}


def context(*texts: str, block_id: str | None = None) -> Block:
    elements = [mrkdwn(clip(t, CONTEXT_LIMIT)) for t in texts if t]
    block: Block = {"type": "context", "elements": elements[:CONTEXT_ELEMENTS] or [mrkdwn(" ")]}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def divider() -> Block:
    return {"type": "divider"}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": plain(text, HEADER_LIMIT)}}
