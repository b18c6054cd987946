"""`kubemedic keygen`: print a new signing key for KUBEMEDIC_SIGNING_KEY (and, later, its _PREVIOUS).

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

HELP = "print a new signing key for KUBEMEDIC_SIGNING_KEY (32 random bytes, checksummed)"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    subparsers.add_parser(
        "keygen",
        help=HELP,
        description="Print a new key for KUBEMEDIC_SIGNING_KEY: the only form serve and doctor accept. "
        "Unset, the bot makes its own at first start and keeps it in its database.",
    )


def run(args: argparse.Namespace, io: CommandIO, settings: CommandSettings) -> int:
    io.stdout.write(generate() + "\n")
    return EXIT_OK
