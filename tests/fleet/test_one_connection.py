"""A copied agent token does not take a cluster's traffic over (issues 68 and 76).

A token is bound to its agent's key when the hub issues it (`fleet token issue --secret` makes the
key; never at first use, a race a copy made before the agent's first start would win): a copy of
the token, alone or with a key of its own, is refused, audited, marked and alarmed in chat naming
both addresses, and the real agent connects. An unbound token keeps one live connection: a second
one is refused before any WebSocket, audited, alarmed, and `/diagnose clusters` and `doctor --hub`
say the token was used from two places; it gets the token only once the first is gone. A second
connection proving the bound key is the same agent (an overlapping pod): it waits, unmarked.
`/diagnose clusters` and `fleet token list` say which key a token is bound to and where the
connection that proved it comes from. What a connection said of itself (the reads it lacks, its
remediation) is dropped when it closes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path

import aiohttp
import pytest

from bot.fleet import tokens
from bot.fleet.agent import TokenRefused
from bot.fleet.wire import INSTANCE_HEADER, KEY_REFUSED, PATH
from bot.runtime.clock import utc_now
from bot.settings import Settings
from bot.storage.sql import SqlStore
from responses.doctor import Check
from tests.cli.runner import kubemedic_in_process
from tests.fleet.conftest import RawAgent, agent_key_file, issue, running_agent
from tests.slack.harness import Bot, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.waiting import PATIENCE
from tests.watch.test_watcher_bot import leading

CHANNEL = "C0FLEETALM"
HUB = {"KUBEMEDIC_ALERT_CHANNEL": CHANNEL, "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.05"}
"""A hub with an alert channel: where a token used from two places is alarmed."""


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


async def _alarm(hub: Bot) -> str:
    """The alarm the hub posted in its alert channel for a token used from two places."""
    [posted] = await hub.slack.wait_for(
        "chat.postMessage",
        predicate=lambda call: (
            not call.params.get("thread_ts") and "used from two places" in block_text(call.blocks)
        ),
    )
    assert posted.channel == CHANNEL
    return block_text(posted.blocks)


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
        async with running_bot(tmp_path, hub=True, **HUB) as hub:
            await leading(hub)
            store = hub.kubemedic.store
            assert isinstance(store, SqlStore)
            async with running_agent(hub, tmp_path, cluster="prod", kube=prod) as agent:
                elsewhere = {"X-Forwarded-For": "203.0.113.9"}
                assert await _dial(hub, agent.token, **elsewhere) == 409  # before any WebSocket
                assert await _dial(hub, agent.token, **elsewhere) == 409
                [audited] = await _audited(store)  # once, however often it dials
                assert audited.startswith("fleet-connect refused prod: a second connection")
                alarm = await _alarm(hub)  # loudly, in the alert channel: both addresses
                assert "token" in alarm and "cluster prod" in alarm
                assert "connected from 127.0.0.1 (an unbound token" in alarm
                assert "refused a connection from 127.0.0.1 (for 203.0.113.9)" in alarm
                assert "kubemedic fleet token revoke" in alarm
                listing = await _clusters(hub)
                assert "`prod`: 🟢 connected" in listing and "used from two places" in listing
                assert "is unbound, connected from 127.0.0.1" in listing
                assert any(
                    check.status == "fail" and "used from two places" in check.detail
                    for check in await _hub_doctor(tmp_path)
                )
                await hub.send(
                    hub.requests.slash_command(f"pod prod:{oom.namespace}/{oom.pod}")
                )  # still answered by the first connection, never by the copy
                [posted] = await hub.slack.wait_for(
                    "chat.postMessage",
                    predicate=lambda call: "used from" not in block_text(call.blocks),
                )
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


def test_a_token_bound_at_issue_refuses_a_copy_even_before_its_agent_first_starts(
    tmp_path: Path,
) -> None:
    """The copy dials first (it was copied before the agent's first start): with a key of its own
    or none, it is refused and stops, the alarm names it; the agent with its issued key connects."""

    async def scenario() -> None:
        prod = KubeStandIn(latency=0.0)
        async with running_bot(tmp_path, hub=True, **HUB) as hub:
            await leading(hub)
            store = hub.kubemedic.store
            assert isinstance(store, SqlStore)
            key, public = agent_key_file(tmp_path / "agent")
            token = await issue(store, "prod", key=public)
            async with running_agent(
                hub,
                tmp_path,
                cluster="prod",
                kube=prod,
                token=token,
                wait=False,
                KUBEMEDIC_AGENT_KEY_FILE=str(tmp_path / "thief" / "key.pem"),
            ) as thief:  # a copy with a key of its own: refused, and it stops saying why
                with pytest.raises(TokenRefused, match="bound to another agent's key"):
                    async with asyncio.timeout(PATIENCE):
                        await thief.task
            async with RawAgent.connect(hub.url, token) as copy:  # the token alone: no key
                refused = await copy.socket.receive(timeout=PATIENCE)
                assert refused.data == KEY_REFUSED and "bound to its agent's key" in refused.extra
            [bound] = await store.list_tokens()
            assert bound.agent_key == public  # as issued: no copy bound it to itself
            assert any("fleet-connect refused prod" in row for row in await _audited(store))
            alarm = await _alarm(hub)
            assert "no connection holds it now" in alarm and "bound to another agent's key" in alarm
            async with running_agent(
                hub,
                tmp_path,
                cluster="prod",
                kube=prod,
                token=token,
                KUBEMEDIC_AGENT_KEY_FILE=str(key),
            ) as agent:  # the agent itself, with the key issued with its token: welcome
                assert agent.agent.state.cluster == "prod"
                listing = await _clusters(hub)
                assert f"🔑 token {bound.id} bound to agent key {public[:8]}..." in listing
                assert "proven from 127.0.0.1" in listing and "used from two places" in listing

    asyncio.run(scenario())
    listed = kubemedic_in_process(
        "fleet",
        "token",
        "list",
        env={"KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}"},
    )
    assert "bound to agent key" in listed.stdout


def test_a_second_pod_of_the_same_agent_waits_unmarked_and_takes_over_when_the_first_goes(
    tmp_path: Path,
) -> None:
    """A rolling update overlapping two pods of one agent: both prove the bound key, so the second is
    no second place: it is told to dial later, nothing is marked, audited or alarmed."""

    async def scenario() -> None:
        prod = KubeStandIn(latency=0.0)
        async with running_bot(tmp_path, hub=True) as hub:
            store = hub.kubemedic.store
            assert isinstance(store, SqlStore)
            key, public = agent_key_file(tmp_path / "agent")
            token = await issue(store, "prod", key=public)
            pod = {"KUBEMEDIC_AGENT_KEY_FILE": str(key)}
            old = running_agent(hub, tmp_path, cluster="prod", kube=prod, token=token, **pod)
            async with (
                old as first,
                running_agent(
                    hub, tmp_path, cluster="prod", kube=prod, token=token, wait=False, **pod
                ) as second,
            ):
                async with asyncio.timeout(PATIENCE):
                    while second.agent.state.attempt < 2:  # told to dial later, twice
                        await asyncio.sleep(0.05)
                assert not second.task.done() and not second.agent.state.connected
                await first.halt()  # the old pod goes
                await second.connected(timeout=PATIENCE)
            [row] = await store.list_tokens()
            assert row.conflict_at is None and await _audited(store) == []
            assert "used from two places" not in await _clusters(hub)

    asyncio.run(scenario())


def test_a_token_issued_to_bind_at_first_use_is_refused_with_the_way_to_a_new_one(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, hub=True) as hub:
            store = hub.kubemedic.store
            assert isinstance(store, SqlStore)
            issued = tokens.issue("prod", now=utc_now())
            await store.add_token(dataclasses.replace(issued.record, bind=True))  # before issue 76
            key, _ = agent_key_file(tmp_path / "agent")
            async with running_agent(
                hub,
                tmp_path,
                cluster="prod",
                kube=KubeStandIn(latency=0.0),
                token=issued.text,
                wait=False,
                KUBEMEDIC_AGENT_KEY_FILE=str(key),
            ) as agent:
                with pytest.raises(TokenRefused, match="bind at first use, which a copy could win"):
                    async with asyncio.timeout(PATIENCE):
                        await agent.task
            assert await _audited(store) == []  # the agent's own refusal: no second place

    asyncio.run(scenario())


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
