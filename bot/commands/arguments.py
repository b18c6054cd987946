"""Argument types shared by the CLI verbs."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from responses.redaction import Redacted, redact_paste, shown_by_request


def bounded_int(name: str, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from 1 to `high`, with a one-line message otherwise."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number, not {value!r}"
            ) from None
        if not 1 <= number <= high:
            raise argparse.ArgumentTypeError(f"{name} must be between 1 and {high}")
        return number

    return parse


def add_show_secrets(parser: argparse.ArgumentParser) -> None:
    """`--show-secrets`: the one way to have a verb print what it read unredacted."""
    parser.add_argument(
        "--show-secrets",
        action="store_true",
        help="print secrets as they were read (passwords, tokens, keys): by default they are "
        "replaced by [REDACTED], as the bot does in chat",
    )


def pasted(text: str, args: argparse.Namespace) -> Redacted:
    """The paste a verb reads: redacted as the bot redacts a chat message, or as it is with
    `--show-secrets`."""
    return shown_by_request(text) if args.show_secrets else redact_paste(text)
