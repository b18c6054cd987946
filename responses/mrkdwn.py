"""Safe Slack mrkdwn text: escaped, clipped to a limit.

Everything shown in Slack passes through here so that two promises hold in
one place: nothing in a paste can ping a channel or fake a link (escape &,
<, >), and no text exceeds the limit it is rendered into (clip, without
cutting an escape sequence in half). No secret reaches here: text from
outside was redacted where it came in (`responses.redaction.Redacted`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from responses import inert, messages
from responses.links import web_url

escape = inert.escape
"""Escape &, < and > (callers escape through this module)."""

ELLIPSIS = "…"
MAX_SCAN = 100_000
"""The most of any one text that is ever considered."""

_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")
_SPACES = re.compile(r"\s+")


def clip(text: str, limit: int) -> str:
    """At most `limit` chars; a cut ends at a line or word break when one is near, plus "…"."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - len(ELLIPSIS), 0)]
    partial = _PARTIAL_ENTITY.search(cut)
    if partial:
        cut = cut[: partial.start()]
    floor = len(cut) * 4 // 5
    for sep in ("\n", " "):
        at = cut.rfind(sep, floor)
        if at > 0:
            cut = cut[:at]
            break
    return cut.rstrip() + ELLIPSIS


def window(text: str, limit: int) -> str:
    """The start of a text that can reach a `limit`-char rendering (four times what can be
    shown, plus slack for what escaping and flattening take away): huge pastes stay cheap."""
    return text[: min(MAX_SCAN, 4 * limit + 4096)]


def safe(text: str, limit: int) -> str:
    """Escaped mrkdwn of at most `limit` chars."""
    return clip(escape(window(text, limit)), limit)


def plain(text: str, limit: int) -> str:
    """Plain text (header, button) of at most `limit` chars on one line."""
    return clip(_SPACES.sub(" ", window(text, limit)).strip(), limit) or "-"


def inline_code(text: str, limit: int) -> str:
    """One line in `code`; backticks inside become quotes so the span cannot break."""
    flat = _SPACES.sub(" ", window(text, limit)).strip().replace("`", "'")
    return f"`{clip(escape(flat), max(limit - 2, 1))}`"


def code_block(text: str, limit: int) -> str:
    """Text in a ``` block of at most `limit` chars; a cut says how many lines were left out."""
    body = escape(window(text, limit)).replace("```", "`\u200b``").rstrip("\n")
    lines = body.splitlines() or [""]
    shown: list[str] = []
    size = 8 + 80  # fences and room for the truncation note
    for line in lines:
        line = clip(line, max(limit - size - 1, 1))
        if size + len(line) + 1 > limit:
            break
        shown.append(line)
        size += len(line) + 1
    block = "```" + "\n".join(shown) + "```"
    if len(shown) < len(lines):
        block += "\n" + messages.code_truncated(len(lines) - len(shown))
    return block


def link(url: str, title: str, limit: int = 400) -> str:
    """`<url|title>` for an http(s) URL (characters that would end the link are percent-encoded
    or escaped); anything else (`!channel`, `javascript:`) is shown as inert text."""
    web = web_url(url)
    if web is None:
        return f"{safe(title, max(limit // 2, 20))}: {safe(str(url), max(limit // 2, 20))}"
    href = web
    for char, code in ((" ", "%20"), ("|", "%7C"), ("<", "%3C"), (">", "%3E")):
        href = href.replace(char, code)
    return f"<{href}|{safe(title.replace('|', '/'), max(limit - len(href), 20))}>"


def bullets(items: Sequence[str], limit: int, *, what: str, total: int | None = None) -> str:
    """Items (already safe mrkdwn) as "• " lines within `limit` chars, "…and N more" when cut.

    `total` counts items left out before the call (only a bounded list is made safe).
    """
    total = max(total or 0, len(items))
    reserve = len(messages.more_items(total, what)) + 1
    lines: list[str] = []
    size = 0
    for item in items:
        line = clip("• " + item, max(limit - reserve - 1, 1))
        if size + len(line) + 1 > limit - reserve:
            break
        lines.append(line)
        size += len(line) + 1
    if len(lines) < total:
        lines.append(messages.more_items(total - len(lines), what))
    return "\n".join(lines)
