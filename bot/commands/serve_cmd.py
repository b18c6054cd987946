"""`kubemedic serve [--http] [--port N]`: run the Slack bot; `serve --mattermost`: the Mattermost bot.

Socket Mode when SLACK_APP_TOKEN is set and --http is not given, otherwise
HTTP mode (POST /slack/events).  /healthz, /readyz and /metrics are served
on PORT in both modes.  SIGTERM/SIGINT stop accepting new requests, let
in-flight work finish (bounded), hand what is left to the other replicas,
then close the database (with KUBEMEDIC_WORKER_PROCESSES above 1, several
worker processes do all this side by side: bot/commands/workers.py). While serving, the work queue renews this
replica's leases and takes over work from replicas that died, and stored
rows past their retention are deleted (at start-up, then hourly).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.commands.io import CommandIO
from bot.errors import EXIT_OK
from bot.settings import Settings

DRAIN_SECONDS = 20.0
"""In-flight work gets this long to finish after SIGTERM (bot.commands.serving)."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="run the Slack bot (--mattermost: the Mattermost bot)")
    parser.add_argument("--http", action="store_true", help="HTTP mode even when SLACK_APP_TOKEN is set")
    parser.add_argument("--mattermost", action="store_true",
                        help="serve Mattermost (KUBEMEDIC_MATTERMOST_URL, KUBEMEDIC_MATTERMOST_TOKEN) instead of Slack")
    parser.add_argument("--port", type=int, default=None, metavar="N", help="HTTP port (default: PORT or 3000)")


SWITCH_INTERVAL = 0.001
"""Seconds between GIL hand-offs (Python's default is 0.005): the event loop, which
acks Slack, gets the interpreter back sooner from threads parsing API responses."""


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    port = args.port if args.port is not None else settings.port
    sys.setswitchinterval(SWITCH_INTERVAL)
    if args.mattermost:
        from bot.commands.serving_mattermost import serve_mattermost

        asyncio.run(serve_mattermost(settings, port=port))
        return EXIT_OK
    if settings.worker_processes > 1:
        from bot.commands.workers import serve_workers

        return serve_workers(settings, http=args.http, port=port, count=settings.worker_processes)
    from bot.commands.serving import serve  # the Slack, HTTP and database libraries load only here

    asyncio.run(serve(settings, http=args.http, port=port))
    return EXIT_OK
