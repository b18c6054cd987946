"""Pasted errors in a channel: threaded answers when confident, silence otherwise, never twice."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.slack.harness import block_text, running_bot
from tests.standins.slack_requests import bot_message_event

CHANNEL = "C0INCIDENT1"
OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
TIKV = (
    '[2024/05/14 08:27:51.512 +00:00] [FATAL] [server.rs:1045] ["failed to start node: '
    'Other(\\"[components/raftstore/src/store/node.rs:350]: cluster ID mismatch, local 7262388432156321285 '
    "!= remote 7339127044327413962, you are trying to connect to another cluster, please reconnect to "
    'the correct PD\\")"]'
)


def test_a_pasted_error_gets_a_threaded_answer(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            request = bot.requests.message(
                CHANNEL, f"tikv keeps dying, any idea?\n```{TIKV}```", ts="1700000100.000200"
            )
            assert (await bot.send(request))[0] == 200
            [reply] = await bot.slack.wait_for("chat.postMessage")
            assert reply.params["thread_ts"] == "1700000100.000200"
            text = block_text(reply.blocks)
            assert "tikv-cluster-id-mismatch" in text
            assert "cluster ID mismatch" in text  # the pasted line that matched is shown

    asyncio.run(scenario())


def test_chat_and_foreign_errors_stay_quiet(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            for text in (
                "anyone up for lunch? the new place opened",
                "deploying v2.3.1 to staging now, ping me",
                "Traceback (most recent call last):\n  File \"app.py\", line 3\nKeyError: 'user_id'",
                "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree",
            ):
                assert (await bot.send(bot.requests.message(CHANNEL, text)))[0] == 200
            await bot.settle()
            assert bot.slack.calls_to("chat.postMessage") == []

    asyncio.run(scenario())


def test_a_retried_event_is_answered_once(tmp_path: Path, database_url: str) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, database_url=database_url) as bot:
            first = bot.requests.message(CHANNEL, OOM)
            assert (await bot.send(first))[0] == 200
            for number in (1, 2):
                assert (await bot.send(bot.requests.retry(first, num=number)))[0] == 200
            await bot.slack.wait_for("chat.postMessage")
            await bot.settle()
            assert len(bot.slack.calls_to("chat.postMessage")) == 1

    asyncio.run(scenario())


def test_bot_messages_and_our_own_are_never_answered(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            other_bot = bot_message_event(CHANNEL, OOM)
            ours = {
                "type": "message",
                "channel": CHANNEL,
                "user": bot.slack.bot_user_id,
                "bot_id": bot.slack.bot_id,
                "text": OOM,
                "ts": "1700000200.000100",
            }
            for event in (other_bot, ours):
                assert (await bot.send(bot.requests.event(event)))[0] == 200
            await bot.settle()
            assert bot.slack.calls_to("chat.postMessage") == []

    asyncio.run(scenario())


def test_the_same_error_again_updates_the_earlier_reply(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            await bot.send(bot.requests.message(CHANNEL, OOM, ts="1700000300.000100"))
            [first] = await bot.slack.wait_for("chat.postMessage")
            await bot.send(bot.requests.message(CHANNEL, "again:\n" + OOM, ts="1700000400.000100"))
            [update] = await bot.slack.wait_for("chat.update")
            assert update.params["ts"] == first.ts
            assert "Seen 2 times" in block_text(update.blocks)
            assert len(bot.slack.calls_to("chat.postMessage")) == 1

    asyncio.run(scenario())


def test_a_flood_of_pasted_logs_is_rate_limited_per_channel(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, KUBEMEDIC_CHANNEL_REPLIES_PER_MINUTE="2") as bot:
            errors = [
                OOM,
                TIKV,
                (
                    'Warning  FailedMount  kubelet  MountVolume.SetUp failed for volume "data" : '
                    "mount failed: exit status 32"
                ),
                "0/3 nodes are available: 3 Insufficient memory.",
                "Error: ImagePullBackOff: manifest for registry.example.com/app:v9 not found: manifest unknown",
            ]
            for number, text in enumerate(errors):
                await bot.send(
                    bot.requests.message(CHANNEL, text, ts=f"17000005{number:02d}.000100")
                )
            await bot.slack.wait_for("chat.postMessage", count=2)
            await bot.settle()
            assert len(bot.slack.calls_to("chat.postMessage")) == 2
            await bot.send(bot.requests.message("C0OTHER0001", OOM))
            await bot.slack.wait_for("chat.postMessage", count=3)

    asyncio.run(scenario())


def test_a_mention_is_answered_in_the_thread(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            mention = f"<@{bot.slack.bot_user_id}> {OOM}"
            await bot.send(bot.requests.app_mention(CHANNEL, mention, ts="1700000600.000100"))
            [reply] = await bot.slack.wait_for("chat.postMessage")
            assert reply.params["thread_ts"] == "1700000600.000100"
            assert "oom-killed" in block_text(reply.blocks)

    asyncio.run(scenario())


CLOSE_CALL = "the init container was killed, exit code 137, no idea why"
"""OOMKilled and a plain SIGKILL read almost alike from these words (the close-call rule, intents/decision/rules.py)."""


def test_a_close_call_stays_quiet_in_the_channel_and_diagnose_asks_between_both_readings(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            assert (await bot.send(bot.requests.message(CHANNEL, CLOSE_CALL)))[0] == 200
            await bot.settle()
            assert bot.slack.calls_to("chat.postMessage") == []
            await bot.send(bot.requests.slash_command(CLOSE_CALL, channel_id=CHANNEL))
            [question] = await bot.slack.wait_for("chat.postMessage")
            text = block_text(question.params["blocks"])
            assert "Is it one of these?" in text
            assert "oom-killed" in text and "exit-code-137-sigkill" in text

    asyncio.run(scenario())
