"""`kubemedic keygen`: print a new key for KUBEMEDIC_SIGNING_KEY (and, later, its _PREVIOUS) or a
shared secret the operator chooses (bot/runtime/shared_secrets.py).

The only keys `serve` and `doctor` accept: 32 random bytes with a checksum, in a form no person
types (bot/runtime/signing_key.py). Most installs need none: unset, the bot makes its own at
its first start and keeps it in its database. Print one to share a key between installs that do
not share a database, or to rotate.
"""

from __future__ import annotations

import argparse

from bot.command_settings import CommandSettings
from bot.commands.io import CommandIO
from bot.errors import EXIT_OK
from bot.runtime.signing_key import generate

HELP = (
    "print a new key for KUBEMEDIC_SIGNING_KEY and every shared secret you choose (32 random "
    "bytes, checksummed)"
)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    subparsers.add_parser(
        "keygen",
        help=HELP,
        description="Print a new key for KUBEMEDIC_SIGNING_KEY, KUBEMEDIC_ALERTMANAGER_TOKEN, "
        "KUBEMEDIC_OPSGENIE_WEBHOOK_SECRET or KUBEMEDIC_MCP_TOKEN: the only form serve and doctor "
        "accept. Unset, the bot makes its own signing key at first start and keeps it in its "
        "database.",
    )


def run(args: argparse.Namespace, io: CommandIO, settings: CommandSettings) -> int:
    io.stdout.write(generate() + "\n")
    return EXIT_OK
