"""Secret redaction for every text the bot echoes back into Slack.

People paste whatever their terminal shows: curl commands with bearer
tokens, kubeconfigs, env dumps, connection strings.  Anything the bot
quotes back (matched lines, evidence, commands) goes through `redact`
first, so a channel never gets a second copy of a secret.

Every pattern is linear: no nested quantifiers and bounded repetition
wherever backtracking could happen, so a 1 MB paste costs one pass per
rule.  Names of secrets ("secret \"db-credentials\" not found") are not
secrets and stay readable; only values are replaced.

Three kinds of rule: a secret-ish key and its value (`password=`, `"token":`,
`--password VALUE`, `AccountKey=`), a token whose own shape says what it is
(`xoxb-`, `ghp_`, `AKIA`, JWTs, webhook URLs, base64 of a PEM block), and the
values of Kubernetes Secret data maps under any key (`responses.secret_maps`).
The error words around a secret are never touched, so a redacted paste
matches the catalog exactly as the raw one did: redaction can run before
matching and before storage.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from responses.clean_texts import known_clean, note_redacted
from responses.secret_maps import redact_secret_maps

REDACTED = "[REDACTED]"

_KEYWORDS = (
    r"(?:passwd|password|passphrase|pwd|secret|token|api[_-]?key|apikey"
    r"|secret[_-]?access[_-]?key|private[_-]?key|signature|account[_-]?key|access[_-]?key)"
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
    kind, block = match.group("kind").strip(), match.group("block") or ""
    return (f"-----BEGIN {kind} PRIVATE KEY{block}-----{REDACTED}"
            f"-----END {kind} PRIVATE KEY{block}-----")


def _url_credentials(match: re.Match[str]) -> str:
    return f"{match.group('scheme')}{match.group('user')}:{REDACTED}@"


def _keep(pattern: str) -> _Rule:
    """A rule whose `keep` group stays and whose rest becomes [REDACTED]."""
    return re.compile(pattern), _keep_prefix


_PEM: _Rule = (
    # PEM private key blocks (PGP too), also with escaped "\n" inside JSON; an unterminated
    # one to the end. The only rule that spans lines, with the Secret data maps.
    re.compile(r"-----BEGIN(?P<kind>[A-Z ]{0,40}) PRIVATE KEY(?P<block> BLOCK)?-----.*?"
               r"(?:-----END[A-Z ]{0,40} PRIVATE KEY(?: BLOCK)?-----|\Z)", re.DOTALL),
    _pem,
)

_LINE_RULES: tuple[_Rule, ...] = (
    # Credentials in URLs: https://user:pass@host, redis://:pass@host.
    (re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]{0,20}://)(?P<user>[^\s:/@]*+)"
                r":[^\s/@]++@"), _url_credentials),
    # Go MySQL driver DSNs: user:pass@tcp(host:3306)/db, user:pass@unix(/run/mysqld.sock)/db.
    _keep(r"(?P<keep>(?<![\w.+-])[\w.+-]{1,64}:)[^\s@/:'\"]{1,256}+(?=@(?:tcp6?|udp|unix)\()"),
    # Slack incoming webhooks and workflow triggers: the path is the credential.
    _keep(r"(?P<keep>\bhooks\.slack\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]++"),
    # Discord and Microsoft Teams webhooks.
    _keep(r"(?P<keep>\bdiscord(?:app)?\.com/api/webhooks/[0-9]{1,30}/)[A-Za-z0-9_-]++"),
    _keep(r"(?P<keep>\.webhook\.office\.com/webhookb2/)[^\s\"'<>]++"),
    # Authorization / Proxy-Authorization header values, with or without a scheme word.
    (re.compile(r"(?i)(?P<keep>(?:proxy-)?authorization[\"']?[ \t]*[:=][ \t]*[\"']?"
                r"(?:(?:bearer|basic|digest|token|negotiate|aws4-hmac-sha256)[ \t]+)?+)"
                r"(?!\[REDACTED\])[^\s\"',;]++"), _keep_prefix),
    # Cookie headers: the whole value is session state.
    _keep(r"(?im)(?P<keep>(?:^[ \t]{0,40}|[\"'])(?:set-)?cookie:[ \t]*+)(?!\[REDACTED\])"
           r"[^\n\"']++"),
    # A bare "bearer <token>", unless the next word is plain English ("bearer token").
    (re.compile(r"(?i)(?P<keep>\bbearer[ \t]+)(?!(?:tokens?|auth\w{0,20}|header|scheme|realm"
                r"|type|format|credentials?|is|was|of|for|and|the|or)\b)(?!\[REDACTED\])"
                r"[A-Za-z0-9._~+/=-]++"), _keep_prefix),
    # Kubeconfig certificate and key data.
    (re.compile(r"(?i)(?P<keep>\b(?:client-key|client-certificate|certificate-authority)-data"
                r"[\"']?[ \t]*:[ \t]*[\"']?)[A-Za-z0-9+/=]++"), _keep_prefix),
    # Docker config: "auth": "<base64 user:pass>", and a Secret's .dockerconfigjson/.dockercfg.
    (re.compile(r"(?P<keep>\"auth\\?\"[ \t]*:[ \t]*\\?\")[A-Za-z0-9+/=]{8,}+"), _keep_prefix),
    _keep(r"(?P<keep>\.docker(?:configjson|cfg)\\?[\"']?[ \t]*:[ \t]*\\?[\"']?)"
           r"(?!\[REDACTED\])[A-Za-z0-9+/=]++"),
    # Azure: a SAS in a connection string runs to the next ";" (it is itself a query string),
    # and a SAS URL's signature is its sig= parameter.
    _keep(r"(?i)(?P<keep>\bSharedAccessSignature=)(?!\[REDACTED\])[^;\s\"'<>]++"),
    _keep(r"(?P<keep>[?&;]sig=)(?!\[REDACTED\])[^&;\s\"'<>]++"),
    # Quoted keys anywhere (JSON, Python reprs): "password": "x", 'api_key': 'x', \"token\":\"x\".
    (re.compile(rf"(?i)(?P<keep>(?:\\\"|[\"']){_KEY}(?:\\\"|[\"'])[:=][ \t]*){_SKIP_VALUE}"
                rf"{_VALUE}"), _keep_prefix),
    # key=value anywhere: env PASSWORD=x, query ?token=x&, flags --password=x, INI key = x,
    # Azure AccountKey=x; and SharedAccessKey=x;.
    (re.compile(rf"(?i)(?P<keep>(?<![\w.-]){_KEY}[ \t]*=[ \t]*){_SKIP_VALUE}{_VALUE}"),
     _keep_prefix),
    # Command-line flags with the value after a space: --password VALUE, --token VALUE.
    (re.compile(rf"(?i)(?P<keep>(?<![\w-])--?[\w-]{{0,40}}(?:password|passwd|token|secret"
                rf"|api-?key)[ \t]++)(?!-){_SKIP_VALUE}{_VALUE}"), _keep_prefix),
    # key: value only where a key starts a line (YAML, headers, kubeconfig users) or a quote:
    # mid-sentence "failed to fetch token: 401" is prose, not a secret.
    (re.compile(rf"(?im)(?P<keep>(?:^[ \t]{{0,40}}(?:-[ \t]{{1,8}})?|[\"'])"
                rf"{_KEY}:[ \t]{{1,40}}){_SKIP_VALUE}{_VALUE}"), _keep_prefix),
)

_TOKEN_SHAPES = (
    r"eyJ[A-Za-z0-9_-]{5,}+\.eyJ[A-Za-z0-9_-]{5,}+\.[A-Za-z0-9_-]*+",  # JWT (service accounts)
    r"LS0tLS1CRUdJTi[A-Za-z0-9+/=]*+",  # base64 of "-----BEGIN " (a Secret's tls.key, ca.key)
    r"eyJhdXRocyI6[A-Za-z0-9+/=]*+",  # base64 of '{"auths":' (a .dockerconfigjson)
    r"(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}+",  # Slack
    r"gh[pousr]_[A-Za-z0-9]{20,}+|github_pat_[A-Za-z0-9_]{20,}+",  # GitHub
    r"gl(?:pat|dt|rt|cbt|ptt|ft|imt|oas|soat|agent)-[A-Za-z0-9_.-]{20,}+",  # GitLab
    r"(?:AKIA|ASIA)[A-Z0-9]{16}\b",  # AWS access key ids
    r"AIza[0-9A-Za-z_-]{35}",  # Google API keys
    r"ya29\.[0-9A-Za-z_-]{20,}+",  # Google OAuth access tokens
    r"(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}+",  # Stripe
    r"npm_[A-Za-z0-9]{36}",  # npm
    r"pypi-AgE[A-Za-z0-9_-]{40,}+",  # PyPI
    r"dckr_pat_[A-Za-z0-9_-]{20,}+",  # Docker Hub
    r"hv[sbr]\.[A-Za-z0-9_-]{20,}+",  # HashiCorp Vault
    r"SG\.[A-Za-z0-9_-]{16,}+\.[A-Za-z0-9_-]{16,}+",  # SendGrid
    r"do[por]_v1_[a-f0-9]{64}",  # DigitalOcean
    r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}",  # Grafana service accounts
    r"hf_[A-Za-z0-9]{30,}+",  # Hugging Face
    r"sk-(?:ant|proj)-[A-Za-z0-9_-]{20,}+",  # Anthropic, OpenAI project keys
    r"NRAK-[A-Z0-9]{27}",  # New Relic
    r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,}+",  # Terraform Cloud
)
_TOKENS: _Rule = (re.compile(rf"\b(?:{'|'.join(_TOKEN_SHAPES)})"), REDACTED)


_TRIGGERS = (
    "://", "@tcp", "@udp", "@unix", "hooks.slack.com/", "discord", ".webhook.office.com/",
    "authorization", "cookie:", "bearer", "-data", '"auth', "docker", "sharedaccesssignature=",
    "sig=", "pass", "pwd", "secret", "token", "key", "signature", "eyj", "ls0tls1crudjti", "xox",
    "xapp-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "glrt-",
    "glcbt-", "glptt-", "glft-", "glimt-", "gloas-", "glsoat-", "glagent-", "akia", "asia",
    "aiza", "ya29.", "k_live_", "k_test_", "npm_", "pypi-", "dckr_pat_", "hvs.", "hvb.", "hvr.",
    "sg.", "_v1_", "glsa_", "hf_", "sk-ant-", "sk-proj-", "nrak-", ".atlasv1.",
)
"""Lowercase text that every line-local rule needs on the line before it can match."""


def _flagged_lines(text: str) -> list[tuple[int, int]]:
    """Spans of whole lines containing a trigger, merged: the only text the line rules read.

    `str.find` per trigger is a fast scan; running every rule over every line is what a
    megabyte of logs cannot afford (Python's `re` tries each pattern at every position).
    """
    lowered = text.lower()
    starts: list[int] = []
    for trigger in _TRIGGERS:
        at = lowered.find(trigger)
        while at >= 0:
            starts.append(at)
            at = lowered.find(trigger, lowered.find("\n", at) + 1 or len(lowered))
    spans: list[tuple[int, int]] = []
    for at in sorted(starts):
        if spans and at < spans[-1][1]:
            continue
        begin = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end + 1
        if spans and begin <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((begin, end))
    return spans


def _line_rules(chunk: str) -> str:
    for pattern, replacement in (*_LINE_RULES, _TOKENS):
        chunk = pattern.sub(replacement, chunk)
    return chunk


_SECRET_NAME = re.compile(rf"(?i){_KEY}")


@functools.lru_cache(maxsize=4096)  # field names repeat (payloads, diagnosis records)
def is_secret_name(name: str) -> bool:
    """True for a field name whose value is a secret whatever it looks like ("db_password")."""
    return len(name) <= 100 and _SECRET_NAME.fullmatch(name) is not None


def redact_json(value: Any) -> Any:
    """A JSON-like value with every string redacted and every secret-named field's value replaced."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: REDACTED if isinstance(item, str) and item and is_secret_name(str(key))
                else redact_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_json(item) for item in value]
    return value


def redact(text: str) -> str:
    """The text with every recognised secret value replaced by [REDACTED]."""
    if known_clean(text):  # scanned before, nothing found (responses/clean_texts.py)
        return text
    given = text
    text = redact_secret_maps(text, REDACTED)
    if "-----BEGIN" in text:
        text = _PEM[0].sub(_PEM[1], text)
    parts: list[str] = []
    done = 0
    for begin, end in _flagged_lines(text):
        parts += (text[done:begin], _line_rules(text[begin:end]))
        done = end
    parts.append(text[done:])
    redacted = "".join(parts)
    note_redacted(given, redacted)
    return redacted
