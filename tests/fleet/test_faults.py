"""Faults between the hub and its agents: never a silent wait, never a dropped request, no cross-talk.

Tokens: a forged, malformed or revoked token is refused before the upgrade (401), a revoked
one's open connection is closed, and the real agent stops with the one line that says why.
Agents: one that takes nothing is reported unreachable within 3 s; a request in flight when its
agent drops is sent again when the agent returns; an agent answering another cluster's request
changes nothing.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from bot.fleet.agent import TokenRefused
from bot.fleet.timing import FleetTiming
from bot.fleet.wire import PATH, PROTOCOL_ERROR
from bot.runtime.clock import utc_now
from tests.fleet.conftest import RawAgent, issue, running_agent
from tests.slack.harness import Bot, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.waiting import PATIENCE


async def _status_of(hub: Bot, token: str) -> int:
    async with aiohttp.ClientSession() as session:
        try:
            socket = await session.ws_connect(
                hub.url + PATH, headers={"Authorization": f"Bearer {token}"}
            )
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status
        await socket.close()
        return 101


def test_forged_malformed_and_revoked_tokens_are_refused(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, hub=True) as hub:
            store = hub.kubemedic.store
            good = await issue(store, "prod")
            forged = good[:-4] + (
                "AAAA" if not good.endswith("AAAA") else "BBBB"
            )  # right id, wrong secret
            assert await _status_of(hub, good) == 101
            for token in (
                forged,
                "kmf_short",
                "",
                "Bearer",
                good + "x",
                good.replace("kmf_", "kmx_"),
            ):
                assert await _status_of(hub, token) == 401, token
            await store.revoke_tokens("prod", now=utc_now())
            assert await _status_of(hub, good) == 401

    asyncio.run(scenario())


def test_a_revoked_agent_is_disconnected_and_stops_saying_why(tmp_path: Path) -> None:
    async def scenario() -> None:
        prod = KubeStandIn(latency=0.0)
        async with running_bot(tmp_path, hub=True) as hub:
            assert hub.kubemedic.fleet is not None
            hub.kubemedic.fleet.parts.timing = FleetTiming(revocation_seconds=0.2)
            async with running_agent(hub, tmp_path, cluster="prod", kube=prod) as agent:
                await hub.kubemedic.store.revoke_tokens("prod", now=utc_now())
                with pytest.raises(TokenRefused, match="revoked"):
                    async with asyncio.timeout(5):
                        await agent.task
            async with running_agent(
                hub, tmp_path, cluster="prod", kube=prod, token=agent.token, wait=False
            ) as again:
                with pytest.raises(TokenRefused, match="HTTP 401"):
                    async with asyncio.timeout(5):
                        await again.task

    asyncio.run(scenario())


def test_an_agent_that_takes_nothing_is_reported_unreachable(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, hub=True) as hub:
            token = await issue(hub.kubemedic.store, "prod")
            async with RawAgent.connect(hub.url, token) as stalled:
                assert (await stalled.next_of("welcome"))["cluster"] == "prod"
                await hub.send(hub.requests.slash_command("pod prod:shop/web-0"))
                ask = await stalled.next_of("ask")  # it was routed to the agent, which says nothing
                assert ask["request"] == {"verb": "pod", "namespace": "shop", "name": "web-0"}
                [told] = await hub.slack.wait_for("response_url")
                assert "cluster prod is unreachable" in told.params["text"]
                await stalled.send(
                    {"type": "answer", "id": ask["id"], "outcome": "refused", "reason": "late"}
                )
                await hub.settle()
                assert len(hub.slack.calls_to("response_url")) == 1  # a late answer is not posted

    asyncio.run(scenario())


def test_a_request_in_flight_when_the_agent_drops_is_answered_when_it_returns(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        prod = KubeStandIn(latency=0.0)
        oom = scenarios.oom_killed_deployment(prod)
        async with running_bot(tmp_path, hub=True) as hub:
            token = await issue(hub.kubemedic.store, "prod")
            async with RawAgent.connect(hub.url, token) as dropping:
                await dropping.next_of("welcome")
                await hub.send(hub.requests.slash_command(f"pod prod:{oom.namespace}/{oom.pod}"))
                ask = await dropping.next_of("ask")
                await dropping.send({"type": "accepted", "id": ask["id"]})
                await asyncio.sleep(0.3)  # the hub has recorded the acceptance
            async with running_agent(hub, tmp_path, cluster="prod", kube=prod, token=token):
                [posted] = await hub.slack.wait_for("chat.postMessage")
            assert "oom-killed" in block_text(posted.blocks)
            assert not [
                call
                for call in hub.slack.calls_to("response_url")
                if "unreachable" in str(call.params)
            ]

    asyncio.run(scenario())


def test_an_agent_cannot_answer_another_clusters_request(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, hub=True) as hub:
            store = hub.kubemedic.store
            prod_token, staging_token = await issue(store, "prod"), await issue(store, "staging")
            async with (
                RawAgent.connect(hub.url, prod_token) as prod,
                RawAgent.connect(hub.url, staging_token) as staging,
            ):
                await prod.next_of("welcome")
                await staging.next_of("welcome")
                await hub.send(
                    hub.requests.slash_command("pod prod:shop/web-0", channel_id="C0PROD0001")
                )
                ask = await prod.next_of("ask")
                await prod.send({"type": "accepted", "id": ask["id"]})
                forged = {
                    "type": "answer",
                    "id": ask["id"],
                    "outcome": "diagnosis",
                    "diagnosis": {
                        "subject": "pod shop/web-0",
                        "findings": [{"id": "oom-killed", "score": 1}],
                    },
                }
                await staging.send(forged)
                await asyncio.sleep(0.5)
                [row] = (await store.get_requests([ask["id"]])).values()
                assert row.state == "accepted" and row.answer is None
                await prod.send(
                    {
                        "type": "answer",
                        "id": ask["id"],
                        "outcome": "refused",
                        "reason": 'pod "web-0" not found in namespace shop',
                    }
                )
                [told] = await hub.slack.wait_for("response_url")
                assert "not found" in told.params["text"]
            await hub.settle()
            assert hub.slack.calls_to("chat.postMessage") == []

    asyncio.run(scenario())


def test_another_wire_version_is_refused_with_the_reason(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, hub=True) as hub:
            token = await issue(hub.kubemedic.store, "prod")
            async with RawAgent.connect(
                hub.url, token, hello={"type": "hello", "wire": 99, "version": "x"}
            ) as old:
                message = await old.socket.receive(timeout=5)
                assert message.type == aiohttp.WSMsgType.CLOSE and message.data == PROTOCOL_ERROR
                assert "wire version 99" in message.extra
            assert await hub.kubemedic.store.list_agents() == []

    asyncio.run(scenario())


def test_doctor_on_an_agent_checks_the_hub_and_on_the_hub_lists_the_agents(tmp_path: Path) -> None:
    async def scenario() -> None:
        from bot.fleet.checks import agent_checks, hub_checks
        from bot.settings import Settings

        prod = KubeStandIn(latency=0.0)
        async with running_bot(tmp_path, hub=True) as hub:
            hub_settings = Settings(
                KUBEMEDIC_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}"
            )
            [none] = await hub_checks(hub_settings)
            assert none.status == "info" and "no agent has connected yet" in none.detail
            async with running_agent(hub, tmp_path, cluster="prod", kube=prod) as agent:
                settings = Settings(KUBEMEDIC_HUB_URL=hub.url, KUBEMEDIC_AGENT_TOKEN=agent.token)
                [ok] = await agent_checks(settings, version="9.9.9-test")
                assert ok.status == "ok" and "as cluster prod" in ok.detail
                [listed] = await hub_checks(hub_settings)
                assert (
                    listed.name == "agent prod" and "connected (agent 9.9.9-test)" in listed.detail
                )
                await hub.kubemedic.store.revoke_tokens("prod", now=utc_now())
                [refused] = await agent_checks(settings, version="9.9.9-test")
                assert refused.status == "fail" and "refused this agent's token" in refused.detail
            async with asyncio.timeout(PATIENCE):  # until the hub has seen its connection close
                while (gone := (await hub_checks(hub_settings))[0]).status == "ok":
                    await asyncio.sleep(0.05)
            assert gone.status == "fail" and "not connected" in gone.detail
            unreachable = Settings(
                KUBEMEDIC_HUB_URL="http://127.0.0.1:9", KUBEMEDIC_AGENT_TOKEN=agent.token
            )
            [down] = await agent_checks(unreachable, version="x")
            assert down.status == "fail" and "cannot reach" in down.detail

    asyncio.run(scenario())
