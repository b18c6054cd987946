"""A pasted `Tolerations:` list: a pod's configuration, not a node's state.

describe prints the tolerations a pod carries (`key=value:Effect`, `key:Effect op=Exists for
300s`); every pod tolerates not-ready and unreachable for 300 s, and a DaemonSet's pods
tolerate disk-pressure.  None of it says anything about a node, so the list is its own block,
quiet, kept from the matcher (a toleration of disk-pressure is no disk pressure).
"""

from __future__ import annotations

from bot.paste.model import Block
from bot.paste.reading import At, Reading
from intents.lazy_re import lazy_compile

SHAPE = "kubectl describe (Tolerations)"
MAX_TOLERATIONS = 40
"""Lines of a pasted `Tolerations:` list (a pod rarely has more than a dozen)."""
_TOLERATION = lazy_compile(
    r"^(?:Tolerations:\s*)?(?:<none>|[\w./-]{0,253}(?:=[\w./-]{0,63})?(?::(?:NoSchedule|PreferNoSchedule|NoExecute))?"
    r"(?: op=Exists)?(?: for \d{1,9}s)?)$"
)
"""A line of describe's Tolerations list (`key=value:Effect`, `key:Effect op=Exists for 300s`)."""
_OPERATOR = lazy_compile(
    r"^[\w./-]{1,253}:(?:NoSchedule|PreferNoSchedule|NoExecute) op=Exists(?: for \d{1,9}s)?$"
)
"""A toleration only a Tolerations list prints (`key:Effect op=Exists`): no taint has an operator."""


def starts_headless(stripped: str) -> bool:
    """A Tolerations list pasted without its `Tolerations:` line (a DaemonSet's, cut at the top)."""
    return _OPERATOR.match(stripped) is not None


def list_end(lines: list[str], start: int) -> int:
    """The line after a pasted `Tolerations:` list, or `start` when the line is no such list."""
    end = start
    while (
        end < len(lines)
        and end - start < MAX_TOLERATIONS
        and lines[end].strip()
        and _TOLERATION.match(lines[end].strip()) is not None
        and (end == start or lines[end][:1] in (" ", "\t"))
    ):
        end += 1
    return end


def read(at: At) -> Block | None:
    end = list_end(at.lines, at.number)
    return (
        Block(SHAPE, at.number, end, quiet=set(range(at.number, end))) if end > at.number else None
    )


TOLERATIONS = Reading(
    "tolerations",
    lambda at: (
        ":" in at.stripped
        and (at.stripped.startswith("Tolerations:") or starts_headless(at.stripped))
    ),
    read,
    frozenset(),
)
