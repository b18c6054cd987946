"""Issue 51 item 6, through the real bot and the Slack stand-in: when Slack answers 429 with
Retry-After: 15 for every post in one channel, that channel waits out its Retry-After (asked once,
not hammered) while the other channel's first posts keep their one-a-second pace. Before, the
one sync loop slept the Retry-After out inside its round: 4 posts in 62 s."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

from tests.alerts.payloads import alert, body, group
from tests.alerts.test_receiver import CHANNEL, SETTINGS, TOKEN
from tests.slack.harness import running_bot

LIMITED = "C0LIMITED1"
GROUPS = 6
PACED = {
    **SETTINGS,
    "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "1",
    "KUBEMEDIC_UNMAPPED_ALERTS": "post",
}


async def test_a_429_in_one_channel_leaves_the_other_channels_posting_once_a_second(
    tmp_path: Path,
) -> None:
    routing = tmp_path / "routing.yaml"
    routing.write_text(
        f"default: {{channel: {CHANNEL}}}\nrules:\n  - match: {{namespace: limited}}\n"
        f"    channel: {LIMITED}\n"
    )
    async with running_bot(tmp_path, KUBEMEDIC_ROUTING_FILE=str(routing), **PACED) as bot:
        bot.slack.add_channel(LIMITED, "limited-alerts")
        bot.slack.rate_limit("chat.postMessage", times=None, retry_after=15, channel=LIMITED)
        for number in range(GROUPS):
            for namespace in ("limited", "shop"):
                flood = alert(
                    f"Flood{number}", namespace=namespace, fingerprint=f"fp-{namespace}-{number}"
                )
                assert await bot.post_alert(body(group(flood)), token=TOKEN) == (200, "ok\n")
        posted = await bot.slack.wait_for(
            "chat.postMessage",
            count=GROUPS,
            timeout=GROUPS + 4.0,
            predicate=lambda c: c.channel == CHANNEL,
        )
        gaps = [b.at - a.at for a, b in itertools.pairwise(posted)]
        assert all(0.9 <= gap <= 2.0 for gap in gaps), gaps  # about one a second, none waiting 15 s
        await asyncio.sleep(1.0)
        asked = [c for c in bot.slack.calls_to("chat.postMessage") if c.channel == LIMITED]
        assert [c.status for c in asked] == [429]  # asked once, then it waits out the Retry-After
