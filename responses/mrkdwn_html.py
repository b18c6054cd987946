"""Slack mrkdwn as HTML, the way Slack's clients show it, with nothing live.

Handles what Slack formats in a message: ```pre```, `code`, *bold*,
_italic_, ~strike~, `>` quotes, links `<url|text>` and `<url>`, mentions
`<@U1>` / `<#C1>` / `<!here>`, and the three entities (&amp; &lt; &gt;).
Every piece of text is HTML-escaped after Slack's entities are undone, and
only http(s) and mailto URLs become links, so a hostile paste stays text.
"""

from __future__ import annotations

import html
import re

_PRE = re.compile(r"```(.*?)```", re.DOTALL)
_INLINE = re.compile(
    r"`(?P<code>[^`\n]+)`"
    r"|<(?P<angle>[^<>\n]{1,4000})>"
    r"|(?<![\w*])\*(?P<bold>\S(?:[^*\n]*?\S)?)\*(?![\w*])"
    r"|(?<![\w_])_(?P<italic>\S(?:[^_\n]*?\S)?)_(?![\w_])"
    r"|(?<![\w~])~(?P<strike>\S(?:[^~\n]*?\S)?)~(?![\w~])"
)
_LINKABLE = re.compile(r"^(?:https?://|mailto:)[^\s\"'<>]+$", re.IGNORECASE)
_QUOTE = ("&gt; ", "> ", "&gt;", ">")


def unescape(text: str) -> str:
    """Slack's entities back to characters (only these three are Slack's)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def text_html(text: str) -> str:
    """Slack-escaped text as escaped HTML."""
    return html.escape(unescape(text), quote=True)


def _angle(inner: str) -> str:
    target, _, label = inner.partition("|")
    if target.startswith(("@", "#")):
        return f'<span class="mention">{html.escape(target[0] + (label or target[1:]))}</span>'
    if target.startswith("!"):
        name = (label or target[1:]).split("^")[0]
        return f'<span class="mention">@{html.escape(name)}</span>'
    url = unescape(target)
    shown = inline_html(label) if label else text_html(target)
    if _LINKABLE.match(url):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">{shown}</a>'
    return shown


def inline_html(text: str) -> str:
    """One run of mrkdwn without ``` blocks."""
    out: list[str] = []
    at = 0
    for found in _INLINE.finditer(text):
        out.append(text_html(text[at : found.start()]))
        at = found.end()
        kind = found.lastgroup
        value = found.group(kind or "")
        if kind == "code":
            out.append(f"<code>{text_html(value)}</code>")
        elif kind == "angle":
            out.append(_angle(value))
        else:
            tag = {"bold": "b", "italic": "i", "strike": "s"}[kind or "bold"]
            out.append(f"<{tag}>{inline_html(value)}</{tag}>")
    out.append(text_html(text[at:]))
    return "".join(out)


def _lines_html(text: str) -> str:
    """Lines with Slack's `>` quotes grouped into blockquotes."""
    out: list[str] = []
    quoted: list[str] = []
    for line in text.split("\n"):
        marker = next((m for m in _QUOTE if line.startswith(m)), None)
        if marker is not None:
            quoted.append(inline_html(line[len(marker) :]))
            continue
        if quoted:
            out.append("<blockquote>" + "<br>".join(quoted) + "</blockquote>")
            quoted = []
        out.append(inline_html(line) + "<br>")
    if quoted:
        out.append("<blockquote>" + "<br>".join(quoted) + "</blockquote>")
    joined = "".join(out)
    return joined.removesuffix("<br>")


def mrkdwn_html(text: str) -> str:
    """A whole mrkdwn text (as in a section or context element) as HTML."""
    out: list[str] = []
    at = 0
    for found in _PRE.finditer(text):
        out.append(_lines_html(text[at : found.start()].removesuffix("\n")))
        out.append(f"<pre>{text_html(found.group(1).strip(chr(10)))}</pre>")
        at = found.end()
        if text.startswith("\n", at):
            at += 1
    out.append(_lines_html(text[at:]))
    return "".join(out)
