"""`/diagnose` through the real bolt app over HTTP, signed as Slack signs it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.slack.harness import block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn


def test_pod_command_acks_at_once_then_posts_the_diagnosis(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        async with running_bot(tmp_path, kube=kube) as bot:
            status, body = await bot.send(
                bot.requests.slash_command(f"pod {case.namespace}/{case.pod}")
            )
            assert status == 200
            assert f"Diagnosing pod {case.namespace}/{case.pod}" in json.loads(body)["text"]
            [posted] = await bot.slack.wait_for("chat.postMessage")
            text = block_text(posted.blocks)
            assert "oom-killed" in text  # the catalog id is named
            assert "OOMKilled" in text  # the evidence that confirmed it
            assert posted.params["channel"] == "C0GENERAL1"

    asyncio.run(scenario())


def test_healthy_pod_says_no_problem_found(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.healthy(kube)
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(bot.requests.slash_command(f"pod {case.namespace}/{case.pod}"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            assert "no problem" in block_text(posted.blocks).lower()

    asyncio.run(scenario())


def test_bad_names_get_one_line_and_never_reach_the_cluster(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            for text in (
                "pod ../x",
                "pod TIDB/tikv-0",
                "pod a;rm -rf /",
                "pod " + "a" * 300 + "/x",
                "pod tidb/tikv-0 extra",
                "pod prod2:tidb/tikv-0",
                "namespace",
            ):
                status, body = await bot.send(bot.requests.slash_command(text))
                assert status == 200
                message = json.loads(body)["text"]
                assert len(message.splitlines()) == 1, message
            await bot.settle()
            assert bot.kube.requests == []
            assert bot.slack.calls_to("chat.postMessage") == []

    asyncio.run(scenario())


def test_help_and_empty_text_show_usage(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            for text in ("help", ""):
                status, body = await bot.send(bot.requests.slash_command(text))
                assert status == 200
                assert "/diagnose pod" in block_text(json.loads(body)["blocks"])

    asyncio.run(scenario())


def test_unsigned_or_stale_requests_get_401(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            request = bot.requests.slash_command("help")
            assert (await bot.send(bot.requests.bad_signature(request)))[0] == 401
            assert (await bot.send(bot.requests.stale(request)))[0] == 401
            assert (await bot.send(request))[0] == 200

    asyncio.run(scenario())


def test_namespace_and_node_commands(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        scenarios.oom_killed_deployment(kube)
        scenarios.node_not_ready(kube, name="worker-9")
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(bot.requests.slash_command("namespace shop"))
            [first] = await bot.slack.wait_for("chat.postMessage")
            assert "oom-killed" in block_text(first.blocks)
            await bot.send(bot.requests.slash_command("node worker-9"))
            calls = await bot.slack.wait_for("chat.postMessage", count=2)
            assert "node-not-ready" in block_text(calls[1].blocks)

    asyncio.run(scenario())


def test_context_prefix_picks_an_allowlisted_cluster_and_names_it(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        async with running_bot(tmp_path, kube=kube, KUBEMEDIC_CONTEXTS="prod") as bot:
            await bot.send(bot.requests.slash_command(f"pod prod:{case.namespace}/{case.pod}"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            assert "prod" in block_text(posted.blocks)
            await bot.send(bot.requests.slash_command(f"pod staging:{case.namespace}/{case.pod}"))
            [refusal] = await bot.slack.wait_for("response_url")
            assert "not allowed" in json.dumps(refusal.params)

    asyncio.run(scenario())
