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
from bot.logs import configure_logging, settings_secrets
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


def setup_logging(command: str, settings: Settings, io: CommandIO) -> None:
    """serve: INFO, JSON lines unless stderr is a terminal (KUBEMEDIC_LOG_FORMAT overrides);
    the other commands: WARNING as "LEVEL logger: message" (JSON only when asked for).
    Both redact the configured secrets."""
    serving = command == "serve"
    level = settings.log_level or ("INFO" if serving else "WARNING")
    formats = {"json": True, "text": False, "auto": None if serving else False}
    configure_logging(io.stderr, level, formats[settings.log_format],
                      secrets=settings_secrets(settings), timestamps=serving)
    if serving and level != "DEBUG":  # one line per probe and scrape is noise; Slack requests
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # get their own line


def run(argv: Sequence[str] | None = None, io: CommandIO | None = None) -> int:
    """Run one command; return its exit status (never raises for expected errors)."""
    io = io or CommandIO()
    try:
        args = build_parser().parse_args(argv)
        settings = Settings()
        setup_logging(args.command, settings, io)
        return COMMANDS[args.command].run(args, io, settings)
    except UserFacingError as exc:
        print(f"kubemedic: {exc.reason}", file=io.stderr)
        return exc.exit_code
    except ValidationError as exc:
        first = exc.errors()[0]
        print(f"kubemedic: invalid setting {first['loc'][0]}: {first['msg']}", file=io.stderr)
        return EXIT_USAGE


def main() -> None:
    sys.exit(run())
