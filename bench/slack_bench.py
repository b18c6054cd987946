"""Slack load benchmark: 200 concurrent `/diagnose pod` commands against `kubemedic serve --http`.

    python -m bench.slack_bench [--commands 200] [--kube-latency 0.02]

The bot runs as a real subprocess (HTTP mode, SQLite file); this process
hosts the Slack Web API and Kubernetes API stand-ins (each on its own
thread); a third process fires the signed slash commands all at once and
times each HTTP response (the ack), so neither the stand-ins nor the
client share an interpreter with the bot.  It prints the ack
latency (HTTP response to Slack, target p99 < 300 ms), the time until every
diagnosis is posted, how many were lost, and the bot's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.measure import percentile, proc_status_kb
from tests.standins import kube_scenarios
from tests.standins.bot_process import BotProcess
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import SlackRequests

SECRET = "bench-signing-secret-0123456789abcdef"
TOKEN = "xoxb-bench"


async def _fire(url: str, requests: list[tuple[bytes, dict[str, str]]]) -> list[float]:
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(body: bytes, headers: dict[str, str]) -> None:
            started = time.perf_counter()
            async with session.post(f"{url}/slack/events", data=body, headers=headers) as response:
                await response.read()
                assert response.status == 200, response.status
            latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(one(body, headers) for body, headers in requests))
    return latencies


def _fire_from_other_process(
    url: str, requests: list[tuple[bytes, dict[str, str]]], tmp: Path
) -> list[float]:
    """Fire the requests from a separate process, so the stand-ins' work does not delay the client."""
    batch = tmp / "requests.json"
    batch.write_text(json.dumps([[body.decode(), headers] for body, headers in requests]))
    command = [sys.executable, "-m", "bench.slack_bench", "--fire", str(batch), "--url", url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [float(value) for value in json.loads(output)]


def _fire_main(batch: Path, url: str) -> None:
    requests = [(body.encode(), headers) for body, headers in json.loads(batch.read_text())]
    print(json.dumps(asyncio.run(_fire(url, requests))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument(
        "--kube-latency", type=float, default=0.02, help="seconds added to every API request"
    )
    parser.add_argument(
        "--text", default="pod load/{pod}", help="command text ({pod} = a pod name)"
    )
    parser.add_argument("--fire", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fire is not None:
        _fire_main(args.fire, args.url)
        return
    slack = SlackStandIn(bot_token=TOKEN)
    kube = KubeStandIn(latency=args.kube_latency)
    kube_scenarios.bulk_namespace(kube, "load", n_pods=args.commands, unhealthy_ratio=0.5)
    pods = [pod["metadata"]["name"] for pod in kube.objects("pods", "load")][: args.commands]
    with (
        tempfile.TemporaryDirectory() as directory,
        start_slack(slack) as slack_server,
        start_in_thread(kube) as kube_server,
    ):
        tmp = Path(directory)
        kubeconfig = write_kubeconfig(
            tmp / "kubeconfig", {"bench": kube_server.url}, current="bench"
        )
        env = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack_server.api_url,
            "KUBECONFIG": str(kubeconfig),
            "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'bot.db'}",
            "KUBEMEDIC_CACHE_DIR": str(tmp / "cache"),
            "MALLOC_ARENA_MAX": "2",
        }  # as the image sets it
        with BotProcess(env, tmp / "bot.log") as bot:
            url = bot.wait_ready().url
            signer = SlackRequests(SECRET, standin=slack)
            requests = [
                tuple(signer.slash_command(args.text.format(pod=pod), channel_id="C0LOAD0001"))
                for pod in pods
            ]
            started = time.perf_counter()
            latencies = _fire_from_other_process(url, requests, tmp)  # type: ignore[arg-type]
            acked = time.perf_counter() - started
            deadline = time.monotonic() + 180
            while (
                len(slack.calls_to("chat.postMessage")) < len(pods) and time.monotonic() < deadline
            ):
                time.sleep(0.05)
            answered = time.perf_counter() - started
            posted = len(slack.calls_to("chat.postMessage"))
            peak_kb = proc_status_kb(bot.process.pid, "VmHWM")
            rss = peak_kb / 1024 if peak_kb is not None else float("nan")
    ordered = sorted(latencies)
    p99 = percentile(ordered, 0.99)
    print(
        "| commands | ack p50 | ack p99 | ack max | all acked | all answers posted | lost | bot peak RSS |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {len(pods)} | {statistics.median(ordered) * 1000:.0f} ms | {p99 * 1000:.0f} ms | "
        f"{ordered[-1] * 1000:.0f} ms | {acked:.2f} s | {answered:.2f} s | {len(pods) - posted} | {rss:.0f} MB |"
    )


if __name__ == "__main__":
    main()
