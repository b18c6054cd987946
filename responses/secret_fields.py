"""Which field names hold secrets, and the values of secret-named env list entries.

A key names a secret when one of its words is a secret word: `SECRET_KEY_BASE`,
`DB_PASS`, `dbPassword`, `x-api-key`, `PGPASSWORD`, `authToken`, `SSH_KEY`.
Words are split on `_ - .` and camelCase; of a dotted path (`a.b.c.d`, a host name or a
property) only the last two parts count.  A strong word (password, secret,
token, credential...) is enough alone or at the end of a word (`pgpassword`); a weak
one (`key`, `pass`, `pw`) needs another word beside it, so `key: app` (a selector)
and `PASS: TestFoo` (a test log) stay.  A key whose last word describes a secret
rather than holding it (`secretName`, `tokenFile`, `KEY_ID`, `passwordStdin`) is
not one, nor a key about a public or structural key (`topologyKey`, `publicKey`).

Pod specs list env vars as `name:` / `value:` pairs, so the secret name and its
value sit on different lines or keys; `redact_env_pairs` replaces the value of
every pair whose name is secret-like, in YAML (block and flow style) and JSON
(also escaped inside a log line), with the name first or last.
"""

from __future__ import annotations

import functools
import re

from intents.lazy_re import lazy_compile

_STRONG = ("password", "passwd", "passphrase", "pwd", "secret", "secrets", "token", "tokens",
           "apikey", "credential", "credentials", "creds", "privatekey", "signature", "sig")
_WEAK = frozenset({"key", "keys", "pass", "pw"})
_DESCRIBES = frozenset({
    "name", "names", "ref", "refs", "file", "files", "path", "paths", "dir", "directory", "type",
    "kind", "id", "ids", "arn", "url", "uri", "endpoint", "length", "len", "size", "count", "policy",
    "mode", "version", "provider", "source", "store", "field", "header", "prefix", "suffix",
    "format", "expiry", "expires", "expiration", "ttl", "lifetime", "seconds", "duration",
    "timeout", "enabled", "required", "optional", "stdin", "env", "template", "selector",
    "namespace", "label", "manager", "rotation", "class", "issuer", "audience", "location",
    "request", "review", "volume", "mount", "generator", "reference", "set", "rules", "usage",
    "less", "ok", "missing", "invalid", "expired", "error", "method", "methods", "scheme",
    "backend", "mechanism", "strategy", "server", "host", "port", "user", "username", "email",
    "login", "domain", "realm", "plugin", "flow", "grant", "scope", "scopes", "role", "roles",
    "service", "bytes", "hash", "digest", "fingerprint", "checksum",
})
_PUBLIC_KEYS = frozenset({
    "public", "topology", "label", "sort", "partition", "routing", "cache",
    "idempotency", "hash", "shard", "lookup", "map", "object", "foreign", "composite", "match",
    "selector", "node", "annotation", "field", "group", "index", "unique", "host", "dedup",
    "hot", "lock", "config", "policy", "metric", "metrics", "tag", "sidecar",
})
_WORDS = lazy_compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def ends_in_secret_word(name: str) -> bool:
    """True when the key's last word itself is a secret word (db_password, x-api-key, not secretName)."""
    words = key_words(name)
    return is_secret_key(name) and bool(words) and (words[-1].endswith(_STRONG) or words[-1] in _WEAK)


def key_words(name: str) -> list[str]:
    """`name` split into lower-case words: SECRET_KEY_BASE -> secret key base, apiKey -> api key."""
    return [word.lower() for word in _WORDS.findall(name)]


@functools.lru_cache(maxsize=4096)  # field names repeat (payloads, diagnosis records, env pairs)
def is_secret_key(name: str) -> bool:
    """True for a field name whose value is a secret whatever it looks like."""
    if not name or len(name) > 100:
        return False
    words = key_words(".".join(name.split(".")[-2:]))  # a.b.c.d: a host or property path, read its end
    if not words or words[-1] in _DESCRIBES:
        return False
    if any(word.endswith(_STRONG) for word in words):
        return True
    if len(words) < 2:
        return False
    return any(word in _WEAK and (index == 0 or words[index - 1] not in _PUBLIC_KEYS)
               for index, word in enumerate(words))


_YAML_NAME = lazy_compile(r"(?P<lead>[ \t]*+(?:-[ \t]++)?)name:[ \t]*+(?P<q>[\"']?)"
                        r"(?P<name>[\w.-]{1,253}+)(?P=q)[ \t]*+(?:#[^\n]*+)?")
_YAML_VALUE = lazy_compile(r"(?P<keep>[ \t]*+(?:-[ \t]++)?value:[ \t]++)(?P<value>\S[^\n]*+)")
_YAML_FLOW = lazy_compile(r"(?P<keep>\{[ \t]*+name:[ \t]*+(?P<q>[\"']?)(?P<name>[\w.-]{1,253}+)(?P=q)"
                        r"[ \t]*+,[ \t]*+value:[ \t]*+)(?P<value>[^,}\n]++)")
_BLOCK = lazy_compile(r"[|>][0-9+-]{0,3}[ \t]*(?:#.*)?")
_SCAN_LINES = 40
"""Lines looked at on each side of a secret name for its value (an env entry is a few lines)."""

_S = r"[ \t\r\n]*+"
_JSON_PAIRS = (
    lazy_compile(rf"(?P<keep>\"name\"{_S}:{_S}\"(?P<name>[\w.-]{{1,253}}+)\"{_S},{_S}\"value\"{_S}:{_S}\")"
               r"(?P<value>(?:[^\"\\\n]|\\.)*+)(?=\")"),
    lazy_compile(rf"(?P<lead>\"value\"{_S}:{_S}\")(?P<value>(?:[^\"\\\n]|\\.)*+)"
               rf"(?P<rest>\"{_S},{_S}\"name\"{_S}:{_S}\"(?P<name>[\w.-]{{1,253}}+)\")"),
    lazy_compile(r"(?P<keep>\\\"name\\\":[ \t]*+\\\"(?P<name>[\w.-]{1,253}+)\\\",[ \t]*+"
               r"\\\"value\\\":[ \t]*+\\\")(?P<value>[^\"\\\n]*+)"),
)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _redact_value_line(lines: list[str], at: int, redacted: str) -> None:
    """Replace the value on the `value:` line `at` (and a block scalar's lines after it)."""
    found = _YAML_VALUE.fullmatch(lines[at])
    if found is None:
        return
    value = found.group("value").strip()
    if value.startswith(("[REDACTED]", "<", "${", "$(")) or value in ('""', "''"):
        return
    if _BLOCK.fullmatch(value):
        column = _indent(lines[at]) if not lines[at].lstrip().startswith("-") else _indent(lines[at]) + 2
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
            lines[at] = line[: flow.start("value")] + redacted + line[flow.end("value"):]
            continue
        named = _YAML_NAME.fullmatch(line)
        if named is None or not is_secret_key(named.group("name")):
            continue
        column = len(named.group("lead"))  # where the item's keys start
        first = named.group("lead").lstrip(" \t").startswith("-")
        below = at + 1
        while below < min(len(lines), at + 1 + _SCAN_LINES):  # keys after name, same item
            current = lines[below]
            if current.strip() and (_indent(current) < column or (
                    _indent(current) == column - 2 and current.lstrip().startswith("- "))):
                break
            if _indent(current) == column and current.lstrip().startswith("value:"):
                _redact_value_line(lines, below, redacted)
            below += 1
        above = at - 1
        while not first and above >= max(0, at - _SCAN_LINES):  # keys before name, same item
            current = lines[above]
            stripped = current.lstrip()
            starts_item = stripped.startswith("- ") and _indent(current) + 2 + _indent(stripped[2:]) == column
            if current.strip() and _indent(current) < column and not starts_item:
                break
            if stripped.startswith(("value:", "- value:")) and (starts_item or _indent(current) == column):
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
