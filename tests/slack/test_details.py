"""The first screen ends in a Details button; its click posts the folded parts in the answer's thread.

Signed clicks through the real bolt app, the Web API pointed at the Slack stand-in.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.answer.screen import lines_before_fold
from tests.slack.harness import block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn

OOM_DESCRIBE = (
    Path(__file__).resolve().parents[2] / "examples" / "pastes" / "oom-killed-describe.txt"
)


def _action_ids(blocks: list[dict]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_a_pasted_answer_is_short_and_its_details_click_posts_the_rest_in_the_thread(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            await bot.send(bot.requests.message("C0INCIDENT1", OOM_DESCRIBE.read_text()))
            [reply] = await bot.slack.wait_for("chat.postMessage")
            first = block_text(reply.blocks)
            assert lines_before_fold(reply.blocks) <= 12, first
            assert "Root cause" not in first and "Links" not in first
            assert _action_ids(reply.blocks) == [
                "show_details",
                "feedback_helpful",
                "feedback_not_this",
            ]
            await bot.send(bot.requests.click(reply, "show_details", user_id="U0BOB00001"))
            [_, details] = await bot.slack.wait_for("chat.postMessage", count=2)
            assert details.params["thread_ts"] == reply.params["thread_ts"]  # the paste's thread
            folded = block_text(details.blocks)
            for part in ("Root cause", "Fix steps", "Links", "Why this match"):
                assert part in folded, part
            [update] = await bot.slack.wait_for("chat.update")
            # the button gives way to where the details are; the votes stay
            assert _action_ids(update.params["blocks"]) == ["feedback_helpful", "feedback_not_this"]
            assert "Details are in the thread (asked by <@U0BOB00001>)" in block_text(
                update.params["blocks"]
            )

    asyncio.run(scenario())


def test_a_channel_answer_gets_its_details_in_its_own_thread(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(bot.requests.slash_command(f"pod {case.namespace}/{case.pod}"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            assert lines_before_fold(posted.blocks) <= 14
            await bot.send(bot.requests.click(posted, "show_details"))
            [_, details] = await bot.slack.wait_for("chat.postMessage", count=2)
            assert details.params["thread_ts"] == posted.ts
            # what the cluster read could not read is in the details, not on the first screen
            assert "Could not read" not in block_text(posted.blocks)

    asyncio.run(scenario())


def test_a_details_click_on_a_forgotten_answer_is_told_privately(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            await bot.send(bot.requests.message("C0INCIDENT1", OOM_DESCRIBE.read_text()))
            [reply] = await bot.slack.wait_for("chat.postMessage")
            forged = {
                **reply.params,
                "ts": reply.ts,
                "blocks": [
                    {
                        "type": "actions",
                        "block_id": "feedback",
                        "elements": [
                            {
                                "type": "button",
                                "action_id": "show_details",
                                "value": "no-such-diagnosis",
                                "text": {"type": "plain_text", "text": "Details"},
                            }
                        ],
                    }
                ],
            }
            await bot.send(bot.requests.click(forged, "show_details"))
            [told] = await bot.slack.wait_for("response_url")
            assert told.params["response_type"] == "ephemeral"
            assert "no longer stored" in told.params["text"]
            await bot.settle()
            assert [c.method for c in bot.slack.calls].count(
                "chat.postMessage"
            ) == 1  # nothing posted in the thread

    asyncio.run(scenario())
