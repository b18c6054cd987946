"""/metrics over HTTP from the real bot: what an operator's Prometheus would scrape."""

from __future__ import annotations

from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_sdk.errors import SlackApiError

from bot.metrics import Metrics
from bot.settings import Settings
from bot.slack.app import web_client
from tests.slack.harness import ADMIN, Bot, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_api import SlackStandIn, running_slack_standin


def samples(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    """(labels, value) of every sample called `name` in Prometheus text."""
    return [
        (dict(sample.labels), sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    ]


def value(text: str, name: str, **labels: str) -> float:
    """The sum of the samples of `name` whose labels include `labels` (0 when none)."""
    return sum(v for found, v in samples(text, name) if labels.items() <= found.items())


async def scrape(bot: Bot) -> str:
    status, text = await bot.get("/metrics")
    assert status == 200
    return text


async def test_a_diagnosis_is_counted_by_catalog_id_and_confidence_and_its_ack_is_timed(
    tmp_path: Path,
) -> None:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.oom_killed_deployment(kube)
    async with running_bot(tmp_path, kube=kube) as bot:
        await bot.send(bot.requests.slash_command(f"pod {case.namespace}/{case.pod}"))
        [posted] = await bot.slack.wait_for("chat.postMessage")
        assert "oom-killed" in block_text(posted.blocks)
        text = await scrape(bot)
    assert (
        value(
            text,
            "kubemedic_diagnoses_total",
            catalog_id="oom-killed",
            confidence="high",
            source="cluster",
        )
        == 1
    )
    buckets = samples(text, "kubemedic_ack_seconds_bucket")
    assert {labels["le"] for labels, _ in buckets} >= {"0.005", "0.1", "3.0", "+Inf"}
    assert value(text, "kubemedic_ack_seconds_bucket", kind="command", le="+Inf") >= 1
    assert value(text, "kubemedic_ack_seconds_count", kind="command") == 1  # timed once


async def test_every_failed_kubernetes_read_is_counted_by_status_even_when_it_becomes_a_gap(
    tmp_path: Path,
) -> None:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.oom_killed_deployment(kube)
    kube.fail("GET", r"/events$", 403)  # the diagnosis still answers, with a named gap
    async with running_bot(tmp_path, kube=kube) as bot:
        await bot.send(bot.requests.slash_command(f"pod {case.namespace}/{case.pod}"))
        await bot.slack.wait_for("chat.postMessage")
        await bot.send(bot.requests.slash_command(f"pod {case.namespace}/no-such-pod"))
        await bot.slack.wait_for("response_url")
        text = await scrape(bot)
    assert value(text, "kubemedic_kubernetes_api_errors_total", status="403", verb="list") >= 1
    assert (
        value(text, "kubemedic_kubernetes_api_errors_total", status="403", resource="events") >= 1
    )
    assert (
        value(
            text, "kubemedic_kubernetes_api_errors_total", status="404", verb="get", resource="pods"
        )
        >= 1
    )
    assert not [
        labels
        for labels, _ in samples(text, "kubemedic_kubernetes_api_errors_total")
        if labels["status"] not in ("403", "404")
    ]


async def test_a_remediation_click_is_counted_by_kind_and_outcome(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.tikv_cluster_id_mismatch(kube)
    async with running_bot(tmp_path, kube=kube) as bot:
        await bot.send(bot.requests.slash_command(f"pod tidb/{case.pod}"))
        [posted] = await bot.slack.wait_for("chat.postMessage")
        await bot.send(bot.requests.click(posted, "remediate", user_id=ADMIN))
        await bot.slack.wait_for("chat.update")
        text = await scrape(bot)
    counted = samples(text, "kubemedic_remediation_actions_total")
    assert [(labels["outcome"], v) for labels, v in counted] == [("done", 1.0)], counted
    assert counted[0][0]["kind"]


async def test_slack_retries_after_429_and_5xx_and_errors_of_any_method_are_counted(
    tmp_path: Path,
) -> None:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.oom_killed_deployment(kube)
    async with running_bot(tmp_path, kube=kube) as bot:
        bot.slack.rate_limit("chat.postMessage", times=1, retry_after=0)
        bot.slack.fail("chat.postMessage", status=503, times=1)
        await bot.send(bot.requests.slash_command(f"pod {case.namespace}/{case.pod}"))
        await bot.slack.wait_for("chat.postMessage")  # answered after two retries
        text = await scrape(bot)
    assert (
        value(
            text,
            "kubemedic_slack_api_retries_total",
            method="chat.postMessage",
            reason="rate_limited",
        )
        == 1
    )
    assert (
        value(
            text,
            "kubemedic_slack_api_retries_total",
            method="chat.postMessage",
            reason="server_error",
        )
        == 1
    )
    assert samples(text, "kubemedic_slack_api_errors_total") == []  # the retries succeeded


async def test_web_api_errors_are_counted_for_every_method_with_bounded_labels() -> None:
    slack = SlackStandIn(bot_token="xoxb-kubemedic-test")
    metrics = Metrics()
    async with running_slack_standin(slack):
        settings = Settings(SLACK_BOT_TOKEN="xoxb-kubemedic-test", SLACK_API_URL=slack.api_url)
        client = web_client(settings, metrics)
        slack.error("users.info", "user_not_found")
        slack.error("conversations.info", "leaked xoxb-kubemedic-test in an error")
        slack.rate_limit("reactions.add", times=None, retry_after=0)
        for call in (
            client.users_info(user="U0NOBODY01"),
            client.conversations_info(channel="C1"),
            client.reactions_add(channel="C1", timestamp="1.1", name="eyes"),
        ):
            with pytest.raises(SlackApiError):
                await call
    text = metrics.render().decode()
    assert (
        value(text, "kubemedic_slack_api_errors_total", method="users.info", error="user_not_found")
        == 1
    )
    assert (
        value(text, "kubemedic_slack_api_errors_total", method="conversations.info", error="other")
        == 1
    )
    assert (
        value(text, "kubemedic_slack_api_errors_total", method="reactions.add", error="ratelimited")
        == 1
    )
    assert (
        value(
            text, "kubemedic_slack_api_retries_total", method="reactions.add", reason="rate_limited"
        )
        == 2
    )
    assert "xoxb" not in text


async def test_a_kubernetes_read_that_times_out_is_counted_as_timeout(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.oom_killed_deployment(kube)
    kube.hang(r"/events$")
    async with running_bot(tmp_path, kube=kube, KUBEMEDIC_KUBE_REQUEST_TIMEOUT="0.3") as bot:
        await bot.send(bot.requests.slash_command(f"pod {case.namespace}/{case.pod}"))
        await bot.slack.wait_for("chat.postMessage")
        text = await scrape(bot)
    assert (
        value(text, "kubemedic_kubernetes_api_errors_total", status="timeout", resource="events")
        >= 1
    )
