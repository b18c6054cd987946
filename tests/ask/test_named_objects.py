"""A direct question that names a pod, workload or node is diagnosed from the cluster, as /diagnose
would: the real kubernetes client against the API stand-in, signed Slack requests to the real bot."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from tests.ask.flows import CHANNEL, question_ids
from tests.slack.harness import Bot, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_requests import SignedRequest

ASKED_AT = "1700000000.000700"
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")


def _mention(bot: Bot, text: str) -> SignedRequest:
    return bot.requests.app_mention(CHANNEL, f"<@{bot.slack.bot_user_id}> {text}", ts=ASKED_AT)


def test_a_question_naming_a_deployment_is_diagnosed_through_its_pod_and_says_so(
    tmp_path: Path,
) -> None:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.oom_killed_deployment(kube)

    async def scenario() -> None:
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(
                _mention(bot, "checkout keeps restarting in shop since the deploy, any idea?")
            )
            [answer] = await bot.slack.wait_for("chat.postMessage")
            text = block_text(answer.blocks)
            assert answer.params["thread_ts"] == ASKED_AT and "`oom-killed`" in text
            assert (
                f"your question names deployment shop/checkout: diagnosed its pod {case.pod} (its only pod) "
                "from cluster lab" in text
            )
            assert kube.requests_to(
                "GET", rf"/namespaces/shop/pods/{case.pod}$"
            )  # read as /diagnose pod reads it

    asyncio.run(scenario())


def test_a_pod_named_without_a_namespace_is_found_by_its_exact_name(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.oom_killed_deployment(kube)

    async def scenario() -> None:
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(_mention(bot, f"{case.pod} is crashing again"))
            [answer] = await bot.slack.wait_for("chat.postMessage")
            assert (
                f"your question names pod shop/{case.pod}: diagnosed from cluster lab"
                in block_text(answer.blocks)
            )
            by_name = [
                r
                for r in kube.requests_to("GET", r"^/api/v1/pods$")
                if r.query.get("fieldSelector") == f"metadata.name={case.pod}"
            ]
            assert len(by_name) == 1  # found by its exact name, not by listing every pod

    asyncio.run(scenario())


def test_several_matches_ask_which_one_and_the_choice_is_diagnosed(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    scenarios.oom_killed_deployment(kube, namespace="shop")
    staging = scenarios.oom_killed_deployment(kube, namespace="staging")

    async def scenario() -> None:
        async with running_bot(tmp_path, kube=kube, KUBEMEDIC_NAMESPACES="shop,staging") as bot:
            await bot.send(_mention(bot, "checkout keeps restarting"))
            [question] = await bot.slack.wait_for("chat.postMessage")
            text = block_text(question.blocks)
            assert (
                "Which one do you mean?" in text
                and "pod shop/checkout-" in text
                and "pod staging/checkout-" in text
            )
            assert question_ids(question.blocks) == ["choose_1", "choose_2", "choose_none"]
            await bot.send(bot.requests.click(question, "choose_2"))
            _, answer = await bot.slack.wait_for("chat.postMessage", count=2)
            assert answer.params["thread_ts"] == ASKED_AT
            assert f"diagnosed its pod {staging.pod}" in block_text(answer.blocks)

    asyncio.run(scenario())


def test_none_of_these_objects_answers_the_words_of_the_question(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    scenarios.oom_killed_deployment(kube, namespace="shop")
    scenarios.oom_killed_deployment(kube, namespace="staging")

    async def scenario() -> None:
        async with running_bot(tmp_path, kube=kube, KUBEMEDIC_NAMESPACES="shop,staging") as bot:
            await bot.send(_mention(bot, "checkout was OOMKilled, exit code 137, reason OOMKilled"))
            [question] = await bot.slack.wait_for("chat.postMessage")
            assert "Which one do you mean?" in block_text(question.blocks)
            await bot.send(bot.requests.click(question, "choose_none"))
            _, answer = await bot.slack.wait_for("chat.postMessage", count=2)
            assert answer.params["thread_ts"] == ASKED_AT
            text = block_text(answer.blocks)
            assert (
                "`oom-killed`" in text and "your question names" not in text
            )  # from the words, not a pod

    asyncio.run(scenario())


def test_nothing_outside_the_allowed_namespaces_is_read(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    scenarios.oom_killed_deployment(kube, namespace="shop")

    async def scenario() -> None:
        async with running_bot(tmp_path, kube=kube, KUBEMEDIC_NAMESPACES="staging") as bot:
            await bot.send(_mention(bot, "checkout-7d9f keeps restarting in shop"))
            await bot.slack.wait_for("chat.postMessage")
            await bot.settle()
            assert not kube.requests_to("GET", r"/namespaces/shop/"), [
                r.path for r in kube.requests
            ]
            assert not kube.requests_to(
                "GET", r"^/api/v1/pods$"
            )  # no search across namespaces either

    asyncio.run(scenario())


def test_only_valid_names_reach_the_api(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    scenarios.oom_killed_deployment(kube)

    async def scenario() -> None:
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(
                _mention(
                    bot, "is ../../secrets or node_01 or Worker-3 or a%2fb or x..y broken in shop?"
                )
            )
            await bot.slack.wait_for("chat.postMessage")
            await bot.settle()
            for request in kube.requests:
                for part in request.path.strip("/").split("/"):
                    assert _NAME.match(part), request.path
            assert kube.requests_to("GET", r"/namespaces/shop/pods$")  # the question was read

    asyncio.run(scenario())


def test_a_pasted_log_that_names_a_pod_is_matched_as_a_paste(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.oom_killed_deployment(kube)
    log = "\n".join(
        f"2024-05-14T08:20:0{n}Z ERROR {case.pod} request failed: upstream timed out"
        for n in range(5)
    )

    async def scenario() -> None:
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(_mention(bot, log))
            await bot.slack.wait_for("chat.postMessage")
            await bot.settle()
            assert kube.requests == []

    asyncio.run(scenario())
