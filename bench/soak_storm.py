"""The storm shape of the soak bench: requests closed on the ack, as an incident (or an attacker) sends them.

    python -m bench.soak_bench --shape storm [--seconds 60] [--clients 200]

Each client sends a request, waits only for its ack, and sends the next:
`--clients` requests are always in flight, each from its own channel and
user (so no per-user or per-channel budget applies; tests/storms covers
those). By share: 70% `/diagnose pod soak/NAME`, four in five of them the
same pod (the issue's storm: most of it one pod asked again and again), and
30% pasted errors (message events). The load stops after `--seconds`; 30 s
later every request must have its answer or its `kubemedic is busy` line.

Printed: requests and their rate; ack latency p50/p95/p99/max (target every
ack < 3 s); answered with a real diagnosis, told busy, told to slow down,
silent (target 0) and the real share (target >= 90%); the bot's RSS at 10 s,
at the end of the load and 30 s later (growth from 10 s to the end < 25%);
the database size; the bot's queue, shed and coalesced counters from /metrics.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.measure import cpu_seconds, percentile, proc_status_kb, with_children
from bench.soak_slack import ERRORS
from tests.standins.slack_requests import SignedRequest, SlackRequests

BUSY = "kubemedic is busy"
SLOW = "🐢 Slow down"
ACK_TARGET = 3.0
SHARES = {"command": 0.7, "paste": 0.3}
HOT_SHARE = 0.8


@dataclass
class StormTally:
    """Every request sent: its channel, kind and what its ack said."""

    acks: list[float] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    acked_busy: set[str] = field(default_factory=set)
    acked_slow: set[str] = field(default_factory=set)
    errors: Counter[str] = field(default_factory=Counter)


class StormClients:
    """Closed on the ack: send, read the ack, send the next (`until="answer"`: wait for the answer too)."""

    def __init__(
        self,
        urls: list[str],
        slack: Any,
        pods: list[str],
        *,
        secret: str,
        seed: int,
        command_share: float = SHARES["command"],
        hot_share: float = HOT_SHARE,
        until: str = "ack",
    ) -> None:
        self.urls = urls
        self.slack = slack
        self.until = until
        self.command_share = command_share
        self.hot_share = hot_share
        self.signer = SlackRequests(secret, standin=slack)
        self.pods = pods
        self.hot = pods[0]
        self.rng = random.Random(seed)
        self.ids = itertools.count(1)
        self.tally = StormTally()

    def _request(self) -> tuple[str, str, SignedRequest]:
        n = next(self.ids)
        channel, user = f"CSTORM{n:07d}", f"USTORM{n:07d}"
        if self.rng.random() < self.command_share:
            pod = self.hot if self.rng.random() < self.hot_share else self.rng.choice(self.pods)
            return (
                "command",
                channel,
                self.signer.slash_command(f"pod soak/{pod}", channel_id=channel, user_id=user),
            )
        text = self.rng.choice(ERRORS)
        return (
            "paste",
            channel,
            self.signer.message(channel, text, user=user, ts=f"{int(time.time())}.{n:06d}"),
        )

    async def _one(
        self, session: aiohttp.ClientSession, url: str, *, started: float | None = None
    ) -> None:
        """Send one request and read its ack; its latency counts from `started` (perf_counter) when given:
        the moment an open-loop arrival was due, so time spent waiting for a free connection counts too."""
        kind, channel, request = self._request()
        started = time.perf_counter() if started is None else started
        try:
            async with session.post(
                f"{url}/slack/events", data=request.body, headers=request.headers
            ) as response:
                body, status = await response.text(), response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.tally.errors[f"{kind}: {type(exc).__name__}"] += 1
            return
        self.tally.acks.append(time.perf_counter() - started)
        self.tally.kinds[channel] = kind
        if status != 200:
            self.tally.errors[f"{kind}: HTTP {status}"] += 1
            return
        text = str(json.loads(body).get("text") or "") if body.startswith("{") else ""
        if text.startswith(BUSY):
            self.tally.acked_busy.add(channel)
        elif text.startswith(SLOW):
            self.tally.acked_slow.add(channel)
        elif self.until == "answer":
            await self.slack.wait_answers(channel, 1, timeout=30)

    async def run(self, clients: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds

        async def client(session: aiohttp.ClientSession, url: str) -> None:
            while time.monotonic() < deadline:
                await self._one(session, url)

        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=30)
        ) as session:
            await asyncio.gather(
                *(client(session, self.urls[n % len(self.urls)]) for n in range(clients))
            )

    async def run_open(
        self, rate: float, seconds: float, connections: int, *, poisson: bool = True
    ) -> None:
        """Open loop: requests arrive at `rate` a second (exponential gaps, or fixed ones) whatever the acks
        do, over at most `connections` connections; an arrival finding none free waits for one, and that
        wait is part of its ack latency (no coordinated omission)."""
        free = asyncio.Semaphore(connections)
        sending: set[asyncio.Task[None]] = set()
        connector = aiohttp.TCPConnector(limit=connections)

        async def arrival(session: aiohttp.ClientSession, url: str, due: float) -> None:
            async with free:
                await self._one(session, url, started=due)

        async with aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=30)
        ) as session:
            began = time.perf_counter()
            due, n = began, 0
            while due - began < seconds:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                task = asyncio.ensure_future(arrival(session, self.urls[n % len(self.urls)], due))
                sending.add(task)
                task.add_done_callback(sending.discard)
                n += 1
                due += self.rng.expovariate(rate) if poisson else 1 / rate
            if sending:
                await asyncio.wait(set(sending))


def outcome(channel: str, tally: StormTally, slack: Any) -> str:
    """real (a diagnosis), busy, slow, other (answered otherwise) or silent."""
    if channel in tally.acked_busy:
        return "busy"
    if channel in tally.acked_slow:
        return "slow"
    calls = slack.answers(channel)
    if any(call.blocks for call in calls):
        return "real"
    texts = [str(call.params.get("text") or "") for call in calls]
    if any(text.startswith(BUSY) for text in texts):
        return "busy"
    return "other" if calls else "silent"


async def _until_none_silent(tally: StormTally, slack: Any, drain: float) -> float:
    """Seconds after the load until every request had its answer or busy line (at most `drain`),
    then one more second, for a doubled answer to show."""
    began = time.monotonic()
    while time.monotonic() - began < drain:
        if all(outcome(channel, tally, slack) != "silent" for channel in tally.kinds):
            quiet = time.monotonic() - began
            await asyncio.sleep(min(1.0, max(0.0, drain - quiet)))
            return quiet
        await asyncio.sleep(0.25)
    return drain


def told_more_than_once(channel: str, tally: StormTally, slack: Any) -> bool:
    """Whether the request got more than one answer (a busy or slow-down ack counts as one)."""
    acked = channel in tally.acked_busy or channel in tally.acked_slow
    return len(slack.answers(channel)) + acked > 1


def _db_bytes(database: Path | None) -> int | None:
    if database is None:
        return None
    return sum(p.stat().st_size for p in database.parent.glob(database.name + "*") if p.is_file())


async def _scrape(url: str) -> dict[str, float]:
    async with aiohttp.ClientSession() as session, session.get(f"{url}/metrics") as response:
        text = await response.text()
    wanted = (
        "kubemedic_requests_shed_total",
        "kubemedic_diagnoses_coalesced_total",
        "kubemedic_work_queue_depth",
        "kubemedic_ack_seconds_bucket",
    )
    figures: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith(wanted):
            name, value = line.rsplit(" ", 1)
            figures[name] = float(value)
    return figures


def _summed(pids: list[int], field: str) -> float:
    """A /proc/PID/status figure (kB) summed over the replicas and their worker processes, in MB."""
    return (
        sum(proc_status_kb(process, field) or 0 for pid in pids for process in with_children(pid))
        / 1024
    )


def run_storm(
    bots: list[Any],
    slack: Any,
    pods: list[str],
    args: argparse.Namespace,
    *,
    secret: str,
    database: Path | None,
) -> dict[str, Any]:
    """Run the storm against ready replicas (client n sends to replica n mod len(bots)); print and return
    the figures, memory and CPU summed over the replicas."""
    clients = StormClients(
        [bot.url for bot in bots],
        slack,
        pods,
        secret=secret,
        seed=args.seed,
        command_share=args.command_share,
        hot_share=args.hot_share,
        until=args.until,
    )
    pids = [bot.process.pid for bot in bots]
    rss: dict[str, float] = {}

    async def storm() -> float:
        slack.loop = asyncio.get_running_loop()

        async def sample_at_10() -> None:
            await asyncio.sleep(min(10.0, args.seconds / 2))
            rss["at_10s"] = _summed(pids, "VmRSS")

        rss["start"] = _summed(pids, "VmRSS")
        sampler = asyncio.ensure_future(sample_at_10())
        started, cpu, own = time.monotonic(), sum(map(cpu_seconds, pids)), time.process_time()
        if args.rate:
            await clients.run_open(
                args.rate, args.seconds, args.clients, poisson=args.arrivals == "poisson"
            )
        else:
            await clients.run(args.clients, args.seconds)
        elapsed = time.monotonic() - started
        rss["cpu_seconds"] = sum(map(cpu_seconds, pids)) - cpu
        rss["bench_cpu_seconds"] = time.process_time() - own
        await sampler
        rss["end"] = _summed(pids, "VmRSS")
        rss["quiet_after"] = await _until_none_silent(clients.tally, slack, args.drain)
        rss["drained"] = _summed(pids, "VmRSS")
        rss["peak"] = _summed(pids, "VmHWM")
        return elapsed

    elapsed = asyncio.run(storm())
    metrics: Counter[str] = Counter()
    for bot in bots:
        metrics.update(asyncio.run(_scrape(bot.url)))
    tally = clients.tally
    outcomes = Counter(outcome(channel, tally, slack) for channel in tally.kinds)
    outcomes["twice"] = sum(
        1 for channel in tally.kinds if told_more_than_once(channel, tally, slack)
    )
    return _print(tally, outcomes, rss, dict(metrics), args, elapsed, _db_bytes(database))


def _print(
    tally: StormTally,
    outcomes: Counter[str],
    rss: dict[str, float],
    metrics: dict[str, float],
    args: argparse.Namespace,
    elapsed: float,
    db_bytes: int | None,
) -> dict[str, Any]:
    sent = len(tally.kinds)
    acks = sorted(tally.acks)
    growth = rss["end"] / rss["at_10s"] - 1 if rss.get("at_10s") else float("nan")
    real_share = outcomes["real"] / max(sent, 1)
    replicas = f" on {args.replicas} replicas" if args.replicas > 1 else ""
    replicas += f" of {args.workers} worker processes" if args.workers > 1 else ""
    shape = (
        f"open loop, {args.rate:g} arrivals/s ({args.arrivals}) over at most {args.clients} connections"
        if args.rate
        else f"{args.clients} requests in flight, closed on the {args.until}"
    )
    print(
        f"\nstorm: {shape}{replicas} for {args.seconds:g} s: {sent} requests "
        f"({sent / elapsed:.0f}/s; {Counter(tally.kinds.values())}); load before: {_load()}"
    )
    print("\n| figure | value | target |\n|---|---|---|")
    print(
        f"| ack p50 / p95 / p99 / max | {percentile(acks, 0.5) * 1000:.0f} / {percentile(acks, 0.95) * 1000:.0f} / "
        f"{percentile(acks, 0.99) * 1000:.0f} / {acks[-1] * 1000:.0f} ms | max < 3000 ms |"
    )
    print(f"| acks >= 3 s | {sum(1 for a in acks if a >= ACK_TARGET)} | 0 |")
    print(f"| a real diagnosis | {outcomes['real']} ({real_share:.1%}) | >= 90% |")
    print(f"| told `kubemedic is busy` | {outcomes['busy']} | |")
    print(
        f"| told to slow down / answered otherwise | {outcomes['slow']} / {outcomes['other']} | |"
    )
    print(f"| real answers / seconds of load | {outcomes['real'] / elapsed:.1f} | |")
    print(f"| silent {args.drain:g} s after the load | {outcomes['silent']} | 0 |")
    print(
        f"| every request answered or told busy, seconds after the load | "
        f"{rss['quiet_after']:.1f}{'+' if outcomes['silent'] else ''} | <= 10 |"
    )
    print(f"| answered more than once | {outcomes['twice']} | 0 |")
    print(
        f"| bot RSS at 10 s -> end of load -> {rss['quiet_after']:.0f} s later | "
        f"{rss.get('at_10s', 0):.0f} -> {rss['end']:.0f} "
        f"-> {rss['drained']:.0f} MB ({growth:+.1%}) | < +25% |"
    )
    print(f"| bot RSS peak | {rss['peak']:.0f} MB | |")
    cpu_ms = rss["cpu_seconds"] * 1000
    print(
        f"| bot CPU during the load (all its processes) | {rss['cpu_seconds']:.1f} s "
        f"({rss['cpu_seconds'] / elapsed:.0%} of a core) | |"
    )
    print(
        f"| this bench's CPU (clients, Slack and Kubernetes stand-ins) | {rss['bench_cpu_seconds']:.1f} s "
        f"({rss['bench_cpu_seconds'] / elapsed:.0%} of a core) | |"
    )
    print(
        f"| bot CPU per request / per answered / per shed request | {cpu_ms / max(sent, 1):.1f} / "
        f"{_per(cpu_ms, outcomes['real'])} / {_per(cpu_ms, outcomes['busy'])} ms | answered <= 6 (pod), 8 (paste) |"
    )
    if args.answer_cost_ms and outcomes["busy"]:
        shed_ms = (cpu_ms - outcomes["real"] * args.answer_cost_ms) / max(outcomes["busy"], 1)
        print(
            f"| bot CPU per shed request, {args.answer_cost_ms:g} ms taken per answered | {shed_ms:.2f} ms | < 1 |"
        )
    print(
        f"| database size | {db_bytes / 1e6:.1f} MB |"
        if db_bytes is not None
        else "| database size | n/a |",
        " |",
    )
    inside = bot_side_acks(metrics)
    if inside:
        print(
            "| acks timed inside the bot (its kubemedic_ack_seconds), within 10 / 50 / 100 / 250 ms | "
            + " / ".join(f"{inside.get(le, 0):.1%}" for le in ("0.01", "0.05", "0.1", "0.25"))
            + " | |"
        )
    for name, value in sorted(metrics.items()):
        if not name.startswith("kubemedic_ack_seconds_bucket"):
            print(f"| /metrics {name} | {value:g} | |")
    print(f"| client errors | {sum(tally.errors.values())} {dict(tally.errors) or ''} | 0 |")
    return {
        "requests": sent,
        "rate": sent / elapsed,
        "cpu_ms_per_request": cpu_ms / max(sent, 1),
        "cpu_ms_per_answered": cpu_ms / max(outcomes["real"], 1),
        "ack_p99": percentile(acks, 0.99) if acks else None,
        "ack_max": acks[-1] if acks else None,
        "acks_over_target": sum(1 for a in acks if a >= ACK_TARGET),
        "outcomes": dict(outcomes),
        "quiet_after_seconds": rss["quiet_after"],
        "real_share": real_share,
        "rss": rss,
        "rss_growth": growth,
        "db_bytes": db_bytes,
        "metrics": metrics,
        "errors": dict(tally.errors),
    }


def bot_side_acks(metrics: dict[str, float]) -> dict[str, float]:
    """The share of acks the bot timed within each bucket bound (`le`), all kinds and replicas together:
    the ack without the network and the clients' own process, to tell the bot's delay from the machine's."""
    by_bound: Counter[str] = Counter()
    for name, value in metrics.items():
        if name.startswith("kubemedic_ack_seconds_bucket") and 'le="' in name:
            by_bound[name.split('le="', 1)[1].split('"', 1)[0]] += int(value)
    total = by_bound.get("+Inf", 0)
    return {le: count / total for le, count in by_bound.items()} if total else {}


def _load() -> str:
    """The machine's load averages (1, 5, 15 min): the machine is shared, so every figure carries them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _per(cpu_ms: float, count: int) -> str:
    """All the CPU over `count` requests of one outcome: that outcome's cost in a run of only it."""
    return f"{cpu_ms / count:.1f}" if count else "-"
