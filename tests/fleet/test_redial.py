"""An agent refused by a draining replica dials again on a new connection (issue 76, MEDIUM 5).

Behind a balancer that routes by connection (a Kubernetes Service, a TCP balancer), a redial over
the kept-alive connection of a 503 lands on the same draining replica for its whole drain, and
each 503 lengthens the back-off: its cluster's asks were told "unreachable". The agent now closes
the connection on any refusal and pools nothing for its dial, so the balancer picks again.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

from bot.storage.sql import SqlStore
from tests.fleet.conftest import issue, running_agent
from tests.slack.harness import running_bot
from tests.standins.kube_api import KubeStandIn
from tests.standins.tcp_balancer import Balancer
from tests.waiting import PATIENCE


def _backend(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def test_a_refused_dial_goes_out_on_a_new_connection_and_reaches_a_replica_that_stays(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        database = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        async with (
            running_bot(tmp_path / "a", hub=True, database_url=database) as draining,
            running_bot(tmp_path / "b", hub=True, database_url=database) as staying,
        ):
            assert draining.kubemedic.fleet is not None
            draining.kubemedic.fleet.parts.draining = True  # as from its SIGTERM on: 503
            balancer = Balancer([_backend(draining.url), _backend(staying.url)])  # by connection
            async with balancer.running() as url:
                store = staying.kubemedic.store
                assert isinstance(store, SqlStore)
                token = await issue(store, "prod")
                via = dataclasses.replace(staying, url=url)  # the agent dials the balancer
                async with running_agent(
                    via, tmp_path, cluster="prod", kube=KubeStandIn(), token=token, wait=False
                ) as agent:
                    await agent.connected(timeout=PATIENCE)
                    refused = balancer.connections[_backend(draining.url)]
                    print("CONNECTIONS", balancer.connections, agent.agent.state.waits)
                    assert refused >= 1  # its first dial met the draining replica
                    [record] = await store.list_agents()
                    assert record.connected and record.replica == staying.kubemedic.work.owner

    asyncio.run(scenario())
