"""The fleet under faults (issue 68): redials, lost notices, and what an agent may send.

An agent's back-off starts again after every good connection, so a hub restarting its replicas
one after another does not grow it; an "unreachable" notice the chat refuses once is sent again,
like any answer; an answer or a reason too large is not stored as sent; refused connections
are logged at most once a minute.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import aiohttp
import pytest

from bot.fleet.agent_dial import BACKOFF
from bot.fleet.wire import MAX_ANSWER_BYTES, PATH, PROTOCOL_ERROR
from tests.fleet.conftest import RawAgent, issue, running_agent
from tests.slack.harness import running_bot
from tests.standins.kube_api import KubeStandIn


def test_the_back_off_starts_again_after_every_good_connection(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, hub=True) as hub:
            fleet = hub.kubemedic.fleet
            assert fleet is not None
            async with running_agent(
                hub, tmp_path, cluster="prod", kube=KubeStandIn(latency=0.0)
            ) as agent:
                for connections in (2, 3, 4):  # the hub closes every connection, as a restart does
                    await fleet.close()
                    async with asyncio.timeout(30):
                        while agent.agent.state.connections < connections:
                            await asyncio.sleep(0.02)
                assert len(agent.agent.state.waits) == 3
                assert all(wait <= BACKOFF[0] for wait in agent.agent.state.waits)

    asyncio.run(scenario())


def test_an_unreachable_notice_the_chat_refuses_once_is_sent_again(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, hub=True) as hub:
            token = await issue(hub.kubemedic.store, "prod")
            async with RawAgent.connect(hub.url, token) as stalled:  # takes nothing
                await stalled.next_of("welcome")
                hub.slack.fail("response_url", status=500, times=1)
                await hub.send(hub.requests.slash_command("pod prod:shop/web-0"))
                [told] = await hub.slack.wait_for("response_url", timeout=30)  # ok ones only
                assert "cluster prod is unreachable" in told.params["text"]
                await hub.settle()
                assert len(hub.slack.calls_to("response_url", ok=False)) == 1
                assert len(hub.slack.calls_to("response_url", ok=True)) == 1

    asyncio.run(scenario())


def test_an_answer_too_large_is_not_stored_and_its_asker_is_told_why(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, hub=True) as hub:
            store = hub.kubemedic.store
            token = await issue(store, "prod")
            async with RawAgent.connect(hub.url, token) as agent:
                await agent.next_of("welcome")
                await hub.send(hub.requests.slash_command("pod prod:shop/web-0"))
                ask = await agent.next_of("ask")
                await agent.send({"type": "accepted", "id": ask["id"]})
                evidence = ["x" * 3000] * (MAX_ANSWER_BYTES // 3000 + 10)
                huge = {"subject": "pod shop/web-0", "findings": [], "notes": evidence}
                await agent.send(
                    {"type": "answer", "id": ask["id"], "outcome": "diagnosis", "diagnosis": huge}
                )
                [told] = await hub.slack.wait_for("response_url", timeout=15)
                assert "too large" in told.params["text"]
                [row] = (await store.get_requests([ask["id"]])).values()
                assert row.state == "done" and len(str(row.answer)) < 1000

    asyncio.run(scenario())


def test_a_reason_longer_than_the_wire_allows_is_refused_as_invalid(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, hub=True) as hub:
            store = hub.kubemedic.store
            token = await issue(store, "prod")
            async with RawAgent.connect(hub.url, token) as agent:
                await agent.next_of("welcome")
                await hub.send(hub.requests.slash_command("pod prod:shop/web-0"))
                ask = await agent.next_of("ask")
                await agent.send(
                    {"type": "answer", "id": ask["id"], "outcome": "refused", "reason": "y" * 5000}
                )
                closed = await agent.socket.receive(timeout=5)
                assert closed.type == aiohttp.WSMsgType.CLOSE and closed.data == PROTOCOL_ERROR
            [row] = (await store.get_requests([ask["id"]])).values()
            assert row.answer is None

    asyncio.run(scenario())


def test_refused_connections_are_logged_at_most_once_a_minute(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, hub=True) as hub, aiohttp.ClientSession() as session:
            for number in range(30):
                bad = {"Authorization": f"Bearer kmf_{'a' * 12}_{number:040d}"}
                with pytest.raises(aiohttp.WSServerHandshakeError):
                    await session.ws_connect(hub.url + PATH, headers=bad)

    with caplog.at_level(logging.WARNING, logger="bot.fleet"):
        asyncio.run(scenario())
    refused = [record for record in caplog.records if "agent refused" in record.getMessage()]
    assert len(refused) == 1
