"""Fleet benchmark: 100 simulated agents on one hub, `/diagnose` routed through them, open loop.

    python -m bench.fleet_bench [--agents 100] [--rate 5] [--seconds 30] [--agent-latency 0.05]

Phase 1: one `kubemedic serve --http --hub` process (SQLite, or PostgreSQL when
KUBEMEDIC_TEST_POSTGRES_URL is set); 100 agents dial it (each a real WebSocket speaking the
wire format, answering every ask after `--agent-latency` with a real diagnosis made once from
the example dump, so the hub does all its own work: routing, rebuilding, rendering, posting);
signed `/diagnose pod cNNN:shop/...` commands arrive at `--rate` per second whether or not
earlier ones were answered (open loop). Each latency runs from sending the command to its
answer's chat.postMessage at the Slack stand-in. It prints p50/p99 (target p99 <= 1.5 s),
the hub's RSS with every agent connected (target <= 300 MB) and its CPU per routed request.

Phase 2 (PostgreSQL only): two hub replicas behind a TCP balancer (the Service), the agents
dialling the balancer; one replica is stopped (SIGTERM) and started again mid-run. Every
command must be answered or told why (lost = neither; target 0). Loopback only, bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import aiohttp

from bench.measure import cpu_seconds, percentile, proc_status_kb
from bot.answering.chosen import catalog_entry
from bot.answering.diagnosing import Diagnoser, OneReader
from bot.answering.requests import DiagnoseRequest
from bot.cluster.dump import DumpReader
from bot.fleet import tokens
from bot.fleet.agent import backoff
from bot.fleet.wire import PATH, Answer, Hello, to_wire
from bot.knowledge import load_knowledge
from bot.runtime.clock import utc_now
from bot.settings import Settings
from bot.storage.sql import SqlStore
from tests.standins.bot_process import BotProcess
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import SlackRequests
from tests.standins.tcp_balancer import Balancer
from tests.standins.tcp_balancer import start_in_thread as start_balancer

SECRET = "bench-fleet-signing-secret-00001"
TOKEN = "xoxb-bench-fleet"
DUMP = Path(__file__).resolve().parents[1] / "examples" / "dump"
POD = ("shop", "checkout-t6ljkgdzfx-bzm4s")


def canned_answer() -> dict[str, Any]:
    """A real diagnosis as an agent sends it (made once; every simulated agent answers with it)."""
    matcher = load_knowledge(Settings()).matcher
    diagnoser = Diagnoser(matcher=matcher, readers=OneReader(DumpReader(DUMP)))
    result = asyncio.run(diagnoser.diagnose(DiagnoseRequest("pod", namespace=POD[0], name=POD[1])))
    wire = to_wire(result.diagnosis, lookup=lambda entry_id: catalog_entry(matcher, entry_id))
    return json.loads(Answer(id="", outcome="diagnosis", diagnosis=wire).model_dump_json())


async def agent(
    url: str,
    token: str,
    answer: dict[str, Any],
    latency: float,
    stop: asyncio.Event,
    connected: set[str],
    name: str,
) -> None:
    """One simulated agent: hello, then Accepted and the canned answer for every ask; redials."""
    attempt = 0
    async with aiohttp.ClientSession() as session:
        while not stop.is_set():
            try:
                async with session.ws_connect(
                    url + PATH, headers={"Authorization": f"Bearer {token}"}, heartbeat=20
                ) as socket:
                    await socket.send_str(Hello(version="bench").model_dump_json())
                    attempt = 0
                    async for message in socket:
                        said = json.loads(message.data)
                        if said["type"] == "welcome":
                            connected.add(name)
                        elif said["type"] == "ask":
                            await socket.send_str(
                                json.dumps({"type": "accepted", "id": said["id"]})
                            )
                            asyncio.get_running_loop().create_task(
                                _answer(socket, said["id"], answer, latency)
                            )
            except (aiohttp.ClientError, OSError):
                pass
            connected.discard(name)
            delay = backoff(
                attempt, rng=random.Random()
            )  # as the real agent: 0.5-1 s first, doubling
            attempt += 1
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await stop.wait()


async def _answer(
    socket: aiohttp.ClientWebSocketResponse, id: str, answer: dict[str, Any], latency: float
) -> None:
    await asyncio.sleep(latency)
    with contextlib.suppress(ConnectionError, RuntimeError):
        await socket.send_str(json.dumps({**answer, "id": id}))


async def load(
    hubs: list[BotProcess],
    requests: SlackRequests,
    *,
    agents: int,
    rate: float,
    seconds: float,
    restart: BotProcess | None,
    prefix: str,
) -> list[tuple[float, str]]:
    """Send the commands open loop (round robin over the live replicas); (sent at, channel) each."""
    sent: list[tuple[float, str]] = []
    async with aiohttp.ClientSession() as session:
        tasks = []
        started = time.monotonic()
        for number in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, started + number / rate - time.monotonic()))
            if restart is not None and number == int(rate * seconds / 3):
                tasks.append(
                    asyncio.get_running_loop().create_task(asyncio.to_thread(_restart, restart))
                )
            channel = f"{prefix}{number:08d}"  # a channel per command: its answer is found by it
            text = f"pod c{number % agents:03d}:{POD[0]}/{POD[1]}"
            request = requests.slash_command(text, channel_id=channel)
            tasks.append(
                asyncio.get_running_loop().create_task(_send(session, hubs, number, request))
            )
            sent.append((time.monotonic(), channel))
        await asyncio.gather(*tasks)
    return sent


async def _send(
    session: aiohttp.ClientSession, hubs: list[BotProcess], number: int, request: Any
) -> None:
    """As the hub's Service does: a replica that refuses the connection (stopped) is skipped; a
    request it received is never sent twice (Slack does not retry a slash command)."""
    for attempt in range(2 * len(hubs) + 4):
        hub = hubs[(number + attempt) % len(hubs)]
        try:
            async with session.post(
                f"{hub.url}/slack/events", data=request.body, headers=request.headers
            ) as reply:
                await reply.read()
                return
        except aiohttp.ClientConnectorError:
            await asyncio.sleep(0.2)


def _restart(hub: BotProcess) -> None:
    hub.stop()
    again = BotProcess(
        hub.env, hub.log_path.with_suffix(".again.log"), port=hub.port, args=("--hub",)
    )
    again.wait_ready()
    hub.process, hub._log = again.process, again._log


@contextmanager
def hubs_on(
    database_url: str, slack: SlackStandIn, folder: Path, count: int
) -> Iterator[list[BotProcess]]:
    env = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "KUBECONFIG": "",
        "KUBEMEDIC_CONTEXTS": "",
        "KUBEMEDIC_DATABASE_URL": database_url,
        "KUBEMEDIC_CACHE_DIR": str(folder / "cache"),
        "KUBEMEDIC_CHANNEL_REPLIES_PER_MINUTE": "1000",
        "KUBEMEDIC_USER_REQUESTS_PER_MINUTE": "100000",
        "KUBEMEDIC_CHANNEL_REQUESTS_PER_MINUTE": "100000",
        "KUBEMEDIC_RESULT_CACHE_SECONDS": "0",
        "KUBEMEDIC_WORK_LEASE_SECONDS": "3",
    }
    with ExitStack() as stack:
        hubs = [
            stack.enter_context(BotProcess(env, folder / f"hub-{n}.log", args=("--hub",)))
            for n in range(count)
        ]
        for hub in hubs:
            hub.wait_ready()
        yield hubs


def issue_tokens(database_url: str, agents: int) -> list[str]:
    async def issue() -> list[str]:
        store = SqlStore(database_url)
        await store.start()
        try:
            texts = []
            for number in range(agents):
                issued = tokens.issue(f"c{number:03d}", now=utc_now())
                await store.add_token(issued.record)
                texts.append(issued.text)
            return texts
        finally:
            await store.close()

    return asyncio.run(issue())


def run_phase(
    *,
    hubs: list[BotProcess],
    agent_url: str,
    slack: SlackStandIn,
    tokens_: list[str],
    answer: dict[str, Any],
    args: argparse.Namespace,
    restart: BotProcess | None,
) -> dict[str, Any]:
    requests = SlackRequests(SECRET, standin=slack)

    async def phase() -> dict[str, Any]:
        stop, connected = asyncio.Event(), set[str]()
        running = [
            asyncio.get_running_loop().create_task(
                agent(agent_url, token, answer, args.agent_latency, stop, connected, f"c{n:03d}")
            )
            for n, token in enumerate(tokens_)
        ]
        async with asyncio.timeout(60):
            while len(connected) < len(tokens_):
                await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        rss_connected = proc_status_kb(hubs[0].process.pid, "VmRSS")
        cpu_before = sum(cpu_seconds(hub.process.pid) for hub in hubs)
        sent = await load(
            hubs,
            requests,
            agents=len(tokens_),
            rate=args.rate,
            seconds=args.seconds,
            restart=restart,
            prefix="CR" if restart else "CB",
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(_answered(slack)) < len(sent):
            await asyncio.sleep(0.2)
        cpu = sum(cpu_seconds(hub.process.pid) for hub in hubs) - cpu_before
        stop.set()
        for task in running:
            task.cancel()
        return {
            "sent": sent,
            "rss_connected_kb": rss_connected,
            "cpu": cpu,
            "rss_peak_kb": proc_status_kb(hubs[0].process.pid, "VmHWM"),
        }

    measured = asyncio.run(phase())
    posts = {
        call.params.get("channel"): call.at for call in slack.calls_to("chat.postMessage", ok=True)
    }
    told = _told(slack)
    sent = measured["sent"]
    latencies = [posts[channel] - at for at, channel in sent if channel in posts]
    lost = [channel for _, channel in sent if channel not in posts and channel not in told]
    counts: dict[str, int] = {}
    for call in slack.calls_to("chat.postMessage", ok=True):
        counts[call.params.get("channel")] = counts.get(call.params.get("channel"), 0) + 1
    why = sorted({text[:90] for channel, text in told.items() if channel not in posts})
    return {
        **measured,
        "latencies": latencies,
        "told": sum(1 for _, c in sent if c in told and c not in posts),
        "lost": len(lost),
        "twice": sum(1 for value in counts.values() if value > 1),
        "why": why,
        "twice_at": sorted(int(c[2:]) for c, value in counts.items() if value > 1),
    }


def _answered(slack: SlackStandIn) -> set[str]:
    return {
        call.params.get("channel") for call in slack.calls_to("chat.postMessage", ok=True)
    } | set(_told(slack))


def _told(slack: SlackStandIn) -> dict[str, str]:
    hooks = slack.hooks  # response_url id -> the command's channel
    return {
        hooks[call.response_url_id]["channel"]: str(call.params.get("text"))
        for call in slack.calls_to("response_url", ok=True)
        if call.response_url_id in hooks
    }


def report(title: str, result: dict[str, Any], agents: int) -> None:
    latencies, sent = result["latencies"], len(result["sent"])
    print(f"== {title}")
    print(
        f"commands sent {sent}, answered {len(latencies)}, told why not {result['told']}, "
        f"lost {result['lost']}, answered twice {result['twice']} {result['twice_at']}"
    )
    for line in result["why"]:
        print(f"  told: {line}")
    if latencies:
        p99 = percentile(latencies, 0.99)
        print(
            f"command -> answer posted: p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
            f"p99 {p99 * 1000:.0f} ms (target <= 1500 ms: {p99 / 1.5:.2f} of it)"
        )
    rss = (result["rss_connected_kb"] or 0) / 1024
    print(
        f"hub RSS with {agents} agents connected {rss:.0f} MB (target <= 300 MB: {rss / 300:.2f} of it), "
        f"peak {(result['rss_peak_kb'] or 0) / 1024:.0f} MB"
    )
    print(
        f"hub CPU {result['cpu']:.1f} s for {sent} routed requests: {result['cpu'] / max(sent, 1) * 1000:.1f} ms "
        "per request"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--rate", type=float, default=5.0, help="commands per second (open loop)")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--agent-latency", type=float, default=0.05, help="seconds a simulated agent diagnoses"
    )
    args = parser.parse_args()
    answer = canned_answer()
    postgres = os.environ.get("KUBEMEDIC_TEST_POSTGRES_URL")
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        where = Path(folder)
        slack = SlackStandIn(bot_token=TOKEN)
        stack.enter_context(start_slack(slack))
        database_url = f"sqlite+aiosqlite:///{where / 'hub.db'}"
        if postgres:
            from tests.storage.backends import fresh_postgres_database

            database_url = stack.enter_context(
                fresh_postgres_database(postgres, prefix="kubemedic_fleetbench")
            )
        with hubs_on(database_url, slack, where, 1) as hubs:
            texts = issue_tokens(database_url, args.agents)
            result = run_phase(
                hubs=hubs,
                agent_url=hubs[0].url,
                slack=slack,
                tokens_=texts,
                answer=answer,
                args=args,
                restart=None,
            )
        report(
            f"one hub ({'PostgreSQL' if postgres else 'SQLite'}), {args.agents} agents, {args.rate:g}/s "
            f"for {args.seconds:g} s",
            result,
            args.agents,
        )
        if not postgres:
            print(
                "== replica restart: skipped (set KUBEMEDIC_TEST_POSTGRES_URL: two replicas share PostgreSQL)"
            )
            return
        slack.reset_calls()
        (where / "two").mkdir()
        with hubs_on(database_url, slack, where / "two", 2) as hubs:
            balancer = start_balancer(Balancer([("127.0.0.1", hub.port) for hub in hubs]))
            try:
                result = run_phase(
                    hubs=hubs,
                    agent_url=balancer.url,
                    slack=slack,
                    tokens_=texts,
                    answer=answer,
                    args=args,
                    restart=hubs[0],
                )
            finally:
                balancer.stop()
        report(
            "two replicas on PostgreSQL, one restarted (SIGTERM, started again) a third of the way in",
            result,
            args.agents,
        )


if __name__ == "__main__":
    main()
