"""One replica of `kubemedic serve --http` with KUBEMEDIC_WORKER_PROCESSES=2, on SQLite and PostgreSQL.

The kernel spreads connections over the two workers (each request below
comes on a connection of its own). Every request is answered once, both
workers take part, /metrics is the sum over them, a budget holds whichever
worker a request reaches, and a worker killed mid-answer is replaced while
the other one finishes what it had accepted. Requests on one kept-alive
connection (which stays on one worker) are admitted up to the replica's
whole KUBEMEDIC_QUEUE_LIMIT.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.measure import with_children
from bot.storage.sql import SqlStore
from bot.storage.tables import work_items
from tests.standins import kube_scenarios as scenarios
from tests.standins.bot_process import BotProcess
from tests.standins.kube_api import KubeStandIn, write_kubeconfig
from tests.standins.kube_api import start_in_thread as start_kube
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import SignedRequest, SlackRequests, post
from tests.storage.backends import fresh_postgres_database
from tests.storage.conftest import postgres_base_url
from tests.waiting import PATIENCE

SECRET = "workers-test-signing-secret-0001"
TOKEN = "xoxb-kubemedic-workers"
LEASE_SECONDS = 2


@dataclass
class Replica:
    bot: BotProcess
    slack: SlackStandIn
    requests: SlackRequests
    database_url: str

    def send_all(self, requests: list[SignedRequest]) -> list[str]:
        """Each request on a connection of its own, all at once; the ack bodies."""

        async def deliver() -> list[str]:
            answers = await asyncio.gather(
                *(post(f"{self.bot.url}/slack/events", r.body, r.headers) for r in requests)
            )
            assert all(status == 200 for status, _ in answers)
            return [body for _, body in answers]

        return asyncio.run(deliver())

    def posts_in(self, channel: str) -> list[object]:
        return [
            c
            for c in self.slack.calls_to("chat.postMessage", ok=True)
            if c.params.get("channel") == channel
        ]

    def wait_for_answers(self, channels: list[str], timeout: float = PATIENCE) -> None:
        for channel in channels:
            self.slack.wait_for_sync(
                "chat.postMessage",
                timeout=timeout,
                predicate=lambda c, ch=channel: c.params.get("channel") == ch,
            )

    def work_owners(self) -> dict[str, str]:
        """Each stored request and the worker (host:pid:suffix) that holds it."""

        async def read() -> dict[str, str]:
            store = SqlStore(self.database_url)
            try:
                async with store._tx() as conn:
                    rows = (await conn.execute(select(work_items.c.id, work_items.c.owner))).all()
                return {row.id: row.owner for row in rows}
            finally:
                await store.close()

        return asyncio.run(read())

    def serving(self) -> int:
        """Workers that said they serve (each listens on the port from then on)."""
        return self.bot.log().count("kubemedic serving (HTTP mode")

    def workers(self) -> list[int]:
        return [pid for pid in with_children(self.bot.process.pid) if pid != self.bot.process.pid]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}"
        return
    with fresh_postgres_database(postgres_base_url(), prefix="kubemedic_workers") as url:
        yield url


@contextmanager
def two_workers(
    tmp_path: Path, kube: KubeStandIn, database_url: str, **extra: str
) -> Iterator[Replica]:
    with ExitStack() as stack:
        slack = SlackStandIn(bot_token=TOKEN)
        stack.enter_context(start_slack(slack))
        kube_server = stack.enter_context(start_kube(kube))
        kubeconfig = write_kubeconfig(
            tmp_path / "kubeconfig", {"lab": kube_server.url}, current="lab"
        )
        env = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
            "KUBECONFIG": str(kubeconfig),
            "KUBEMEDIC_DATABASE_URL": database_url,
            "KUBEMEDIC_WORKER_PROCESSES": "2",
            "KUBEMEDIC_WORK_LEASE_SECONDS": str(LEASE_SECONDS),
            "KUBEMEDIC_CACHE_DIR": str(tmp_path / "cache"),
            **extra,
        }
        bot = stack.enter_context(BotProcess(env, tmp_path / "bot.log"))
        bot.wait_ready()
        deadline = time.monotonic() + PATIENCE
        replica = Replica(bot, slack, SlackRequests(SECRET, standin=slack), database_url)
        while replica.serving() < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert replica.serving() == 2 and len(replica.workers()) == 2, bot.log()
        yield replica


def _pid(owner: str) -> str:
    return owner.split(":")[1]


def _summed(metrics: str, name: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith(name + "{")
    )


def _metrics(replica: Replica) -> str:
    async def scrape() -> str:
        import aiohttp

        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{replica.bot.url}/metrics") as response,
        ):
            return await response.text()

    return asyncio.run(scrape())


def test_two_workers_answer_every_request_once_and_metrics_are_their_sum(
    tmp_path: Path, database_url: str
) -> None:
    kube = KubeStandIn(latency=0.0)
    oom = scenarios.oom_killed_deployment(kube)
    with two_workers(tmp_path, kube, database_url) as replica:
        channels = [f"C0WORK{n:05d}" for n in range(24)]
        acks = replica.send_all(
            [
                replica.requests.slash_command(
                    f"pod {oom.namespace}/{oom.pod}", channel_id=channel, user_id=f"U0WORK{n:05d}"
                )
                for n, channel in enumerate(channels)
            ]
        )
        assert all("Diagnosing" in json.loads(ack)["text"] for ack in acks)
        replica.wait_for_answers(channels)
        time.sleep(1.5)  # a second answer, if there were one, would come now
        assert {channel: len(replica.posts_in(channel)) for channel in channels} == dict.fromkeys(
            channels, 1
        )
        owners = replica.work_owners()
        assert (
            len(owners) == 24 and len({_pid(owner) for owner in owners.values()}) == 2
        )  # both took part
        for _ in range(4):  # whichever worker answers the scrape: the replica's sum
            metrics = _metrics(replica)
            assert _summed(metrics, "kubemedic_diagnoses_total") == 24
            assert "kubemedic_work_queue_depth 0.0" in metrics


def test_a_budget_holds_whichever_worker_a_request_reaches(
    tmp_path: Path, database_url: str
) -> None:
    with two_workers(
        tmp_path, KubeStandIn(latency=0.0), database_url, KUBEMEDIC_USER_REQUESTS_PER_MINUTE="3"
    ) as replica:
        acks = replica.send_all(
            [
                replica.requests.slash_command(
                    f"pod shop/web-{n}", channel_id=f"C0BUDGET{n:03d}", user_id="U0FLOOD001"
                )
                for n in range(12)
            ]
        )
        texts = [json.loads(ack)["text"] for ack in acks]
        assert sum("Diagnosing" in text for text in texts) == 3, texts
        assert sum(text.startswith("🐢 Slow down: you have") for text in texts) == 9
        assert _summed(_metrics(replica), "kubemedic_requests_shed_total") == 9


def test_a_killed_worker_is_replaced_and_its_accepted_work_answered_once(
    tmp_path: Path, database_url: str
) -> None:
    kube = KubeStandIn(latency=0.0)
    oom = scenarios.oom_killed_deployment(kube)
    kube.delay(r"/pods/", 2.0, method="GET")  # every diagnosis is still running when the kill comes
    with two_workers(tmp_path, kube, database_url) as replica:
        channels = [f"C0KILLW{n:04d}" for n in range(10)]
        replica.send_all(
            [
                replica.requests.slash_command(
                    f"pod {oom.namespace}/{oom.pod}", channel_id=channel, user_id=f"U0KILL{n:04d}"
                )
                for n, channel in enumerate(channels)
            ]
        )
        owners = replica.work_owners()
        victim = int(_pid(owners[min(owners)]))
        os.kill(victim, signal.SIGKILL)
        replica.wait_for_answers(channels, timeout=LEASE_SECONDS * 5 + 20)
        time.sleep(1.5)
        assert {channel: len(replica.posts_in(channel)) for channel in channels} == dict.fromkeys(
            channels, 1
        )
        assert "taking over" in replica.bot.log()
        deadline = time.monotonic() + PATIENCE
        while (
            len(replica.workers()) < 2 or victim in replica.workers()
        ) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (
            len(replica.workers()) == 2 and victim not in replica.workers()
        )  # a new worker in its place
        assert replica.bot.stop() == 0  # SIGTERM reaches both workers; each drains and exits


def test_one_kept_alive_connection_is_admitted_up_to_the_replicas_whole_limit(
    tmp_path: Path, database_url: str
) -> None:
    """Issue 51: eight requests over one kept-alive connection all reach one worker; with a limit of 8
    each worker used to hold 4 slots, so four were told `kubemedic is busy` while the other worker's
    four sat free. The workers share the replica's slots now."""
    import aiohttp

    kube = KubeStandIn(latency=0.0)
    oom = scenarios.oom_killed_deployment(kube)
    kube.delay(r"/pods/", 3.0, method="GET")  # every diagnosis outlasts the admission wait
    with two_workers(
        tmp_path,
        kube,
        database_url,
        KUBEMEDIC_QUEUE_LIMIT="8",
        KUBEMEDIC_ADMISSION_WAIT_SECONDS="1",
    ) as replica:
        channels = [f"C0KEEPA{n:04d}" for n in range(8)]
        requests = [
            replica.requests.slash_command(
                f"pod {oom.namespace}/{oom.pod}", channel_id=channel, user_id=f"U0KEEP{n:04d}"
            )
            for n, channel in enumerate(channels)
        ]

        async def one_connection() -> list[str]:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) as session:
                acks = []
                for request in requests:
                    async with session.post(
                        f"{replica.bot.url}/slack/events",
                        data=request.body,
                        headers=dict(request.headers),
                    ) as response:
                        assert response.status == 200
                        acks.append(await response.text())
                return acks

        acks = asyncio.run(one_connection())
        assert all("Diagnosing" in json.loads(ack)["text"] for ack in acks)
        replica.wait_for_answers(channels)
        time.sleep(1.5)
        assert {channel: len(replica.posts_in(channel)) for channel in channels} == dict.fromkeys(
            channels, 1
        )
        busy = [c for c in replica.slack.calls if "kubemedic is busy" in json.dumps(c.params)]
        assert busy == []
        assert (
            len({_pid(owner) for owner in replica.work_owners().values()}) == 1
        )  # one worker took them all
