"""Issue 24 (LOW): a storm of distinct alert groups in one channel does not queue minutes of
posts: past a minute of the channel's post budget waiting (here 12 posts at one per 5 s), the
rest are listed in one roll-up message, edited as more arrive (issue 51: at most once per 3 s, the
groups of the rounds in between batched into one edit)."""

from __future__ import annotations

import asyncio
import itertools
import json
from pathlib import Path

from bot.noise.rollup import ROLLUP_EDIT_SECONDS
from bot.noise.sync import PENDING_POST_SECONDS
from tests.alerts.payloads import alert, body, group
from tests.alerts.test_receiver import CHANNEL, SETTINGS, TOKEN
from tests.slack.harness import running_bot
from tests.standins.slack_record import RecordedCall

INTERVAL = 5.0
PENDING = int(PENDING_POST_SECONDS / INTERVAL)
GROUPS = PENDING + 15
SLOW = {
    **SETTINGS,
    "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": str(INTERVAL),
}  # one post per 5 s: the queue fills


async def test_groups_past_the_channel_cap_are_rolled_up_into_one_edited_message(
    tmp_path: Path,
) -> None:
    async with running_bot(tmp_path, KUBEMEDIC_UNMAPPED_ALERTS="post", **SLOW) as bot:
        for number in range(GROUPS):
            storm = alert(
                f"StormAlert{number:03d}",
                namespace=f"team-{number:03d}",
                fingerprint=f"fp-{number}",
            )
            assert await bot.post_alert(body(group(storm)), token=TOKEN) == (200, "ok\n")
        for _ in range(100):  # until every group is either waiting/posted or listed in the roll-up
            metrics = (await bot.get("/metrics"))[1]
            rolled = sum(
                float(line.rsplit(" ", 1)[1])
                for line in metrics.splitlines()
                if line.startswith("kubemedic_alert_messages_total")
                and 'action="rolled_up"' in line
            )
            if rolled >= GROUPS - PENDING - 1:
                break
            await asyncio.sleep(0.2)

        def rollups() -> list[RecordedCall]:
            return [
                c
                for c in bot.slack.calls
                if c.method in ("chat.postMessage", "chat.update")
                and c.ok
                and c.channel == CHANNEL
                and "more alert group" in (c.params.get("text") or "")
            ]

        for _ in range(
            100
        ):  # the roll-up is edited at most every 3 s: wait for the one listing them all
            if rollups() and f"{int(rolled)} more alert groups" in json.dumps(
                rollups()[-1].params.get("blocks")
            ):
                break
            await asyncio.sleep(0.1)
        shown = rollups()
        assert shown and [c.method for c in shown] == ["chat.postMessage"] + ["chat.update"] * (
            len(shown) - 1
        )
        assert all(b.at - a.at >= ROLLUP_EDIT_SECONDS - 0.05 for a, b in itertools.pairwise(shown))
        listed = json.dumps(shown[-1].params.get("blocks"))
        assert f"{int(rolled)} more alert groups" in listed
        named = [n for n in range(GROUPS) if f"StormAlert{n:03d}" in listed]
        assert len(named) == int(rolled) and min(named) >= PENDING - 1  # the newest ones
        posts = [
            c
            for c in bot.slack.calls_to("chat.postMessage", ok=True)
            if c.channel == CHANNEL and "more alert group" not in (c.params.get("text") or "")
        ]
        # the rest wait for their slots (one per INTERVAL, however slow the machine), at most
        # PENDING of them
        assert all(b.at - a.at >= INTERVAL - 0.05 for a, b in itertools.pairwise(posts))
        assert len(posts) <= PENDING
