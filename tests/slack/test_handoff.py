"""Answer or hand off: signed Slack requests to the real bolt app, with KUBEMEDIC_HANDOFF_URL pointed
at a local agent stand-in that answers as HolmesGPT's /api/chat does, times out, or fails."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from bot.answering.handoff import AgentError
from bot.web.agent_client import HttpAgent
from responses.handoff_blocks import failed_text
from tests.slack.harness import Bot, block_text, running_bot
from tests.standins.agent_api import AgentStandIn, running_agent

ROOT = Path(__file__).resolve().parents[2]
SECRET = "hunter2-s3cr3t-value"
UNSURE = f"the init container was killed, exit code 137, no idea why. DB_PASSWORD={SECRET}"
"""No answer from the catalog: OOMKilled and a plain SIGKILL read alike (the close-call rule, intents/decision/rules.py),
so kubemedic asks "Is it one of these?" first; "None of these" hands it off."""
NOTHING = f"our payments service is slow since friday and nobody knows why. DB_PASSWORD={SECRET}"
"""No candidate at all: handed off at once."""
OOM_DESCRIBE = (ROOT / "examples" / "pastes" / "oom-killed-describe.txt").read_text()
CHANNEL = "C0GENERAL1"


def handoff_settings(agent: AgentStandIn, **more: str) -> dict[str, str]:
    return {
        "KUBEMEDIC_HANDOFF_URL": agent.url,
        "KUBEMEDIC_HANDOFF_NAME": "HolmesGPT",
        "KUBEMEDIC_HANDOFF_TOKEN": "agent-token-1",
        **more,
    }


def said(calls: list[Any]) -> list[str]:
    """Each response_url message's text: its blocks' text, else its fallback text."""
    return [
        block_text(call.params["blocks"])
        if call.params.get("blocks")
        else str(call.params.get("text"))
        for call in calls
    ]


def metric(body: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    found = re.search(rf"^{name}\{{{re.escape(wanted)}\}} (\S+)$", body, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def metrics_of(bot: Bot) -> str:
    status, body = await bot.get("/metrics")
    assert status == 200
    return body


def test_an_unsure_slash_command_is_handed_to_the_agent_after_none_of_these(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with (
            running_agent(AgentStandIn()) as agent,
            running_bot(tmp_path, **handoff_settings(agent)) as bot,
        ):
            await bot.send(bot.requests.slash_command(UNSURE, channel_id=CHANNEL))
            [question] = await bot.slack.wait_for("chat.postMessage")
            assert "Is it one of these?" in block_text(question.blocks)
            assert agent.cases == []  # asked first, not handed off
            await bot.send(bot.requests.click(question, "choose_none"))
            _, forwarding, reply = await bot.slack.wait_for("chat.postMessage", count=3)
            assert {forwarding.params["thread_ts"], reply.params["thread_ts"]} == {question.ts}
            assert (
                "asked HolmesGPT" in forwarding.params["text"]
                and "up to 120 s" in forwarding.params["text"]
            )
            assert "HolmesGPT* answered (an AI agent, not kubemedic's catalog)" in block_text(
                reply.blocks
            )
            assert "CoreDNS is not reachable" in block_text(reply.blocks)
            [case] = agent.cases
            assert case["format"] == "kubemedic.handoff/v1" and case["asked_via"] == "command"
            assert case["reason"] == "candidates too close"
            assert {"oom-killed", "exit-code-137-sigkill"} <= {c["id"] for c in case["candidates"]}
            assert all(c["standing"] and c["why"] for c in case["candidates"])
            assert "exit code 137" in case["text"] and "exit code 137" in case["ask"]
            assert SECRET not in str(case)  # redacted before it leaves
            assert agent.headers[0]["Authorization"] == "Bearer agent-token-1"
            [updated] = bot.slack.calls_to("chat.update")
            assert "chose none of these; handed to the team's agent" in block_text(
                updated.params["blocks"]
            )
            body = await metrics_of(bot)
            assert metric(body, "kubemedic_direct_asks_total", outcome="handed_off") == 1
            assert metric(body, "kubemedic_handoffs_total", result="answered") == 1

    asyncio.run(scenario())


def test_a_slash_command_with_no_candidate_is_handed_off_at_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with (
            running_agent(AgentStandIn()) as agent,
            running_bot(tmp_path, **handoff_settings(agent)) as bot,
        ):
            await bot.send(bot.requests.slash_command(NOTHING, channel_id=CHANNEL))
            calls = await bot.slack.wait_for("response_url", count=3)
            closest, forwarding, reply = said(calls)
            assert "No confident match" in closest or "no confident match" in closest.lower()
            assert "asked HolmesGPT" in forwarding and "CoreDNS is not reachable" in reply
            assert agent.cases[0]["asked_via"] == "command" and SECRET not in str(agent.cases)
            assert bot.slack.calls_to("chat.postMessage") == []  # no question without candidates

    asyncio.run(scenario())


def test_a_mention_answered_none_of_these_gets_the_agents_reply_in_its_thread(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with (
            running_agent(AgentStandIn()) as agent,
            running_bot(tmp_path, **handoff_settings(agent)) as bot,
        ):
            await bot.send(
                bot.requests.app_mention(
                    CHANNEL, f"<@{bot.slack.bot_user_id}> {UNSURE}", ts="1700000000.000100"
                )
            )
            [question] = await bot.slack.wait_for("chat.postMessage")
            await bot.send(bot.requests.click(question, "choose_none"))
            posts = await bot.slack.wait_for("chat.postMessage", count=3)
            assert {post.params.get("thread_ts") for post in posts} == {"1700000000.000100"}
            assert "CoreDNS is not reachable" in block_text(posts[2].params["blocks"])
            assert agent.cases[0]["asked_via"] == "mention"

    asyncio.run(scenario())


def test_an_agent_that_does_not_answer_in_time_gets_a_clear_note(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with (
            running_agent(AgentStandIn(delay=5.0)) as agent,
            running_bot(
                tmp_path, **handoff_settings(agent, KUBEMEDIC_HANDOFF_TIMEOUT_SECONDS="0.5")
            ) as bot,
        ):
            await bot.send(bot.requests.slash_command(NOTHING, channel_id=CHANNEL))
            calls = await bot.slack.wait_for("response_url", count=3)
            assert said(calls)[2] == (
                "HolmesGPT could not help: it did not answer within 0.5 s. kubemedic has "
                "no answer for this one either."
            )
            body = await metrics_of(bot)
            assert metric(body, "kubemedic_handoffs_total", result="timeout") == 1

    asyncio.run(scenario())


def test_an_agent_that_fails_with_500_gets_a_clear_note(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with (
            running_agent(AgentStandIn(status=500)) as agent,
            running_bot(tmp_path, **handoff_settings(agent)) as bot,
        ):
            await bot.send(bot.requests.slash_command(NOTHING, channel_id=CHANNEL))
            calls = await bot.slack.wait_for("response_url", count=3)
            assert "HolmesGPT could not help: it answered HTTP 500." in said(calls)[2]
            assert metric(await metrics_of(bot), "kubemedic_handoffs_total", result="failed") == 1

    asyncio.run(scenario())


def test_an_answer_from_the_catalog_is_never_handed_off_and_counts_as_an_llm_call_avoided(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with (
            running_agent(AgentStandIn()) as agent,
            running_bot(tmp_path, **handoff_settings(agent)) as bot,
        ):
            await bot.send(bot.requests.slash_command(OOM_DESCRIBE, channel_id=CHANNEL))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            assert "oom-killed" in block_text(posted.blocks)
            await bot.settle()
            assert agent.cases == []
            body = await metrics_of(bot)
            assert metric(body, "kubemedic_direct_asks_total", outcome="answered") == 1
            assert metric(body, "kubemedic_direct_asks_total", outcome="handed_off") == 0

    asyncio.run(scenario())


def test_without_a_handoff_url_nothing_leaves_and_the_ask_counts_as_unanswered(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            await bot.send(bot.requests.slash_command(NOTHING, channel_id=CHANNEL))
            [closest] = await bot.slack.wait_for("response_url")
            await bot.settle()
            assert len(bot.slack.calls_to("response_url")) == 1
            assert "no confident match" in said([closest])[0].lower()
            assert (
                metric(await metrics_of(bot), "kubemedic_direct_asks_total", outcome="unanswered")
                == 1
            )

    asyncio.run(scenario())


def test_a_long_agent_reply_is_inert_within_slacks_limits_and_says_what_was_cut(
    tmp_path: Path,
) -> None:
    paragraph = (
        "The kubelet on worker-2 cannot reach the API server; check the node's routes. " * 12
    )
    analysis = "<!channel> have a look\n# Root cause\n**CoreDNS** is down.\n\n" + "\n\n".join(
        [paragraph] * 40
    )

    async def scenario() -> None:
        async with (
            running_agent(AgentStandIn(analysis=analysis)) as agent,
            running_bot(tmp_path, **handoff_settings(agent)) as bot,
        ):
            await bot.send(bot.requests.slash_command(NOTHING, channel_id=CHANNEL))
            reply = (await bot.slack.wait_for("response_url", count=3))[2].params
            sections = [
                block["text"]["text"] for block in reply["blocks"] if block["type"] == "section"
            ]
            assert 1 < len(sections) <= 10 and all(len(text) <= 3000 for text in sections)
            assert "<!channel>" not in str(reply) and "&lt;!channel&gt;" in sections[0]
            assert "*Root cause*" in sections[0] and "*CoreDNS* is down" in sections[0]
            assert "more characters, not shown here" in block_text(reply["blocks"][-1:])

    asyncio.run(scenario())


def test_an_agent_that_cannot_be_reached_or_answers_no_text_gets_a_clear_note(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_agent(AgentStandIn(analysis="")) as mute:
            for url, why in (
                ("http://127.0.0.1:9/api/chat", "it could not be reached (ClientConnectorError"),
                (
                    mute.url,
                    "it answered without an answer text (expected one of analysis, answer, text)",
                ),
            ):
                async with running_bot(
                    tmp_path / why[:9].replace(" ", "-"), KUBEMEDIC_HANDOFF_URL=url
                ) as bot:
                    await bot.send(bot.requests.slash_command(NOTHING, channel_id=CHANNEL))
                    note = said(await bot.slack.wait_for("response_url", count=3))[2]
                    assert why in note and note.startswith(url.split("/")[2].split(":")[0]), note
                    assert (
                        metric(await metrics_of(bot), "kubemedic_handoffs_total", result="failed")
                        == 1
                    )

    asyncio.run(scenario())


def test_asks_waiting_on_a_silent_agent_hold_no_one_elses_answer(tmp_path: Path) -> None:
    """Four hand-offs from one person to an agent that does not answer wait in the hand-off pool,
    not in the bot's four diagnosis slots: another person's OOMKilled paste is answered meanwhile.
    A fifth, past the per-person limit, is not sent, and its asker is told so once."""

    async def scenario() -> None:
        four = {"KUBEMEDIC_HANDOFF_PER_USER": "4"}
        async with (
            running_agent(AgentStandIn(hold=asyncio.Event())) as agent,
            running_bot(tmp_path, **handoff_settings(agent, **four)) as bot,
        ):
            for number in range(5):
                await bot.send(
                    bot.requests.slash_command(f"{NOTHING} ({number})", channel_id=CHANNEL)
                )
            notes = said(await bot.slack.wait_for("response_url", count=10))
            assert sum("asked HolmesGPT" in note for note in notes) == 4
            assert sum("you already have 4 asks waiting for it" in note for note in notes) == 1
            paste = bot.requests.message(
                CHANNEL, OOM_DESCRIBE, user="U0BOB00002", ts="1700000000.000200"
            )
            await bot.send(paste)
            [answer] = await bot.slack.wait_for("chat.postMessage")
            assert "oom-killed" in block_text(answer.blocks) and len(agent.cases) == 4
            assert len(bot.slack.calls_to("response_url")) == 10  # the four still wait on the agent
            assert agent.hold is not None
            agent.hold.set()
            replies = said(await bot.slack.wait_for("response_url", count=14))
            assert sum("CoreDNS is not reachable" in reply for reply in replies) == 4
            body = await metrics_of(bot)
            assert metric(body, "kubemedic_handoffs_total", result="over_limit") == 1

    asyncio.run(scenario())


def test_a_redirect_to_another_origin_is_not_followed_and_the_asker_is_told() -> None:
    """The case and the token go to the configured endpoint only (the agent client itself: the
    note reaches the asker as every other failure's does, above)."""

    async def scenario() -> None:
        async with (
            running_agent(AgentStandIn()) as elsewhere,
            running_agent(AgentStandIn()) as agent,
        ):
            agent.redirect = elsewhere.url  # another port: another origin
            with pytest.raises(AgentError) as failed:
                await HttpAgent(agent.url, name="HolmesGPT", token="agent-token-1").ask(
                    {"format": "x"}
                )
            host = elsewhere.url.split("/")[2]
            assert failed_text("HolmesGPT", failed.value.why) == (
                f"HolmesGPT could not help: it redirected to another origin ({host}), not followed. "
                "kubemedic has no answer for this one either."
            )
            assert len(agent.cases) == 1 and elsewhere.cases == []  # the case went nowhere else
            agent.redirect = agent.url.replace("/api/chat", "/api/chat?moved=1")  # its own origin
            with pytest.raises(AgentError, match="redirected more than 3 times"):
                await HttpAgent(agent.url).ask({"format": "x"})

    asyncio.run(scenario())
