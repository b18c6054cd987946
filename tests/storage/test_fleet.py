"""The fleet's storage on SQLite and PostgreSQL: exactly one holder per request, moves as compare-and-set.

Two stores on one database stand for two hub replicas claiming at the same moment; every
open request must be pushed through exactly one of them. A request is answered once, never
by another cluster's agent, and a connection that closes puts back exactly what it held.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.fleet import agent_key, tokens
from bot.storage.fleet_records import AgentRecord, FleetRequest
from bot.storage.fleet_tables import TOKEN_COLUMNS_8
from bot.storage.records import utcnow
from tests.storage.backends import opened

KEY = agent_key.new_pair()[1]
"""An agent's public key, as `fleet token issue --secret` binds a token to it."""
NOW = utcnow()


def _request(number: int, cluster: str = "prod") -> FleetRequest:
    at = NOW + timedelta(milliseconds=number)
    return FleetRequest(
        id=f"r{number:03d}",
        cluster=cluster,
        verb="pod",
        namespace="shop",
        name=f"web-{number}",
        state="pending",
        created_at=at,
        updated_at=at,
    )


async def test_two_replicas_claiming_at_once_push_each_request_once(db_url: str) -> None:
    async with opened(db_url) as one, opened(db_url) as two:
        for number in range(40):
            await one.open_request(_request(number))
        until = NOW + timedelta(seconds=6)
        claims = await asyncio.gather(
            *(
                store.claim_requests({"prod": f"{name}/link"}, now=NOW, until=until)
                for store, name in ((one, "one"), (two, "two"))
                for _ in range(3)
            )
        )
        claimed = [request.id for batch in claims for request in batch]
        assert sorted(claimed) == [f"r{number:03d}" for number in range(40)]  # each once, none lost


async def test_a_request_is_answered_once_and_only_by_its_cluster(db_url: str) -> None:
    async with opened(db_url) as store:
        await store.open_request(_request(1))
        assert not await store.move_request(
            "r001",
            cluster="staging",
            leaving=("pending",),
            to="done",
            now=NOW,
            answer={"outcome": "forged"},
        )
        assert await store.move_request(
            "r001", cluster="prod", leaving=("pending",), to="accepted", now=NOW
        )
        assert await store.move_request(
            "r001",
            cluster="prod",
            leaving=("accepted",),
            to="done",
            now=NOW,
            answer={"outcome": "refused"},
        )
        assert not await store.move_request(
            "r001",
            cluster="prod",
            leaving=("accepted",),
            to="done",
            now=NOW,
            answer={"outcome": "second"},
        )
        [row] = (await store.get_requests(["r001"])).values()
        assert (row.state, row.answer, row.accepted_at is not None) == (
            "done",
            {"outcome": "refused"},
            True,
        )
        again = await store.open_request(
            _request(1)
        )  # a replica taking the ask over finds the same row
        assert again.state == "done" and again.answer == {"outcome": "refused"}


async def test_what_a_closed_or_dead_connection_held_is_claimed_again(db_url: str) -> None:
    async with opened(db_url) as store:
        for number in (1, 2):
            await store.open_request(_request(number))
        until = NOW + timedelta(seconds=6)
        assert (
            len(await store.claim_requests({"prod": "replica-a/link-1"}, now=NOW, until=until)) == 2
        )
        assert await store.claim_requests({"prod": "replica-b/link-1"}, now=NOW, until=until) == []
        assert (
            await store.release_requests("replica-a/link-1", now=NOW) == 2
        )  # the agent's socket closed
        assert (
            len(await store.claim_requests({"prod": "replica-b/link-1"}, now=NOW, until=until)) == 2
        )
        later = until + timedelta(seconds=1)  # replica-b died: its leases ran out unrenewed
        taken = await store.claim_requests({"prod": "replica-c/link-1"}, now=later, until=later)
        assert [request.attempts for request in taken] == [3, 3]


async def test_agents_and_revoked_tokens(db_url: str) -> None:
    async with opened(db_url) as store:
        issued = [tokens.issue("prod", now=NOW), tokens.issue("staging", now=NOW)]
        for token in issued:
            await store.add_token(token.record)
        assert await store.revoke_tokens("prod", now=NOW) == 1
        assert await store.revoked_tokens([t.record.id for t in issued] + ["gone"]) == {
            issued[0].record.id,
            "gone",
        }
        agent = AgentRecord(
            cluster="prod",
            version="1.0",
            wire=1,
            replica="a",
            connected=True,
            connected_at=NOW,
            last_seen=NOW,
            cannot_read=("get pods/log",),
        )
        await store.agent_connected(agent)
        await store.agent_connected(
            AgentRecord(**{**agent.__dict__, "replica": "b", "version": "1.1"})
        )
        await store.agent_disconnected(
            "prod", replica="a", now=NOW
        )  # an older connection closing elsewhere
        [row] = await store.list_agents()
        assert (row.replica, row.version, row.connected, row.cannot_read) == (
            "b",
            "1.1",
            True,
            ("get pods/log",),
        )


async def test_a_version_5_database_gains_the_columns_of_remediation_and_token_binding(
    db_url: str,
) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.storage.records import AuditRecord

    async with opened(db_url):
        pass
    engine = create_async_engine(db_url)
    try:
        async with (
            engine.begin() as conn
        ):  # the first fleet's schema: no opt-in, no params, no identity
            for table, column in (
                ("fleet_agents", "remediation"),
                ("fleet_requests", "params"),
                ("audit", "identity"),
                *(("fleet_tokens", name) for name in TOKEN_COLUMNS_8),  # version 8's
            ):
                await conn.execute(text(f'ALTER TABLE {table} DROP COLUMN "{column}"'))
            await conn.execute(text("DELETE FROM schema_version"))
            await conn.execute(
                text(
                    "INSERT INTO schema_version (version, applied_at) VALUES (5, CURRENT_TIMESTAMP)"
                )
            )
    finally:
        await engine.dispose()
    async with opened(db_url) as store:
        await store.agent_connected(
            AgentRecord(
                cluster="prod",
                version="1",
                wire=2,
                replica="a",
                connected=True,
                connected_at=NOW,
                last_seen=NOW,
                remediation=True,
            )
        )
        await store.open_request(
            FleetRequest(
                id="r1",
                cluster="prod",
                verb="remediate",
                namespace="shop",
                name="web",
                state="pending",
                created_at=NOW,
                updated_at=NOW,
                params={"identity": {"user": "alice"}},
            )
        )
        await store.write_audit(
            AuditRecord(
                user="U1", kind="delete-pod", cluster="prod", outcome="started", identity="alice"
            )
        )
        agent = await store.get_agent("prod")
        assert agent is not None and agent.remediation
        issued = tokens.issue("prod", now=NOW, remediation=True, key=KEY)
        await store.add_token(issued.record)
        [token] = await store.list_tokens()
        assert token.remediation and token.bind and token.agent_key == KEY
        assert (await store.get_requests(["r1"]))["r1"].params == {"identity": {"user": "alice"}}
        assert [row.identity for row in await store.list_audit()] == ["alice"]


async def test_a_token_has_one_live_connection_whichever_replica_holds_it(db_url: str) -> None:
    async with opened(db_url) as one, opened(db_url) as two:
        issued = tokens.issue("prod", now=NOW)
        await one.add_token(issued.record)
        token, until = issued.record.id, NOW + timedelta(seconds=6)
        held = await asyncio.gather(
            *(
                store.hold_token(
                    token, holder=f"{name}/link", by=name, address="10.0.0.1", now=NOW, until=until
                )
                for store, name in ((one, "one"), (two, "two"))
            )
        )
        assert sorted(held) == [False, True]  # exactly one connection holds it
        holder = "one/link" if held[0] else "two/link"
        assert await one.renew_tokens([holder, "gone/link"], until=until) == {holder}
        assert not await one.hold_token(
            token, holder="three/link", by="three", address="x", now=NOW, until=until
        )
        later = until + timedelta(seconds=1)
        assert await one.hold_token(  # its lease ran out: the holder's replica died
            token, holder="three/link", by="three", address="x", now=later, until=later
        )
        assert await one.hold_token(  # the same agent process dialling again takes it over
            token, holder="four/link", by="three", address="x", now=NOW, until=until
        )
        await one.release_token(token, holder="three/link")  # an old connection: changes nothing
        [record] = await one.list_tokens()
        assert record.holder == "four/link" and record.live_holder(NOW)
        await one.release_token(token, holder="four/link")
        [record] = await one.list_tokens()
        assert record.holder is None and not record.live_holder(NOW)


async def test_a_token_is_bound_at_issue_and_a_revoked_cluster_is_removed(db_url: str) -> None:
    async with opened(db_url) as store:
        issued = tokens.issue("prod", now=NOW, key=KEY, remediation=True)
        await store.add_token(issued.record)
        token = issued.record.id
        await store.token_conflict(token, at=NOW, address="10.9.9.9")
        [record] = await store.list_tokens()
        assert (record.agent_key, record.bind, record.remediation) == (KEY, True, True)
        assert tokens.two_places([record], NOW) == {
            "prod": f"⚠️ token {token} used from two places: a second connection from 10.9.9.9 "
            "was refused 0 s ago"
        }
        await store.open_request(_request(1))
        assert await store.remove_cluster("prod") is None  # a valid token: refused
        await store.revoke_tokens("prod", now=NOW)
        assert await store.remove_cluster("prod") == {
            "fleet_requests": 1,
            "fleet_agents": 0,
            "fleet_tokens": 1,
        }
