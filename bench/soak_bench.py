"""Soak benchmark: concurrent Slack clients with mixed requests against `kubemedic serve --http`.

    python -m bench.soak_bench [--seconds 60] [--clients 200] [--kube-latency 0.02]
    python -m bench.soak_bench --seconds 5 --clients 20      # smoke
    python -m bench.soak_bench --shape storm                 # closed on the ack: see bench/soak_storm.py
    python -m bench.soak_bench --distinct-pastes 10000       # RSS over distinct pastes: bench/soak_distinct.py

The bot is a real subprocess (HTTP mode, SQLite file unless --database-url);
this process hosts the Slack Web API and Kubernetes API stand-ins (each on
its own thread) and runs the clients on its event loop. Each client is
closed-loop: it sends one request, waits for its answer, then sends the
next. Requests, by share:

- command (`/diagnose pod soak/NAME`, a pod of a 200-pod namespace, half unhealthy):
  one answer expected (chat.postMessage, or a private response_url reply);
- paste (a message event, a fresh event id): a high-confidence error gets one
  threaded reply; a chat line (one paste in ten) gets none;
- feedback: a command, then a click on its "Helpful" button: one private reply more;
- remediation: a command on a pod the kubelet rejected (OutOfpods), then an admin click on its
  delete button: the outcome in the thread and the button row replaced.

Every request goes to a channel of its own (from a user of its own), so answers are counted per
request, no per-user or per-channel budget applies, repeats of the same problem do not turn into chat.update, and the
per-channel reply budget (KUBEMEDIC_CHANNEL_REPLIES_PER_MINUTE, 6) never
drops a paste. Printed: requests by kind, ack latency p50/p95/p99/max
(target: every ack < 3 s; measured in this process, so it includes the
client's own scheduling delay), answers posted vs expected, lost and
duplicate answers, the bot's RSS every second (growth from the mean of the
first 10 s to the mean of the last 10 s, target < 10 %) and errors.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import random
import statistics
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.measure import percentile, proc_status_kb
from bench.soak_slack import ERRORS, CountingSlack
from tests.standins import kube_scenarios
from tests.standins.bot_process import BotProcess
from tests.standins.kube_api import KubeStandIn, write_kubeconfig
from tests.standins.kube_api import start_in_thread as start_kube
from tests.standins.slack_api import RecordedCall
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import SignedRequest, SlackRequests

SECRET = "soak-signing-secret-0123456789abcdef"
TOKEN = "xoxb-soak"
ADMIN = "U0SOAKADMIN"
ACK_TARGET = 3.0
RSS_WINDOW = 10.0
CHAT = "deploying v2.3.1 to staging now, ping me if anything looks off"
KINDS = {"command": 0.45, "paste": 0.35, "feedback": 0.12, "remediation": 0.08}


def _user(channel: str) -> str:
    """Each request's own user, as its own channel: no per-user or per-channel budget applies."""
    return "U" + channel[1:]


@dataclass
class Tally:
    """What the clients did and what they expect to see."""

    sent: Counter[str] = field(default_factory=Counter)
    acks: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    expected: dict[str, int] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)


class Clients:
    """Closed-loop clients: send, wait for the answer, repeat until the deadline."""

    def __init__(
        self, url: str, slack: CountingSlack, pods: list[str], evicted: list[str], seed: int
    ) -> None:
        self.url = url
        self.slack = slack
        self.pods = pods
        self.evicted = evicted
        self.signer = SlackRequests(SECRET, standin=slack)
        self.tally = Tally()
        self.rng = random.Random(seed)
        self.ids = itertools.count(1)
        self.session: aiohttp.ClientSession | None = None

    def _channel(self, kind: str) -> str:
        return f"C{kind[:3].upper()}{next(self.ids):07d}"

    async def _send(self, kind: str, request: SignedRequest) -> str | None:
        assert self.session is not None
        started = time.perf_counter()
        try:
            async with self.session.post(
                f"{self.url}/slack/events", data=request.body, headers=request.headers
            ) as response:
                body = await response.text()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.tally.errors[f"{kind}: {type(exc).__name__}"] += 1
            return None
        self.tally.acks[kind].append(time.perf_counter() - started)
        self.tally.sent[kind] += 1
        if status != 200:
            self.tally.errors[f"{kind}: HTTP {status}"] += 1
            return None
        return body

    async def _command(
        self, pod: str, channel: str, *, kind: str = "command"
    ) -> RecordedCall | None:
        self.tally.expected[channel] = 1
        if (
            await self._send(
                kind, self.signer.slash_command(pod, channel_id=channel, user_id=_user(channel))
            )
            is None
        ):
            self.tally.expected[channel] = 0
            return None
        answers = await self.slack.wait_answers(channel, 1)
        return answers[0] if answers and answers[0].method == "chat.postMessage" else None

    async def command(self) -> None:
        await self._command(f"pod soak/{self.rng.choice(self.pods)}", self._channel("command"))

    async def paste(self) -> None:
        channel = self._channel("paste")
        quiet = self.rng.random() < 0.1
        text = CHAT if quiet else self.rng.choice(ERRORS)
        ts = f"{int(time.time())}.{next(self.ids):06d}"
        self.tally.expected[channel] = 0 if quiet else 1
        if (
            await self._send(
                "paste", self.signer.message(channel, text, user=_user(channel), ts=ts)
            )
            is None
        ):
            self.tally.expected[channel] = 0
            return
        await (asyncio.sleep(0.5) if quiet else self.slack.wait_answers(channel, 1))

    async def feedback(self) -> None:
        channel = self._channel("feedback")
        posted = await self._command(f"pod soak/{self.rng.choice(self.pods)}", channel)
        if posted is None or "feedback_helpful" not in json.dumps(posted.blocks):
            return
        self.tally.expected[channel] += 1
        if (
            await self._send("click:feedback", self.signer.click(posted, "feedback_helpful"))
            is None
        ):
            self.tally.expected[channel] -= 1
            return
        await self.slack.wait_answers(channel, 2)

    async def remediation(self) -> None:
        if not self.evicted:
            await self.feedback()
            return
        channel = self._channel("remediation")
        posted = await self._command(f"pod evict/{self.evicted.pop()}", channel)
        if posted is None or "remediate" not in json.dumps(posted.blocks):
            self.tally.errors["remediation: no button offered"] += 1
            return
        self.tally.expected[channel] += 2  # the outcome in the thread, the button row replaced
        if (
            await self._send(
                "click:remediation", self.signer.click(posted, "remediate", user_id=ADMIN)
            )
            is None
        ):
            self.tally.expected[channel] -= 2
            return
        await self.slack.wait_answers(channel, 3)

    async def run(self, clients: int, seconds: float) -> None:
        flows = {
            "command": self.command,
            "paste": self.paste,
            "feedback": self.feedback,
            "remediation": self.remediation,
        }
        kinds, weights = list(KINDS), list(KINDS.values())
        deadline = time.monotonic() + seconds

        async def client() -> None:
            while time.monotonic() < deadline:
                await flows[self.rng.choices(kinds, weights)[0]]()

        connector = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as self.session:
            await asyncio.gather(*(client() for _ in range(clients)))


class RssSampler(threading.Thread):
    """The bot's resident set size once a second, as (seconds since start, KiB)."""

    def __init__(self, pid: int) -> None:
        super().__init__(name="rss-sampler", daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, int]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self.stopped.is_set():
            kb = proc_status_kb(self.pid, "VmRSS")
            if kb is not None:
                self.samples.append((time.monotonic() - started, kb))
            self.stopped.wait(1.0)

    def growth(self, seconds: float) -> tuple[float, float, float]:
        """Mean MiB of the first and of the last `window` seconds, and the growth ratio."""
        window = min(RSS_WINDOW, seconds / 2)
        first = [kb for t, kb in self.samples if t < window] or [self.samples[0][1]]
        last = [kb for t, kb in self.samples if t >= seconds - window] or [self.samples[-1][1]]
        head, tail = statistics.mean(first) / 1024, statistics.mean(last) / 1024
        return head, tail, tail / head - 1


def _deletes(kube: KubeStandIn) -> int:
    return sum(1 for w in kube.writes() if w.method == "DELETE" and not w.dry_run)


def _report(
    tally: Tally,
    slack: CountingSlack,
    kube: KubeStandIn,
    rss: RssSampler,
    args: argparse.Namespace,
    elapsed: float,
    warm: dict[str, float],
) -> dict[str, Any]:
    answered = {channel: len(slack.answers(channel)) for channel in tally.expected}
    expected = sum(tally.expected.values())
    posted = sum(min(answered[c], n) for c, n in tally.expected.items())
    lost = sum(max(0, n - answered[c]) for c, n in tally.expected.items())
    duplicates = sum(max(0, answered[c] - n) for c, n in tally.expected.items())
    all_acks = sorted(a for values in tally.acks.values() for a in values)
    head, tail, growth = rss.growth(elapsed)
    window = min(RSS_WINDOW, elapsed / 2)
    deletes = _deletes(kube) - int(warm["deletes"])
    results = {
        "seconds": args.seconds,
        "clients": args.clients,
        "sent": dict(tally.sent),
        "requests": sum(tally.sent.values()),
        "ack_p50": percentile(all_acks, 0.5),
        "ack_p95": percentile(all_acks, 0.95),
        "ack_p99": percentile(all_acks, 0.99),
        "ack_max": all_acks[-1] if all_acks else float("nan"),
        "acks_over_target": sum(1 for a in all_acks if a >= ACK_TARGET),
        "expected": expected,
        "posted": posted,
        "lost": lost,
        "duplicates": duplicates,
        "rss_first_mb": head,
        "rss_last_mb": tail,
        "rss_growth": growth,
        "rss_peak_mb": max(kb for _, kb in rss.samples) / 1024,
        "errors": dict(tally.errors),
        "pods_deleted": deletes,
        "rss_idle_mb": warm.get("idle_mb"),
        "rss_warm_mb": warm.get("warm_mb"),
    }
    print(
        f"\nsoak: {args.clients} clients for {args.seconds:g} s, {results['requests']} requests "
        f"({results['requests'] / elapsed:.0f}/s)"
    )
    print("| kind | sent | ack p50 | ack p95 | ack p99 | ack max |")
    print("|---|---|---|---|---|---|")
    for kind in sorted(tally.acks):
        ordered = sorted(tally.acks[kind])
        print(
            f"| {kind} | {tally.sent[kind]} | {percentile(ordered, 0.5) * 1000:.0f} ms | "
            f"{percentile(ordered, 0.95) * 1000:.0f} ms | {percentile(ordered, 0.99) * 1000:.0f} ms | "
            f"{ordered[-1] * 1000:.0f} ms |"
        )
    print(
        f"| all | {len(all_acks)} | {results['ack_p50'] * 1000:.0f} ms | {results['ack_p95'] * 1000:.0f} ms | "
        f"{results['ack_p99'] * 1000:.0f} ms | {results['ack_max'] * 1000:.0f} ms |"
    )
    print("\n| figure | value | target |")
    print("|---|---|---|")
    print(f"| acks >= 3 s | {results['acks_over_target']} of {len(all_acks)} | 0 |")
    print(
        f"| answers posted / expected | {posted} / {expected} ({posted / max(expected, 1):.2%}) | 100% |"
    )
    print(f"| lost answers | {lost} | 0 |")
    print(f"| duplicate answers | {duplicates} | 0 |")
    print(
        f"| remediation clicks -> pods deleted (after a dry run) | {tally.sent['click:remediation']} -> "
        f"{deletes} | equal |"
    )
    if args.warmup > 0:
        print(
            f"| bot RSS idle -> after {args.warmup:g} s warm-up (not measured) | {warm['idle_mb']:.0f} MB -> "
            f"{warm['warm_mb']:.0f} MB | |"
        )
    print(
        f"| bot RSS first {window:g} s -> last {window:g} s (mean) | {head:.0f} MB -> {tail:.0f} MB "
        f"({growth:+.1%}) | < +10% |"
    )
    print(f"| bot RSS peak | {results['rss_peak_mb']:.0f} MB | |")
    trajectory = " ".join(f"{kb / 1024:.0f}" for t, kb in rss.samples if int(t) % 10 == 0)
    print(f"| bot RSS every 10 s (MB) | {trajectory} | |")
    print(f"| client errors | {sum(tally.errors.values())} {dict(tally.errors) or ''} | 0 |")
    return results


def _cluster(kube_latency: float, evicted: int) -> tuple[KubeStandIn, list[str], list[str]]:
    kube = KubeStandIn(latency=kube_latency)
    kube_scenarios.bulk_namespace(kube, "soak", n_pods=200, unhealthy_ratio=0.5)
    pods = [pod["metadata"]["name"] for pod in kube.objects("pods", "soak")]
    names = [f"rejected-{i:05d}" for i in range(evicted)]
    for name in names:
        kube_scenarios.out_of_pods(kube, namespace="evict", name=name)
    return kube, pods, names


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=60.0, help="how long the clients send (default 60)"
    )
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients (default 200)")
    parser.add_argument(
        "--kube-latency", type=float, default=0.02, help="seconds added to every API request"
    )
    parser.add_argument("--database-url", help="the bot's database (default: a SQLite file)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--drain",
        type=float,
        default=30.0,
        help="storm: seconds after the load before requests are counted (default 30)",
    )
    parser.add_argument(
        "--shape",
        choices=("mixed", "storm"),
        default="mixed",
        help="mixed: closed on the answer (below); storm: closed on the ack (bench/soak_storm.py)",
    )
    parser.add_argument(
        "--malloc-arena-max",
        default="2",
        help="MALLOC_ARENA_MAX for the bot, as deploy/Dockerfile sets it (default 2; '' = glibc's)",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=0.0,
        help="seconds of the same load before the measured window (default 0: RSS from a cold start)",
    )
    parser.add_argument(
        "--command-share",
        type=float,
        default=0.7,
        help="storm: the share of `/diagnose pod` commands, the rest pasted errors (default 0.7)",
    )
    parser.add_argument(
        "--until",
        choices=("ack", "answer"),
        default="ack",
        help="storm: each client sends its next request when its ack arrives (the storm), or "
        "only once its answer has arrived too (the cost of an answer, nothing shed)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes per replica (KUBEMEDIC_WORKER_PROCESSES, default 1)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the bot, e.g. KUBEMEDIC_WORKER_PROCESSES=2 (repeatable)",
    )
    parser.add_argument(
        "--hot-share",
        type=float,
        default=0.8,
        help="storm: the share of the commands asking about the one hot pod (default 0.8)",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="storm: open loop, this many requests a second whatever the acks do, over at most "
        "--clients connections (default 0: closed loop)",
    )
    parser.add_argument(
        "--arrivals",
        choices=("poisson", "fixed"),
        default="poisson",
        help="storm --rate: exponential gaps between arrivals, or a fixed interval",
    )
    parser.add_argument(
        "--answer-cost-ms",
        type=float,
        default=0.0,
        help="storm: CPU ms an answered request costs (from a run below capacity, nothing shed); "
        "the rest of the bot's CPU, over the shed requests, is printed as the cost of one",
    )
    parser.add_argument(
        "--distinct-pastes",
        type=int,
        default=0,
        metavar="N",
        help="instead of the mixed load: N distinct pastes, the bot's RSS printed every 1,000 "
        "(bench/soak_distinct.py; --clients of them at once)",
    )
    parser.add_argument(
        "--replicas",
        type=int,
        default=1,
        help="storm: bot replicas sharing --database-url (PostgreSQL), the clients spread over "
        "them as a Service spreads connections (default 1)",
    )
    args = parser.parse_args(argv)
    if args.replicas > 1 and not (args.shape == "storm" and args.database_url):
        parser.error(
            "--replicas above 1 needs --shape storm and a shared --database-url (PostgreSQL)"
        )
    slack = CountingSlack(bot_token=TOKEN)
    kube, pods, evicted = _cluster(
        args.kube_latency, evicted=max(50, int(args.clients * (args.seconds + args.warmup) / 10))
    )
    with (
        tempfile.TemporaryDirectory() as directory,
        start_slack(slack) as slack_server,
        start_kube(kube) as kube_server,
    ):
        tmp = Path(directory)
        kubeconfig = write_kubeconfig(tmp / "kubeconfig", {"soak": kube_server.url}, current="soak")
        env = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack_server.api_url,
            "KUBECONFIG": str(kubeconfig),
            "KUBEMEDIC_CACHE_DIR": str(tmp / "cache"),
            "KUBEMEDIC_DATABASE_URL": args.database_url or f"sqlite+aiosqlite:///{tmp / 'bot.db'}",
            "KUBEMEDIC_ADMINS": ADMIN,
            "MALLOC_ARENA_MAX": args.malloc_arena_max,
            "KUBEMEDIC_WORKER_PROCESSES": str(args.workers),
            **dict(setting.split("=", 1) for setting in args.env),
        }
        if args.shape == "storm":
            with contextlib.ExitStack() as replicas:
                bots = [
                    replicas.enter_context(BotProcess(env, tmp / f"bot-{n}.log"))
                    for n in range(args.replicas)
                ]
                for replica in bots:
                    replica.wait_ready()
                return _storm(
                    bots, slack, pods, args, None if args.database_url else tmp / "bot.db"
                )
        with BotProcess(env, tmp / "bot.log") as bot:
            bot.wait_ready()
            if args.distinct_pastes:
                return _distinct(bot, slack, args)
            clients = Clients(bot.url, slack, pods, evicted, args.seed)
            rss = RssSampler(bot.process.pid)

            async def soak() -> float:
                slack.loop = asyncio.get_running_loop()
                warm["idle_mb"] = (proc_status_kb(bot.process.pid, "VmRSS") or 0) / 1024
                if args.warmup > 0:
                    await clients.run(args.clients, args.warmup)
                    await asyncio.gather(
                        *(
                            slack.wait_answers(c, n, timeout=30)
                            for c, n in clients.tally.expected.items()
                            if n
                        )
                    )
                    warm["deletes"] = _deletes(kube)
                    warm["warm_mb"] = (proc_status_kb(bot.process.pid, "VmRSS") or 0) / 1024
                    clients.tally = Tally()
                rss.start()
                started = time.monotonic()
                await clients.run(args.clients, args.seconds)
                elapsed = time.monotonic() - started
                rss.stopped.set()
                # the last answers still on their way
                await asyncio.gather(
                    *(
                        slack.wait_answers(c, n, timeout=30)
                        for c, n in clients.tally.expected.items()
                        if n
                    )
                )
                await asyncio.sleep(1.0)  # a duplicate would come now
                return elapsed

            warm: dict[str, float] = {"deletes": 0}
            elapsed = asyncio.run(soak())
            results = _report(clients.tally, slack, kube, rss, args, elapsed, warm)
            crashed = bot.process.poll()
            bot_errors = _error_lines(bot)
        results["bot_exit"] = crashed
        results["bot_log_errors"] = bot_errors
        print(f"| bot error lines in its log | {bot_errors} | 0 |")
    return results


def _distinct(bot: BotProcess, slack: CountingSlack, args: argparse.Namespace) -> dict[str, Any]:
    """The memory run: distinct pastes, RSS every 1,000 (bench/soak_distinct.py)."""
    from bench.soak_distinct import DistinctRun

    run = DistinctRun(
        bot.url,
        slack,
        SlackRequests(SECRET, standin=slack),
        bot.process.pid,
        ERRORS,
        args.distinct_pastes,
    )

    async def going() -> None:
        slack.loop = asyncio.get_running_loop()
        await run.run(args.clients)

    print(f"soak: {args.distinct_pastes:,} distinct pastes, {args.clients} at once", flush=True)
    asyncio.run(going())
    results = run.report()
    print(f"| bot error lines in its log | {_error_lines(bot)} | 0 |")
    return results


def _error_lines(bot: BotProcess) -> int:
    """Lines of the replica's log that report an error or a traceback."""
    return sum(1 for line in bot.log().splitlines() if " ERROR " in line or "Traceback" in line)


def _storm(
    bots: list[BotProcess],
    slack: CountingSlack,
    pods: list[str],
    args: argparse.Namespace,
    database: Path | None,
) -> dict[str, Any]:
    from bench.soak_storm import run_storm

    results = run_storm(bots, slack, pods, args, secret=SECRET, database=database)
    results["bot_log_errors"] = sum(map(_error_lines, bots))
    print(f"| bot error lines in its log | {results['bot_log_errors']} | 0 |")
    return results


if __name__ == "__main__":
    main()
