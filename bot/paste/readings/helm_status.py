"""`helm status` and `helm install` output: a release and its STATUS.

helm prints `NAME:`, `LAST DEPLOYED:`, `NAMESPACE:`, `STATUS:`, `REVISION:` and then the
chart's NOTES.  A release deployed (or superseded, uninstalled) is healthy: its NOTES speak of
ports, passwords and "waiting for the LoadBalancer", words the failure entries use, so the
whole output is kept from the matcher.  Any other STATUS (failed, pending-install) leaves it
to the matcher.
"""

from __future__ import annotations

from bot.paste.describe import keyed
from bot.paste.model import Block
from bot.paste.reading import Reading
from bot.paste.text import is_command

SHAPE = "helm status"
HELM_OK = frozenset({"deployed", "superseded", "uninstalled"})


def starts_helm_status(lines: list[str], start: int) -> bool:
    if not lines[start].lstrip().startswith("NAME:"):
        return False
    first = keyed(lines[start].strip())
    return (
        first is not None
        and first[0] == "NAME"
        and start + 1 < len(lines)
        and lines[start + 1].strip().startswith("LAST DEPLOYED:")
    )


def parse_helm_status(lines: list[str], start: int) -> Block:
    """`helm status` / `helm install` output: healthy when STATUS is deployed."""
    end, status = start, ""
    indent = len(lines[start]) - len(lines[start].lstrip())
    while end < len(lines) and not is_command(lines[end]):
        line = lines[end]
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            break  # the paste's own text resumes: the output was indented as a block
        if not line.strip() and end + 1 < len(lines) and not lines[end + 1].strip():
            break  # two blank lines: a code fence closed (clean_text leaves a fence blank) or the output ended
        pair = keyed(line.strip())
        if pair is not None and pair[0] == "STATUS":
            status = pair[1]
        end += 1
    healthy = status in HELM_OK
    return Block(
        SHAPE, start, end, healthy=healthy, quiet=set(range(start, end)) if healthy else set()
    )


HELM_STATUS = Reading(
    "helm status",
    lambda at: starts_helm_status(at.lines, at.number),
    lambda at: parse_helm_status(at.lines, at.number),
    frozenset(),
)
