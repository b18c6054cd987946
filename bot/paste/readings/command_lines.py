"""A shell line that runs kubectl or helm (with or without its prompt).

The command is what someone ran, not what happened: its line is its own block, quiet, so
its words ("kubectl delete pod ... --force") are never read as a failure, and a block above it
ends there.
"""

from __future__ import annotations

from bot.paste.model import Block
from bot.paste.reading import At, Reading
from bot.paste.text import is_command

SHAPE = "command"


def read(at: At) -> Block:
    return Block(SHAPE, at.number, at.number + 1, quiet={at.number})


COMMAND = Reading("command line", lambda at: is_command(at.line), read, frozenset())
