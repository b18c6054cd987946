""" "Did you mean" for a mistyped command, choice or option (argparse's own suggestion is Python 3.14's).

Close spellings are found with difflib among what the parser at hand accepts:
its choices for a positional argument (`kubemedic mach` -> match), and for an
unrecognised option the options of the command it was given to
(`kubemedic match --jsn` -> --json).
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Iterable, Sequence

CUTOFF = 0.6
"""difflib's similarity a suggestion needs (0..1)."""


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known word most like `word`, if any is close enough."""
    found = difflib.get_close_matches(word, list(known), n=1, cutoff=CUTOFF)
    return found[0] if found else None


def invalid_choice(value: str, choices: Sequence[str]) -> str:
    """The one-line error for a value that is not one of `choices`, with the closest one."""
    guess = closest(value, choices)
    hint = f"; did you mean {guess!r}?" if guess else ""
    return f"invalid choice: {value!r}{hint} (choose from {', '.join(map(repr, choices))})"


def unrecognized(extras: Sequence[str], parser: argparse.ArgumentParser) -> str:
    """The one-line error for arguments `parser` (the command's own) does not take, each unknown
    option with the closest one it does take."""
    known = [option for action in parser._actions for option in action.option_strings]
    guesses = {}
    for extra in extras:
        name = extra.split("=", 1)[0]
        guess = closest(name, known) if name.startswith("-") else None
        if guess:
            guesses[name] = guess
    line = f"unrecognized arguments: {' '.join(extras)}"
    if len(extras) == 1 and guesses:
        return f"{line}; did you mean {next(iter(guesses.values()))}?"
    return line + "".join(f"; {name}: did you mean {guess}?" for name, guess in guesses.items())


def command_parser(
    parser: argparse.ArgumentParser, namespace: argparse.Namespace
) -> argparse.ArgumentParser:
    """The deepest sub-command parser `namespace` went through (the root when none)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen = getattr(namespace, action.dest or "", None)
            if isinstance(chosen, str) and chosen in action.choices:
                return command_parser(action.choices[chosen], namespace)
    return parser
