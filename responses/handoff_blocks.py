"""What Slack shows of a hand-off: the note that an agent was asked, its reply, or why none came.

An agent's reply is an outsider's text: it is redacted, escaped (it can
neither ping a channel nor fake a link) and clipped like a paste, and it is
always marked as the agent's, not kubemedic's catalog. Its Markdown bold and
headings become mrkdwn bold; the rest shows as written.
"""

from __future__ import annotations

import re
from typing import Any

from responses.block_parts import SECTION_LIMIT, context
from responses.mrkdwn import safe

MAX_SECTIONS = 10
"""The most of a reply shown: this many sections of up to 3,000 characters."""
_CHUNK = SECTION_LIMIT - 400
"""Raw characters per section, leaving room for the escapes (`&lt;` is four)."""
_BOLD = re.compile(r"\*\*([^*\n]{1,200})\*\*")
_HEADING = re.compile(r"^#{1,6}[ \t]+([^\n]{1,200})$", re.MULTILINE)


def forwarding_text(agent: str, timeout: float) -> str:
    return (
        f"kubemedic has no answer from its catalog for this one, so it asked {safe(agent, 100)} "
        f"(an AI agent); its reply will follow here (it has up to {timeout:g} s)."
    )


def failed_text(agent: str, why: str) -> str:
    return f"{safe(agent, 100)} could not help: it {safe(why, 500)}. kubemedic has no answer for this one either."


def _mrkdwn(text: str) -> str:
    return _HEADING.sub(r"*\1*", _BOLD.sub(r"*\1*", text))


def _chunks(text: str) -> list[str]:
    """The text in pieces of at most _CHUNK characters, cut at paragraph or line ends when it can be."""
    pieces: list[str] = []
    rest = text.strip()
    while rest and len(pieces) < MAX_SECTIONS:
        if len(rest) <= _CHUNK:
            pieces.append(rest)
            break
        cut = max(rest.rfind("\n\n", 0, _CHUNK), rest.rfind("\n", 0, _CHUNK))
        cut = cut if cut > _CHUNK // 2 else _CHUNK
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip()
    return pieces


def agent_reply_message(agent: str, text: str, seconds: float) -> dict[str, Any]:
    """Blocks and fallback text of the agent's reply, marked as coming from it."""
    pieces = _chunks(text)
    shown = sum(len(piece) for piece in pieces)
    mark = f":robot_face: *{safe(agent, 100)}* answered (an AI agent, not kubemedic's catalog) in {seconds:.0f} s"
    blocks: list[dict[str, Any]] = [context(mark)]
    blocks += [
        {"type": "section", "text": {"type": "mrkdwn", "text": _mrkdwn(safe(piece, SECTION_LIMIT))}}
        for piece in pieces
    ]
    if shown < len(text.strip()):
        blocks.append(
            context(
                f"the reply goes on for {len(text.strip()) - shown:,} more characters, not shown here"
            )
        )
    return {"blocks": blocks, "text": f"{safe(agent, 100)} answered: {safe(text, 300)}"}
