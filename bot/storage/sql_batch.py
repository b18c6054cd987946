"""Many requests' writes in one transaction (`write_batch`), a few statements for the whole batch.

Claims and work items are one INSERT ... ON CONFLICT DO NOTHING each, as
alone; diagnoses, their catalog ids and pending actions one INSERT each;
the replies to the recorded problems one SELECT, and a bump for each one
found; new replies one upsert; finished work one UPDATE. New replies are
written before replies are looked up, so an answer recorded after another
was posted sees that post.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Insert, Table, bindparam, insert, select, tuple_, update
from sqlalchemy.engine import Connection

from bot.storage.records import ReplyRecord
from bot.storage.sql_base import ACK_WAIT, SqlBase
from bot.storage.tables import (
    diagnoses,
    diagnosis_matches,
    pending_actions,
    replies,
    work_items,
)
from bot.storage.writes import (
    AcceptWork,
    ClaimEvent,
    FinishWork,
    RecordAnswer,
    RememberReply,
    Write,
    WriteResult,
)

_KEYS = tuple_(replies.c.channel, replies.c.fingerprint)
_FIND_REPLIES = select(replies).where(_KEYS.in_(bindparam("keys", expanding=True)))
_BUMP_SINCE = (
    update(replies)
    .where(
        replies.c.channel == bindparam("in_channel"),
        replies.c.fingerprint == bindparam("of_problem"),
        replies.c.last_seen >= bindparam("since"),
    )
    .values(seen_count=replies.c.seen_count + 1, last_seen=bindparam("now"))
    .returning(*replies.c)
)
_FINISH = (
    update(work_items)
    .where(work_items.c.id.in_(bindparam("ids", expanding=True)))
    .values(done_at=bindparam("now"), payload=bindparam("empty", type_=work_items.c.payload.type))
)
W = TypeVar("W")
_REPLY_FIELDS = ("message_ts", "thread_ts", "diagnosis_id", "first_seen", "last_seen", "seen_count")


class BatchQueries(SqlBase):
    async def write_batch(self, writes: Sequence[Write]) -> list[WriteResult]:
        """Write `writes` in one transaction; one result per write, in order (see bot.storage.writes).

        Before the ack (a claim or a work item in the batch) the write lock is waited for at most
        `ACK_WAIT` s. StoreUnavailable when the database cannot be written: nothing was.
        """
        acked = any(isinstance(write, ClaimEvent | AcceptWork) for write in writes)
        return await self._in_one_transaction(
            functools.partial(self._write_all, writes), wait=ACK_WAIT if acked else None
        )

    def _write_all(self, writes: Sequence[Write], conn: Connection) -> list[WriteResult]:
        results: dict[int, WriteResult] = {}
        self._claim_events(conn, writes, results)
        self._accept_works(conn, writes, results)
        self._remember_replies(conn, [w.reply for w in writes if isinstance(w, RememberReply)])
        self._record_answers(conn, writes, results)
        finished = [w for w in writes if isinstance(w, FinishWork)]
        if finished:
            conn.execute(
                _FINISH,
                {
                    "ids": [w.id for w in finished],
                    "now": max(w.done_at for w in finished),
                    "empty": {},
                },
            )
        return [results.get(n) for n in range(len(writes))]

    def _claim_events(
        self, conn: Connection, writes: Sequence[Write], results: dict[int, WriteResult]
    ) -> None:
        claims = {n: w for n, w in enumerate(writes) if isinstance(w, ClaimEvent)}
        if not claims:
            return
        rows = [{"event_id": w.event_id, "claimed_at": w.claimed_at} for w in claims.values()]
        claimed = {row[0] for row in conn.execute(self._claim_statement, rows).all()}
        _first_of_each(claims, lambda w: w.event_id, claimed, results)

    def _accept_works(
        self, conn: Connection, writes: Sequence[Write], results: dict[int, WriteResult]
    ) -> None:
        accepts = {n: w for n, w in enumerate(writes) if isinstance(w, AcceptWork)}
        if not accepts:
            return
        rows = [
            {
                "id": w.item.id,
                "kind": w.item.kind,
                "payload": w.item.payload,
                "owner": w.item.owner,
                "lease_until": w.item.lease_until,
                "attempts": w.item.attempts,
                "created_at": w.item.created_at,
                "done_at": None,
            }
            for w in accepts.values()
        ]
        stored = {row[0] for row in conn.execute(self._accept_statement, rows).all()}
        _first_of_each(accepts, lambda w: w.item.id, stored, results)

    def _remember_replies(self, conn: Connection, new: list[ReplyRecord]) -> None:
        latest = {
            (reply.channel, reply.fingerprint): reply for reply in new
        }  # one row per key (PostgreSQL)
        if latest:
            conn.execute(self._remember_many, [vars(reply) for reply in latest.values()])

    def _record_answers(
        self, conn: Connection, writes: Sequence[Write], results: dict[int, WriteResult]
    ) -> None:
        records = {n: w for n, w in enumerate(writes) if isinstance(w, RecordAnswer)}
        if not records:
            return
        _insert_rows(conn, diagnoses, [vars(w.diagnosis) for w in records.values()])
        _insert_rows(
            conn,
            diagnosis_matches,
            [
                {"diagnosis_id": w.diagnosis.id, "catalog_id": cid}
                for w in records.values()
                for cid in dict.fromkeys(w.diagnosis.catalog_ids)
            ],
        )
        _insert_rows(
            conn, pending_actions, [vars(action) for w in records.values() for action in w.actions]
        )
        self._bump_replies(conn, records, results)

    def _bump_replies(
        self, conn: Connection, records: dict[int, RecordAnswer], results: dict[int, WriteResult]
    ) -> None:
        """An answer already given in its channel since the write's `since`: bumped, not repeated."""
        keys = list(
            dict.fromkeys((w.diagnosis.channel or "", w.fingerprint) for w in records.values())
        )
        found = {
            (row.channel, row.fingerprint): row.last_seen
            for row in conn.execute(_FIND_REPLIES, {"keys": keys})
        }
        for n, w in records.items():
            key = (w.diagnosis.channel or "", w.fingerprint)
            if key in found and found[key] >= w.since:
                row = conn.execute(
                    _BUMP_SINCE,
                    {
                        "in_channel": key[0],
                        "of_problem": key[1],
                        "since": w.since,
                        "now": w.diagnosis.created_at,
                    },
                ).first()
                results[n] = None if row is None else ReplyRecord(**row._mapping)

    @functools.cached_property
    def _remember_many(self) -> Any:
        upsert = self._insert(replies)
        return upsert.on_conflict_do_update(
            index_elements=["channel", "fingerprint"],
            set_={name: upsert.excluded[name] for name in _REPLY_FIELDS},
        )


def _first_of_each(
    writes: dict[int, W],
    key: Callable[[W], str],
    written: set[str],
    results: dict[int, WriteResult],
) -> None:
    """True for the first write of each key that was written; False for a repeat or one already there."""
    given: set[str] = set()
    for n, write in writes.items():
        results[n] = key(write) in written and key(write) not in given
        given.add(key(write))


def _insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(_insert_into(table), rows)


@functools.cache
def _insert_into(table: Table) -> Insert:
    """`insert(table)`, built once per table (every batch with answers inserts into three): a
    statement kept is not built, nor its cache key made, again."""
    return insert(table)
