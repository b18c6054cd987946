"""`kubemedic examples export|import FILE`: the team's examples as a reviewable YAML file.

    kubemedic examples export examples.yaml        # every example in use
    kubemedic examples export --corpus DIR         # the labelled-corpus layout, for retraining
    kubemedic examples import examples.yaml        # checked whole, then stored (duplicates skipped)

An imported example is confirmed (it answers in every channel): importing a reviewed file is
the confirmation. The file says who taught (chosen_by) and who confirmed (confirmed_by) each.

The database is KUBEMEDIC_DATABASE_URL's; entries are checked against the catalog of
KUBEMEDIC_CATALOG_DIRS. The file format is described in docs/asking.md.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.answering.example_files import MAX_FILE_BYTES, dump, load, write_corpus
from bot.answering.examples import example_of
from bot.commands.io import CommandIO
from bot.commands.stores import started_store
from bot.errors import EXIT_OK, BadInput, ClusterUnavailable
from bot.settings import Settings
from bot.storage.ask_records import ExampleRecord
from bot.storage.base import StoreUnavailable
from bot.storage.records import utcnow
from intents.examples import words_of
from intents.loader import load_catalog

IMPORTER = "import"
"""Who confirmed an imported example the file does not say was confirmed: whoever imported it."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "examples", help="export or import the team's examples (reviewable YAML)"
    )
    verbs = parser.add_subparsers(dest="examples_verb", required=True, metavar="export|import")
    export = verbs.add_parser("export", help="write every example in use to FILE (YAML)")
    export.add_argument(
        "file", nargs="?", metavar="FILE", help="where to write the YAML ('-': standard output)"
    )
    export.add_argument(
        "--corpus",
        metavar="DIR",
        help="write them as a labelled corpus (one file per paste and "
        "index-team.jsonl) for the calibration's retraining",
    )
    imported = verbs.add_parser("import", help="check FILE and store its examples")
    imported.add_argument(
        "file", metavar="FILE", help="a file `examples export` wrote (edited or not)"
    )


async def _records(settings: Settings) -> list[ExampleRecord]:
    async with started_store(settings) as store:
        return await store.list_examples()


async def _store(settings: Settings, records: list[ExampleRecord]) -> int:
    """Store the records not already there (same entry, same words); how many were stored."""
    async with started_store(settings) as store:
        there = {(e.entry_id, words_of(e.text)) for e in await store.list_examples()}
        fresh = [r for r in records if (r.entry_id, words_of(r.text)) not in there]
        return await store.add_examples(
            list({(r.entry_id, words_of(r.text)): r for r in fresh}.values())
        )


def _read(path: str) -> str:
    file = Path(path)
    if not file.is_file():
        raise BadInput(f"{path}: no such file")
    if file.stat().st_size > MAX_FILE_BYTES:
        raise BadInput(
            f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the most one "
            "examples file may be: split it"
        )
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8 text") from None


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    try:
        if args.examples_verb == "export":
            return _export(args, io, settings)
        return _import(args, io, settings)
    except StoreUnavailable as exc:
        raise ClusterUnavailable(f"cannot read the database: {exc}") from exc


def _export(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    if (args.file is None) == (args.corpus is None):
        raise BadInput("give FILE (YAML) or --corpus DIR")
    records = asyncio.run(_records(settings))
    if args.corpus is not None:
        count = write_corpus(records, Path(args.corpus))
        print(f"examples: {count} written to {args.corpus} (index-team.jsonl)", file=io.stdout)
    elif args.file == "-":
        io.stdout.write(dump(records))
    else:
        Path(args.file).write_text(dump(records), encoding="utf-8")
        print(f"examples: {len(records)} written to {args.file}", file=io.stdout)
    return EXIT_OK


def _import(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    try:
        entries = load(
            _read(args.file),
            known=lambda: (
                load_catalog(settings.catalog_dirs, packs_off=settings.catalog_packs_off).entries
            ),
        )
    except BadInput as exc:
        raise BadInput(f"{args.file}: {exc.reason}") from None
    now = utcnow()
    records = [
        example_of(
            imported.text,
            e.entry,
            chosen_by=e.chosen_by,
            chooser=e.chooser,
            chosen_at=e.chosen_at or now,
            channel=e.channel,
            source="import",
            confirmed_by=e.confirmed_by or IMPORTER,
            confirmed_at=e.confirmed_at or now,
        )
        for imported in entries
        for e in [imported.example]
    ]
    stored = asyncio.run(_store(settings, records))
    print(
        f"examples: {stored} imported from {args.file}"
        + (f" ({len(records) - stored} already there)" if stored < len(records) else ""),
        file=io.stdout,
    )
    return EXIT_OK
