"""Formatting people add to a paste, as transformations (issue 21 item 5: noise does not change
the answer).  Each takes a paste and returns it as it might arrive: through markdown, Slack,
a terminal, a log shipper or a chat message.  Used by tests/intents/test_noise.py and
bench/noise_bench.py."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

_SPACES = re.compile(r" {2,}")


def _lines(text: str, change: Callable[[str], str]) -> str:
    return "\n".join(change(line) if line.strip() else line for line in text.split("\n"))


def _wrap(width: int) -> Callable[[str], str]:
    def wrap(text: str) -> str:
        out: list[str] = []
        for line in text.split("\n"):
            out.extend(line[start : start + width] for start in range(0, max(len(line), 1), width))
        return "\n".join(out)

    return wrap


def _smart(text: str) -> str:
    quotes = iter(["\u201c", "\u201d"] * (text.count('"') // 2 + 1))
    return re.sub('"', lambda _m: next(quotes), text).replace("'", "\u2019")


def _json_log(line: str) -> str:
    record = {"log": line + "\n", "stream": "stdout", "time": "2024-01-01T00:00:00.000000000Z"}
    return json.dumps(record, separators=(",", ":"))


def _framed(text: str) -> str:
    """Each line inside a terminal UI's pane borders, padded to the pane width (k9s)."""
    width = max((len(line) for line in text.split("\n")), default=0) + 2
    return "\n".join(f"\u2502 {line.ljust(width)}\u2502" for line in text.split("\n"))


TRANSFORMATIONS: dict[str, Callable[[str], str]] = {
    # bold inside the line's indentation (Slack keeps leading spaces; YAML and describe need them)
    "bold": lambda t: _lines(
        t, lambda line: f"{line[: len(line) - len(line.lstrip())]}**{line.strip()}**"
    ),
    "backticks": lambda t: f"```\n{t}\n```",
    "quoted": lambda t: "\n".join(f"> {line}" for line in t.split("\n")),
    "slack-escaped": lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
    "wrap-80": _wrap(80),
    "wrap-100": _wrap(100),
    "wrap-120": _wrap(120),
    "log-shipper": lambda t: _lines(
        t, lambda line: f"2024-01-01T00:00:00.000000000Z stdout F {line}"
    ),
    "json-log": lambda t: _lines(t, _json_log),
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "tabs": lambda t: _SPACES.sub("\t", t),
    "smart-quotes": _smart,
    "nbsp": lambda t: t.replace(" ", "\u00a0"),
    "prompt": lambda t: f"user@host:~$ kubectl describe pod web-0\n{t}",
    "pane-frame": lambda t: _framed(t),
    "chat": lambda t: (
        f"hey team, seeing this since the deploy this morning:\n\n{t}\n\nany idea what's wrong? thanks!"
    ),
}
