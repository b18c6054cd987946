"""How big the database gets: under a flood of pastes, and per day of normal use.

    python -m bench.db_size_bench [--flood 2000] [--paste-kb 40]

A real `kubemedic serve --http` on SQLite, with the Slack and Kubernetes
stand-ins on threads of this process, is sent signed requests (32 in flight):

- flood: N distinct pastes of `--paste-kb` KB (a real OOMKilled paste buried in
  generated application logs), each in its own channel, so every one is
  answered and stored (the worst case; the per-channel budget would drop most
  of them in one channel);
- a normal day (`--day`): 100 `/diagnose pod`, 200 pasted 4 KB errors over 50
  channels, 300 messages in an incident channel, 10 refused remediation clicks.

It prints the file size (with the WAL), the bytes in use (pages minus free
pages, which SQLite reuses) and the bytes per table (SQLite's dbstat), and for
the day the size the database settles at under the default retention (a day
of work rows, 30 days of diagnoses and messages, a year of audit). After the
flood it runs one retention round, as the bot does hourly, to show the file
giving back the pages the in-flight pastes used.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import aiohttp

from bot.settings import Settings
from bot.storage.records import utcnow
from bot.storage.retention import cutoffs
from bot.storage.sql import SqlStore
from tests.standins import kube_scenarios
from tests.standins.bot_process import BotProcess
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_events import member_joined_channel_event, message_event
from tests.standins.slack_requests import SignedRequest, SlackRequests

SECRET = "bench-signing-secret-0123456789abcdef"
TOKEN = "xoxb-bench"
ROOT = Path(__file__).resolve().parents[1]
OOM = (ROOT / "tests/corpus/cases/oom-killed/describe-pod-last-state.txt").read_text()
IN_FLIGHT = 32
RETAINED_DAYS = {
    "work_items": 1,
    "processed_events": 1,
    "pending_actions": 1,
    "replies": 1,
    "diagnoses": 30,
    "diagnosis_matches": 30,
    "feedback": 30,
    "channel_messages": 30,
    "summaries": 30,
    "audit": 365,
}


def paste(n: int, size: int) -> str:
    """A real paste in `size` bytes of distinct application log lines."""
    lines, total = [], 0
    while total < size - len(OOM):
        line = (
            f"2024-05-14T08:{(total // 60) % 60:02d}:{total % 60:02d}.{n:06d}Z INFO request "
            f"id=req-{n}-{total} path=/api/v1/orders/{total * 7 + n} status=200 took={total % 97}ms"
        )
        lines.append(line)
        total += len(line) + 1
    half = len(lines) // 2
    return "\n".join([*lines[:half], OOM, *lines[half:]])[:size]


async def send_all(url: str, requests: Iterable[SignedRequest]) -> None:
    slots = asyncio.Semaphore(IN_FLIGHT)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:

        async def one(request: SignedRequest) -> None:
            async with (
                slots,
                session.post(
                    f"{url}/slack/events", data=request.body, headers=request.headers
                ) as response,
            ):
                await response.read()

        await asyncio.gather(*(one(request) for request in requests))


def wait_for(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.2)


def settle(bot: BotProcess, db: Path, timeout: float = 600) -> None:
    """Until no work item is open (every request answered and finished)."""

    def done() -> bool:
        with sqlite3.connect(db) as conn:
            return (
                conn.execute("SELECT COUNT(*) FROM work_items WHERE done_at IS NULL").fetchone()[0]
                == 0
            )

    wait_for(done, timeout)


def sizes(db: Path) -> tuple[int, int, dict[str, int]]:
    """(file + WAL bytes, bytes in use, bytes per table with its indexes)."""
    on_disk = sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())
    with sqlite3.connect(db) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        used = (
            conn.execute("PRAGMA page_count").fetchone()[0]
            - conn.execute("PRAGMA freelist_count").fetchone()[0]
        ) * page
        per_index = dict(
            conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
        )
        owners = dict(conn.execute("SELECT name, tbl_name FROM sqlite_schema").fetchall())
    tables: dict[str, int] = {}
    for name, size in per_index.items():
        table = owners.get(name, name)
        tables[table] = tables.get(table, 0) + size
    return on_disk, used, tables


def mb(value: float) -> str:
    return f"{value / 1_000_000:.1f} MB"


def flood(url: str, signer: SlackRequests, count: int, size: int) -> None:
    requests = [
        signer.message(f"C0FLOOD{n:05d}", paste(n, size), ts=f"1700{n:06d}.000100")
        for n in range(count)
    ]
    asyncio.run(send_all(url, requests))


def normal_day(url: str, signer: SlackRequests, slack: SlackStandIn, pods: list[str]) -> None:
    slack.add_channel("C0INCDAY01", "inc-day", members=["U0ALICE001"])
    asyncio.run(send_all(url, [signer.event(member_joined_channel_event("C0INCDAY01"))]))
    day: list[SignedRequest] = []
    day += [
        signer.slash_command(f"pod load/{pods[n % len(pods)]}", channel_id=f"C0DAY{n % 20:05d}")
        for n in range(100)
    ]
    day += [
        signer.message(f"C0DAYP{n % 50:04d}", paste(n + 10_000, 4000), ts=f"1701{n:06d}.000100")
        for n in range(200)
    ]
    day += [
        signer.event(
            message_event(
                "C0INCDAY01",
                "U0ALICE001",
                f"looking at the {n}th pod, restarting",
                ts=f"1702{n:06d}.000100",
            )
        )
        for n in range(300)
    ]
    asyncio.run(send_all(url, day))
    posted = [
        call
        for call in slack.calls_to("chat.postMessage")
        if call.channel and call.channel.startswith("C0DAY0")
    ]
    clicks = []
    for call in posted[:10]:
        try:
            clicks.append(signer.click(call, "remediate", user_id="U0NOTADMIN"))
        except LookupError:
            continue
    asyncio.run(send_all(url, clicks))


async def hourly_round(url: str) -> None:
    """What the bot's hourly retention round does, run now instead of in an hour."""
    store = SqlStore(url)
    await store.start()
    try:
        await store.prune_expired(cutoffs(Settings(), utcnow()))
    finally:
        await store.close()


def report(title: str, db: Path) -> dict[str, int]:
    on_disk, used, tables = sizes(db)
    print(f"\n{title}: file {mb(on_disk)}, in use {mb(used)}")
    print("| table | bytes |\n|---|---|")
    for table, size in sorted(tables.items(), key=lambda item: -item[1]):
        if size > 8192:
            print(f"| {table} | {mb(size)} |")
    return tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=2000)
    parser.add_argument("--paste-kb", type=int, default=40)
    args = parser.parse_args()
    slack = SlackStandIn(bot_token=TOKEN)
    kube = KubeStandIn(latency=0.0)
    kube_scenarios.bulk_namespace(kube, "load", n_pods=200, unhealthy_ratio=0.5)
    pods = [pod["metadata"]["name"] for pod in kube.objects("pods", "load")]
    with (
        tempfile.TemporaryDirectory() as directory,
        start_slack(slack) as slack_server,
        start_in_thread(kube) as kube_server,
    ):
        tmp = Path(directory)
        db = tmp / "bot.db"
        kubeconfig = write_kubeconfig(
            tmp / "kubeconfig", {"bench": kube_server.url}, current="bench"
        )
        env = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack_server.api_url,
            "KUBECONFIG": str(kubeconfig),
            "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{db}",
            "KUBEMEDIC_CACHE_DIR": str(tmp / "cache"),
            "KUBEMEDIC_SUMMARY_DEBOUNCE_SECONDS": "1",
            "MALLOC_ARENA_MAX": "2",
        }
        signer = SlackRequests(SECRET, standin=slack)
        with BotProcess(env, tmp / "bot.log") as bot:
            url = bot.wait_ready().url
            started = time.monotonic()
            normal_day(url, signer, slack, pods)
            settle(bot, db)
            day = report(f"One normal day ({time.monotonic() - started:.0f} s)", db)
            steady = sum(size * RETAINED_DAYS.get(table, 1) for table, size in day.items())
            print(f"\nsteady state under the default retention: about {mb(steady)}")
            started = time.monotonic()
            flood(url, signer, args.flood, args.paste_kb * 1000)
            settle(bot, db)
            answered = len(
                [
                    c
                    for c in slack.calls_to("chat.postMessage")
                    if (c.channel or "").startswith("C0FLOOD")
                ]
            )
            report(
                f"After a flood of {args.flood} distinct {args.paste_kb} KB pastes "
                f"({answered} answered, {time.monotonic() - started:.0f} s)",
                db,
            )
            asyncio.run(hourly_round(f"sqlite+aiosqlite:///{db}"))
            report(
                "After the next hourly retention round (nothing expired yet; free pages given back)",
                db,
            )


if __name__ == "__main__":
    main()
