"""Revoking and removing as an operator does it, with agents connected and asks in flight (issue 76).

`fleet cluster remove` while an ask is in flight tells its asker at once (it
used to leave them waiting for minutes).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.cli.runner import kubemedic_in_process
from tests.fleet.conftest import RawAgent, issue
from tests.slack.harness import running_bot


def _env(tmp_path: Path) -> dict[str, str]:
    return {"KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}"}


def test_removing_a_cluster_tells_the_asker_of_an_ask_in_flight_at_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(
            tmp_path, hub=True, KUBEMEDIC_FLEET_ANSWER_SECONDS="1800"
        ) as hub:  # a taken ask would otherwise wait half an hour for its answer
            token = await issue(hub.kubemedic.store, "prod")  # type: ignore[arg-type]
            async with RawAgent.connect(hub.url, token) as agent:
                await agent.next_of("welcome")
                await hub.send(hub.requests.slash_command("pod prod:shop/web-0"))
                ask = await agent.next_of("ask")
                await agent.send({"type": "accepted", "id": ask["id"]})  # and never answers
                for verb in (("token", "revoke", "prod"), ("cluster", "remove", "prod")):
                    done = await asyncio.to_thread(
                        kubemedic_in_process, "fleet", *verb, env=_env(tmp_path)
                    )
                    assert done.code == 0, done.stderr
                [told] = await hub.slack.wait_for("response_url")
                assert "cluster prod was removed from this hub" in str(told.params.get("text"))

    asyncio.run(scenario())
