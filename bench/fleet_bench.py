"""Fleet benchmark: 100 agents on one hub, `/diagnose` routed through them, open loop; then restarts.

    python -m bench.fleet_bench [--agents 100] [--rate 5] [--seconds 30] [--agent-latency 0.05]
                                [--restart-runs 1]

Phase 1: one `kubemedic serve --http --hub` process (SQLite, or PostgreSQL when
KUBEMEDIC_TEST_POSTGRES_URL is set); 100 real agent loops dial it (bench/fleet_load.py: each
answers every ask after `--agent-latency` with a real diagnosis of the example dump); signed
`/diagnose pod cNNN:shop/...` commands arrive at `--rate` per second whether or not earlier ones
were answered. Each latency runs from sending the command to its answer's chat.postMessage at
the Slack stand-in. It prints p50/p99 (target p99 <= 1.5 s), the hub's RSS with every agent
connected (target <= 300 MB) and its CPU per routed request.

Phase 2 (PostgreSQL only), `--restart-runs` times on a fresh database: two hub replicas behind
a TCP balancer that keeps to their readiness (the Service); agents and commands both go through
it; a rolling restart a third of the way in: each replica in turn gets SIGTERM and is started
again, the next one once the one before is ready. Every reply is read back with its status and each command counted
once: answered, told why (by reason), lost (neither), answered twice, and "unreachable" told
about a cluster whose agent was connected when the command was sent and when it was told
(targets: 0 lost, 0 twice, 0 unreachable for connected agents). Loopback only, bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from bench.fleet_load import (
    Connections,
    agents_for,
    canned_answer,
    outcomes,
    send_commands,
    settled,
)
from bench.measure import cpu_seconds, percentile, proc_status_kb
from bot.fleet import tokens
from bot.runtime.clock import utc_now
from bot.storage.sql import SqlStore
from tests.standins.bot_process import BotProcess
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import SlackRequests
from tests.standins.tcp_balancer import Balancer
from tests.standins.tcp_balancer import start_in_thread as start_balancer

SECRET = "bench-fleet-signing-secret-00001"
TOKEN = "xoxb-bench-fleet"


def _restart(hub: BotProcess) -> None:
    """SIGTERM (it drains), then the same replica started again on its port."""
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
        "KUBEMEDIC_LOG_LEVEL": os.environ.get("KUBEMEDIC_LOG_LEVEL", "INFO"),
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
    url: str,
    slack: SlackStandIn,
    tokens_: list[str],
    args: argparse.Namespace,
    rolling: bool,
) -> dict[str, Any]:
    requests = SlackRequests(SECRET, standin=slack)
    answer = canned_answer()

    async def phase() -> dict[str, Any]:
        stop, connections = asyncio.Event(), Connections()
        agents = {
            f"c{n:03d}": agent
            for n, agent in enumerate(agents_for(url, tokens_, answer, args.agent_latency))
        }
        loop = asyncio.get_running_loop()
        running = [loop.create_task(agent.run(stop)) for agent in agents.values()]
        watching = loop.create_task(connections.watch(agents, stop))
        async with asyncio.timeout(60):
            while not all(agent.state.connected for agent in agents.values()):
                await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        rss_connected = proc_status_kb(hubs[0].process.pid, "VmRSS")
        cpu_before = sum(cpu_seconds(hub.process.pid) for hub in hubs)
        restarts = _rolling(hubs, args.seconds) if rolling else []
        sent = await send_commands(
            url,
            requests,
            clusters=len(agents),
            rate=args.rate,
            seconds=args.seconds,
            prefix="CR" if rolling else "CB",
        )
        await asyncio.gather(*restarts)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not settled(slack, sent):
            await asyncio.sleep(0.2)
        await asyncio.sleep(5)  # past a work lease: a second answer (there must be none) shows
        cpu = sum(cpu_seconds(hub.process.pid) for hub in hubs) - cpu_before
        stop.set()
        await asyncio.gather(*running, watching, return_exceptions=True)
        return {
            **outcomes(slack, sent, connections),
            "rss_connected_kb": rss_connected,
            "cpu": cpu,
            "rss_peak_kb": proc_status_kb(hubs[0].process.pid, "VmHWM"),
        }

    return asyncio.run(phase())


def _rolling(hubs: list[BotProcess], seconds: float) -> list[asyncio.Task[None]]:
    """A rolling restart a third of the way in: each replica in turn gets SIGTERM and is started
    again, the next one only once the one before is ready (as a Deployment's rollout does)."""

    async def restart() -> None:
        await asyncio.sleep(seconds / 3)
        for hub in hubs:
            await asyncio.to_thread(_restart, hub)

    return [asyncio.get_running_loop().create_task(restart())]


def report(title: str, result: dict[str, Any], agents: int, *, costs: bool = True) -> None:
    """The outcome of every command; with `costs`, the hub's memory and CPU (not across a restart:
    the process measured is a new one)."""
    latencies = result["latencies"]
    print(f"== {title}")
    told = ", ".join(f"{kind} {count}" for kind, count in sorted(result["told"].items())) or "none"
    print(
        f"commands sent {result['sent']}: answered {result['answered']}, told why "
        f"{sum(result['told'].values())} ({told}), lost {len(result['lost'])} "
        f"{result['lost'][:5] or ''}, answered twice "
        f"{result['twice']}; told unreachable while its agent was connected "
        f"{result['unreachable_connected']}; replies the chat refused {result['refused_replies']}"
    )
    if result["redials"]:
        gaps = ", ".join(f"{gap:.1f}" for gap in result["redials"][-5:])
        print(f"  the others were asked while their agent was away: longest absences {gaps} s")
    if latencies:
        p99 = percentile(latencies, 0.99)
        print(
            f"command -> answer posted: p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
            f"p99 {p99 * 1000:.0f} ms (target <= 1500 ms: {p99 / 1.5:.2f} of it)"
        )
    if not costs:
        return
    rss = (result["rss_connected_kb"] or 0) / 1024
    print(
        f"hub RSS with {agents} agents connected {rss:.0f} MB (target <= 300 MB: {rss / 300:.2f} "
        f"of it), peak {(result['rss_peak_kb'] or 0) / 1024:.0f} MB"
    )
    print(
        f"hub CPU {result['cpu']:.1f} s for {result['sent']} routed requests: "
        f"{result['cpu'] / max(result['sent'], 1) * 1000:.1f} ms per request"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--rate", type=float, default=5.0, help="commands per second (open loop)")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--agent-latency", type=float, default=0.05, help="seconds an agent diagnoses"
    )
    parser.add_argument("--restart-runs", type=int, default=1, help="phase 2's runs")
    parser.add_argument("--logs", type=Path, help="keep the replicas' logs in this (new) folder")
    args = parser.parse_args()
    postgres = os.environ.get("KUBEMEDIC_TEST_POSTGRES_URL")
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        where = args.logs or Path(folder)
        where.mkdir(parents=True, exist_ok=True)
        slack = SlackStandIn(bot_token=TOKEN)
        stack.enter_context(start_slack(slack))
        database_url = f"sqlite+aiosqlite:///{where / 'hub.db'}"
        if postgres:
            database_url = stack.enter_context(_fresh(postgres))
        with hubs_on(database_url, slack, where, 1) as hubs:
            texts = issue_tokens(database_url, args.agents)
            result = run_phase(
                hubs=hubs, url=hubs[0].url, slack=slack, tokens_=texts, args=args, rolling=False
            )
        report(
            f"one hub ({'PostgreSQL' if postgres else 'SQLite'}), {args.agents} agents, "
            f"{args.rate:g}/s for {args.seconds:g} s",
            result,
            args.agents,
        )
        if not postgres:
            print(
                "== restarts: skipped (set KUBEMEDIC_TEST_POSTGRES_URL: replicas share PostgreSQL)"
            )
            return
        for run in range(1, args.restart_runs + 1):
            slack.reset_calls()
            _restart_run(postgres, slack, where / f"run-{run}", args, run)


def _restart_run(
    postgres: str, slack: SlackStandIn, folder: Path, args: argparse.Namespace, run: int
) -> None:
    folder.mkdir()
    with _fresh(postgres) as database_url, hubs_on(database_url, slack, folder, 2) as hubs:
        texts = issue_tokens(database_url, args.agents)
        balancer = start_balancer(
            Balancer([("127.0.0.1", hub.port) for hub in hubs], ready_path="/readyz")
        )
        try:
            result = run_phase(
                hubs=hubs, url=balancer.url, slack=slack, tokens_=texts, args=args, rolling=True
            )
        finally:
            balancer.stop()
    report(
        f"restart run {run}: two replicas on PostgreSQL behind a readiness-aware balancer, each "
        "restarted in turn (SIGTERM, started again)",
        result,
        args.agents,
        costs=False,
    )


@contextmanager
def _fresh(postgres: str) -> Iterator[str]:
    from tests.storage.backends import fresh_postgres_database

    with fresh_postgres_database(postgres, prefix="kubemedic_fleetbench") as url:
        yield url


if __name__ == "__main__":
    main()
