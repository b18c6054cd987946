"""The alert-flood runs of bench/alerts_bench.py: 600 groups at once into one channel, then 600
into three channels, one of which Slack rate-limits (429, Retry-After 15 s, for its first two posts).

    python -m bench.alerts_bench --only flood

Prints, per channel: top-level posts, roll-up calls (its post and edits), the most roll-up calls
in any 3 s window and the smallest gap between two (target: at most one per 3 s), the posts in
the first 10 s after the flood (target ~1 per second in the channels Slack does not limit), and
each channel's first-post latency (from the flood's start). Before issue 51 the one sync loop
slept a 429 out inside its round and edited the roll-up every round (517 edits at 27/s).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

from bench.alerts_running import AM_TOKEN, CHANNEL, TOKEN, running_bot, wait_until
from tests.alerts.payloads import alert, group
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_record import RecordedCall

LIMITED = "C0BENCHLIM1"
QUIET = "C0BENCHQUI1"
CHANNELS = {"shop": CHANNEL, "limited": LIMITED, "quiet": QUIET}
RETRY_AFTER = 15
ROLLUP_WORDS = "more alert group"


async def deliver(url: str, payloads: list[bytes]) -> int:
    """POST every payload at once, each retried after a 503 as Alertmanager retries; the retries made."""
    headers = {"Authorization": f"Bearer {AM_TOKEN}", "Content-Type": "application/json"}
    retried = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:

        async def one(body: bytes) -> None:
            nonlocal retried
            for _ in range(10):
                async with session.post(
                    f"{url}/alertmanager", data=body, headers=headers
                ) as response:
                    await response.read()
                    if response.status == 200:
                        return
                    assert response.status == 503, response.status
                retried += 1
                await asyncio.sleep(0.5)
            raise AssertionError("the bot kept answering 503")

        await asyncio.gather(*(one(body) for body in payloads))
    return retried


def routing_file(directory: Path, channels: dict[str, str]) -> Path:
    path = directory / "routing.yaml"
    rules = "".join(
        f"  - match: {{namespace: {ns}}}\n    channel: {channel}\n"
        for ns, channel in channels.items()
        if channel != CHANNEL
    )
    path.write_text(
        f"default: {{channel: {CHANNEL}}}\nrules:\n{rules}"
        if rules
        else f"default: {{channel: {CHANNEL}}}\n"
    )
    return path


def calls_in(
    slack: SlackStandIn, channel: str, keep: Callable[[RecordedCall], bool]
) -> list[RecordedCall]:
    return [c for c in slack.calls if c.channel == channel and c.ok and keep(c)]


def is_rollup(call: RecordedCall) -> bool:
    return call.method in ("chat.postMessage", "chat.update") and ROLLUP_WORDS in (
        call.params.get("text") or ""
    )


def is_first_post(call: RecordedCall) -> bool:
    return (
        call.method == "chat.postMessage"
        and not call.params.get("thread_ts")
        and not is_rollup(call)
    )


def most_in_window(times: list[float], window: float) -> int:
    return max((sum(1 for t in times if start <= t < start + window) for start in times), default=0)


def channel_figures(slack: SlackStandIn, channel: str, started: float) -> dict[str, Any]:
    posts = sorted(c.at for c in calls_in(slack, channel, is_first_post))
    rollups = sorted(c.at for c in calls_in(slack, channel, is_rollup))
    gaps = [b - a for a, b in itertools.pairwise(rollups)]
    return {
        "posts": len(posts),
        "first_post_s": (posts[0] - started) if posts else float("nan"),
        "posts_first_10s": sum(1 for t in posts if t - started < 10.0),
        "rollup_calls": len(rollups),
        "rollup_most_in_3s": most_in_window(rollups, 3.0),
        "rollup_min_gap_s": min(gaps, default=float("nan")),
        "refused_429": sum(1 for c in slack.calls if c.channel == channel and c.status == 429),
    }


def run_flood(groups: int, settle: float, channels: dict[str, str]) -> dict[str, dict[str, Any]]:
    slack = SlackStandIn(bot_token=TOKEN)
    for name, channel in channels.items():
        slack.add_channel(channel, f"{name}-alerts")
    if LIMITED in channels.values():
        slack.rate_limit("chat.postMessage", times=2, retry_after=RETRY_AFTER, channel=LIMITED)
    with tempfile.TemporaryDirectory(prefix="kubemedic-flood-") as directory:
        return _flood(slack, Path(directory), groups, settle, channels)


def _flood(
    slack: SlackStandIn, directory: Path, groups: int, settle: float, channels: dict[str, str]
) -> dict[str, dict[str, Any]]:
    settings = {
        "KUBEMEDIC_ALERTMANAGER_TOKEN": AM_TOKEN,
        "KUBEMEDIC_ROUTING_FILE": str(routing_file(directory, channels)),
        "KUBEMEDIC_UNMAPPED_ALERTS": "post",
    }
    names = list(channels)
    payloads = [
        json.dumps(
            group(alert(f"Flood{n:03d}", namespace=names[n % len(names)], fingerprint=f"fp-{n}"))
        ).encode()
        for n in range(groups)
    ]
    with running_bot(slack, KubeStandIn(latency=0.0), **settings) as bot:
        started = time.monotonic()
        retried = asyncio.run(deliver(bot.url, payloads))
        wait_until(lambda: all(calls_in(slack, c, is_rollup) for c in channels.values()), 120)
        time.sleep(settle)
    if retried:
        print(f"  ({retried} deliveries answered 503 and retried, as Alertmanager does)")
    return {channel: channel_figures(slack, channel, started) for channel in channels.values()}


def report(groups: int, settle: float) -> None:
    for channels in ({"shop": CHANNEL}, CHANNELS):
        figures = run_flood(groups, settle, channels)
        limited = (
            f"; {LIMITED} answers 429 (Retry-After {RETRY_AFTER} s) to its first 2 posts"
            if LIMITED in channels.values()
            else ""
        )
        print(f"flood: {groups} groups at once into {len(figures)} channel(s){limited}")
        _print(figures)


def _print(figures: dict[str, dict[str, Any]]) -> None:
    for channel, f in figures.items():
        limit = (
            "roll-up calls at most 1 per 3 s" if f["rollup_most_in_3s"] <= 1 else "OVER 1 per 3 s"
        )
        print(
            f"  {channel}: {f['posts']} top-level posts, first after {f['first_post_s']:.2f} s, "
            f"{f['posts_first_10s']} in the first 10 s ({f['posts_first_10s'] / 10:.1f}/s, budget 1/s); "
            f"roll-up: {f['rollup_calls']} calls, most in 3 s {f['rollup_most_in_3s']} ({limit}), smallest gap "
            f"{f['rollup_min_gap_s']:.2f} s; 429s {f['refused_429']}"
        )
