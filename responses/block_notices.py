"""Small Slack messages around a diagnosis: progress, outcomes, refusals, help.

Each is a short list of block dicts ready for chat.postMessage, chat.update
or respond(); the words come from responses.messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from responses import answer_actions, messages
from responses.answer_actions import REMEDIATION_BLOCK_ID, SHOW_DETAILS
from responses.block_parts import Block, context, header, section
from responses.mrkdwn import safe
from responses.redaction import Redacted

MAX_BLOCKS = 50
SeenInfo = answer_actions.SeenInfo
"""Defined with the answer's other neutral parts; block_kit and its callers take it from here."""
SEEN_BLOCK_ID = "seen"
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")

OutcomeStatus = Literal["done", "failed", "dry-run", "refused", "expired", "feedback"]
_ESCAPED_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]{2,30})&gt;")


@dataclass(frozen=True)
class Outcome:
    """What a clicked button did; `detail` says it in words ("pod tidb/tikv-0 deleted")."""

    status: OutcomeStatus
    detail: Redacted
    """Redacted: it quotes the cluster's answer."""
    user_id: str | None = None
    at: datetime | None = None


def slack_time(when: datetime) -> str:
    """A time each reader sees in their own zone; "10:42 UTC" where Slack cannot convert."""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    utc = aware.astimezone(UTC)
    return f"<!date^{int(utc.timestamp())}^{{time}}|{utc:%H:%M} UTC>"


def mention(user_id: str | None) -> str:
    if user_id is None:
        return "someone"
    return f"<@{user_id}>" if _USER_ID.match(user_id) else safe(user_id, 80)


def seen_block(count: int, last_seen: datetime) -> Block:
    return context(messages.seen(count, slack_time(last_seen)), block_id=SEEN_BLOCK_ID)


def outcome_text(detail: str, limit: int = 1500) -> str:
    """A remediation result as mrkdwn: it may quote an API error (escaped, so an admission
    webhook's message cannot ping anyone); the user mentions the bot wrote stay."""
    return _ESCAPED_MENTION.sub(r"<@\1>", safe(detail, limit))


def outcome_block(outcome: Outcome, *, block_id: str | None = None) -> Block:
    when = slack_time(outcome.at) if outcome.at else ""
    by = messages.by_whom(mention(outcome.user_id), when)
    detail = outcome_text(outcome.detail)
    return context(messages.outcome_line(outcome.status, detail, by), block_id=block_id)


def outcome_blocks(
    message_blocks: Sequence[Mapping[str, Any]],
    outcome: Outcome,
    *,
    block_id: str = REMEDIATION_BLOCK_ID,
) -> list[dict[str, Any]]:
    """The message with the clicked row replaced by the outcome, so it cannot be clicked twice."""
    line = outcome_block(outcome, block_id=f"{block_id}-outcome")
    blocks = [dict(block) for block in message_blocks]
    for index, block in enumerate(blocks):
        if block.get("block_id") == block_id:
            blocks[index] = line
            return blocks
    return [*blocks[: MAX_BLOCKS - 1], line]


def usage_blocks() -> list[dict[str, Any]]:
    """`/diagnose help`: every command form, one per line."""
    lines = [f"`{safe(form, 100)}` — {safe(what, 200)}" for form, what in messages.USAGE]
    return [header(messages.USAGE_TITLE), section("\n".join(lines))]


def _action_elements(block: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An actions block's elements (none for any other block)."""
    if block.get("type") != "actions":
        return []
    return [dict(e) for e in block.get("elements") or []]


def details_moved(
    message_blocks: Sequence[Mapping[str, Any]], user_id: str | None
) -> list[dict[str, Any]] | None:
    """The message with its Details button replaced by a line saying the details are in the thread
    (the row's other buttons stay); None when the message has no Details button."""
    blocks = [dict(block) for block in message_blocks]
    for index, block in enumerate(blocks):
        elements = _action_elements(block)
        kept = [element for element in elements if element.get("action_id") != SHOW_DETAILS]
        if len(kept) == len(elements):
            continue
        note = context(messages.details_posted(mention(user_id)))
        blocks[index : index + 1] = [note, {**block, "elements": kept}] if kept else [note]
        return blocks[:MAX_BLOCKS]
    return None
