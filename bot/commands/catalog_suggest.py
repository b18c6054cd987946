"""`kubemedic catalog suggest [--out DIR] [--min-pastes N]`: draft entries from unanswered pastes.

Reads the direct asks kubemedic had no candidate for and the "None of these" choices from
the database (KUBEMEDIC_DATABASE_URL), groups them by the lines they share
(bot/answering/suggesting.py) and prints each group as a draft catalog entry, with the
pastes that made it as comments; `--out DIR` writes one file per draft, which
`KUBEMEDIC_CATALOG_DIRS=DIR kubemedic catalog check` accepts for an author to finish.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.answering.suggesting import Draft, drafts
from bot.commands.io import CommandIO
from bot.commands.stores import started_store
from bot.errors import EXIT_OK, BadInput, ClusterUnavailable
from bot.settings import Settings
from bot.storage.ask_records import QuestionRecord
from bot.storage.base import StoreUnavailable

HEADER = """\
# Draft catalog entry from {asked} kubemedic could not answer
# (kubemedic catalog suggest, {today}). Finish every TODO, give it a real id (its file name),
# check it with `KUBEMEDIC_CATALOG_DIRS=<this directory> kubemedic catalog check`.
"""


def add_parser(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    suggest = verbs.add_parser(
        "suggest", help="draft entries from the pastes kubemedic could not answer"
    )
    suggest.add_argument(
        "--out", metavar="DIR", help="write one <id>.yaml per draft into DIR (default: print)"
    )
    suggest.add_argument(
        "--min-pastes",
        type=int,
        default=2,
        metavar="N",
        help="pastes a draft needs, at least (default 2)",
    )


async def unanswered(settings: Settings) -> list[QuestionRecord]:
    async with started_store(settings) as store:
        return await store.unanswered_questions()


def render(draft: Draft, today: date) -> str:
    """The draft as a commented YAML entry."""
    asked = f"{draft.pastes} pastes in {draft.channels} channel{'s' if draft.channels != 1 else ''}"
    lines = [HEADER.format(asked=asked, today=today.isoformat())]
    for number, example in enumerate(draft.examples, start=1):
        lines.append(
            f"# example {number}:\n" + "".join(f"#   {line}\n" for line in example.splitlines())
        )
    entry: dict[str, Any] = draft.entry(today)
    return "".join(lines) + yaml.safe_dump(entry, sort_keys=False, allow_unicode=True, width=120)


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    if args.min_pastes < 2:
        raise BadInput("--min-pastes must be at least 2 (a draft is what several pastes share)")
    try:
        questions = asyncio.run(unanswered(settings))
    except StoreUnavailable as exc:
        raise ClusterUnavailable(f"cannot read the database: {exc}") from exc
    found, today = drafts(questions, min_pastes=args.min_pastes), date.today()
    if args.out is None:
        io.stdout.write("---\n".join(render(d, today) for d in found))
    else:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for draft in found:
            (out / f"{draft.id}.yaml").write_text(render(draft, today), encoding="utf-8")
    where = f" into {args.out}" if args.out else ""
    said = io.stderr if args.out is None else io.stdout
    count = f"{len(found)} draft(s){where} from {len(questions)} unanswered paste(s)"
    print(f"catalog suggest: {count}", file=said)
    if not found:
        print(how_drafts_arise(len(questions), args.min_pastes), file=said)
    return EXIT_OK


def how_drafts_arise(unanswered: int, least: int) -> str:
    """What makes a draft, said when there is none (on a fresh install, always)."""
    have = (
        f"It holds {unanswered} unanswered paste(s); no {least} of them share lines yet."
        if unanswered
        else "It holds none yet."
    )
    return (
        "Drafts come from what the running bot could not answer, kept in this database "
        '(KUBEMEDIC_DATABASE_URL): direct asks with no candidate, and "None of these" '
        f"choices; a draft is what {least} or more of them share (--min-pastes). {have}"
    )
