"""`kubemedic catalog check|list`: validate and show the incident catalog."""

from __future__ import annotations

import argparse
import json

from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, EXIT_USAGE
from bot.settings import Settings
from intents.loader import load_catalog
from responses.json_view import entry_fields


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("catalog", help="validate or list the incident catalog")
    verbs = parser.add_subparsers(dest="catalog_verb", required=True, metavar="check|list")
    verbs.add_parser("check", help="validate every entry; exit 2 listing every problem")
    listing = verbs.add_parser("list", help="list the entries")
    listing.add_argument("--json", action="store_true", help="print a JSON list")


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    catalog = load_catalog(settings.catalog_dirs)
    if args.catalog_verb == "check":
        for problem in catalog.problems:
            print(problem, file=io.stderr)
        if catalog.problems:
            print(f"catalog check: {len(catalog.problems)} problem(s)", file=io.stderr)
            return EXIT_USAGE
        print(f"catalog check: {len(catalog.entries)} entries, no problems", file=io.stdout)
        return EXIT_OK
    entries = sorted(catalog.entries.values(), key=lambda entry: entry.id)
    if args.json:
        rows = [entry_fields(entry) | {"file": str(catalog.origins[entry.id])} for entry in entries]
        json.dump(rows, io.stdout, indent=2, ensure_ascii=False)
        io.stdout.write("\n")
    else:
        width = max((len(entry.id) for entry in entries), default=2)
        for entry in entries:
            print(f"{entry.id:<{width}}  {entry.title}", file=io.stdout)
    for problem in catalog.problems:
        print(f"warning: {problem}", file=io.stderr)
    return EXIT_OK
