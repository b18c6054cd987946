"""`kubemedic stats [--json]`: match quality per catalog id, from Slack feedback.

"shown" counts diagnoses that reported the id; "helpful" and "not this" are
the votes people gave with the buttons under a diagnosis.  An id with many
"not this" votes is a catalog entry whose symptoms need work.  Below the table:
how asking went ("Is it one of these?" and "Not this"), the team's examples,
and how many draft entries `kubemedic catalog suggest` would write.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import asdict

from bot.commands.io import CommandIO
from bot.commands.stores import started_store
from bot.errors import EXIT_OK, ClusterUnavailable
from bot.settings import Settings
from bot.storage.ask_records import AskStats
from bot.storage.base import StoreUnavailable
from bot.storage.records import FeedbackStat


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("stats", help="match quality per catalog id, from feedback")
    parser.add_argument("--json", action="store_true", help="print a JSON list")


async def _stats(settings: Settings) -> tuple[list[FeedbackStat], AskStats, int]:
    from bot.answering.suggesting import drafts

    async with started_store(settings) as store:
        return (
            await store.feedback_stats(),
            await store.ask_stats(),
            len(drafts(await store.unanswered_questions())),
        )


def asking_lines(stats: AskStats, drafts: int) -> list[str]:
    """How asking went, in three lines (none before the first question)."""
    asked = sum(stats.questions.values())
    if not asked and not stats.examples:
        return []
    states = ", ".join(
        f"{stats.questions.get(state, 0)} {state}"
        for state in ("chosen", "none", "unanswered", "open")
    )
    return [
        f"questions asked: {asked} ({states})",
        f"team examples in use: {stats.examples} ({stats.undone} undone)",
        f"draft entries from unanswered pastes: {drafts} (kubemedic catalog suggest)",
    ]


def _precision(stat: FeedbackStat) -> str:
    votes = stat.helpful + stat.not_this
    return f"{stat.helpful / votes:.0%}" if votes else "-"


def _table(stats: list[FeedbackStat], io: CommandIO) -> None:
    width = max(len(stat.catalog_id) for stat in stats)
    print(f"{'CATALOG ID':<{width}}  SHOWN  HELPFUL  NOT THIS  HELPFUL %", file=io.stdout)
    for stat in stats:
        print(
            f"{stat.catalog_id:<{width}}  {stat.shown:>5}  {stat.helpful:>7}  {stat.not_this:>8}  "
            f"{_precision(stat):>9}",
            file=io.stdout,
        )


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    try:
        stats, asking, draft_count = asyncio.run(_stats(settings))
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
        for line in asking_lines(asking, draft_count):
            print(line, file=io.stdout)
        return EXIT_OK
    _table(stats, io)
    asked = asking_lines(asking, draft_count)
    if asked:
        print("", *asked, sep="\n", file=io.stdout)
    return EXIT_OK
