"""A command's use of the database: opened, handed to the work, closed, whatever happens."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, TypeVar

from bot.errors import ServiceUnavailable
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.storage.sql import SqlStore

T = TypeVar("T")


async def with_store(settings: Settings, work: Callable[[SqlStore], Awaitable[T]]) -> T:
    """`work` on the started store; a database it cannot use is one line, not a traceback."""
    from bot.storage.base import StoreError  # SQLAlchemy loads only for a command that stores
    from bot.storage.sql import store_for

    store = store_for(settings)
    try:
        await store.start()
        return await work(store)
    except StoreError as exc:
        raise ServiceUnavailable(f"cannot use the database: {exc}") from exc
    finally:
        await store.close()


@asynccontextmanager
async def started_store(settings: Settings) -> AsyncIterator[SqlStore]:
    """The started store, closed whatever happens; its errors are the caller's to tell."""
    from bot.storage.sql import store_for  # SQLAlchemy loads only for a command that stores

    store = store_for(settings)
    try:
        await store.start()
        yield store
    finally:
        await store.close()
