"""Argument types shared by the CLI verbs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime

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


def moment(value: str) -> datetime:
    """An argparse type: an RFC 3339 moment (`2026-01-02T12:34:00Z`, or with an offset; a
    moment without a zone is UTC), with a one-line message otherwise."""
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--at must be an RFC 3339 time like 2026-01-02T12:34:00Z, not {value[:60]!r}"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def add_at(parser: argparse.ArgumentParser, what: str) -> None:
    """`--at`: when a recording was made, for the verbs that read one."""
    parser.add_argument(
        "--at",
        type=moment,
        default=None,
        metavar="RFC3339",
        help=f"when {what} was recorded: every age and 'since' is judged at that moment "
        "(default: the newest time the recording shows; never today's date)",
    )


def add_answer_form(parser: argparse.ArgumentParser) -> None:
    """`--json` and `-v`: how the verbs that answer (match, diagnose) print their answer."""
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print every part of the answer: root cause, every fix step, links, matched lines, "
        "close matches, what could not be read (default: the short answer)",
    )


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
