"""The grammar of a value in a credential position, and how it is replaced.

Shared by the position rules (`responses.redaction.positions`) and the command-line rules
(`responses.redaction.commands`): what counts as a value (quoted, JSON-escaped, or a bare word up
to a delimiter), which values are no secrets (placeholders, masks, booleans, paths), and the
replacement that keeps the key and the value's quotes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from intents.lazy_re import LazyPattern, lazy_compile
from responses.redaction.words import is_secret_key, names_a_secret

REDACTED = "[REDACTED]"

SKIP_VALUE = (
    r"(?![\"']?(?:\[REDACTED\]|<|\$[{(A-Za-z_]|\{\{|(?:true|false|null|none|nil|yes|no|on|off)\b"
    r"|\d+[ \t]+bytes\b|/[\w.-]++/|\*{3,}+|x{4,}+\b|X{4,}+\b|#{3,}+|(?:DATA\+)?OMITTED\b|REDACTED\b"
    r"|(?-i:[A-Z][A-Z_]{2,}+)\b(?![^\s\\\"',;&}\]])|[{\[]|[\"'][ \t]"
    r"|[A-Za-z_]\w{0,40}+(?:\.[A-Za-z_]\w{0,40}+){0,8}+\("
    r"|[A-Za-z_]\w{0,40}+(?:\.[A-Za-z_]\w{0,40}+){1,8}+\[))"
)
"""Values that are not secrets: placeholders (<password>, ${VAR}, {{ .Values.x }}, TOKEN,
YOUR_API_KEY), booleans, `kubectl describe secret`'s sizes, file paths
(--client-key=/etc/kubernetes/pki/x.key), masks (****, XXXX, DATA+OMITTED), a nested map or list
(`"serviceAccountToken": {`), the closing quote of a quoted key (`role "password=" does...`), and
code that fetches the value (`secret = self.api.read_namespaced_secret(...)`, `os.environ[...]`)."""

ANY_KEY = r"(?P<key>[\w.-]{1,80}+)"
"""Any field name (letters of any script); a rule using it redacts only when `is_secret_key` says so."""

VALUE = (
    r"(?P<value>\\\"[^\"\\\n]++(?:\\\")?|\"[^\"\n]++\"?|'[^'\n]++'?|`[^`\n]++`?|“[^”\n]++”?"
    r"|「[^」\n]++」?|[^\s\"'`\\,;&}\[\])<>，。；、」”]++)"
)
"""A quoted string (also JSON-escaped \\"...\\"), or a bare word up to a space or delimiter."""

Replace = Callable[[re.Match[str]], str]
Rule = tuple[LazyPattern, str | Replace]
Gated = tuple[tuple[str, ...], Rule]
"""A rule and the lower-case words one of which a line needs before the rule reads it (none: any)."""


def keep_prefix(match: re.Match[str]) -> str:
    """Keep the key (and the value's quotes, when quoted); replace only the value."""
    value = match.groupdict().get("value") or ""
    for opening, closing in (
        ('\\"', '\\"'),
        ('"', '"'),
        ("'", "'"),
        ("`", "`"),
        ("“", "”"),
        ("「", "」"),
    ):
        if value.startswith(opening):
            return f"{match.group('keep')}{opening}{REDACTED}{closing if value.endswith(closing) else ''}"
    return match.group("keep") + REDACTED


def keep(pattern: str) -> Rule:
    """A rule whose `keep` group stays and whose rest becomes [REDACTED]."""
    return lazy_compile(pattern), keep_prefix


KEY_JUDGES: dict[Replace, Callable[[str], bool]] = {}
"""A replacement that leaves every match whose key the judge refuses as it is, and its judge: the
rules judge such a key before they read its value (`positions.substitute`)."""


def judged_by_key(judge: Callable[[str], bool]) -> Callable[[Replace], Replace]:
    """`replace`, called only for a match whose `key` group `judge` accepts (else: as is)."""

    def judged(replace: Replace) -> Replace:
        def replacement(match: re.Match[str]) -> str:
            return replace(match) if judge(match.group("key")) else match.group(0)

        KEY_JUDGES[replacement] = judge
        return functools.wraps(replace)(replacement)

    return judged


def secret_key(key: str) -> bool:
    """A key naming a secret (SECRET_KEY_BASE, dbPassword, `--db-password`)."""
    return is_secret_key(key.strip("-."))


@judged_by_key(secret_key)
def if_secret_key(match: re.Match[str]) -> str:
    """`keep_prefix` when the matched key names a secret and the value is not the name of a
    Secret object (`tlsSecret: longhorn-tls`), else as is."""
    value = (match.groupdict().get("value") or "").strip("\"'")
    return (
        match.group(0)
        if names_a_secret(match.group("key").strip("-."), value)
        else keep_prefix(match)
    )
