"""The `kubemedic` command line: parse, dispatch, turn expected errors into exit codes."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from importlib import metadata

from pydantic import ValidationError

from bot.commands import (
    catalog_cmd,
    diagnose_cmd,
    doctor_cmd,
    match_cmd,
    serve_cmd,
    slack_manifest_cmd,
    stats_cmd,
    summarize_cmd,
)
from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, EXIT_USAGE, UserFacingError
from bot.logs import configure_logging, settings_secrets
from bot.settings import Settings

log = logging.getLogger(__name__)

COMMANDS = {
    "match": match_cmd,
    "diagnose": diagnose_cmd,
    "catalog": catalog_cmd,
    "doctor": doctor_cmd,
    "serve": serve_cmd,
    "slack-manifest": slack_manifest_cmd,
    "stats": stats_cmd,
    "summarize": summarize_cmd,
}

DESCRIPTION = """\
kubemedic tells you which known Kubernetes problem is behind an error and how
to fix it, with links to the issues and docs it comes from. Give it the text
you would paste in Slack (kubectl describe, events, logs, an error line), or
let it read a pod, namespace or node from the cluster. It answers only when it
is confident; otherwise it says so.
"""

EPILOG = """\
where to start:
  kubemedic match error.txt                      an error you saved in a file
  kubectl describe pod web-1 | kubemedic match   or piped from kubectl
  kubemedic match                                paste at the terminal, then Ctrl-D
  kubemedic diagnose pod shop/web-1              read the pod from the cluster (KUBECONFIG)
  kubemedic catalog list                         the problems kubemedic knows

`kubemedic COMMAND --help` shows a command's options. Exit status: 0 done (with
or without an answer), 2 bad input or usage, 1 the cluster could not be read.
"""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions as written; commands listed one per line without argparse's COMMAND row."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=24)

    def _format_action(self, action: argparse.Action) -> str:
        if isinstance(action, argparse._SubParsersAction):
            return "".join(self._format_action(sub) for sub in action._get_subactions())
        return super()._format_action(action)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserFacingError(message)


def version() -> str:
    """The installed package's version."""
    try:
        return metadata.version("kubemedic")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kubemedic", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=_HelpFormatter)
    parser.add_argument("--version", action="version", version=f"kubemedic {version()}")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                       title="commands", metavar="COMMAND")
    for module in COMMANDS.values():
        module.add_parser(subparsers)
    return parser


SLACK_SDK_LOGGERS = ("slack_sdk.web.async_base_client", "slack_sdk.web.base_client", "slack_sdk.webhook.async_client",
                     "slack_sdk.webhook.client")
"""The slack_sdk loggers that build debug lines when their own level allows (see setup_logging)."""


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
    if level != "DEBUG":  # slack_sdk builds a debug line (a call's params, headers and body) on every
        for name in SLACK_SDK_LOGGERS:  # call unless its logger's own level (not the effective one)
            logging.getLogger(name).setLevel(level)  # says no: each logger it uses gets ours


def run(argv: Sequence[str] | None = None, io: CommandIO | None = None) -> int:
    """Run one command; return its exit status (never raises for expected errors)."""
    io = io or CommandIO()
    arguments = sys.argv[1:] if argv is None else list(argv)
    if not arguments:
        build_parser().print_help(io.stderr)
        return EXIT_USAGE
    try:
        args = build_parser().parse_args(arguments)
        settings = Settings()
        setup_logging(args.command, settings, io)
        return int(COMMANDS[args.command].run(args, io, settings))
    except UserFacingError as exc:
        print(f"kubemedic: {exc.reason}", file=io.stderr)
        return exc.exit_code
    except ValidationError as exc:
        first = exc.errors()[0]
        print(f"kubemedic: invalid setting {first['loc'][0]}: {first['msg']}", file=io.stderr)
        return EXIT_USAGE


def main() -> None:
    try:
        code = run()
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped reading (`kubemedic catalog list | head`): nothing went wrong here,
        # so no traceback; stdout goes to /dev/null so the interpreter's final flush is quiet
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    sys.exit(code)
