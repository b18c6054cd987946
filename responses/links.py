"""Links only to the web: a URL kubemedic did not write is a link only when it is http(s).

Alert annotations (runbook_url), generator URLs and catalog links from user
directories reach every renderer.  `web_url` is the one test: an absolute
`http://` or `https://` URL with a host and no whitespace or control characters.
Anything else (`!channel`, `@U0ADMIN`, `javascript:...`, `file:...`) is not a
link; renderers show it as inert text.  Slack's mrkdwn (responses.mrkdwn.link),
the Block Kit dict builders, Markdown and the catalog site all ask it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_URL = 3000


def _printable(text: str) -> bool:
    """No space and no control character in it."""
    return not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text)


def web_url(url: object) -> str | None:
    """The URL, stripped, when it is an http(s) URL with a host; else None."""
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if not 0 < len(candidate) <= MAX_URL or not _printable(candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or not parts.hostname:
        return None
    return candidate
