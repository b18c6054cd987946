"""The fleet's queries: agents, and requests routed between hub replicas and agents (tokens:
bot/storage/sql_fleet_tokens.py).

Every state change of a request is one compare-and-set UPDATE (its WHERE names the states it
may leave), so of two replicas, or an agent answering twice, exactly one wins; on PostgreSQL
a concurrent UPDATE re-checks the WHERE after the row lock, on SQLite writers take turns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, and_, func, or_, select, update

from bot.storage.fleet_records import AgentRecord, FleetRequest, RequestState
from bot.storage.fleet_tables import fleet_agents, fleet_requests
from bot.storage.sql_base import SqlBase

_requests = fleet_requests.c


def _request(row: RowMapping) -> FleetRequest:
    return FleetRequest(**row)


def _agent(row: RowMapping) -> AgentRecord:
    return AgentRecord(**{**row, "cannot_read": tuple(row["cannot_read"] or ())})


class FleetQueries(SqlBase):
    """fleet_agents, fleet_requests."""

    async def agent_connected(self, agent: AgentRecord) -> None:
        """The cluster's agent connected to `agent.replica` (one row per cluster, upserted)."""
        values = {
            "cluster": agent.cluster,
            "version": agent.version,
            "wire": agent.wire,
            "replica": agent.replica,
            "connected": True,
            "connected_at": agent.connected_at,
            "last_seen": agent.last_seen,
            "cannot_read": list(agent.cannot_read),
            "remediation": agent.remediation,
            "moving_until": None,
        }
        insert = self._insert(fleet_agents).values(**values)
        changed = {key: value for key, value in values.items() if key != "cluster"}
        async with self._tx(write=True) as conn:
            await conn.execute(
                insert.on_conflict_do_update(index_elements=["cluster"], set_=changed)
            )

    async def agents_seen(self, clusters: Sequence[str], *, replica: str, now: datetime) -> int:
        """The agents of `clusters`, whose connections `replica` holds, were heard from now (the row
        follows the replica that holds a live connection, whichever recorded it last)."""
        if not clusters:
            return 0
        async with self._tx(write=True) as conn:
            return (
                await conn.execute(
                    update(fleet_agents)
                    .where(fleet_agents.c.cluster.in_(list(clusters)))
                    .values(last_seen=now, connected=True, replica=replica)
                )
            ).rowcount

    async def agent_disconnected(self, cluster: str, *, replica: str, now: datetime) -> None:
        """The connection `replica` held closed (a newer one, elsewhere, is left as it is): what that
        connection said of itself (the reads it lacks, its remediation) goes with it."""
        where = and_(fleet_agents.c.cluster == cluster, fleet_agents.c.replica == replica)
        gone = {"connected": False, "last_seen": now, "cannot_read": [], "remediation": False}
        async with self._tx(write=True) as conn:
            await conn.execute(update(fleet_agents).where(where).values(**gone))

    async def agents_moving(
        self, clusters: Sequence[str], *, replica: str, until: datetime
    ) -> None:
        """The agents of `clusters` whose connections the draining `replica` closes dial another
        replica: their asks wait for them until `until` (they stay listed as connected)."""
        if not clusters:
            return
        where = and_(fleet_agents.c.cluster.in_(list(clusters)), fleet_agents.c.replica == replica)
        async with self._tx(write=True) as conn:
            await conn.execute(update(fleet_agents).where(where).values(moving_until=until))

    async def list_agents(self) -> list[AgentRecord]:
        async with self._tx() as conn:
            rows = (
                (await conn.execute(select(fleet_agents).order_by(fleet_agents.c.cluster)))
                .mappings()
                .all()
            )
        return [_agent(row) for row in rows]

    async def get_agent(self, cluster: str) -> AgentRecord | None:
        async with self._tx() as conn:
            row = (
                (await conn.execute(select(fleet_agents).where(fleet_agents.c.cluster == cluster)))
                .mappings()
                .first()
            )
        return _agent(row) if row is not None else None

    async def open_request(self, request: FleetRequest) -> FleetRequest:
        """Store a new request, or return the one already stored under its id (a replica taking
        over the asking work finds the request its first owner opened)."""
        values = {
            "id": request.id,
            "cluster": request.cluster,
            "verb": request.verb,
            "namespace": request.namespace,
            "name": request.name,
            "state": request.state,
            "attempts": 0,
            "created_at": request.created_at,
            "updated_at": request.updated_at,
            "params": request.params,
        }
        async with self._tx(write=True) as conn:
            await conn.execute(
                self._insert(fleet_requests)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["id"])
            )
            row = (
                (await conn.execute(select(fleet_requests).where(_requests.id == request.id)))
                .mappings()
                .one()
            )
        return _request(row)

    async def claim_requests(
        self, holders: Mapping[str, str], *, now: datetime, until: datetime, limit: int = 50
    ) -> list[FleetRequest]:
        """Take the open requests of the clusters in `holders` (cluster -> the holder to send them
        through) that nobody holds, or whose holder's lease ran out; oldest first."""
        if not holders:
            return []
        claimable = or_(
            _requests.state == "pending",
            and_(_requests.state.in_(("sent", "accepted")), _requests.lease_until < now),
        )
        oldest = (
            select(_requests.id, _requests.cluster)
            .where(and_(_requests.cluster.in_(list(holders)), claimable))
            .order_by(_requests.created_at)
            .limit(limit)
        )
        async with (
            self._tx() as conn
        ):  # a read first: most ticks find nothing, and take no write lock
            found = (await conn.execute(oldest)).all()
        by_cluster: dict[str, list[str]] = {}
        for id, cluster in found:
            by_cluster.setdefault(cluster, []).append(id)
        claimed: list[FleetRequest] = []
        for cluster, ids in by_cluster.items():
            stmt = (
                update(fleet_requests)
                .where(and_(_requests.id.in_(ids), claimable))
                .values(
                    state="sent",
                    holder=holders[cluster],
                    lease_until=until,
                    attempts=_requests.attempts + 1,
                    updated_at=now,
                )
                .returning(*fleet_requests.c)
            )
            async with self._tx(write=True) as conn:
                claimed += map(_request, (await conn.execute(stmt)).mappings().all())
        return sorted(claimed, key=lambda request: request.created_at)

    async def move_request(
        self,
        id: str,
        *,
        cluster: str,
        leaving: Sequence[RequestState],
        to: RequestState,
        now: datetime,
        answer: dict[str, Any] | None = None,
    ) -> bool:
        """Move the request `id` of `cluster` to `to` if it is in one of `leaving`; False otherwise
        (answered already, expired, or another cluster's)."""
        values: dict[str, Any] = {"state": to, "updated_at": now}
        if answer is not None:
            values["answer"] = answer
        if to in ("done", "expired", "pending"):
            values.update(holder=None, lease_until=None)
        if to == "accepted":
            values["accepted_at"] = func.coalesce(_requests.accepted_at, now)
        where = and_(
            _requests.id == id, _requests.cluster == cluster, _requests.state.in_(list(leaving))
        )
        async with self._tx(write=True) as conn:
            return (
                await conn.execute(update(fleet_requests).where(where).values(**values))
            ).rowcount == 1

    async def renew_requests(self, holders: Sequence[str], *, until: datetime) -> int:
        """Extend the leases of what `holders` (this replica's connections) were sent."""
        if not holders:
            return 0
        where = and_(_requests.holder.in_(list(holders)), _requests.state.in_(("sent", "accepted")))
        async with self._tx(write=True) as conn:
            return (
                await conn.execute(update(fleet_requests).where(where).values(lease_until=until))
            ).rowcount

    async def release_requests(self, holder: str, *, now: datetime) -> int:
        """Put back what `holder` (a connection) was sent when it closes: the agent gets it again
        when it returns (or another replica's connection of the cluster does)."""
        where = and_(_requests.holder == holder, _requests.state.in_(("sent", "accepted")))
        async with self._tx(write=True) as conn:
            return (
                await conn.execute(
                    update(fleet_requests)
                    .where(where)
                    .values(state="pending", holder=None, lease_until=None, updated_at=now)
                )
            ).rowcount

    async def get_requests(self, ids: Sequence[str]) -> dict[str, FleetRequest]:
        if not ids:
            return {}
        async with self._tx() as conn:
            rows = (
                (await conn.execute(select(fleet_requests).where(_requests.id.in_(list(ids)))))
                .mappings()
                .all()
            )
        return {row["id"]: _request(row) for row in rows}


__all__ = ["FleetQueries"]
