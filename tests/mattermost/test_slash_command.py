"""`/diagnose` as a Mattermost slash command: token-checked, acked at once, answered in the channel."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aiohttp import web

from tests.mattermost.harness import ALICE, COMMAND_TOKEN, GENERAL, running_mattermost_bot
from tests.standins import kube_scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.mattermost_api import BOT_ID


def test_a_command_with_a_wrong_token_gets_401_and_nothing_happens(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path) as bot:
            status, _ = await bot.command("pod shop/checkout", token="not-the-command-token")
            assert status == 401
            await bot.settle()
            assert bot.mm.calls_to("POST", "^/posts$") == [] and bot.kube.requests == []

    asyncio.run(scenario())


def test_diagnose_pod_acks_privately_then_posts_the_diagnosis_in_the_channel(
    tmp_path: Path,
) -> None:
    kube = KubeStandIn(latency=0.0)
    case = kube_scenarios.oom_killed_deployment(kube)

    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path, kube=kube) as bot:
            status, ack = await bot.command(f"pod {case.namespace}/{case.pod}")
            assert status == 200 and ack["response_type"] == "ephemeral"
            assert case.pod in ack["text"]
            [created] = await bot.mm.wait_for("POST", "^/posts$")
            assert created.body["channel_id"] == GENERAL and "root_id" not in created.body
            assert "`oom-killed`" in created.body["message"]

    asyncio.run(scenario())


def test_bad_input_is_one_private_line(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path) as bot:
            status, ack = await bot.command("pod Not_A/Valid/Name")
            assert status == 200 and ack["response_type"] == "ephemeral"
            assert len(ack["text"].splitlines()) == 1
            await bot.settle()
            assert bot.mm.calls_to("POST", "^/posts$") == []

    asyncio.run(scenario())


def test_an_unsure_paste_asks_is_it_one_of_these_and_a_choice_answers_in_the_thread(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path) as bot:
            await bot.command("the init container was killed, exit code 137, no idea why")
            await bot.mm.wait_for("POST", "^/posts$")
            await bot.settle()
            [question] = bot.mm.posts_in(GENERAL)
            assert "Is it one of these?" in question["message"]
            actions = question["props"]["attachments"][0]["actions"]
            assert all(a["id"].isalnum() for a in actions)  # Mattermost routes nothing else
            first = actions[0]
            status, answer = await bot.mm.click(question["id"], first["id"], ALICE)
            assert status == 200 and not answer.get("ephemeral_text")
            await bot.settle()
            replies = [p for p in bot.mm.state.replies(question["id"]) if p["user_id"] == BOT_ID]
            assert replies and "`" in replies[0]["message"]
            chosen = bot.mm.state.posts[question["id"]]
            assert "chose" in chosen["message"]  # the buttons were replaced by who chose what
            assert [a["name"] for a in chosen["props"]["attachments"][0]["actions"]] == ["Undo"]

    asyncio.run(scenario())


def test_a_command_token_with_a_trailing_newline_still_answers(tmp_path: Path) -> None:
    """A Secret made from a file ends in a newline Mattermost never sends: it is dropped, as for
    every other secret, instead of every command getting 401."""

    async def scenario() -> None:
        configured = {"KUBEMEDIC_MATTERMOST_COMMAND_TOKEN": COMMAND_TOKEN + "\n"}
        async with running_mattermost_bot(tmp_path, **configured) as bot:
            status, ack = await bot.command("help")
            assert status == 200 and "/diagnose" in ack["text"]

    asyncio.run(scenario())


def test_answers_go_only_to_a_response_url_on_the_mattermost_server(tmp_path: Path) -> None:
    """Whoever holds the slash token chooses the response_url: one on another origin gets
    nothing (a note in the log says why); the same command from Mattermost is answered there."""
    received: list[str] = []

    async def collect(request: web.Request) -> web.Response:
        received.append(await request.text())
        return web.json_response({})

    async def scenario() -> None:
        app = web.Application()
        app.router.add_post("/collect", collect)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        elsewhere = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/collect"  # type: ignore[union-attr]
        try:
            async with running_mattermost_bot(tmp_path) as bot:
                status, _ = await bot.command("pod shop/nothing-here", response_url=elsewhere)
                assert status == 200
                await bot.settle()
                assert received == []
                await bot.command("pod shop/nothing-here")
                [told] = await bot.mm.wait_for("POST", "^/hooks/commands/")
                assert "nothing-here" in json.dumps(told.body)
        finally:
            await runner.cleanup()

    asyncio.run(scenario())
