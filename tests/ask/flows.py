"""Steps the asking tests share: ask directly, find the question, click its buttons, read the store."""

from __future__ import annotations

from typing import Any, cast

from bot.answering.choice_clicks import ChoiceStore
from bot.storage.records import AuditRecord
from tests.slack.harness import Bot, block_text
from tests.standins.slack_record import RecordedCall

SECRET = "hunter2-s3cr3t-value"
UNSURE = f"the init container was killed, exit code 137, no idea why. DB_PASSWORD={SECRET}"
"""No answer from the catalog (OOMKilled and a plain SIGKILL read alike), but candidates."""
NOTHING = "our payments service is slow since friday and nobody knows why"
"""No candidate at all."""
CHANNEL = "C0GENERAL1"
ASKED_AT = "1700000000.000100"


def question_ids(blocks: list[dict[str, Any]]) -> list[str]:
    """The action_ids of a message's buttons, in order."""
    found = []
    for block in blocks:
        elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
        if isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        found += [
            str(el["action_id"]) for el in elements if isinstance(el, dict) and "action_id" in el
        ]
    return found


def button_values(blocks: list[dict[str, Any]]) -> set[str]:
    values = set()
    for block in blocks:
        elements = list(block.get("elements") or []) + (
            [block["accessory"]] if block.get("accessory") else []
        )
        values |= {
            str(el.get("value")) for el in elements if isinstance(el, dict) and "value" in el
        }
    return values


async def asked_in_thread(
    bot: Bot, channel: str = CHANNEL, ts: str = ASKED_AT, text: str = UNSURE
) -> RecordedCall:
    """Mention the bot with `text` (message `ts`); the question it posts in the thread."""
    await bot.send(bot.requests.app_mention(channel, f"<@{bot.slack.bot_user_id}> {text}", ts=ts))
    [question] = await bot.slack.wait_for(
        "chat.postMessage", predicate=lambda call: call.channel == channel
    )
    assert question.params.get("thread_ts") == ts
    return question


def option_of(question: RecordedCall, entry: str) -> str:
    """The choose_<n> button whose candidate is `entry`."""
    for block in question.blocks:
        accessory = block.get("accessory") or {}
        if f"`{entry}`" in (block.get("text") or {}).get("text", "") and "action_id" in accessory:
            return str(accessory["action_id"])
    raise LookupError(f"{entry} is not offered: {block_text(question.blocks)}")


def posts_in(bot: Bot, channel: str) -> list[RecordedCall]:
    return [
        call for call in bot.slack.calls_to("chat.postMessage", ok=True) if call.channel == channel
    ]


def store_of(bot: Bot) -> ChoiceStore:
    """The bot's store, with the questions and examples it keeps (`compose` builds a SqlStore)."""
    return cast(ChoiceStore, bot.kubemedic.store)


async def audit_rows(bot: Bot, kind: str) -> list[AuditRecord]:
    return [row for row in await bot.kubemedic.store.list_audit(limit=1000) if row.kind == kind]


def as_first_posted(call: RecordedCall) -> dict[str, Any]:
    """The message as it was posted (a click from a client that has not seen its update yet)."""
    message = {
        "ts": call.ts,
        "channel": call.channel,
        "blocks": call.blocks,
        "text": call.text or "",
    }
    return message | (
        {"thread_ts": call.params["thread_ts"]} if call.params.get("thread_ts") else {}
    )
