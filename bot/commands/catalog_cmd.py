"""`kubemedic catalog check|list|packs|test|site|suggest`: validate, show, publish the catalog, list
its packs (bot/commands/catalog_packs.py), run a pack's cases (bot/commands/catalog_test.py), or
draft entries from what was never answered (bot/commands/catalog_suggest.py)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path

from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, EXIT_USAGE
from bot.settings import Settings
from intents.loaded import CatalogProblem, LoadedCatalog
from intents.loader import BUILTIN_CATALOG_DIR, load_catalog
from intents.packs import builtin_entry_files
from intents.schema import CatalogEntry
from responses.json_view import entry_fields


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "catalog", help="list the known problems, check your own entries, or write them as a site"
    )
    verbs = parser.add_subparsers(
        dest="catalog_verb", required=True, metavar="check|list|packs|test|site|suggest"
    )
    verbs.add_parser("check", help="validate every entry; exit 2 listing every problem")
    listing = verbs.add_parser(
        "list", help="id and title of every entry (--json: with links, sources, file)"
    )
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    packs = verbs.add_parser(
        "packs", help="one line per catalog pack: name, component versions, entries, cases"
    )
    packs.add_argument("--json", action="store_true", help="print a JSON list")
    site = verbs.add_parser("site", help="write a static, searchable HTML catalog into DIR")
    site.add_argument(
        "directory", metavar="DIR", help="where to write index.html and entries/<id>.html"
    )
    site.add_argument(
        "--database",
        metavar="URL",
        help="the bot's database (KUBEMEDIC_DATABASE_URL): each page shows its feedback precision",
    )
    from bot.commands import catalog_suggest, catalog_test

    catalog_test.add_parser(verbs)
    catalog_suggest.add_parser(verbs)


def _site(args: argparse.Namespace, io: CommandIO, catalog: LoadedCatalog) -> int:
    """`catalog site`: the site builder (aiohttp, SQLAlchemy) is imported only for it."""
    import asyncio

    from bot.catalog_site import read_feedback, site_files, write_site

    feedback = asyncio.run(read_feedback(args.database)) if args.database else None
    directory = Path(args.directory)
    write_site(site_files(catalog, feedback), directory)
    print(
        f"catalog site: {len(catalog.entries)} entries written to {directory / 'index.html'}",
        file=io.stdout,
    )
    _warn(catalog.problems, io)
    return EXIT_OK


def _check(io: CommandIO, catalog: LoadedCatalog) -> int:
    """`catalog check`: the overridden built-in entries, then the problems (EXIT_USAGE) or none."""
    for entry_id, path in overridden(catalog.origins).items():
        print(
            f"{path}: overrides the built-in entry {entry_id} "
            "(same id: the built-in one is not used)",
            file=io.stdout,
        )
    for problem in catalog.problems:
        print(problem, file=io.stderr)
    if catalog.problems:
        print(f"catalog check: {len(catalog.problems)} problem(s)", file=io.stderr)
        return EXIT_USAGE
    on = sum(not pack.off for pack in catalog.packs.values())
    print(
        f"catalog check: {len(catalog.entries)} entries, no problems ({on} packs on)",
        file=io.stdout,
    )
    return EXIT_OK


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    if args.catalog_verb == "suggest":
        from bot.commands import catalog_suggest

        return catalog_suggest.run(args, io, settings)
    if args.catalog_verb == "test":
        from bot.commands import catalog_test

        return catalog_test.run(args, io, settings)
    catalog = load_catalog(settings.catalog_dirs, packs_off=settings.catalog_packs_off)
    if args.catalog_verb == "site":
        return _site(args, io, catalog)
    if args.catalog_verb == "packs":
        from bot.commands.catalog_packs import print_packs

        print_packs(catalog, io, as_json=args.json)
        _warn(catalog.problems, io)
        return EXIT_OK
    if args.catalog_verb == "check":
        return _check(io, catalog)
    entries = sorted(catalog.entries.values(), key=lambda entry: entry.id)
    if args.json:
        rows = [entry_fields(entry) | {"file": str(catalog.origins[entry.id])} for entry in entries]
        json.dump(rows, io.stdout, indent=2, ensure_ascii=False)
        io.stdout.write("\n")
    else:
        _print_table(entries, catalog.origins, io)
    _warn(catalog.problems, io)
    return EXIT_OK


def overridden(origins: Mapping[str, Path]) -> dict[str, Path]:
    """Entry id -> the file of KUBEMEDIC_CATALOG_DIRS that replaces a built-in entry of that id."""
    ids = {path.stem for path in builtin_entry_files()}
    return {
        entry_id: path
        for entry_id, path in sorted(origins.items())
        if entry_id in ids and not built_in(path)
    }


def built_in(path: Path) -> bool:
    """The file is part of the built-in catalog (its core or one of its packs)."""
    return Path(path).resolve().is_relative_to(BUILTIN_CATALOG_DIR.resolve())


def _print_table(entries: list[CatalogEntry], origins: Mapping[str, Path], io: CommandIO) -> None:
    """One line per entry, id and title, then how many came from the user's directories."""
    width = max((len(entry.id) for entry in entries), default=2)
    print(f"{'ID':<{width}}  TITLE", file=io.stdout)
    for entry in entries:
        print(f"{entry.id:<{width}}  {entry.title}", file=io.stdout)
    yours = [e.id for e in entries if not built_in(origins[e.id])]
    note = f", {len(yours)} from KUBEMEDIC_CATALOG_DIRS" if yours else ""
    print(
        f"{len(entries)} entries{note}; `kubemedic catalog list --json` adds links, sources and files",
        file=io.stdout,
    )


def _warn(problems: list[CatalogProblem], io: CommandIO) -> None:
    for problem in problems:
        print(f"warning: {problem}", file=io.stderr)
