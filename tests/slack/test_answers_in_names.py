"""In Slack too, answers use the names the reader knows: filled fix commands (on the first screen and
in the details a click posts), the cluster's context, and which listed pod the detailed cause is about."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.slack.harness import block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn

OOM_DESCRIBE = (
    Path(__file__).resolve().parents[2] / "examples" / "pastes" / "oom-killed-describe.txt"
)


def test_a_pod_answer_fills_its_fix_commands_and_names_the_context(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(bot.requests.slash_command(f"pod {case.namespace}/{case.pod}"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            text = block_text(posted.blocks)
            assert (
                "Observed: container checkout; limit 256Mi" in text
            )  # the fix, with the pod's own limit
            assert "cluster *lab*" in text  # the kubeconfig context, as the reader calls it
            await bot.send(bot.requests.click(posted, "show_details"))
            [_, details] = await bot.slack.wait_for("chat.postMessage", count=2)
            folded = block_text(details.blocks)
            assert f"kubectl top pod {case.pod} -n {case.namespace} --containers" in folded
            assert "&lt;pod&gt;" not in folded + text and "&lt;namespace&gt;" not in folded + text

    asyncio.run(scenario())


def test_a_pasted_describe_answer_fills_the_pod_it_shows(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            await bot.send(bot.requests.message("C0INCIDENT1", OOM_DESCRIBE.read_text()))
            [reply] = await bot.slack.wait_for("chat.postMessage")
            await bot.send(bot.requests.click(reply, "show_details"))
            [_, details] = await bot.slack.wait_for("chat.postMessage", count=2)
            assert "kubectl top pod checkout-t6ljkgdzfx-bzm4s -n shop --containers" in block_text(
                details.blocks
            )

    asyncio.run(scenario())


def test_a_namespace_answer_says_which_pod_is_shown_in_full(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(bot.requests.slash_command(f"namespace {case.namespace}"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            text = block_text(posted.blocks)
            assert f"In full: the cause of {case.namespace}/{case.pod}" in text
            assert "each listed below with its likely cause" in text
            await bot.send(bot.requests.click(posted, "show_details"))
            [_, details] = await bot.slack.wait_for("chat.postMessage", count=2)
            assert f"kubectl top pod {case.pod} -n {case.namespace}" in block_text(details.blocks)

    asyncio.run(scenario())
