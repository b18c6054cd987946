"""A hub and two agents on loopback: `/diagnose` routed to the cluster it names, through the real bolt app.

The hub is given no kubeconfig; each agent reads only its own API stand-in, which holds a
different broken pod, so an answer from the wrong cluster could not name the right cause.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from tests.fleet.conftest import running_agent
from tests.slack.harness import block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.waiting import PATIENCE


def _private(bot_calls: list[object]) -> list[str]:
    return [str(call.params.get("text", "")) for call in bot_calls]  # type: ignore[attr-defined]


def test_each_cluster_is_answered_by_its_own_agent_and_named(tmp_path: Path) -> None:
    async def scenario() -> None:
        prod, staging = KubeStandIn(latency=0.0), KubeStandIn(latency=0.0)
        oom = scenarios.oom_killed_deployment(prod)
        pull = scenarios.image_pull_backoff(staging)
        async with (
            running_bot(tmp_path, hub=True) as hub,
            running_agent(hub, tmp_path, cluster="prod", kube=prod),
            running_agent(hub, tmp_path, cluster="staging", kube=staging),
        ):
            await hub.send(
                hub.requests.slash_command(
                    f"pod prod:{oom.namespace}/{oom.pod}", channel_id="C0PROD0001"
                )
            )
            await hub.send(
                hub.requests.slash_command(
                    f"pod staging:{pull.namespace}/{pull.pod}", channel_id="C0STAGE001"
                )
            )
            posts = await hub.slack.wait_for("chat.postMessage", count=2)
            by_channel = {call.params["channel"]: block_text(call.blocks) for call in posts}
            assert "oom-killed" in by_channel["C0PROD0001"] and "prod" in by_channel["C0PROD0001"]
            assert (
                "image-not-found" in by_channel["C0STAGE001"]
                and "staging" in by_channel["C0STAGE001"]
            )
            assert "oom-killed" not in by_channel["C0STAGE001"]
            assert any("/pods/" in request.path for request in prod.requests)
            assert not any(oom.pod in request.path for request in staging.requests)

    asyncio.run(scenario())


def test_clusters_lists_agents_and_a_stopped_agent_is_reported_unreachable_within_3_s(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        prod = KubeStandIn(latency=0.0)
        oom = scenarios.oom_killed_deployment(prod)
        async with running_bot(tmp_path, hub=True) as hub:
            async with running_agent(hub, tmp_path, cluster="prod", kube=prod):
                status, body = await hub.send(hub.requests.slash_command("clusters"))
                listing = json.loads(body)["text"]
                assert (
                    status == 200
                    and "`prod`" in listing
                    and "connected" in listing
                    and "9.9.9-test" in listing
                )
            async with asyncio.timeout(PATIENCE):  # the hub notices the closed connection
                while (
                    "unreachable"
                    not in json.loads((await hub.send(hub.requests.slash_command("clusters")))[1])[
                        "text"
                    ]
                ):
                    await asyncio.sleep(0.05)
            await hub.send(hub.requests.slash_command(f"pod prod:{oom.namespace}/{oom.pod}"))
            [told] = await hub.slack.wait_for("response_url")
            assert "cluster prod is unreachable" in told.params["text"]
            hub.clock.advance(60)  # gone a minute: no waiting at all
            await hub.send(hub.requests.slash_command(f"namespace prod:{oom.namespace}"))
            [_, told] = await hub.slack.wait_for("response_url", count=2)
            assert re.search(
                r"its agent is not connected \(last heard from 6\d s ago\)", told.params["text"]
            )

    asyncio.run(scenario())


def test_a_channels_default_cluster_is_used_when_the_request_names_none(tmp_path: Path) -> None:
    async def scenario() -> None:
        prod = KubeStandIn(latency=0.0)
        oom = scenarios.oom_killed_deployment(prod)
        async with (
            running_bot(tmp_path, hub=True, KUBEMEDIC_CHANNEL_CLUSTERS="C0PROD0001=prod") as hub,
            running_agent(hub, tmp_path, cluster="prod", kube=prod),
        ):
            await hub.send(
                hub.requests.slash_command(f"namespace {oom.namespace}", channel_id="C0PROD0001")
            )
            [posted] = await hub.slack.wait_for("chat.postMessage")
            assert "oom-killed" in block_text(posted.blocks) and "prod" in block_text(posted.blocks)
            await hub.send(
                hub.requests.slash_command(
                    f"pod {oom.namespace}/{oom.pod}", channel_id="C0OTHER001"
                )
            )
            [told] = await hub.slack.wait_for("response_url")
            assert "name the cluster" in told.params["text"] and "prod" in told.params["text"]
            _, body = await hub.send(
                hub.requests.slash_command("clusters", channel_id="C0PROD0001")
            )
            assert "this channel's default" in json.loads(body)["text"]

    asyncio.run(scenario())
