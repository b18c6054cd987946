"""Secret redaction for every text the bot echoes back into Slack.

People paste whatever their terminal shows: curl commands with bearer
tokens, kubeconfigs, env dumps, connection strings.  Anything the bot
quotes back (matched lines, evidence, commands) goes through `redact`
first, so a channel never gets a second copy of a secret.

Every pattern is linear: no nested quantifiers and bounded repetition
wherever backtracking could happen, so a 1 MB paste costs one pass per
rule.  Names of secrets ("secret \"db-credentials\" not found") are not
secrets and stay readable; only values are replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable

REDACTED = "[REDACTED]"

_KEYWORDS = (
    r"(?:passwd|password|passphrase|pwd|secret|token|api[_-]?key|apikey"
    r"|secret[_-]?access[_-]?key|private[_-]?key|signature)"
)
_KEY = rf"[\w.-]{{0,60}}{_KEYWORDS}"
"""A key that ends in a secret-ish word: DB_PASSWORD, client_secret, x-api-key, accessToken."""

_SKIP_VALUE = r"(?!\[REDACTED\]|<|\$[{(A-Za-z_]|(?:true|false|null|none)\b)"
"""Values that are not secrets: placeholders (<password>), env references, booleans."""

_VALUE = (
    r"(?P<value>\\\"[^\"\\\n]++(?:\\\")?|\"[^\"\n]++\"?|'[^'\n]++'?|[^\s\"'\\,;&}<>]++)"
)
"""A quoted string (also JSON-escaped \\"...\\"), or a bare word up to , ; & } or space.

Possessive quantifiers: a value is scanned once and never backtracked into.
"""

_Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]


def _keep_prefix(match: re.Match[str]) -> str:
    """Keep the key (and the value's quotes, when quoted); replace only the value."""
    value = match.groupdict().get("value") or ""
    for quote in ('\\"', '"', "'"):
        if value.startswith(quote):
            return f"{match.group('keep')}{quote}{REDACTED}{quote}"
    return match.group("keep") + REDACTED


def _pem(match: re.Match[str]) -> str:
    kind = match.group("kind").strip()
    return f"-----BEGIN {kind} PRIVATE KEY-----{REDACTED}-----END {kind} PRIVATE KEY-----"


def _url_credentials(match: re.Match[str]) -> str:
    return f"{match.group('scheme')}{match.group('user')}:{REDACTED}@"


_RULES: tuple[_Rule, ...] = (
    # PEM private key blocks, also with escaped "\n" inside JSON; an unterminated one to the end.
    (re.compile(
        r"-----BEGIN(?P<kind>[A-Z ]{0,40}) PRIVATE KEY-----.*?"
        r"(?:-----END[A-Z ]{0,40} PRIVATE KEY-----|\Z)", re.DOTALL), _pem),
    # Credentials in URLs: https://user:pass@host, redis://:pass@host.
    (re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]{0,20}://)(?P<user>[^\s:/@]*+)"
                r":[^\s/@]++@"), _url_credentials),
    # Authorization / Proxy-Authorization header values, with or without a scheme word.
    (re.compile(r"(?i)(?P<keep>(?:proxy-)?authorization[\"']?[ \t]*[:=][ \t]*[\"']?"
                r"(?:(?:bearer|basic|digest|token|negotiate|aws4-hmac-sha256)[ \t]+)?+)"
                r"(?!\[REDACTED\])[^\s\"',;]++"), _keep_prefix),
    # A bare "bearer <token>", unless the next word is plain English ("bearer token").
    (re.compile(r"(?i)(?P<keep>\bbearer[ \t]+)(?!(?:tokens?|auth\w{0,20}|header|scheme|realm"
                r"|type|format|credentials?|is|was|of|for|and|the|or)\b)(?!\[REDACTED\])"
                r"[A-Za-z0-9._~+/=-]++"), _keep_prefix),
    # Kubeconfig certificate and key data.
    (re.compile(r"(?i)(?P<keep>\b(?:client-key|client-certificate|certificate-authority)-data"
                r"[\"']?[ \t]*:[ \t]*[\"']?)[A-Za-z0-9+/=]++"), _keep_prefix),
    # Docker config "auth": "<base64 user:pass>".
    (re.compile(r"(?P<keep>\"auth\\?\"[ \t]*:[ \t]*\\?\")[A-Za-z0-9+/=]{8,}+"), _keep_prefix),
    # Quoted keys anywhere (JSON, Python reprs): "password": "x", 'api_key': 'x', \"token\":\"x\".
    (re.compile(rf"(?i)(?P<keep>(?:\\\"|[\"']){_KEY}(?:\\\"|[\"'])[:=][ \t]*){_SKIP_VALUE}"
                rf"{_VALUE}"), _keep_prefix),
    # key=value anywhere: env PASSWORD=x, query ?token=x&, flags --password=x, INI key = x.
    (re.compile(rf"(?i)(?P<keep>(?<![\w.-]){_KEY}[ \t]*=[ \t]*){_SKIP_VALUE}{_VALUE}"),
     _keep_prefix),
    # key: value only where a key starts a line (YAML, headers, kubeconfig users) or a quote:
    # mid-sentence "failed to fetch token: 401" is prose, not a secret.
    (re.compile(rf"(?im)(?P<keep>(?:^[ \t]{{0,40}}(?:-[ \t]{{1,8}})?|[\"'])"
                rf"{_KEY}:[ \t]{{1,40}}){_SKIP_VALUE}{_VALUE}"), _keep_prefix),
    # JSON Web Tokens (Kubernetes service account tokens among them).
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}+\.eyJ[A-Za-z0-9_-]{5,}+\.[A-Za-z0-9_-]*+"), REDACTED),
    # Slack tokens.
    (re.compile(r"\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}"), REDACTED),
    # GitHub and GitLab tokens.
    (re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
                r"|glpat-[A-Za-z0-9_-]{20,})"), REDACTED),
    # AWS access key ids.
    (re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"), REDACTED),
)


def redact(text: str) -> str:
    """The text with every recognised secret value replaced by [REDACTED]."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
