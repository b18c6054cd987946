"""`kubemedic migrate`: create or upgrade the database schema, as `serve` does at start-up.

Needs no Slack token, so an install can be checked (`kubemedic doctor`) and
its database made ready before the Slack app exists. Safe beside running
replicas: the migration takes the same lock `serve` takes.
"""

from __future__ import annotations

import argparse
import asyncio

from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, BadInput, ServiceUnavailable
from bot.settings import Settings


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    subparsers.add_parser(
        "migrate",
        help="create or upgrade the database schema (what serve does at start-up; no Slack needed)",
        description="Create or upgrade the database schema at KUBEMEDIC_DATABASE_URL, as `kubemedic serve` "
        "does at start-up. Needs no Slack token.",
    )


async def migrate(settings: Settings) -> tuple[str, int | None]:
    """Where the database is and its schema version after migrating."""
    from bot.storage.base import StoreError
    from bot.storage.sql import store_for

    try:
        store = store_for(settings)
    except ValueError as exc:
        raise BadInput(f"KUBEMEDIC_DATABASE_URL: {exc}") from None
    try:
        await store.start()
        return store.where, await store.schema_version()
    except StoreError as exc:
        raise ServiceUnavailable(f"cannot migrate the database: {exc}") from exc
    finally:
        await store.close()


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    where, version = asyncio.run(migrate(settings))
    io.stdout.write(f"database {where}: schema version {version} (current)\n")
    return EXIT_OK
