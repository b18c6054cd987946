"""A copied agent token does not take a cluster's traffic over (issue 68).

One live connection per token: a second one is refused before any WebSocket, audited, and
`/diagnose clusters` and `doctor --hub` say the token was used from two places; it gets the
token only once the first is gone. A token issued with `--bind` is bound to its agent's own key
at first use, so a copy of the token alone is refused even then. What a connection said of
itself (the reads it lacks, its remediation) is dropped when it closes.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp
import pytest

from bot.fleet.agent import TokenRefused
from bot.fleet.wire import INSTANCE_HEADER, KEY_REFUSED, PATH
from bot.settings import Settings
from bot.storage.sql import SqlStore
from responses.doctor import Check
from tests.cli.runner import kubemedic_in_process
from tests.fleet.conftest import RawAgent, issue, running_agent
from tests.slack.harness import Bot, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn


async def _dial(hub: Bot, token: str, **headers: str) -> int:
    """The HTTP status of a connection attempt (101: upgraded, then closed at once)."""
    async with aiohttp.ClientSession() as session:
        try:
            socket = await session.ws_connect(
                hub.url + PATH, headers={"Authorization": f"Bearer {token}", **headers}
            )
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status
        await socket.close()
        return 101


async def _clusters(hub: Bot) -> str:
    _, body = await hub.send(hub.requests.slash_command("clusters"))
    return str(json.loads(body)["text"])


async def _released(store: SqlStore) -> None:
    """Until the hub has seen the connection close (its token is free)."""
    async with asyncio.timeout(60):
        while any(token.holder for token in await store.list_tokens()):
            await asyncio.sleep(0.02)


async def _audited(store: SqlStore) -> list[str]:
    return [
        f"{row.kind} {row.outcome} {row.cluster}: {row.reason}"
        for row in await store.list_audit(limit=20)
    ]


def test_a_second_connection_with_the_same_token_is_refused_audited_and_shown(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        prod = KubeStandIn(latency=0.0)
        oom = scenarios.oom_killed_deployment(prod)
        async with running_bot(tmp_path, hub=True) as hub:
            store = hub.kubemedic.store
            assert isinstance(store, SqlStore)
            async with running_agent(hub, tmp_path, cluster="prod", kube=prod) as agent:
                assert await _dial(hub, agent.token) == 409  # the copy: before any WebSocket
                assert await _dial(hub, agent.token) == 409
                [audited] = await _audited(store)  # once, however often it dials
                assert audited.startswith("fleet-connect refused prod: a second connection")
                listing = await _clusters(hub)
                assert "`prod`: 🟢 connected" in listing and "used from two places" in listing
                assert any(
                    check.status == "fail" and "used from two places" in check.detail
                    for check in await _hub_doctor(tmp_path)
                )
                await hub.send(
                    hub.requests.slash_command(f"pod prod:{oom.namespace}/{oom.pod}")
                )  # still answered by the first connection, never by the copy
                [posted] = await hub.slack.wait_for("chat.postMessage", timeout=15)
                assert "oom-killed" in block_text(posted.blocks)
            await _released(store)
            async with RawAgent.connect(hub.url, agent.token) as copy:  # the first is gone
                assert (await copy.next_of("welcome"))["cluster"] == "prod"

    asyncio.run(scenario())


async def _hub_doctor(tmp_path: Path) -> list[Check]:
    from bot.fleet.checks import hub_checks

    settings = Settings(KUBEMEDIC_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}")
    return await hub_checks(settings)


def test_the_same_agent_dialling_again_takes_its_token_over_unmarked(tmp_path: Path) -> None:
    """Its old connection is gone though the hub has not seen it close: no wait, no alarm, and the
    old connection is closed when its replica renews."""

    async def scenario() -> None:
        async with running_bot(tmp_path, hub=True) as hub:
            token = await issue(hub.kubemedic.store, "prod")
            same = {INSTANCE_HEADER: "agent-process-1"}
            async with RawAgent.connect(hub.url, token, headers=same) as old:
                await old.next_of("welcome")
                async with RawAgent.connect(hub.url, token, headers=same) as again:
                    assert (await again.next_of("welcome"))["cluster"] == "prod"
                    closed = await old.socket.receive(timeout=15)  # the replica's next renewal
                    assert closed.type == aiohttp.WSMsgType.CLOSE
                    assert "newer connection" in closed.extra
            [token_row] = await hub.kubemedic.store.list_tokens()
            assert token_row.conflict_at is None
            assert await _audited(hub.kubemedic.store) == []  # type: ignore[arg-type]

    asyncio.run(scenario())


def test_a_token_bound_to_its_agents_key_refuses_a_copy_even_when_the_agent_is_gone(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        prod = KubeStandIn(latency=0.0)
        async with running_bot(tmp_path, hub=True) as hub:
            store = hub.kubemedic.store
            assert isinstance(store, SqlStore)
            token = await issue(store, "prod", bind=True)
            key = tmp_path / "agent" / "key.pem"
            async with running_agent(
                hub,
                tmp_path,
                cluster="prod",
                kube=prod,
                token=token,
                KUBEMEDIC_AGENT_KEY_FILE=str(key),
            ):
                assert key.stat().st_mode & 0o777 == 0o600
            await _released(store)
            [bound] = await store.list_tokens()
            assert bound.agent_key is not None  # bound at first use
            async with RawAgent.connect(hub.url, token) as copy:  # the token alone: no key
                refused = await copy.socket.receive(timeout=5)
                assert refused.data == KEY_REFUSED and "bound to its agent's key" in refused.extra
            other = tmp_path / "other" / "key.pem"
            async with running_agent(
                hub,
                tmp_path,
                cluster="prod",
                kube=prod,
                token=token,
                wait=False,
                KUBEMEDIC_AGENT_KEY_FILE=str(other),
            ) as thief:  # a copy with a key of its own: refused, and it stops saying why
                with pytest.raises(TokenRefused, match="bound to the key its agent first used"):
                    async with asyncio.timeout(10):
                        await thief.task
            assert any("fleet-connect refused prod" in row for row in await _audited(store))
            assert "used from two places" in await _clusters(hub)
            async with running_agent(
                hub,
                tmp_path,
                cluster="prod",
                kube=prod,
                token=token,
                KUBEMEDIC_AGENT_KEY_FILE=str(key),
            ) as again:  # the agent itself, with its own key: welcome
                assert again.agent.state.cluster == "prod"

    asyncio.run(scenario())
    listed = kubemedic_in_process(
        "fleet",
        "token",
        "list",
        env={"KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}"},
    )
    assert "bound to its agent's key" in listed.stdout


def test_clusters_drops_what_a_closed_connection_said_of_itself(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, hub=True) as hub:
            token = await issue(hub.kubemedic.store, "prod", remediation=True)
            hello = {
                "type": "hello",
                "version": "1.0",
                "cannot_read": ["get pods/log"],
                "remediation": True,
            }
            async with RawAgent.connect(hub.url, token, hello=hello) as agent:
                await agent.next_of("welcome")
                listing = await _clusters(hub)
                assert "lacks 1 read kubemedic uses (get pods/log)" in listing
                assert "remediation on" in listing
            async with asyncio.timeout(10):
                while "unreachable" not in (listing := await _clusters(hub)):
                    await asyncio.sleep(0.05)
            assert "lacks" not in listing and "remediation on" not in listing
            [agent_row] = await hub.kubemedic.store.list_agents()
            assert agent_row.cannot_read == () and not agent_row.remediation

    asyncio.run(scenario())
