"""Alerts with two `kubemedic serve --http` replicas on one PostgreSQL: the same Alertmanager
group delivered to both is posted once, and a leader killed mid-storm loses no group."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.alerts.payloads import alert, body, group
from tests.replicas.test_two_processes import Replicas, settle, two_replicas
from tests.standins.bot_process import BotProcess
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_requests import post
from tests.waiting import PATIENCE

TOKEN = "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"
CHANNEL = "C0ALERTREP1"
ALERTS = {
    "KUBEMEDIC_ALERTMANAGER_TOKEN": TOKEN,
    "KUBEMEDIC_ALERT_CHANNEL": CHANNEL,
    "KUBEMEDIC_LEADER_LEASE_SECONDS": "2",
    "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "1",
}


def deliver(payload: bytes, *to: BotProcess) -> list[int]:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}

    async def send() -> list[int]:
        answers = await asyncio.gather(
            *(post(f"{bot.url}/alertmanager", payload, headers) for bot in to)
        )
        return [status for status, _ in answers]

    return asyncio.run(send())


def top_level(replicas: Replicas) -> list[object]:
    return [c for c in replicas.posts_in(CHANNEL) if not c.params.get("thread_ts")]  # type: ignore[attr-defined]


def leader(replicas: Replicas, timeout: float = PATIENCE) -> tuple[BotProcess, BotProcess]:
    """(the replica holding the alert lease, the other one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for this, other in ((replicas.one, replicas.two), (replicas.two, replicas.one)):
            if "now watches and posts alerts" in this.log():
                return this, other
        time.sleep(0.1)
    raise AssertionError("no replica took the alert lease")


def test_the_same_group_delivered_to_both_replicas_is_posted_once(tmp_path: Path) -> None:
    with two_replicas(tmp_path, KubeStandIn(latency=0.0), extra=ALERTS) as replicas:
        payload = body(group(alert("KubePodCrashLooping", namespace="shop", pod="web-0")))
        assert deliver(payload, replicas.one, replicas.two) == [200, 200]
        replicas.slack.wait_for_sync(
            "chat.postMessage", predicate=lambda c: c.params.get("channel") == CHANNEL
        )
        settle(2)
        assert len(top_level(replicas)) == 1


def test_a_leader_killed_mid_storm_loses_no_group(tmp_path: Path) -> None:
    storm = {
        **ALERTS,
        "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.5",
    }  # 20 groups take ~10 s to post
    with two_replicas(tmp_path, KubeStandIn(latency=0.0), extra=storm) as replicas:
        first, second = leader(replicas)
        groups = [
            body(group(alert("KubePodCrashLooping", namespace=f"team-{i:02d}", pod="api-0")))
            for i in range(20)
        ]
        for number, payload in enumerate(groups):
            assert deliver(payload, replicas.one if number % 2 else replicas.two) == [200]
        replicas.slack.wait_for_sync("chat.postMessage", count=3)
        first.kill()
        posted = replicas.slack.wait_for_sync("chat.postMessage", count=20)
        settle(2)
        namespaces = sorted(str(c.params.get("text")) for c in top_level(replicas))  # type: ignore[attr-defined]
        assert len(namespaces) == len(posted) == 20, namespaces
        assert "now watches and posts alerts" in second.log()
