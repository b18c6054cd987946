"""The opt-in watcher inside the real bot: watch streams from the Kubernetes stand-in, messages
in the Slack stand-in. Many failing pods of one workload are one message with counts; recovery
resolves it; a dropped stream or a 410 loses nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tests.slack.harness import Bot, block_text, running_bot
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko
from tests.standins.kube_api import KubeStandIn
from tests.waiting import PATIENCE, until

CHANNEL = "C0WATCH001"
SETTINGS = {
    "KUBEMEDIC_WATCH": "true",
    "KUBEMEDIC_ALERT_CHANNEL": CHANNEL,
    "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "0",
    "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.05",
    "KUBEMEDIC_LEADER_LEASE_SECONDS": "3",
}


def workload(kube: KubeStandIn, name: str, namespace: str = "shop") -> dict[str, Any]:
    dep = kc.deployment(name=name, namespace=namespace, replicas=3)
    rs = kc.replicaset(deployment=dep)
    kube.add_all([dep, rs])
    return rs


def failing_pod(
    rs: dict[str, Any], index: int, *, restarts: int = 5, oom: bool = False
) -> dict[str, Any]:
    meta = rs["metadata"]
    status = ko.crashloop_status(
        name="app", restarts=restarts, last_reason="OOMKilled" if oom else "Error"
    )
    return ko.pod(
        name=f"{meta['name']}-p{index}",
        namespace=meta["namespace"],
        owner=rs,
        labels=meta["labels"],
        containers=[ko.container(name="app")],
        container_statuses=[status],
    )


def healthy_pod(rs: dict[str, Any], index: int) -> dict[str, Any]:
    meta = rs["metadata"]
    return ko.pod(
        name=f"{meta['name']}-p{index}",
        namespace=meta["namespace"],
        owner=rs,
        labels=meta["labels"],
        containers=[ko.container(name="app")],
    )


def posts(bot: Bot) -> list[Any]:
    return [
        c for c in bot.slack.calls_to("chat.postMessage", ok=True) if not c.params.get("thread_ts")
    ]


async def leading(bot: Bot) -> None:
    assert bot.alerts is not None
    await asyncio.wait_for(bot.alerts.leadership.leading.wait(), PATIENCE)


async def test_a_workload_with_failing_pods_is_one_message_that_counts_and_resolves(
    tmp_path: Path,
) -> None:
    kube = KubeStandIn(latency=0.0)
    rs = workload(kube, "web")
    kube.add(failing_pod(rs, 0, oom=True, restarts=4))
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        await leading(bot)
        first = (await bot.slack.wait_for("chat.postMessage"))[0]
        text = block_text(first.blocks)
        assert first.channel == CHANNEL and "`oom-killed`" in text and "deployment shop/web" in text
        assert "confirmed in the cluster" in text
        kube.add(failing_pod(rs, 1, oom=True, restarts=6))
        kube.add(failing_pod(rs, 2, oom=True, restarts=4))
        await bot.slack.wait_for(
            "chat.update", predicate=lambda c: "14 restarts, 3 pods" in block_text(c.blocks)
        )
        for index in range(3):
            kube.add(healthy_pod(rs, index))  # the fix rolled out
        done = await bot.slack.wait_for(
            "chat.update", predicate=lambda c: "Resolved" in block_text(c.blocks)
        )
        assert done[0].params["ts"] == first.ts and "resolved after" in block_text(done[0].blocks)
        assert len(posts(bot)) == 1


async def test_a_dropped_stream_and_a_410_lose_no_failure(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    web, api = workload(kube, "web"), workload(kube, "api")
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        await leading(bot)
        await until(lambda: len(kube.watches.streams) >= 3, what="the watches to be open")
        assert kube.drop_watches() >= 3
        kube.add(failing_pod(web, 0))  # while the streams reconnect
        await bot.slack.wait_for(
            "chat.postMessage",
            predicate=lambda c: "deployment shop/web" in block_text(c.blocks),
        )
        kube.drop_watches()
        kube.add(failing_pod(api, 0))
        kube.compact()  # the versions the watches would resume from are gone: they must list again
        await bot.slack.wait_for(
            "chat.postMessage",
            predicate=lambda c: "deployment shop/api" in block_text(c.blocks),
        )
        assert len(posts(bot)) == 2
        metrics = (await bot.get("/metrics"))[1]
        assert 'kubemedic_watch_restarts_total{kind="pods",why="expired"} 1.0' in metrics
        assert 'kubemedic_watch_restarts_total{kind="pods",why="failed"}' in metrics


async def test_deny_lists_keep_the_watcher_quiet(tmp_path: Path) -> None:
    routing = tmp_path / "routing.yaml"
    routing.write_text(f"default: {{channel: {CHANNEL}}}\ndeny: {{namespaces: [kube-system]}}\n")
    kube = KubeStandIn(latency=0.0)
    system = workload(kube, "coredns", namespace="kube-system")
    kube.add(failing_pod(system, 0))
    shop = workload(kube, "web")
    async with running_bot(
        tmp_path, kube=kube, KUBEMEDIC_ROUTING_FILE=str(routing), **SETTINGS
    ) as bot:
        await leading(bot)
        kube.add(failing_pod(shop, 0))
        await bot.slack.wait_for("chat.postMessage")
        await asyncio.sleep(0.5)
        assert ["deployment shop/web" in block_text(c.blocks) for c in posts(bot)] == [True]


async def test_a_workload_whose_problem_changes_keeps_one_message(tmp_path: Path) -> None:
    # the kernel's kill is reported as OOMKilled, then (the runtime missing the cgroup's event)
    # as a bare exit 137: the same failing workload, one message edited with the new diagnosis
    kube = KubeStandIn(latency=0.0)
    rs = workload(kube, "reports")
    kube.add(failing_pod(rs, 0, oom=True, restarts=2))
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        await leading(bot)
        first = (await bot.slack.wait_for("chat.postMessage"))[0]
        assert "`oom-killed`" in block_text(first.blocks)
        status = ko.crashloop_status(name="app", restarts=3, last_reason="Error", exit_code=137)
        flipped = failing_pod(rs, 0)
        flipped["status"]["containerStatuses"] = [status]
        kube.add(flipped)
        edit = await bot.slack.wait_for(
            "chat.update",
            predicate=lambda c: (
                c.params["ts"] == first.ts and "`oom-killed`" not in block_text(c.blocks)
            ),
        )
        assert "deployment shop/reports" in block_text(edit[-1].blocks)
        kube.add(healthy_pod(rs, 0))  # the fix rolled out
        done = await bot.slack.wait_for(
            "chat.update", predicate=lambda c: "Resolved" in block_text(c.blocks)
        )
        assert done[0].params["ts"] == first.ts
        assert len(posts(bot)) == 1
        resolved = [
            c for c in bot.slack.calls_to("chat.update") if "Resolved" in block_text(c.blocks)
        ]
        assert len({c.params["ts"] for c in resolved}) == 1
