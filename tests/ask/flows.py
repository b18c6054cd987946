"""Steps the asking tests share: ask directly, find the question, click its buttons."""

from __future__ import annotations

from typing import Any

from tests.slack.harness import Bot
from tests.standins.slack_record import RecordedCall

UNSURE = "the init container was killed, exit code 137, no idea why. DB_PASSWORD=hunter2-s3cr3t-value"
"""No answer from the catalog (OOMKilled and a plain SIGKILL read alike), but candidates."""


def question_ids(blocks: list[dict[str, Any]]) -> list[str]:
    """The action_ids of a message's buttons, in order."""
    found = []
    for block in blocks:
        elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
        if isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        found += [str(el["action_id"]) for el in elements if isinstance(el, dict) and "action_id" in el]
    return found


async def asked_in_thread(bot: Bot, channel: str, ts: str, text: str = UNSURE) -> RecordedCall:
    """Mention the bot with `text` (message `ts`); the question it posts in the thread."""
    await bot.send(bot.requests.app_mention(channel, f"<@{bot.slack.bot_user_id}> {text}", ts=ts))
    [question] = await bot.slack.wait_for("chat.postMessage")
    assert question.params.get("thread_ts") == ts
    return question
