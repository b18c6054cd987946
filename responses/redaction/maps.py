"""Values of Kubernetes Secret data maps, whatever their keys are called.

`kubectl get secret -o yaml` (or `-o json`, or a manifest) puts the secret
values under keys chosen by people - `tls.key`, `.dockerconfigjson`,
`DATABASE_URL`, `config.json` - so a rule that looks for secret-ish key names
misses most of them. What marks them is the map they sit in: `data:` and
`binaryData:` (base64) and `stringData:` (plain text, only Secrets have it).

Under `stringData:` every value goes, block scalars (`key: |`) included.
Under `data:`/`binaryData:` only base64-shaped values go: a ConfigMap's `data:`
holds plain configuration (multi-line files, `true`, `info`), which is not
secret and may be what explains the error. A ConfigMap value that happens to
look like base64 (`12345678`, padded or at least 8 characters) is redacted
too; that costs nothing a diagnosis needs.

Linear: each line is looked at once, whatever the number of maps.
"""

from __future__ import annotations

import re

from intents.lazy_re import lazy_compile

_YAML_MAP = lazy_compile(
    r"(?m)^(?P<lead>[ \t]{0,80}(?:-[ \t]{1,8})?)"
    r"(?P<kind>data|stringData|binaryData):[ \t]*+(?:#[^\n]*+)?$"
)
_YAML_ENTRY = lazy_compile(
    r"\A(?P<keep>[ \t]*+(?:\"[^\"\n]{1,253}\"|'[^'\n]{1,253}'|[^\s:#][^:\n]{0,252}):"
    r"[ \t]++)(?P<value>[^\n]*+)"
)
_JSON_MAP = lazy_compile(
    r"(?P<keep>\"(?P<kind>data|stringData|binaryData)\"[ \t\r\n]*+:[ \t\r\n]*+\{)"
    r"(?P<body>[^{}]*+)\}"
)
_JSON_ENTRY = lazy_compile(
    r"(?P<keep>\"(?:[^\"\\\n]|\\.){1,253}+\"[ \t\r\n]*+:[ \t\r\n]*+\")"
    r"(?P<value>(?:[^\"\\\n]|\\.)*+)\""
)
_BASE64 = lazy_compile(r"[A-Za-z0-9+/]{2,}+={0,2}")
_BLOCK = lazy_compile(r"[|>][0-9+-]{0,3}[ \t]*(?:#.*)?")


def _secret_value(kind: str, value: str, redacted: str) -> bool:
    """True when `value` under a `kind` map is to be replaced."""
    if not value or value == redacted:
        return False
    if kind == "stringData":
        return True
    shaped = len(value) % 4 == 0 and (len(value) >= 8 or value.endswith("="))
    return shaped and _BASE64.fullmatch(value) is not None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _yaml_maps(text: str, redacted: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        header = _YAML_MAP.fullmatch(line)
        if header is None:
            continue
        base, kind = len(header.group("lead")), header.group("kind")
        block_at: int | None = None  # indent of a block scalar being skipped (stringData)
        while index < len(lines):
            line = lines[index]
            if line.strip() and _indent(line) <= base:
                break
            index += 1
            if block_at is not None and (not line.strip() or _indent(line) > block_at):
                out.append(line[: _indent(line)] + redacted if line.strip() else line)
                continue
            block_at = None
            entry = _YAML_ENTRY.fullmatch(line)
            if entry is None:
                out.append(line)
                continue
            value = entry.group("value").strip()
            if kind == "stringData" and _BLOCK.fullmatch(value):
                block_at = _indent(line)
                out.append(line)
                continue
            quote = (
                value[:1]
                if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) > 1
                else ""
            )
            inner = value[1:-1] if quote else value
            if _secret_value(kind, inner, redacted):
                line = f"{entry.group('keep')}{quote}{redacted}{quote}"
            out.append(line)
    return "\n".join(out)


def _json_maps(text: str, redacted: str) -> str:
    def body(match: re.Match[str]) -> str:
        kind = match.group("kind")

        def entry(found: re.Match[str]) -> str:
            value = found.group("value")
            return (
                found.group("keep")
                + (redacted if _secret_value(kind, value, redacted) else value)
                + '"'
            )

        return match.group("keep") + _JSON_ENTRY.sub(entry, match.group("body")) + "}"

    return _JSON_MAP.sub(body, text)


def redact_secret_maps(text: str, redacted: str) -> str:
    """`text` with the values of every Secret data map (YAML or JSON) replaced by `redacted`."""
    if "ata" not in text:  # data / stringData / binaryData: nothing to look at
        return text
    if '"' in text:
        text = _json_maps(text, redacted)
    return _yaml_maps(text, redacted) if "ata:" in text else text
