"""Issue 24: alert links only to the web, and the runbook kept from commonAnnotations and
drawn whether or not a cause is found - through POST /alertmanager and the Slack stand-in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.alerts.payloads import alert, body, group
from tests.alerts.test_receiver import CHANNEL, SETTINGS, TOKEN, oom_cluster
from tests.slack.harness import Bot, running_bot
from tests.standins.slack_record import RecordedCall

HOSTILE_URLS = [
    "!channel",
    "<!channel>",
    "!here",
    "@U0ADMIN01",
    "<@U0ADMIN01>",
    "javascript:alert(1)",
    "JavaScript:fetch('//evil')",
    "file:///etc/passwd",
    "data:text/html,<b>x</b>",
    "slack://open",
    "https://",
    "http:// spaced.example/x",
]
LIVE = ("<!channel", "<!here", "<!everyone", "<@U", "<javascript", "<file:", "<data:", "<slack:")


async def _posted(bot: Bot, notification: dict[str, Any]) -> RecordedCall:
    assert await bot.post_alert(body(notification), token=TOKEN) == (200, "ok\n")
    [posted] = await bot.slack.wait_for(
        "chat.postMessage", predicate=lambda c: c.channel == CHANNEL
    )
    return posted


@pytest.mark.parametrize("url", HOSTILE_URLS)
async def test_a_runbook_or_graph_url_that_is_not_http_is_inert_text(
    tmp_path: Path, url: str
) -> None:
    kube, crash = oom_cluster()
    crash["annotations"]["runbook_url"] = url
    crash["generatorURL"] = url
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        posted = await _posted(bot, group(crash))
        shown = json.dumps(posted.blocks) + (posted.text or "")
        assert not [live for live in LIVE if live in shown.replace("\\u003c", "<")]
        assert (
            "Runbook" in shown and "`oom-killed`" in shown
        )  # the post is whole, the link just inert


async def test_the_runbook_in_common_annotations_only_is_linked(tmp_path: Path) -> None:
    kube, crash = oom_cluster()
    runbook = "https://runbooks.shop.example/checkout-crashloop"
    crash["annotations"] = {}
    notification = group(crash)
    notification["commonAnnotations"] = {
        "runbook_url": runbook,
        "summary": "Checkout keeps restarting",
        "description": "checkout crash-loops in shop",
    }
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        shown = json.dumps((await _posted(bot, notification)).blocks)
        assert f"<{runbook}|Runbook>" in shown
        assert "Checkout keeps restarting" in shown and "checkout crash-loops in shop" in shown


async def test_the_runbook_is_drawn_when_no_cause_is_found(tmp_path: Path) -> None:
    runbook = "https://runbooks.shop.example/payments-latency"
    unmapped = alert(
        "PaymentsLatencyHigh", namespace="shop", service="payments", fingerprint="fp-pay"
    )
    unmapped["annotations"]["runbook_url"] = runbook
    async with running_bot(tmp_path, **SETTINGS) as bot:
        shown = json.dumps((await _posted(bot, group(unmapped))).blocks)
        assert f"<{runbook}|Runbook>" in shown
        assert "<http://prometheus-k8s-0:9090/graph?g0.expr=up|Graph>" in shown
