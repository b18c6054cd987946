"""A fleet hub in Mattermost (`serve --mattermost --hub`): `/diagnose clusters` lists the agents,
and `/diagnose pod CLUSTER:NS/NAME` is answered by that cluster's agent, as in Slack."""

from __future__ import annotations

from pathlib import Path

from tests.fleet.conftest import running_agent
from tests.mattermost.harness import GENERAL, running_mattermost_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.waiting import until


async def test_diagnose_clusters_and_a_routed_ask_on_a_mattermost_hub(tmp_path: Path) -> None:
    prod = KubeStandIn(latency=0.0)
    oom = scenarios.oom_killed_deployment(prod)
    async with running_mattermost_bot(tmp_path, hub=True) as hub:
        status, none = await hub.command("clusters")
        assert status == 200 and "No agent has connected" in none["text"]
        async with running_agent(hub, tmp_path, cluster="prod", kube=prod):
            status, listing = await hub.command("clusters")
            assert status == 200 and listing["response_type"] == "ephemeral"
            assert (
                "**Clusters** (1 of 1 reachable)" in listing["text"]
                and "- `prod`: 🟢 connected" in listing["text"]
            )
            await hub.command(f"pod prod:{oom.namespace}/{oom.pod}")

            def answered() -> bool:
                return any(
                    "oom-killed" in post.get("message", "") and "prod" in post.get("message", "")
                    for post in hub.mm.state.top_level(GENERAL)
                )

            await until(answered, what="the agent's answer in the channel")
