"""`kubemedic agent [--alive]`: the fleet's agent in one cluster (docs/fleet.md).

It dials out to the hub (KUBEMEDIC_HUB_URL) with its token (KUBEMEDIC_AGENT_TOKEN) and
diagnoses its own cluster when asked; it opens no port unless its cluster turns its
Alertmanager receiver on (KUBEMEDIC_ALERTMANAGER_TOKEN: POST /alertmanager on PORT). `--alive` is
its liveness probe: exit 0 when the running agent touched its status file lately. `--public-key`
prints the public half of its key (KUBEMEDIC_AGENT_KEY_FILE, made there when missing), for the
hub's `fleet token issue CLUSTER --key=PUBLIC`.
"""

from __future__ import annotations

import argparse
import asyncio
from importlib import metadata

from bot.commands.io import CommandIO
from bot.errors import EXIT_CLUSTER, EXIT_OK, BadInput, UserFacingError
from bot.knowledge import load_knowledge, refuse_if_strict
from bot.remediation.tokens import refuse_weak_keys
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
    parser.add_argument(
        "--public-key",
        action="store_true",
        help="print the public half of the agent's key (KUBEMEDIC_AGENT_KEY_FILE, made when missing), "
        "for `kubemedic fleet token issue CLUSTER --key=PUBLIC` on the hub",
    )


def _public_key(io: CommandIO, settings: Settings) -> int:
    from bot.fleet.agent_key import public_text
    from bot.fleet.agent_main import agent_key_of

    key = agent_key_of(settings)
    if key is None:
        raise BadInput(
            "KUBEMEDIC_AGENT_KEY_FILE is not set: name the file the agent keeps its key in (made "
            "there when missing, mode 0600; it must outlive the agent)"
        )
    io.stdout.write(public_text(key) + "\n")
    return EXIT_OK


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    from bot.fleet.agent import TokenRefused, alive
    from bot.wiring.agent import compose_agent, run_composed

    if args.public_key:
        return _public_key(io, settings)
    if args.alive:
        if alive(settings.agent_status_file, within=ALIVE_SECONDS):
            return EXIT_OK
        print(
            f"agent not alive: {settings.agent_status_file} not touched in {ALIVE_SECONDS:g} s",
            file=io.stderr,
        )
        return EXIT_CLUSTER
    refuse_weak_keys(settings)  # its Alertmanager token, when it receives alerts
    knowledge = load_knowledge(settings)
    refuse_if_strict(settings, knowledge)
    parts = compose_agent(settings, knowledge, version=metadata.version("kubemedic"))
    try:
        asyncio.run(run_composed(parts))
    except TokenRefused as exc:
        raise Refused(str(exc)) from exc
    return EXIT_OK
