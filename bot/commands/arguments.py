"""Argument types shared by the CLI verbs."""

from __future__ import annotations

import argparse
from collections.abc import Callable


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
