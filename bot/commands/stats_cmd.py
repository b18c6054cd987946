"""`kubemedic stats [--json]`: match quality per catalog id, from Slack feedback.

"shown" counts diagnoses that reported the id; "helpful" and "not this" are
the votes people gave with the buttons under a diagnosis.  An id with many
"not this" votes is a catalog entry whose symptoms need work.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import asdict

from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, ClusterUnavailable
from bot.settings import Settings
from bot.storage.base import StoreUnavailable
from bot.storage.records import FeedbackStat


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("stats", help="match quality per catalog id, from feedback")
    parser.add_argument("--json", action="store_true", help="print a JSON list")


async def _stats(settings: Settings) -> list[FeedbackStat]:
    from bot.storage.sql import store_for  # SQLAlchemy loads only for this command

    store = store_for(settings)
    try:
        await store.start()
        return await store.feedback_stats()
    finally:
        await store.close()


def _precision(stat: FeedbackStat) -> str:
    votes = stat.helpful + stat.not_this
    return f"{stat.helpful / votes:.0%}" if votes else "-"


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    try:
        stats = asyncio.run(_stats(settings))
    except StoreUnavailable as exc:
        raise ClusterUnavailable(f"cannot read the database: {exc}") from exc
    stats.sort(key=lambda stat: (-stat.not_this, -stat.shown, stat.catalog_id))
    if args.json:
        rows = [asdict(stat) | {"helpful_ratio": _precision(stat)} for stat in stats]
        json.dump(rows, io.stdout, indent=2)
        io.stdout.write("\n")
        return EXIT_OK
    if not stats:
        where = settings.default_database() or "KUBEMEDIC_DATABASE_URL"
        print(f"no diagnoses or feedback recorded yet (database: {where})", file=io.stdout)
        return EXIT_OK
    width = max(len(stat.catalog_id) for stat in stats)
    print(f"{'CATALOG ID':<{width}}  SHOWN  HELPFUL  NOT THIS  HELPFUL %", file=io.stdout)
    for stat in stats:
        print(f"{stat.catalog_id:<{width}}  {stat.shown:>5}  {stat.helpful:>7}  {stat.not_this:>8}  "
              f"{_precision(stat):>9}", file=io.stdout)
    return EXIT_OK
