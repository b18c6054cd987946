"""Expected failures and the one-line texts users see for them.

A `UserFacingError` reaches the user as its message alone (exit status 2 for
bad input, 1 when the cluster could not be read); anything else is a bug,
logged with its traceback, and the user gets a generic apology.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

EXIT_OK = 0
EXIT_CLUSTER = 1
EXIT_USAGE = 2


class UserFacingError(Exception):
    """An expected failure whose message is safe and useful to show as-is."""

    exit_code = EXIT_USAGE

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BadInput(UserFacingError):
    """The user's input (file, paste, name, option) cannot be used."""


class TooCostly(BadInput):
    """A text whose reading ran past its CPU budget: told in one line, never read again."""


class ClusterUnavailable(UserFacingError):
    """The cluster could not be read."""

    exit_code = EXIT_CLUSTER


class ServiceUnavailable(UserFacingError):
    """Slack or the database could not be reached at start-up."""

    exit_code = EXIT_CLUSTER


def _mib(size: int) -> str:
    if size >= 2**30:
        return f"{round(size / 2**30, 1):g} GiB"
    return f"{round(size / 2**20, 1):g} MiB"


def input_too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    """`size` is the input's real size (or a lower bound when `at_least`)."""
    shown = f"more than {_mib(size)}" if at_least else _mib(size)
    return f"input is {shown}; kubemedic reads at most {_mib(limit)} of pasted text - paste the failing part"


ONLY_THE_ERROR = "paste only the lines around the error"


def too_costly_to_read(seconds: float) -> str:
    return f"too costly to read: this text took more than {seconds:g} s of CPU to read - {ONLY_THE_ERROR}"


def unreadable_input(source: str, why: str) -> str:
    return f"cannot read {source}: {why}"


def first_problem(exc: ValidationError, *, whole: str = "payload") -> str:
    """ "where: what" of a validation error's first problem, for a one-line refusal."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or whole
    return f"{where}: {first['msg']}"
