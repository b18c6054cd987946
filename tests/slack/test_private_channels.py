"""Private channels (`message.groups`, channel_type "group", ids starting with G) are answered
exactly like public ones: the same threaded diagnosis for a pasted error, and @mentions and
/diagnose work there too. Slack sends them only with the groups:* scopes of the manifest."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.slack.harness import block_text, running_bot

PUBLIC, PRIVATE = "C0PUBLIC001", "G0PRIVATE01"
TIKV = (
    '[2024/05/14 08:27:51.512 +00:00] [FATAL] [server.rs:1045] ["failed to start node: '
    'Other(\\"[components/raftstore/src/store/node.rs:350]: cluster ID mismatch, local 7262388432156321285 '
    "!= remote 7339127044327413962, you are trying to connect to another cluster, please reconnect to "
    'the correct PD\\")"]'
)


def test_a_paste_in_a_private_channel_gets_the_same_threaded_answer(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            text = f"tikv keeps dying, any idea?\n```{TIKV}```"
            await bot.send(bot.requests.message(PUBLIC, text, ts="1700000100.000100"))
            [public] = await bot.slack.wait_for("chat.postMessage")
            status, _ = await bot.send(
                bot.requests.message(PRIVATE, text, ts="1700000200.000100", channel_type="group")
            )
            assert status == 200
            replies = await bot.slack.wait_for("chat.postMessage", count=2)
            [private] = [r for r in replies if r.params["channel"] == PRIVATE]
            assert private.params["thread_ts"] == "1700000200.000100"
            assert "tikv-cluster-id-mismatch" in block_text(private.blocks)
            assert block_text(private.blocks) == block_text(public.blocks)

    asyncio.run(scenario())


def test_chat_in_a_private_channel_stays_quiet(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            await bot.send(
                bot.requests.message(
                    PRIVATE, "standup moved to 10:30, see you there", channel_type="group"
                )
            )
            await bot.settle()
            assert bot.slack.calls_to("chat.postMessage") == []

    asyncio.run(scenario())


def test_mentions_and_the_slash_command_work_in_a_private_channel(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            mention = bot.requests.app_mention(
                PRIVATE, f"<@{bot.slack.bot_user_id}> help", ts="1700000300.000100"
            )
            assert (await bot.send(mention))[0] == 200
            [usage] = await bot.slack.wait_for("chat.postMessage")
            assert (
                usage.params["channel"] == PRIVATE
                and usage.params["thread_ts"] == "1700000300.000100"
            )
            assert "/diagnose pod" in block_text(usage.blocks)
            status, _ = await bot.send(
                bot.requests.slash_command(
                    f"```{TIKV}```", channel_id=PRIVATE, channel_name="sre-private"
                )
            )
            assert status == 200
            posts = await bot.slack.wait_for("chat.postMessage", count=2)
            assert "tikv-cluster-id-mismatch" in block_text(posts[-1].blocks)
            assert posts[-1].params["channel"] == PRIVATE

    asyncio.run(scenario())
