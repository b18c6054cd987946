"""`kubemedic serve [--http] [--port N]`: the Slack bot; `--mattermost`, `--teams`: the Mattermost or Teams bot.

Socket Mode when SLACK_APP_TOKEN is set and --http is not given, otherwise
HTTP mode (POST /slack/events).  /healthz, /readyz and /metrics are served
on PORT in both modes.  SIGTERM/SIGINT stop accepting new requests, let
in-flight work finish (bounded), hand what is left to the other replicas,
then close the database (with KUBEMEDIC_WORKER_PROCESSES above 1, several
worker processes do all this side by side: bot/commands/workers.py; the runtime all
share: bot/commands/serve_runtime.py). While serving, the work queue renews this
replica's leases and takes over work from replicas that died, and stored
rows past their retention are deleted (at start-up, then hourly).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.cluster.recording import recorded_name, served_recording
from bot.commands.arguments import add_at
from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, BadInput
from bot.settings import Settings

log = logging.getLogger(__name__)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve", help="run the Slack bot (--mattermost: the Mattermost bot; --teams: the Teams bot)"
    )
    parser.add_argument(
        "--http", action="store_true", help="HTTP mode even when SLACK_APP_TOKEN is set"
    )
    parser.add_argument(
        "--mattermost",
        action="store_true",
        help="serve Mattermost (KUBEMEDIC_MATTERMOST_URL, KUBEMEDIC_MATTERMOST_TOKEN) instead of Slack",
    )
    parser.add_argument(
        "--teams",
        action="store_true",
        help="serve Microsoft Teams through the Bot Framework (KUBEMEDIC_TEAMS_APP_ID, "
        "KUBEMEDIC_TEAMS_APP_PASSWORD) instead of Slack",
    )
    parser.add_argument(
        "--port", type=int, default=None, metavar="N", help="HTTP port (default: PORT or 3000)"
    )
    parser.add_argument(
        "--hub",
        action="store_true",
        help="a fleet hub: no cluster credentials; each cluster's agent dials in (docs/fleet.md)",
    )
    parser.add_argument(
        "--from-dump",
        metavar="DIR",
        help="answer from a `kubectl cluster-info dump --output-directory` tree instead of a live "
        "cluster (every answer says so; remediation stops at its dry run)",
    )
    parser.add_argument(
        "--from-outputs",
        metavar="PATH",
        help="answer from recorded kubectl outputs (a file, or a folder of files) instead of a "
        "live cluster",
    )
    add_at(parser, "the --from-dump or --from-outputs recording")


SWITCH_INTERVAL = 0.001
"""Seconds between GIL hand-offs (Python's default is 0.005): the event loop, which
acks Slack, gets the interpreter back sooner from threads parsing API responses."""


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    port = args.port if args.port is not None else settings.port
    sys.setswitchinterval(SWITCH_INTERVAL)
    if args.hub:
        check_hub_settings(settings, mattermost=args.mattermost)
    if args.mattermost and args.teams:
        raise BadInput("serve one chat at a time: --mattermost or --teams")
    settings = _recording(args, settings)
    if args.mattermost:
        from bot.commands.serving_mattermost import serve_mattermost

        asyncio.run(serve_mattermost(settings, port=port, hub=args.hub))
        return EXIT_OK
    if args.teams:
        from bot.commands.serving_teams import serve_teams

        asyncio.run(serve_teams(settings, port=port, hub=args.hub))
        return EXIT_OK
    if settings.worker_processes > 1:
        from bot.commands.workers import serve_workers

        return serve_workers(settings, http=args.http, port=port, count=settings.worker_processes)
    from bot.commands.serving import serve  # the Slack, HTTP and database libraries load only here

    asyncio.run(serve(settings, http=args.http, port=port, hub=args.hub))
    return EXIT_OK


def _recording(args: argparse.Namespace, settings: Settings) -> Settings:
    """The settings with the recording `--from-dump`/`--from-outputs`/`--at` name (they win
    over KUBEMEDIC_FROM_*), opened once before anything connects so a wrong path stops
    start-up (exit 2)."""
    given = {
        "from_dump": args.from_dump,
        "from_outputs": args.from_outputs,
        "recorded_at": args.at,
    }
    settings = settings.model_copy(
        update={name: value for name, value in given.items() if value is not None}
    )
    recorded = served_recording(settings)
    if recorded is None:
        return settings
    if args.hub:
        raise BadInput("serve --hub reads no cluster: leave out --from-dump and --from-outputs")
    log.info("serving %s", recorded_name(recorded))
    return settings


def check_hub_settings(settings: Settings, *, mattermost: bool) -> None:
    """A hub holds no cluster credentials: BadInput naming any cluster setting it was given."""
    given = [
        name
        for name, value in (
            ("KUBECONFIG", settings.kubeconfig),
            ("KUBEMEDIC_CONTEXTS", settings.contexts),
            ("KUBEMEDIC_WATCH", settings.watch),
        )
        if value
    ]
    if given:
        raise BadInput(
            f"serve --hub reads no cluster, but {', '.join(given)} {'is' if len(given) == 1 else 'are'} "
            "set: unset it; each cluster's agent reads that cluster (docs/fleet.md)"
        )
    if settings.worker_processes > 1:
        raise BadInput(
            "serve --hub runs in one process per replica: leave out KUBEMEDIC_WORKER_PROCESSES "
            "(scale the hub with replicas)"
        )
    from bot.fleet.identities import load_identities

    load_identities(
        settings.identity_file
    )  # every problem of the identity file named, before the database
