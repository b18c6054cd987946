"""The `kubemedic` command line: parse, dispatch, turn expected errors into exit codes.

It starts at once: only the module of the command asked for is imported (the others are
listed by name and help line), and settings and logging are read after parsing, so
`--version` and `match` never load the Kubernetes client, SQLAlchemy or the Slack stack.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from bot.command_settings import CommandSettings
from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, EXIT_USAGE, BadInput, UserFacingError
from responses.inert import printable

if TYPE_CHECKING:
    from bot.settings import Settings


#: every command: the module that defines and runs it (`add_parser`, `run`), and its line in
#: `kubemedic --help` (tests/cli/test_cli_startup.py holds it equal to the module's own)
COMMANDS: dict[str, tuple[str, str]] = {
    "match": ("bot.commands.match_cmd", "name the known problem behind an error text"),
    "preview": (
        "bot.commands.preview_cmd",
        "the Slack answer as an HTML page (no workspace needed)",
    ),
    "diagnose": ("bot.commands.diagnose_cmd", "diagnose a pod, namespace or node from the cluster"),
    "catalog": (
        "bot.commands.catalog_cmd",
        "list the known problems, check your own entries, or write them as a site",
    ),
    "examples": (
        "bot.commands.examples_cmd",
        "export or import the team's examples (reviewable YAML)",
    ),
    "doctor": (
        "bot.commands.doctor_cmd",
        "check the install: Slack, database, catalog, clusters, RBAC",
    ),
    "keygen": (
        "bot.commands.keygen_cmd",
        (
            "print a new key for KUBEMEDIC_SIGNING_KEY and every shared secret you choose "
            "(32 random bytes, checksummed)"
        ),
    ),
    "migrate": (
        "bot.commands.migrate_cmd",
        "create or upgrade the database schema (what serve does at start-up; no Slack needed)",
    ),
    "replay": (
        "bot.commands.replay_cmd",
        "post a recorded incident's alerts and pages into a channel, diagnosed",
    ),
    "serve": (
        "bot.commands.serve_cmd",
        "run the Slack bot (--mattermost: the Mattermost bot; --teams: the Teams bot)",
    ),
    "slack-manifest": (
        "bot.commands.slack_manifest_cmd",
        "print the Slack app manifest (YAML) for Socket Mode or a public URL",
    ),
    "stats": ("bot.commands.stats_cmd", "match quality per catalog id, from feedback"),
    "summarize": ("bot.commands.summarize_cmd", "summarize an exported incident channel"),
    "install-manifests": (
        "bot.commands.install_manifests_cmd",
        "print the Alertmanager receiver or the extra clusters' kubeconfig Secret",
    ),
    "mcp": (
        "bot.commands.mcp_cmd",
        "serve the catalog and diagnoses to AI agents (Model Context Protocol)",
    ),
    "agent": (
        "bot.commands.agent_cmd",
        "the fleet's agent in one cluster: dials out to the hub, opens no port",
    ),
    "fleet": (
        "bot.commands.fleet_cmd",
        "on a fleet hub: issue, revoke or list the agents' tokens; remove a revoked cluster",
    ),
}


#: commands that need only `CommandSettings` (catalog places, logging): they start without pydantic
READS_COMMAND_SETTINGS = frozenset({"match", "keygen"})


def command_module(command: str) -> ModuleType:
    """The module of one command, imported on first use."""
    return importlib.import_module(COMMANDS[command][0])


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
  kubemedic preview error.txt -o answer.html     the Slack answer, as a page in your browser
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
    """argparse that reports usage errors as one line and exit status 2, with "did you mean"
    for a mistyped command, choice or option (bot.commands.suggest)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserFacingError(message)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            from bot.commands.suggest import invalid_choice

            raise argparse.ArgumentError(
                action, invalid_choice(str(value), [str(c) for c in action.choices])
            )

    def parse_args(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        namespace: argparse.Namespace | None = None,
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            from bot.commands.suggest import command_parser, unrecognized

            self.error(unrecognized(extras, command_parser(self, parsed)))
        return parsed


class _Version(argparse.Action):
    """--version, looking the installed version up only when asked (it costs a package scan)."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        print(f"kubemedic {version()}")
        parser.exit()


def version() -> str:
    """The installed package's version (importlib.metadata is imported only for this)."""
    from importlib import metadata

    try:
        return metadata.version("kubemedic")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or, given `command`, of that one in full with the others
    by name and help line only (so only its module is imported)."""
    parser = _Parser(
        prog="kubemedic", description=DESCRIPTION, epilog=EPILOG, formatter_class=_HelpFormatter
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    subparsers = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, title="commands", metavar="COMMAND"
    )
    for name, (_, help_line) in COMMANDS.items():
        if command is None or name == command:
            command_module(name).add_parser(subparsers)
        else:
            subparsers.add_parser(name, help=help_line)
    return parser


SLACK_SDK_LOGGERS = (
    "slack_sdk.web.async_base_client",
    "slack_sdk.web.base_client",
    "slack_sdk.webhook.async_client",
    "slack_sdk.webhook.client",
)
"""The slack_sdk loggers that build debug lines when their own level allows (see setup_logging)."""


LONG_RUNNING = ("serve", "agent")
"""The commands whose log is read afterwards, in a pod's log: time-stamped, at INFO."""


def setup_logging(command: str, settings: Settings | CommandSettings, io: CommandIO) -> None:
    """serve and agent (long-running, read in a pod's log): INFO with time stamps, JSON lines unless
    stderr is a terminal (KUBEMEDIC_LOG_FORMAT overrides); the other commands: WARNING as
    "LEVEL logger: message" (JSON only when asked for). All redact the configured secrets."""
    from bot.logs import configure_logging

    serving = command in LONG_RUNNING
    level = settings.log_level or ("INFO" if serving else "WARNING")
    formats = {"json": True, "text": False, "auto": None if serving else False}
    configure_logging(
        io.stderr,
        level,
        formats[settings.log_format],
        secrets=secrets_of(settings),
        timestamps=serving,
    )
    if serving and level != "DEBUG":  # one line per probe and scrape is noise; Slack requests
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # get their own line
    if (
        level != "DEBUG"
    ):  # slack_sdk builds a debug line (a call's params, headers and body) on every
        for name in SLACK_SDK_LOGGERS:  # call unless its logger's own level (not the effective one)
            logging.getLogger(name).setLevel(level)  # says no: each logger it uses gets ours


def secrets_of(settings: Settings | CommandSettings) -> list[str]:
    """The configured secret values no log line may show."""
    if isinstance(settings, CommandSettings):
        return settings.secrets
    from bot.logs import settings_secrets

    return settings_secrets(settings)


def run(argv: Sequence[str] | None = None, io: CommandIO | None = None) -> int:
    """Run one command; return its exit status (never raises for expected errors)."""
    io = io or CommandIO()
    arguments = sys.argv[1:] if argv is None else list(argv)
    if not arguments:
        build_parser("").print_help(io.stderr)
        return EXIT_USAGE
    try:
        args = build_parser(arguments[0] if arguments[0] in COMMANDS else "").parse_args(arguments)
    except UserFacingError as exc:
        print(f"kubemedic: {printable(exc.reason)}", file=io.stderr)
        return exc.exit_code
    return run_command(args, io)


def run_command(args: argparse.Namespace, io: CommandIO) -> int:
    """Read the settings, set up logging and run the parsed command. The settings are read
    here, not at start-up: `--version` and `--help` never need them, and the commands of
    `READS_COMMAND_SETTINGS` read only theirs, without pydantic."""
    try:
        settings = read_settings(args.command)
        setup_logging(args.command, settings, io)
        return int(command_module(args.command).run(args, io, settings))
    except UserFacingError as exc:
        print(f"kubemedic: {printable(exc.reason)}", file=io.stderr)
        return exc.exit_code


def read_settings(command: str) -> Settings | CommandSettings:
    """The command's settings; an invalid variable is a BadInput that names it."""
    if command in READS_COMMAND_SETTINGS:
        return CommandSettings.from_environment()
    from pydantic import ValidationError

    from bot.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise BadInput(f"invalid setting {first['loc'][0]}: {first['msg']}") from None


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
