"""`kubemedic doctor [--http] [--url URL]`: check the install; exit 0 only when every check passes.

Run it where the bot runs, with its settings (`kubectl -n kubemedic exec
deploy/kubemedic -- kubemedic doctor`), or anywhere with the same
environment. Exit status 1 when a check failed (each FAIL line names its
fix), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import asyncio

from bot.commands.io import CommandIO
from bot.doctor import run_doctor
from bot.errors import EXIT_CLUSTER, EXIT_OK
from bot.settings import Settings
from responses.doctor import DoctorReport, render_doctor_text


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "doctor", help="check the install: Slack, database, catalog, clusters, RBAC"
    )
    parser.add_argument(
        "--http", action="store_true", help="check HTTP mode even when SLACK_APP_TOKEN is set"
    )
    parser.add_argument(
        "--mattermost",
        action="store_true",
        help="check the Mattermost bot (as `serve --mattermost`) instead of Slack",
    )
    parser.add_argument(
        "--teams",
        action="store_true",
        help="check the Teams bot (as `serve --teams`) instead of Slack",
    )
    parser.add_argument(
        "--hub",
        action="store_true",
        help="check a fleet hub (`serve --hub`): its agents instead of clusters",
    )
    parser.add_argument(
        "--agent",
        action="store_true",
        help="check a fleet agent: the hub takes its token, and its own cluster's reads",
    )
    parser.add_argument(
        "--url",
        help="the bot's public https:// address (checks HTTP mode, as --http; default "
        "KUBEMEDIC_PUBLIC_URL), as given to `kubemedic slack-manifest --url`",
    )


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    if args.agent:
        return _agent(io, settings)
    # a request URL is HTTP mode's: never check Socket Mode instead because SLACK_APP_TOKEN is set
    http = args.http or bool(args.url)
    report = asyncio.run(
        run_doctor(
            settings,
            http=http,
            url=args.url,
            mattermost=args.mattermost,
            clusters=not args.hub,
            teams=args.teams,
        )
    )
    if args.teams:
        from bot.teams.doctor import teams_bot_check

        report = DoctorReport((asyncio.run(teams_bot_check(settings)), *report.checks))
        io.stdout.write(render_doctor_text(report, title="kubemedic doctor (Teams)"))
        return EXIT_OK if report.passed else EXIT_CLUSTER
    if args.hub:
        from bot.fleet.checks import hub_checks

        report = DoctorReport((*report.checks, *asyncio.run(hub_checks(settings))))
    if args.mattermost:
        io.stdout.write(render_doctor_text(report, title="kubemedic doctor (Mattermost)"))
        return EXIT_OK if report.passed else EXIT_CLUSTER
    io.stdout.write(render_doctor_text(report, title=_slack_title(args, settings, http=http)))
    return EXIT_OK if report.passed else EXIT_CLUSTER


def _slack_title(args: argparse.Namespace, settings: Settings, *, http: bool) -> str:
    """The Slack report's title: its mode, or that Slack is not set up yet."""
    mode = settings.slack_mode(http=args.http, url_given=bool(args.url))
    secrets = (settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret)
    unset = not (http or any(secrets))
    return "kubemedic doctor (Slack not set up yet)" if unset else f"kubemedic doctor ({mode})"


def _agent(io: CommandIO, settings: Settings) -> int:
    """The agent's checklist: the catalog, the hub, its own cluster's reads."""
    from importlib import metadata

    from bot.doctor import catalog
    from bot.doctor.clusters import cluster_checks
    from bot.fleet.checks import agent_checks

    async def checks() -> DoctorReport:
        hub = await agent_checks(settings, version=metadata.version("kubemedic"))
        return DoctorReport((catalog(settings), *hub, *await cluster_checks(settings)))

    report = asyncio.run(checks())
    io.stdout.write(render_doctor_text(report, title="kubemedic doctor (fleet agent)"))
    return EXIT_OK if report.passed else EXIT_CLUSTER
