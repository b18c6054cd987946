"""Two `kubemedic serve --http` processes sharing one real PostgreSQL, as two replicas behind a Service.

Slack may deliver an event twice (its retry can reach the other replica) and
two people (or one double click) may press the same button on both; the
cluster must see one write and the channel one answer. Killing a replica
with SIGKILL after it acked must not lose what it acked: the other replica
takes the work over when the lease runs out.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.storage.sql import SqlStore
from tests.standins import kube_scenarios as scenarios
from tests.standins.bot_process import BotProcess
from tests.standins.kube_api import KubeStandIn, write_kubeconfig
from tests.standins.kube_api import start_in_thread as start_kube
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import (
    SignedRequest,
    SlackRequests,
    block_actions_from_message,
    post,
)
from tests.storage.backends import fresh_postgres_database
from tests.storage.conftest import postgres_base_url

SECRET = "replica-test-signing-secret-0001"
TOKEN = "xoxb-kubemedic-replicas"
ADMIN = "U0ADMIN0001"
LEASE_SECONDS = 2
OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"


@dataclass
class Replicas:
    one: BotProcess
    two: BotProcess
    slack: SlackStandIn
    kube: KubeStandIn
    requests: SlackRequests
    database_url: str

    def send(self, request: SignedRequest, *to: BotProcess) -> list[int]:
        """Deliver the same signed request to each replica at the same moment."""

        async def deliver() -> list[int]:
            answers = await asyncio.gather(
                *(post(f"{bot.url}/slack/events", request.body, request.headers) for bot in to)
            )
            return [status for status, _ in answers]

        return asyncio.run(deliver())

    def posts_in(self, channel: str) -> list[object]:
        return [
            c
            for c in self.slack.calls_to("chat.postMessage", ok=True)
            if c.params.get("channel") == channel
        ]

    def audit_outcomes(self) -> list[str]:
        async def read() -> list[str]:
            store = SqlStore(self.database_url)
            try:
                return sorted(row.outcome for row in await store.list_audit(limit=100))
            finally:
                await store.close()

        return asyncio.run(read())


@contextmanager
def two_replicas(
    tmp_path: Path, kube: KubeStandIn, *, extra: dict[str, str] | None = None
) -> Iterator[Replicas]:
    with ExitStack() as stack:
        database_url = stack.enter_context(
            fresh_postgres_database(postgres_base_url(), prefix="kubemedic_rep")
        )
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
            "KUBEMEDIC_ADMINS": ADMIN,
            "KUBEMEDIC_WORK_LEASE_SECONDS": str(LEASE_SECONDS),
            "KUBEMEDIC_CACHE_DIR": str(tmp_path / "cache"),
            "KUBEMEDIC_CHANNEL_REPLIES_PER_MINUTE": "100",
            "KUBEMEDIC_SUMMARY_DEBOUNCE_SECONDS": "0.2",
            **(extra or {}),
        }
        one = stack.enter_context(BotProcess(env, tmp_path / "one.log"))
        two = stack.enter_context(BotProcess(env, tmp_path / "two.log"))
        one.wait_ready()
        two.wait_ready()
        yield Replicas(one, two, slack, kube, SlackRequests(SECRET, standin=slack), database_url)


def settle(seconds: float = 1.5) -> None:
    """Give a duplicate, if there were one, the time to show up."""
    time.sleep(seconds)


def test_the_same_event_and_the_same_click_on_both_replicas_count_once(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    tikv = scenarios.tikv_cluster_id_mismatch(kube)
    with two_replicas(tmp_path, kube) as replicas:
        channel = "C0PASTE0001"
        event = replicas.requests.message(channel, OOM, ts="1700000100.000100")
        assert replicas.send(event, replicas.one, replicas.two) == [200, 200]
        replicas.slack.wait_for_sync(
            "chat.postMessage", predicate=lambda c: c.params.get("channel") == channel
        )
        settle()
        [reply] = replicas.posts_in(channel)
        assert reply.params["thread_ts"] == "1700000100.000100"  # type: ignore[attr-defined]

        channel = "C0CLICK0001"
        replicas.send(
            replicas.requests.slash_command(f"pod tidb/{tikv.pod}", channel_id=channel),
            replicas.one,
        )
        [posted] = replicas.slack.wait_for_sync(
            "chat.postMessage", predicate=lambda c: c.params.get("channel") == channel
        )
        click = block_actions_from_message(
            posted,
            "remediate",
            user_id=ADMIN,
            response_url=replicas.slack.response_url(channel, posted.ts),
        )
        assert replicas.send(replicas.requests.interaction(click), replicas.one, replicas.two) == [
            200,
            200,
        ]
        replicas.slack.wait_for_sync("chat.update")
        settle()
        real = [(w.method, w.path) for w in replicas.kube.writes() if not w.dry_run]
        assert real and len(real) == len(
            set(real)
        )  # the delete of the pod and its claim, once each
        assert [c.params.get("thread_ts") for c in replicas.posts_in(channel)[1:]] == [posted.ts]
        assert replicas.audit_outcomes().count("done") == 1
        assert "started" not in replicas.audit_outcomes()
        [told] = replicas.slack.calls_to("response_url")
        assert "already used" in str(told.params.get("text"))


def test_a_replica_killed_mid_stream_loses_nothing(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    oom = scenarios.oom_killed_deployment(kube)
    kube.delay(r"/pods/", 2.0, method="GET")  # every diagnosis is still running when the kill comes
    with two_replicas(tmp_path, kube) as replicas:
        channels = [f"C0KILL{i:05d}" for i in range(6)]
        for channel in channels:
            command = replicas.requests.slash_command(
                f"pod {oom.namespace}/{oom.pod}", channel_id=channel
            )
            assert replicas.send(command, replicas.one) == [
                200
            ]  # acked by the replica about to die
        replicas.one.kill()
        assert not any(
            replicas.posts_in(channel) for channel in channels
        )  # it answered none of them
        for channel in channels:
            replicas.slack.wait_for_sync(
                "chat.postMessage",
                predicate=lambda c, ch=channel: c.params.get("channel") == ch,
                timeout=LEASE_SECONDS * 5 + 20,
            )
        settle()
        answers = {channel: replicas.posts_in(channel) for channel in channels}
        assert {channel: len(posts) for channel, posts in answers.items()} == dict.fromkeys(
            channels, 1
        )
        assert all(oom.expected in str(posts[0].params) for posts in answers.values())  # type: ignore[attr-defined]
        assert "taking over" in replicas.two.log()


def test_a_replica_stopped_gracefully_finishes_its_work_first(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    oom = scenarios.oom_killed_deployment(kube)
    kube.delay(r"/pods/", 2.0, method="GET")  # the answer takes longer than a lease (LEASE_SECONDS)
    with two_replicas(tmp_path, kube) as replicas:
        channel = "C0TERM00001"
        command = replicas.requests.slash_command(
            f"pod {oom.namespace}/{oom.pod}", channel_id=channel
        )
        assert replicas.send(command, replicas.one) == [200]
        assert replicas.one.stop() == 0  # SIGTERM: drains in-flight work, then exits
        assert len(replicas.posts_in(channel)) == 1
        assert "taking over" not in replicas.two.log()  # its leases were renewed while it drained


def test_an_incident_channel_gets_one_summary_message_from_two_replicas(tmp_path: Path) -> None:
    from tests.standins.slack_events import channel_created_event, member_joined_channel_event

    with two_replicas(tmp_path, KubeStandIn(latency=0.0)) as replicas:
        channel = "C0INC0REP01"
        replicas.slack.add_channel(
            channel, "inc-checkout-oom", history=[{"user": "U0ALICE001", "text": OOM}]
        )
        # Both triggers at once, one per replica: the bot created-and-joined the channel.
        replicas.send(replicas.requests.event(member_joined_channel_event(channel)), replicas.one)
        replicas.send(
            replicas.requests.event(channel_created_event(channel, "inc-checkout-oom")),
            replicas.two,
        )
        replicas.slack.wait_for_sync("pins.add")
        replicas.send(
            replicas.requests.message(channel, "again:\n" + OOM, ts="1700000500.000100"),
            replicas.two,
        )
        settle(3)
        summaries = [c for c in replicas.posts_in(channel) if not c.params.get("thread_ts")]  # type: ignore[attr-defined]
        assert len(summaries) == 1
        assert len(replicas.slack.calls_to("pins.add", ok=True)) == 1
        ts = summaries[0].response["ts"]  # type: ignore[attr-defined]
        edits = replicas.slack.wait_for_sync(
            "chat.update",
            predicate=lambda c: c.params.get("ts") == ts and "oom-killed" in str(c.params),
        )
        assert edits  # the one message is kept current (by whichever replica holds the lock)
