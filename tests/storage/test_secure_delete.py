"""Nothing deleted stays in the SQLite file's bytes: free pages and the WAL included.

Stored text is redacted on its way in (bot/storage/redacted.py); this is the floor under it.
A value that is deleted or replaced - a pruned work item, an edited message, anything a
future code path writes unredacted - must not live on in a free page or an old WAL frame,
where a copy of the file (a backup, a volume snapshot) would still carry it. The store's
connections set `secure_delete`, and the retention step checkpoints and truncates the WAL.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from bot.storage.engine import give_back_free_pages
from bot.storage.sql import SqlStore

MARKER = "Deleted-Value-Marker-7f3a"


def _file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_a_deleted_value_leaves_no_bytes_in_the_file_or_its_wal(tmp_path: Path) -> None:
    database = tmp_path / "kubemedic.db"

    async def scenario() -> None:
        store = SqlStore(f"sqlite+aiosqlite:///{database}")
        await store.start()
        try:
            async with store._tx() as conn:  # a test writing around the product's columns
                await conn.execute(text("CREATE TABLE scratch (body TEXT)"))
                await conn.execute(
                    text("INSERT INTO scratch VALUES ('kept'), (:body), ('kept too')"),
                    {"body": MARKER},
                )  # one page, which stays in use
            assert MARKER.encode() in _file_bytes(database)  # it was written
            async with store._tx() as conn:
                await conn.execute(text("DELETE FROM scratch WHERE body = :body"), {"body": MARKER})
                # set by the store, not left to the build: Debian's SQLite defaults it on, others off
                assert (await conn.execute(text("PRAGMA secure_delete"))).scalar() == 1
            await give_back_free_pages(
                store._engine, pages=64, rounds=4
            )  # the retention step's end
        finally:
            await store.close()

    asyncio.run(scenario())
    assert MARKER.encode() not in _file_bytes(database)
