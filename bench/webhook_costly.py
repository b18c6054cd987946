"""/healthz and another user's ack while each webhook route reads its costliest delivery (issue 83).

    python -m bench.webhook_costly [--rounds 3] [--route pagerduty]

For each route (Alertmanager, PagerDuty, Opsgenie, a Slack message, a Teams message) the bot runs
as the tests run it (tests/slack/harness.py, tests/incidents/harness.py, tests/teams/harness.py:
the real app on loopback, stand-ins for the vendors, SQLite), and a probe asks /healthz and sends
a signed slash command (`/diagnose help`; a Teams conversation update for Teams) one after the
other, without pause: first idle, then while the route's costliest delivery
(tests/hardening/costly_webhooks.py, at the largest scale its body limit allows) is sent and read.
It prints, per route, the probes' latency idle and during, the delivery's own time and answer,
and the CPU this process spent. The bot and the probes share one event loop, as a process's
requests do: a delivery read on the loop shows as probes that wait for it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from tests.hardening.costly_webhooks import (
    alert_group,
    costly,
    opsgenie_details,
    pagerduty_details,
    slack_text,
    teams_text,
)
from tests.incidents.harness import OG_SECRET, PD_SECRET, running_paged_bot
from tests.slack.harness import running_bot
from tests.standins.opsgenie_api import bearer, webhook
from tests.standins.pagerduty_api import event, signed
from tests.teams.harness import running_teams_bot

TOKEN = "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"
SETTINGS = {"KUBEMEDIC_ALERT_CHANNEL": "C0ALERTS01"}
Call = Callable[[], Awaitable[int]]
Route = Callable[[Path], AsyncIterator[tuple[Call, list[Call]]]]
"""A running bot: its costliest delivery, and the probes (/healthz, an ack)."""


async def get(url: str) -> int:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status


async def timed(call: Call) -> float:
    """Seconds until `call` was answered (or its client gave up, after 10 s)."""
    started = time.perf_counter()
    with contextlib.suppress(TimeoutError):
        await call()
    return time.perf_counter() - started


async def probing(probes: list[Call], until: asyncio.Future[object] | int) -> list[list[float]]:
    """Each probe's latencies, probing one after the other until `until` is done (or that many
    rounds)."""
    found: list[list[float]] = [[] for _ in probes]
    rounds = 0
    while (until.done() is False) if isinstance(until, asyncio.Future) else rounds < until:
        for index, probe in enumerate(probes):
            found[index].append(await timed(probe))
        rounds += 1
    return found


def shown(values: list[float]) -> str:
    if not values:
        return "none answered"
    ms = sorted(value * 1000 for value in values)
    return f"n={len(ms)} p50 {statistics.median(ms):.0f} ms, max {ms[-1]:.0f} ms"


@asynccontextmanager
async def alertmanager(tmp: Path) -> AsyncIterator[tuple[Call, list[Call]]]:
    async with running_bot(tmp, KUBEMEDIC_ALERTMANAGER_TOKEN=TOKEN, **SETTINGS) as bot:

        async def slash() -> int:
            return (await bot.send(bot.requests.slash_command("help", user_id="U0PROBE001")))[0]

        async def send() -> int:
            return (await bot.post_alert(alert_group(), token=TOKEN))[0]

        yield send, [lambda: get(f"{bot.url}/healthz"), slash]


@asynccontextmanager
async def paged(tmp: Path, tool: str) -> AsyncIterator[tuple[Call, list[Call]]]:
    async with running_paged_bot(tmp, **SETTINGS) as paged:
        bot = paged.bot

        async def slash() -> int:
            return (await bot.send(bot.requests.slash_command("help", user_id="U0PROBE001")))[0]

        async def send() -> int:
            if tool == "pagerduty":
                body = event(paged.pagerduty.add_incident("down", details=pagerduty_details()))
                return (await paged.deliver("/incidents/pagerduty", body, signed(body, PD_SECRET)))[
                    0
                ]
            alert = paged.opsgenie.add_alert(costly(1_024), details=opsgenie_details())
            return (await paged.deliver("/incidents/opsgenie", webhook(alert), bearer(OG_SECRET)))[
                0
            ]

        yield send, [lambda: get(f"{bot.url}/healthz"), slash]


@asynccontextmanager
async def slack(tmp: Path) -> AsyncIterator[tuple[Call, list[Call]]]:
    async with running_bot(tmp, **SETTINGS) as bot:

        async def slash() -> int:
            return (await bot.send(bot.requests.slash_command("help", user_id="U0PROBE001")))[0]

        async def send() -> int:
            return (await bot.send(bot.requests.message("C0GENERAL1", slack_text(2))))[0]

        yield send, [lambda: get(f"{bot.url}/healthz"), slash]


@asynccontextmanager
async def teams(tmp: Path) -> AsyncIterator[tuple[Call, list[Call]]]:
    async with running_teams_bot(tmp) as teams:

        async def update() -> int:
            return (await teams.send({**teams.bf.message("hi"), "type": "conversationUpdate"}))[0]

        async def send() -> int:
            return (await teams.send(teams.bf.message(teams_text(4))))[0]

        yield send, [lambda: get(f"{teams.url}/healthz"), update]


ROUTES: dict[str, Callable[[Path], object]] = {
    "Alertmanager (150 alerts at the caps, 1.9 MB)": alertmanager,
    "PagerDuty (100 custom details at the cap, 1.2 MB)": lambda tmp: paged(tmp, "pagerduty"),
    "Opsgenie (480 details of 1,000, 480 KB)": lambda tmp: paged(tmp, "opsgenie"),
    "Slack message (480,000 characters)": slack,
    "Teams message (240,000 characters)": teams,
}


async def measure(name: str, route: Callable[[Path], object], rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with route(Path(tmp)) as (send, probes):  # type: ignore[attr-defined]
            idle = await probing(probes, 20)
            await asyncio.sleep(1)  # the bot's start-up work done
            cpu = time.process_time()
            for _ in range(rounds):
                started = time.perf_counter()
                delivery = asyncio.ensure_future(send())
                during = await probing(probes, delivery)
                took = time.perf_counter() - started
                failed = delivery.exception()
                status = "no answer in 10 s" if failed else delivery.result()
                print(
                    f"{name}: answered {status} in {took:.2f} s | /healthz idle "
                    f"{shown(idle[0])}, during {shown(during[0])} | ack idle {shown(idle[1])}, "
                    f"during {shown(during[1])}",
                    flush=True,
                )
            print(
                f"  CPU of this process over {rounds} deliveries: {time.process_time() - cpu:.1f} s"
            )


async def main(rounds: int, only: str) -> None:
    for name, route in ROUTES.items():
        if only.lower() in name.lower():
            await measure(name, route, rounds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="costly deliveries per route")
    parser.add_argument("--route", default="", help="only the routes whose name holds this")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.route))
