"""The Slack paste path reads kubectl output as facts: healthy output gets no reply, a failure
gets a threaded answer quoting the pasted fact (real bolt app, signed requests, Web API stand-in)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.corpus_cases import healthy_cases, read_case
from tests.paste.test_unhealthy_pastes import PASTES
from tests.slack.harness import block_text, running_bot

CHANNEL = "C0ONCALL01"
HEALTHY = (
    "get-nodes-all-ready.txt",
    "describe-events-pod-started.txt",
    "get-events-hpa-rescale.txt",
    "rollout-progressing-2-of-10.txt",
    "describe-node-healthy-0.txt",
)


def test_healthy_kubectl_output_pasted_in_a_channel_gets_no_reply(tmp_path: Path) -> None:
    # the five pastes of the issue: each used to get a confident wrong answer in the channel
    by_name = {path.name: path for path in healthy_cases()}

    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            for number, name in enumerate(HEALTHY):
                request = bot.requests.message(
                    CHANNEL, read_case(by_name[name]), ts=f"1700000500.00010{number}"
                )
                assert (await bot.send(request))[0] == 200
            await bot.settle()  # every paste handled
            assert bot.slack.calls_to("chat.postMessage") == []

    asyncio.run(scenario())


def test_a_pasted_describe_pod_is_answered_with_its_own_facts(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            text = (
                "report-worker keeps restarting:\n```"
                + (PASTES / "describe-pod-oomkilled.txt").read_text()
                + "```"
            )
            assert (await bot.send(bot.requests.message(CHANNEL, text, ts="1700000600.000100")))[
                0
            ] == 200
            [reply] = await bot.slack.wait_for("chat.postMessage")
            assert reply.params["thread_ts"] == "1700000600.000100"
            shown = block_text(reply.blocks)
            assert "oom-killed" in shown
            assert (
                "container report-worker last terminated with reason OOMKilled (exit code 137)"
                in shown
            )

    asyncio.run(scenario())


def test_a_healthy_paste_to_the_slash_command_is_told_nothing_is_wrong(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            text = read_case({p.name: p for p in healthy_cases()}["get-nodes-all-ready.txt"])
            assert (await bot.send(bot.requests.slash_command(text)))[0] == 200
            [private] = await bot.slack.wait_for("response_url")
            assert "no problem found in the pasted kubectl output" in block_text(
                private.params.get("blocks", [])
            )
            assert bot.slack.calls_to("chat.postMessage") == []

    asyncio.run(scenario())
