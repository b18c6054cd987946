"""The fleet's token queries: issued tokens (with the agent key each is bound to), their one live connection.

A token is held by at most one connection at a time: `hold_token` is one compare-and-set
UPDATE (the token is free, or its holder's lease ran out), so of two connections with the same
token, on any replicas, exactly one holds it; the holder's replica renews the lease while the
connection lives (`renew_tokens`) and frees it when it closes (`release_token`). A replica that
dies stops renewing, and the token is free again once the lease runs out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, delete, or_, select, update

from bot.storage.fleet_records import TokenRecord
from bot.storage.fleet_tables import fleet_agents, fleet_requests, fleet_tokens
from bot.storage.sql_base import SqlBase

_tokens = fleet_tokens.c
ISSUED = ("id", "cluster", "digest", "created_at", "remediation", "bind", "agent_key")
"""What is stored of a token when it is issued (the rest is its connections' and revocation's)."""


class FleetTokenQueries(SqlBase):
    """fleet_tokens (and `remove_cluster`, which clears a revoked cluster from every fleet table)."""

    async def add_token(self, token: TokenRecord) -> None:
        issued = {name: getattr(token, name) for name in ISSUED}
        async with self._tx(write=True) as conn:
            await conn.execute(fleet_tokens.insert().values(**issued))

    async def get_token(self, id: str) -> TokenRecord | None:
        async with self._tx() as conn:
            row = (
                (await conn.execute(select(fleet_tokens).where(_tokens.id == id)))
                .mappings()
                .first()
            )
        return TokenRecord(**row) if row is not None else None

    async def list_tokens(self) -> list[TokenRecord]:
        query = select(fleet_tokens).order_by(_tokens.cluster, _tokens.created_at)
        async with self._tx() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [TokenRecord(**row) for row in rows]

    async def revoke_tokens(self, cluster: str, *, now: datetime, id: str | None = None) -> int:
        """Revoke the cluster's tokens (or the one `id`); how many were still valid."""
        where = and_(_tokens.cluster == cluster, _tokens.revoked_at.is_(None))
        if id is not None:
            where = and_(where, _tokens.id == id)
        async with self._tx(write=True) as conn:
            return (
                await conn.execute(update(fleet_tokens).where(where).values(revoked_at=now))
            ).rowcount

    async def revoked_tokens(self, ids: Sequence[str]) -> set[str]:
        """Which of the token `ids` are revoked (or gone): their connections are closed."""
        if not ids:
            return set()
        query = select(_tokens.id).where(
            and_(_tokens.id.in_(list(ids)), _tokens.revoked_at.is_(None))
        )
        async with self._tx() as conn:
            valid = (await conn.execute(query)).scalars().all()
        return set(ids) - set(valid)

    async def hold_token(
        self, id: str, *, holder: str, by: str | None, address: str, now: datetime, until: datetime
    ) -> bool:
        """Make `holder` the token's one live connection; False while another one holds it (the
        same agent process, `by`, takes its own token over: its old connection is gone)."""
        free = or_(_tokens.holder.is_(None), _tokens.held_until < now, _tokens.holder == holder)
        if by is not None:
            free = or_(free, _tokens.held_by == by)
        values = {"holder": holder, "held_by": by, "held_from": address[:255], "held_until": until}
        async with self._tx(write=True) as conn:
            stmt = update(fleet_tokens).where(and_(_tokens.id == id, free)).values(**values)
            return (await conn.execute(stmt)).rowcount == 1

    async def renew_tokens(self, holders: Sequence[str], *, until: datetime) -> set[str]:
        """Extend the holds of `holders` (this replica's live connections); those that still hold
        their token (the others were taken over by their agent's newer connection)."""
        if not holders:
            return set()
        where = _tokens.holder.in_(list(holders))
        stmt = update(fleet_tokens).where(where).values(held_until=until).returning(_tokens.holder)
        async with self._tx(write=True) as conn:
            return {str(holder) for holder in (await conn.execute(stmt)).scalars().all()}

    async def release_token(self, id: str, *, holder: str) -> None:
        """The connection `holder` closed: the token is free for the agent's next connection."""
        where = and_(_tokens.id == id, _tokens.holder == holder)
        cleared = {"holder": None, "held_by": None, "held_until": None}
        async with self._tx(write=True) as conn:
            await conn.execute(update(fleet_tokens).where(where).values(**cleared))

    async def token_conflict(self, id: str, *, at: datetime, address: str) -> None:
        """A second connection with the token was refused at `at` from `address`."""
        values = {"conflict_at": at, "conflict_from": address[:255]}
        async with self._tx(write=True) as conn:
            await conn.execute(update(fleet_tokens).where(_tokens.id == id).values(**values))

    async def remove_cluster(self, cluster: str) -> dict[str, int] | None:
        """Forget a cluster whose tokens are all revoked: its tokens, its agent, its requests (open
        ones expire first, so no replica sends them). None when it still has a valid token."""
        async with self._tx(write=True) as conn:
            valid = and_(_tokens.cluster == cluster, _tokens.revoked_at.is_(None))
            if (await conn.execute(select(_tokens.id).where(valid).limit(1))).first():
                return None
            removed = {}
            for table in (fleet_requests, fleet_agents, fleet_tokens):
                stmt = delete(table).where(table.c.cluster == cluster)
                removed[table.name] = (await conn.execute(stmt)).rowcount
        return removed
