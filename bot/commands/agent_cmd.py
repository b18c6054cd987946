"""`kubemedic agent [--alive]`: the fleet's agent in one cluster (docs/fleet.md).

It dials out to the hub (KUBEMEDIC_HUB_URL) with its token (KUBEMEDIC_AGENT_TOKEN) and
diagnoses its own cluster when asked; it opens no port unless its cluster turns its
Alertmanager receiver on (KUBEMEDIC_ALERTMANAGER_TOKEN: POST /alertmanager on PORT). `--alive` is its liveness probe:
exit 0 when the running agent touched its status file lately.
"""

from __future__ import annotations

import argparse
import asyncio
from importlib import metadata

from bot.commands.io import CommandIO
from bot.errors import EXIT_CLUSTER, EXIT_OK, UserFacingError
from bot.knowledge import load_knowledge, refuse_if_strict
from bot.settings import Settings

ALIVE_SECONDS = 60.0
"""The liveness probe fails when the agent's loop has not touched its status file this long."""


class Refused(UserFacingError):
    """The hub refused the agent's token: exit 2 (only a new token mends it)."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "agent",
        help="the fleet's agent in one cluster: dials out to the hub, opens no port",
        description="Diagnose this cluster when the fleet hub asks (KUBEMEDIC_HUB_URL, KUBEMEDIC_AGENT_TOKEN); "
        "the connection is dialled out, so the agent opens no port (docs/fleet.md).",
    )
    parser.add_argument(
        "--alive",
        action="store_true",
        help=f"the liveness probe: exit 0 when the running agent touched its status file in "
        f"the last {ALIVE_SECONDS:g} s (KUBEMEDIC_AGENT_STATUS_FILE)",
    )


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    from bot.fleet.agent import TokenRefused, alive
    from bot.wiring.agent import compose_agent, run_composed

    if args.alive:
        if alive(settings.agent_status_file, within=ALIVE_SECONDS):
            return EXIT_OK
        print(
            f"agent not alive: {settings.agent_status_file} not touched in {ALIVE_SECONDS:g} s",
            file=io.stderr,
        )
        return EXIT_CLUSTER
    knowledge = load_knowledge(settings)
    refuse_if_strict(settings, knowledge)
    parts = compose_agent(settings, knowledge, version=metadata.version("kubemedic"))
    try:
        asyncio.run(run_composed(parts))
    except TokenRefused as exc:
        raise Refused(str(exc)) from exc
    return EXIT_OK
