"""Make any text inert in Slack mrkdwn: it shows as typed and does nothing.

Slack parses only what sits between `<` and `>`: broadcasts (`<!everyone>`,
`<!channel>`, `<!here>`), mentions (`<@U123>`, `<!subteam^S1>`), channel
links (`<#C1>`) and links (`<https://x|text>`); `&` starts the entities that
spell those brackets. Escaping these three characters (Slack's own rule)
turns every such sequence into plain text. A bare `@here` is not parsed in
what an app posts (kubemedic never sets `link_names` or `parse=full`).
This module has no dependencies, so `responses.messages` can use it too.
"""

from __future__ import annotations

import re

MAX_ECHO = 1000
"""The most of one user-supplied text an error line repeats."""


def escape(text: str) -> str:
    """Slack's three control characters as entities, so `<!channel>` stays text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` for a terminal: control characters (escape sequences, carriage returns, C1 codes,
    bidirectional overrides) removed, newlines and tabs kept; a name in an export cannot
    recolour, retitle or rewrite the terminal that prints it."""
    return _TERMINAL_CONTROLS.sub("", text)
