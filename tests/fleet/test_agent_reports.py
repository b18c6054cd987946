"""What agents find by themselves reaches the hub's channel: their watchers and Alertmanager receivers.

Two agents watch two API stand-ins; each cluster runs a Deployment `web` whose pods are OOMKilled,
the same failure. The hub posts ONE fleet-wide thread that lists both clusters, edits it in place
as each recovers, and resolves it when the last one does. An alert sent to an agent's own
receiver is posted by the hub, naming the cluster, with what it read redacted in the cluster.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.fleet.forwarding import FORWARD_ALL, Forwarder
from bot.noise.merging import Signal
from bot.noise.routing import Facts
from bot.runtime.clock import utc_now
from tests.alerts.payloads import alert, group
from tests.fleet.conftest import RawAgent, issue, running_agent
from tests.slack.harness import Bot, block_text, running_bot
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_requests import post
from tests.watch.test_watcher_bot import failing_pod, healthy_pod, leading, workload

CHANNEL = "C0FLEET001"
HUB = {
    "KUBEMEDIC_ALERT_CHANNEL": CHANNEL,
    "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "0",
    "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.05",
    "KUBEMEDIC_LEADER_LEASE_SECONDS": "3",
}
WATCH = {"KUBEMEDIC_WATCH": "true"}
TOKEN = "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"


def top_level(hub: Bot) -> list[Any]:
    return [
        c for c in hub.slack.calls_to("chat.postMessage", ok=True) if not c.params.get("thread_ts")
    ]


def _clusters_block(call: Any) -> str:
    return next(
        (
            b["text"]["text"]
            for b in call.blocks
            if b.get("text", {}).get("text", "").startswith("*Clusters*")
        ),
        "",
    )


async def test_the_same_failure_in_two_clusters_is_one_thread_edited_as_each_recovers(
    tmp_path: Path,
) -> None:
    prod, staging = KubeStandIn(latency=0.0), KubeStandIn(latency=0.0)
    in_prod, in_staging = workload(prod, "web"), workload(staging, "web")
    prod.add(failing_pod(in_prod, 0, oom=True))
    other = workload(prod, "api")  # another workload: its own message
    async with running_bot(tmp_path, hub=True, **HUB) as hub:
        await leading(hub)
        async with (
            running_agent(hub, tmp_path, cluster="prod", kube=prod, **WATCH),
            running_agent(hub, tmp_path, cluster="staging", kube=staging, **WATCH),
        ):
            [first] = await hub.slack.wait_for("chat.postMessage")
            assert first.channel == CHANNEL and "`oom-killed`" in block_text(first.blocks)
            assert "Fleet-wide" in block_text(first.blocks) and "prod" in _clusters_block(first)
            staging.add(failing_pod(in_staging, 0, oom=True))  # the same failure, the other cluster
            both = await hub.slack.wait_for(
                "chat.update", predicate=lambda c: "staging" in _clusters_block(c)
            )
            listed = _clusters_block(both[-1])
            assert both[-1].params["ts"] == first.ts and "prod (shop): failing" in listed
            assert (
                "staging (shop): failing" in listed
                and "failing in 2 of 2 clusters" in block_text(both[-1].blocks)
            )
            staging.add(healthy_pod(in_staging, 0))  # staging recovers; prod still fails
            one = await hub.slack.wait_for(
                "chat.update",
                predicate=lambda c: "staging (shop): resolved" in _clusters_block(c),
            )
            assert "prod (shop): failing" in _clusters_block(
                one[-1]
            ) and "Resolved" not in block_text(one[-1].blocks)
            prod.add(failing_pod(other, 0, oom=True))
            await hub.slack.wait_for(
                "chat.postMessage",
                predicate=lambda c: "api" in block_text(c.blocks) and not c.params.get("thread_ts"),
            )
            prod.add(healthy_pod(in_prod, 0))
            done = await hub.slack.wait_for(
                "chat.update",
                predicate=lambda c: (
                    "Resolved" in block_text(c.blocks) and c.params["ts"] == first.ts
                ),
            )
            assert "resolved in all 2 clusters" in block_text(done[-1].blocks)
            assert (
                len(top_level(hub)) == 2
            )  # web (fleet-wide, both clusters) and api: never one per cluster


async def test_an_alert_sent_to_an_agent_is_posted_by_the_hub_naming_its_cluster(
    tmp_path: Path,
) -> None:
    prod = KubeStandIn(latency=0.0)
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9sK3mP2v"
    firing = alert(
        "KubePodCrashLooping", namespace="shop", pod="web-7d9c6b8f5-x2x4q", container="web"
    )
    firing["annotations"]["description"] = f"web crashed; env AWS_SECRET_ACCESS_KEY={secret}"
    body = json.dumps(group(firing)).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
    async with running_bot(tmp_path, hub=True, **HUB) as hub:
        await leading(hub)
        async with running_agent(
            hub, tmp_path, cluster="prod", kube=prod, KUBEMEDIC_ALERTMANAGER_TOKEN=TOKEN
        ) as agent:
            status, _ = await post(
                agent.receiver_url, body, {**headers, "Authorization": "Bearer wrong"}
            )
            assert status == 401
            status, text = await post(agent.receiver_url, body, headers)
            assert status == 200, text  # answered once the hub stored it
            [posted] = await hub.slack.wait_for("chat.postMessage")
            shown = block_text(posted.blocks)
            assert (
                posted.channel == CHANNEL
                and "cluster prod" in shown
                and "KubePodCrashLooping" in shown
            )
            assert secret not in json.dumps(posted.params) and "web crashed" in shown
        async with running_agent(
            hub,
            tmp_path,
            cluster="prod",
            kube=prod,
            KUBEMEDIC_ALERTMANAGER_TOKEN=TOKEN,
            KUBEMEDIC_HUB_URL="http://127.0.0.1:9",
            wait=False,
        ) as cut_off:
            status, _ = await post(
                cut_off.receiver_url, body, headers
            )  # no hub: Alertmanager must retry
            assert status == 503


async def test_a_report_is_redacted_before_it_leaves_the_agent() -> None:
    forwarder = Forwarder()
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9sK3mP2v"
    detail = {
        "kind": "watch",
        "detection": {
            "problem": "oom-killed",
            "reason": "OOMKilled",
            "owner": "deployment shop/web",
            "first": "web-1",
            "message": f"AWS_SECRET_ACCESS_KEY={secret}",
        },
        "target": "pod shop/web-1",
        "explanation": {"wire": None},
    }
    signal = Signal(
        key="watch:prod/shop/Deployment/web/oom-killed",
        source="watch",
        title=f"OOMKilled key={secret}",
        destination=FORWARD_ALL.default,
        at=utc_now(),
        firing=frozenset({"web-1"}),  # type: ignore[arg-type]
        facts=Facts(
            "watch",
            namespace="shop",
            catalog_id="oom-killed",
            workload="deployment web",
            labels={"note": f"password={secret}"},
        ),
    )
    assert await forwarder.needs_detail(signal)
    assert await forwarder.observe(signal, detail=detail) == "new"
    [report] = forwarder.outbox.values()
    sent = report.model_dump_json()
    assert secret not in sent and "[REDACTED]" in sent and "oom-killed" in sent
    assert not await forwarder.needs_detail(signal)  # failing already: no second diagnosis


async def test_a_report_is_the_cluster_its_token_names_whatever_it_says(tmp_path: Path) -> None:
    async with running_bot(tmp_path, hub=True, **HUB) as hub:
        await leading(hub)
        token = await issue(hub.kubemedic.store, "prod")
        report = {
            "type": "report",
            "id": "raw00001-000000000001",
            "source": "watch",
            "key": "watch:x/shop/web",
            "title": "OOMKilled in deployment shop/web",
            "at": utc_now().isoformat(),
            "firing": ["web-1"],
            "facts": {"namespace": "shop", "labels": {"cluster": "staging"}},
            "detail": {"kind": "watch", "target": "pod shop/web-1"},
        }
        async with RawAgent.connect(hub.url, token) as raw:
            await raw.next_of("welcome")
            await raw.send(report)
            assert (await raw.next_of("noted"))["id"] == report["id"]
        [posted] = await hub.slack.wait_for("chat.postMessage")
        assert "cluster prod" in block_text(posted.blocks) and "staging" not in block_text(
            posted.blocks
        )


async def test_what_recovered_while_the_agent_was_down_is_resolved_when_it_returns(
    tmp_path: Path,
) -> None:
    prod = KubeStandIn(latency=0.0)
    web = workload(prod, "web")
    prod.add(failing_pod(web, 0, oom=True))
    async with running_bot(tmp_path, hub=True, **HUB) as hub:
        await leading(hub)
        token = await issue(hub.kubemedic.store, "prod")
        async with running_agent(hub, tmp_path, cluster="prod", kube=prod, token=token, **WATCH):
            [first] = await hub.slack.wait_for("chat.postMessage")
        prod.add(healthy_pod(web, 0))  # fixed while no agent watched
        async with running_agent(hub, tmp_path, cluster="prod", kube=prod, token=token, **WATCH):
            done = await hub.slack.wait_for(
                "chat.update", predicate=lambda c: "Resolved" in block_text(c.blocks)
            )
            assert done[-1].params["ts"] == first.ts
