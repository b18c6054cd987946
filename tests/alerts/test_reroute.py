"""Issue 24: an alert routed to a channel kubemedic cannot post in is not dropped: it goes to the
default channel with a note naming the routed channel, the error and the fix, and is counted."""

from __future__ import annotations

import json
from pathlib import Path

from tests.alerts.payloads import body, group
from tests.alerts.test_receiver import CHANNEL, SETTINGS, TOKEN, oom_cluster
from tests.slack.harness import running_bot

ROUTED = "C0SHOPNOT1"


async def test_an_alert_routed_where_the_bot_is_not_goes_to_the_default_channel(
    tmp_path: Path,
) -> None:
    routing = tmp_path / "routing.yaml"
    routing.write_text(
        f"default: {{channel: {CHANNEL}}}\nrules:\n  - match: {{namespace: shop}}\n"
        f"    channel: {ROUTED}\n"
    )
    kube, crash = oom_cluster()
    async with running_bot(
        tmp_path, kube=kube, KUBEMEDIC_ROUTING_FILE=str(routing), **SETTINGS
    ) as bot:
        bot.slack.add_channel(ROUTED, "shop-alerts", is_member=False)
        assert await bot.post_alert(body(group(crash)), token=TOKEN) == (200, "ok\n")
        [posted] = await bot.slack.wait_for(
            "chat.postMessage", predicate=lambda c: c.channel == CHANNEL
        )
        shown = json.dumps(posted.blocks)
        assert (
            f"Routed to {ROUTED}" in shown
            and "not_in_channel" in shown
            and "/invite @kubemedic" in shown
        )
        assert "`oom-killed`" in shown  # the whole diagnosis, not only the note
        refused = [c for c in bot.slack.calls_to("chat.postMessage") if c.channel == ROUTED]
        assert [c.ok for c in refused] == [False]
        metrics = (await bot.get("/metrics"))[1]
        assert (
            'kubemedic_alert_messages_total{action="rerouted",source="alertmanager"} 1.0' in metrics
        )
