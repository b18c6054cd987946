"""The values of secret-named env list entries, whose name and value sit apart.

Pod specs list env vars as `name:` / `value:` pairs, so the secret name and its
value sit on different lines or keys; `redact_env_pairs` replaces the value of
every pair whose name is secret-like (`responses.redaction.words`), in YAML (block and
flow style) and JSON (also escaped inside a log line), with the name first or last.
"""

from __future__ import annotations

import re

from intents.lazy_re import lazy_compile
from responses.redaction.words import is_secret_key

_YAML_NAME = lazy_compile(
    r"\A(?P<lead>[ \t]*+(?:-[ \t]++)?)name:[ \t]*+(?P<q>[\"']?)"
    r"(?P<name>[\w.-]{1,253}+)(?P=q)[ \t]*+(?:#[^\n]*+)?"
)
_YAML_VALUE = lazy_compile(r"\A(?P<keep>[ \t]*+(?:-[ \t]++)?value:[ \t]++)(?P<value>\S[^\n]*+)")
_YAML_FLOW = lazy_compile(
    r"(?P<keep>\{[ \t]*+name:[ \t]*+(?P<q>[\"']?)(?P<name>[\w.-]{1,253}+)(?P=q)"
    r"[ \t]*+,[ \t]*+value:[ \t]*+)(?P<value>[^,}\n]++)"
)
_BLOCK = lazy_compile(r"[|>][0-9+-]{0,3}[ \t]*(?:#.*)?")
_NOT_SECRET = frozenset({"", "true", "false", "yes", "no", "on", "off", "null"})
_SCAN_LINES = 40
"""Lines looked at on each side of a secret name for its value (an env entry is a few lines)."""

_S = r"[ \t\r\n]*+"
_JSON_PAIRS = (
    lazy_compile(
        rf"(?P<keep>\"name\"{_S}:{_S}\"(?P<name>[\w.-]{{1,253}}+)\"{_S},{_S}\"value\"{_S}:{_S}\")"
        r"(?P<value>(?:[^\"\\\n]|\\.)*+)(?=\")"
    ),
    lazy_compile(
        rf"(?P<lead>\"value\"{_S}:{_S}\")(?P<value>(?:[^\"\\\n]|\\.)*+)"
        rf"(?P<rest>\"{_S},{_S}\"name\"{_S}:{_S}\"(?P<name>[\w.-]{{1,253}}+)\")"
    ),
    lazy_compile(
        r"(?P<keep>\\\"name\\\":[ \t]*+\\\"(?P<name>[\w.-]{1,253}+)\\\",[ \t]*+"
        r"\\\"value\\\":[ \t]*+\\\")(?P<value>[^\"\\\n]*+)"
    ),
)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _redact_value_line(lines: list[str], at: int, redacted: str) -> None:
    """Replace the value on the `value:` line `at` (and a block scalar's lines after it)."""
    found = _YAML_VALUE.fullmatch(lines[at])
    if found is None:
        return
    value = found.group("value").strip()
    if (
        value.startswith(("[REDACTED]", "<", "${", "$("))
        or value.strip("\"'").lower() in _NOT_SECRET
    ):
        return
    if _BLOCK.fullmatch(value):
        column = (
            _indent(lines[at]) if not lines[at].lstrip().startswith("-") else _indent(lines[at]) + 2
        )
        for below in range(at + 1, min(len(lines), at + 1 + 10 * _SCAN_LINES)):
            if lines[below].strip() and _indent(lines[below]) <= column:
                break
            if lines[below].strip():
                lines[below] = lines[below][: _indent(lines[below])] + redacted
        return
    quote = value[:1] if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) > 1 else ""
    lines[at] = f"{found.group('keep')}{quote}{redacted}{quote}"


def _yaml_pairs(text: str, redacted: str) -> str:
    lines = text.split("\n")
    for at, line in enumerate(lines):
        if "name:" not in line:
            continue
        flow = _YAML_FLOW.search(line)
        if flow is not None and is_secret_key(flow.group("name")):
            lines[at] = line[: flow.start("value")] + redacted + line[flow.end("value") :]
            continue
        named = _YAML_NAME.fullmatch(line)
        if named is None or not is_secret_key(named.group("name")):
            continue
        column = len(named.group("lead"))  # where the item's keys start
        first = named.group("lead").lstrip(" \t").startswith("-")
        below = at + 1
        while below < min(len(lines), at + 1 + _SCAN_LINES):  # keys after name, same item
            current = lines[below]
            if current.strip() and (
                _indent(current) < column
                or (_indent(current) == column - 2 and current.lstrip().startswith("- "))
            ):
                break
            if _indent(current) == column and current.lstrip().startswith("value:"):
                _redact_value_line(lines, below, redacted)
            below += 1
        above = at - 1
        while not first and above >= max(0, at - _SCAN_LINES):  # keys before name, same item
            current = lines[above]
            stripped = current.lstrip()
            starts_item = (
                stripped.startswith("- ") and _indent(current) + 2 + _indent(stripped[2:]) == column
            )
            if current.strip() and _indent(current) < column and not starts_item:
                break
            if stripped.startswith(("value:", "- value:")) and (
                starts_item or _indent(current) == column
            ):
                _redact_value_line(lines, above, redacted)
            if starts_item:
                break
            above -= 1
    return "\n".join(lines)


def _json_pairs(text: str, redacted: str) -> str:
    def keep_first(found: re.Match[str]) -> str:
        if not is_secret_key(found.group("name")) or found.group("value") in ("", redacted):
            return found.group(0)
        return found.group("keep") + redacted

    def keep_last(found: re.Match[str]) -> str:
        if not is_secret_key(found.group("name")) or found.group("value") in ("", redacted):
            return found.group(0)
        return found.group("lead") + redacted + found.group("rest")

    text = _JSON_PAIRS[0].sub(keep_first, text)
    text = _JSON_PAIRS[1].sub(keep_last, text)
    return _JSON_PAIRS[2].sub(keep_first, text) if '\\"name\\"' in text else text


def redact_env_pairs(text: str, redacted: str) -> str:
    """`text` with the value of every secret-named `name:`/`value:` pair replaced by `redacted`."""
    if "name" not in text or "value" not in text:
        return text
    if '"name' in text or '\\"name' in text:
        text = _json_pairs(text, redacted)
    return _yaml_pairs(text, redacted) if "name:" in text else text
