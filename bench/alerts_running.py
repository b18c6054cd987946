"""What the alert benchmarks share: the bot under test as a subprocess with its stand-ins'
addresses, its tokens and channel, and waiting on what it posts (bench/alerts_bench.py and
bench/alert_flood.py)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp

from tests.standins.bot_process import BotProcess
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_record import RecordedCall

SECRET = "bench-signing-secret-0123456789abcdef"
TOKEN = "xoxb-bench"
AM_TOKEN = "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"
CHANNEL = "C0BENCHALRT"


def env_for(slack_url: str, kubeconfig: Path, tmp: Path, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack_url,
        "KUBECONFIG": str(kubeconfig),
        "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'bot.db'}",
        "KUBEMEDIC_CACHE_DIR": str(tmp / "cache"),
        "KUBEMEDIC_ALERT_CHANNEL": CHANNEL,
        "KUBEMEDIC_LOG_LEVEL": "WARNING",
        **extra,
    }


async def deliver(url: str, payloads: list[bytes]) -> float:
    """POST every payload at once (as several Alertmanager groups flushing together); seconds taken."""
    headers = {"Authorization": f"Bearer {AM_TOKEN}", "Content-Type": "application/json"}
    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:

        async def one(body: bytes) -> None:
            async with session.post(f"{url}/alertmanager", data=body, headers=headers) as response:
                await response.read()
                assert response.status == 200, response.status

        await asyncio.gather(*(one(body) for body in payloads))
    return time.perf_counter() - started


def channel_posts(slack: SlackStandIn) -> list[RecordedCall]:
    return [
        c for c in slack.calls_to("chat.postMessage", ok=True) if c.params.get("channel") == CHANNEL
    ]


def busiest_second(calls: list[RecordedCall]) -> tuple[int, float]:
    """(most messages in any one-second window, smallest gap between two messages in seconds)."""
    times = sorted(c.at for c in calls)
    most = max((sum(1 for t in times if start <= t < start + 1.0) for start in times), default=0)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    return most, min(gaps, default=float("nan"))


def wait_until(check: Callable[[], bool], timeout: float) -> float:
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise TimeoutError("the bot did not get there in time")
        time.sleep(0.02)
    return time.monotonic() - started


@contextlib.contextmanager
def running_bot(slack: SlackStandIn, kube: KubeStandIn, **settings: str) -> Iterator[BotProcess]:
    """A ready `kubemedic serve --http` against the two stand-ins, in a scratch directory."""
    with (
        tempfile.TemporaryDirectory() as directory,
        start_slack(slack) as slack_server,
        start_in_thread(kube) as kube_server,
    ):
        tmp = Path(directory)
        kubeconfig = write_kubeconfig(tmp / "kubeconfig", {"lab": kube_server.url})
        with BotProcess(
            env_for(slack_server.api_url, kubeconfig, tmp, **settings), tmp / "bot.log"
        ) as bot:
            bot.wait_ready()
            yield bot
