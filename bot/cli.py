"""The `kubemedic` command line: parse, dispatch, turn expected errors into exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot.commands import catalog_cmd, diagnose_cmd, match_cmd, serve_cmd, stats_cmd, summarize_cmd
from bot.commands.io import CommandIO
from bot.errors import EXIT_USAGE, UserFacingError
from bot.settings import Settings

log = logging.getLogger(__name__)

COMMANDS = {
    "catalog": catalog_cmd,
    "match": match_cmd,
    "diagnose": diagnose_cmd,
    "serve": serve_cmd,
    "stats": stats_cmd,
    "summarize": summarize_cmd,
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserFacingError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kubemedic", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in COMMANDS.values():
        module.add_parser(subparsers)
    return parser


def run(argv: Sequence[str] | None = None, io: CommandIO | None = None) -> int:
    """Run one command; return its exit status (never raises for expected errors)."""
    io = io or CommandIO()
    try:
        args = build_parser().parse_args(argv)
        settings = Settings()
        return COMMANDS[args.command].run(args, io, settings)
    except UserFacingError as exc:
        print(f"kubemedic: {exc.reason}", file=io.stderr)
        return exc.exit_code
    except ValidationError as exc:
        first = exc.errors()[0]
        print(f"kubemedic: invalid setting {first['loc'][0]}: {first['msg']}", file=io.stderr)
        return EXIT_USAGE


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    sys.exit(run())
