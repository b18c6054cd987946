"""Secrets known by where they sit: the whole value of every credential position, in any syntax.

A position is a place whose value is a credential whatever the value looks like:
- a key holding a credential word (`responses.redaction.words`, any case style or language)
  in every syntax people paste: `k=v`, `k: v` (YAML, headers, INI, `kubectl describe`),
  `"k": "v"` (JSON, Python, JS), `k => v` (Ruby, PHP), `k := v`, `Key:v` (Go's `%+v`),
  YAML flow maps and JS objects (`{user: a, password: b}`), XML elements and attributes,
  `--key v` and `-key v` flags, `k：v` (full-width colon);
- every `Authorization` and `Proxy-Authorization` value whatever its scheme (the scheme
  word stays readable), `Cookie`/`Set-Cookie` values, a bare `bearer <token>`;
- URL userinfo (`scheme://user:pass@`), Go MySQL DSNs, and webhook URLs whose path is
  the credential (Slack, Discord, Teams);
- the password flags of common clients (`responses.redaction.commands`: `mysql -pX`,
  `mongo -p X`, `sqlcmd -P X`, `ldapsearch -w X`, `curl -u user:X`...).
Values that are not secrets stay: placeholders (`<password>`, `${VAR}`), booleans, the sizes
`kubectl describe secret` shows, file paths. Names of secrets ("secret \"db-credentials\" not
found") are names, not values. A key at the start of a line owns the rest of the line;
elsewhere the value runs to the next space, quote or delimiter.

What a value is, and which values are none, is `responses.redaction.values`. Every pattern is
linear (possessive quantifiers, bounded repetition), and only lines that hold a trigger
(`TRIGGERS`) are read.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import re2  # google-re2 (no type information): one linear pass for every trigger

from intents.lazy_re import LazyPattern, lazy_compile
from responses.redaction.commands import COMMAND_RULES, COMMAND_TRIGGERS
from responses.redaction.grammars import GRAMMAR_RULES, GRAMMAR_TRIGGERS
from responses.redaction.prose import PROSE_RULES, PROSE_TRIGGERS, looks_typed
from responses.redaction.values import (
    ANY_KEY,
    KEY_JUDGES,
    REDACTED,
    SKIP_VALUE,
    VALUE,
    Gated,
    Replace,
    if_secret_key,
    judged_by_key,
    keep,
    keep_prefix,
    secret_key,
)
from responses.redaction.words import FOREIGN, ends_in_secret_word

_SEP = r"(?:[ \t]*+(?:=>|:=|->|[=:：＝])[ \t]*+)"
_QUOTED_SEP = r"(?:(?:[ \t]*+=>|:=|[=:：＝])[ \t]*+)"
"""After a quoted key the separator follows at once (`"k": v`), but for Ruby's and PHP's `=>`:
`volume "db-password" : secret "x"` is an event message, not a map."""
_FIELD = r"(?P<key>[\w-]{1,80}+)"
"""A map field name: no dots (`token_manager.go:121` is a source line, not a field)."""
_GO_FIELD = r"(?P<key>[A-Za-z_]\w{0,79}+)"
"""A struct field printed by Go's %+v (`Password:x`): no dots or dashes (`my-private-image:v1` is
an image, not a field)."""
_PREFIX = r"(?:(?!checksum/)[A-Za-z0-9][A-Za-z0-9-]{0,62}+(?:\.[A-Za-z0-9-]{1,63}+){1,8}+/)?+"
"""A key's domain prefix, as annotations and labels carry one (`foo.io/password`): read past. A
DNS name's labels and dots, so a word that is none fails at its first letter that cannot follow.
A Helm chart's `checksum/secret: <sha256>` is a digest of a Secret, no secret."""
_PROSE = r"(?:via|is|was|are|from|with|the|and|or|to|on|in|for|of|flag|option|instead)\b"
"""A word after `--password` that makes it prose ("Using --password via the CLI is insecure")."""


def _url_credentials(match: re.Match[str]) -> str:
    return f"{match.group('scheme')}{match.group('user')}:{REDACTED}@"


def _secret_field(key: str) -> bool:
    """A Go struct field (`Password:x`) whose last word holds the secret (not `Auth:LIBWRAP`)."""
    return ends_in_secret_word(key) and key.lower() != "auth" and secret_key(key)


_if_secret_field = judged_by_key(_secret_field)(if_secret_key)


def _secret_or_lone_weak(key: str) -> bool:
    """A secret key, or a lone weak word a flag or a quoted key uses for one (`--pass X`)."""
    return secret_key(key) or key.lower() in ("pass", "pw")


@judged_by_key(_secret_or_lone_weak)
def _if_secret_quoted_key(match: re.Match[str]) -> str:
    """Like `if_secret_key`; an unquoted value after a quoted key ("pod \"secret-x\": exit") is
    prose unless the key ends in a secret word ("password": hunter2)."""
    key, value = match.group("key"), match.group("value") or ""
    if value[:1] not in "\"'\\" and not ends_in_secret_word(key):
        return match.group(0)
    return keep_prefix(match) if key.lower() in ("pass", "pw") else if_secret_key(match)


@judged_by_key(secret_key)
def _if_typed_after_key(match: re.Match[str]) -> str:
    """`if_secret_key`, when the value looks typed (a password, a token), not like a tag."""
    typed = looks_typed(match.group("value").strip("\"'"), password=True, words=False)
    return if_secret_key(match) if typed else match.group(0)


_if_secret_label = judged_by_key(ends_in_secret_word)(keep_prefix)
"""A label of two words whose last word holds the secret ("Admin password")."""
_if_flag_key = judged_by_key(_secret_or_lone_weak)(keep_prefix)
"""Flags: a lone weak word is a password flag too (`--pass X`, `-pw X`)."""


_FOREIGN_KEY = "|".join(re.escape(word) for word in sorted(FOREIGN, key=len, reverse=True))
_FOREIGN_TAIL = (
    r"(?:[ \t]++(?:api|secret[ae]?|secrète|segret[ao]|privad[ao]|privée|privata"
    r"|d'accès|de[ \t]++api|für|pour|para|per|voor|dla|для|от|de|do|od)"
    r"(?:[ \t]++[^\s:=：]{1,40}+)?)?+"
)
"""What may follow a foreign key word before its separator: `clé secrète`, `Kennwort für root`,
`hasło do bazy`, `пароль от базы`."""
_REST_OF_LINE = r"(?P<value>\"[^\"\n]++\"?|'[^'\n]++'?|[^\s\"'](?:[ \t]*+[^ \t\n]++)*+)(?=[ \t]*+(?:\n|$|[ \t]#))"
"""A value to its line's end, its trailing spaces aside: words and the spaces between, each read
once (waiting at every character for the spaces to end read a run of spaces once per space)."""

_URL = ("://",)
_KEYS = (
    "pass",
    "pwd",
    "secret",
    "token",
    "key",
    "signature",
    "sig",
    "cred",
    "pw",
    "auth",
    "session",
    "psk",
    "dsn",
    "cookie",
    "private",
    "connstr",
    "conn_str",
    "connectionstring",
    "connection_string",
    "mnemonic",
    "phrase",
    *(word.casefold() for word in FOREIGN),
)
"""A credential word: the rules that read any key run only on lines holding one."""
_FOREIGN_TRIGGERS = tuple(word.casefold() for word in FOREIGN)

RULES: tuple[Gated, ...] = (
    # Credentials in URLs: https://user:pass@host, redis://:pass@host.
    # The password may hold `/`, `#`, `?`, `:` or `@` unescaped: it runs to the last `@` before a
    # host (`redis://:p@ss/w#rd@redis:6379`), but not from a port into a path
    # (`host:8443/@scope/pkg`).
    (
        _URL,
        (
            lazy_compile(
                r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]{0,20}://)(?P<user>[^\s:/@]*+)"
                r":(?!\[?REDACTED\]?@|\*++@|\$[{(A-Za-z_]|\d{1,5}+(?:/|$))"
                r"[^\s\"'<>]{1,256}?"
                r"@(?=[\w.-]{1,253}+(?::\d{1,5}+)?+(?:[/?#\s\"'<>),;\]]|$))"
            ),
            _url_credentials,
        ),
    ),
    # A token alone as a URL's user (`https://<PAT>@dev.azure.com/...`, a Sentry DSN's key,
    # `https://<token>:x-oauth-basic@github.com`): 20 or more token characters, three of them
    # digits, are nobody's user name (`gitlab+deploy-token-1` is one).
    (
        _URL,
        keep(
            r"(?P<keep>\b[A-Za-z][A-Za-z0-9+.-]{0,20}://)(?=(?:[A-Za-z._~+=-]{0,200}+[0-9]){3})"
            r"[A-Za-z0-9._~+=-]{20,200}+(?=@|:[^\s/@]{0,256}+@)"
        ),
    ),
    # Go MySQL driver DSNs: user:pass@tcp(host:3306)/db, user:pass@unix(/run/mysqld.sock)/db.
    (
        ("@tcp", "@udp", "@unix"),
        keep(r"(?P<keep>(?<![\w.+-])[\w.+-]{1,64}:)[^\s@/:'\"]{1,256}+(?=@(?:tcp6?|udp|unix)\()"),
    ),
    # Webhook URLs whose path is the credential: Slack, Discord, Microsoft Teams.
    (
        ("hooks.slack.com/",),
        keep(r"(?P<keep>\bhooks\.slack\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]++"),
    ),
    (
        ("discord",),
        keep(r"(?P<keep>\bdiscord(?:app)?\.com/api/webhooks/[0-9]{1,30}/)[A-Za-z0-9_-]++"),
    ),
    ((".webhook.office.com/",), keep(r"(?P<keep>\.webhook\.office\.com/webhookb2/)[^\s\"'<>]++")),
    # Authorization / Proxy-Authorization headers (capitalised, or at a line's start, a quote, a map,
    # -H): the whole value after the scheme word, any scheme (Bearer, Basic, ApiKey, SSWS, Splunk,
    # GenieKey, Bot, AWS4-HMAC-SHA256...); "may require authorization: server message: ..." is prose.
    (
        ("authorization",),
        keep(
            r"(?m)(?P<keep>(?:(?:^[ \t>*<-]*+|[\"'{\[,(\\]|-H[ \t]++|--header[ \t=]++)(?i:(?:proxy-)?authorization)"
            r"|\b(?:Proxy-)?Authorization)"
            r"\\?[\"']?[ \t]*+[:=][ \t]*+(?:\[[ \t]*+)?+\\?[\"']?(?:[A-Za-z][\w.-]{0,30}+[ \t]++(?=\S))?+)"
            r"(?!\[|https?://|\$[{(A-Za-z_]|<|(?-i:[A-Z][A-Z_]{2,}+)\b(?![^\s\"'\]}]))"
            r"(?:(?!,[ \t]*+[\w-]{1,40}+[:=])[^\n\"'}\]\\])++"
        ),
    ),
    # Cookie headers, as sent or set: the whole value is session state. At a line's start (curl -v's
    # `< set-cookie:`), after a quote (JSON, a header list), or capitalised anywhere ("upstream sent
    # header Set-Cookie: sid=..."); "the cookie: expired" is prose.
    (
        ("cookie",),
        keep(
            r"(?m)(?P<keep>(?:(?:^[ \t>*<-]{0,40}+|[\"'])(?i:(?:set-)?cookie)|\b(?:Set-)?Cookie)"
            r"\\?[\"']?[ \t]*+:[ \t]*+(?:\[(?!REDACTED\])[ \t]*+)?\\?[\"']?)(?!\[REDACTED\])"
            r"[^\n\"'\[\]]++"
        ),
    ),
    # A bare "bearer <token>", unless the next word is plain English ("bearer token").
    (
        ("bearer",),
        keep(
            r"(?i)(?P<keep>\bbearer[ \t]+)(?!(?:tokens?|auth\w{0,20}|header|scheme|realm"
            r"|type|format|credentials?|is|was|of|for|and|the|or)\b)(?!\[REDACTED\])"
            r"[A-Za-z0-9._~+/=-]++"
        ),
    ),
    # Kubeconfig certificate and key data; a Secret's .dockerconfigjson.
    (
        ("-data",),
        keep(
            r"(?i)(?P<keep>\b(?:client-key|client-certificate|certificate-authority)-data"
            r"[\"']?[ \t]*:[ \t]*[\"']?)(?!(?:DATA\+)?OMITTED|REDACTED)[A-Za-z0-9+/=]++"
        ),
    ),
    (
        ("docker",),
        keep(
            r"(?P<keep>\.docker(?:configjson|cfg)\\?[\"']?[ \t]*:[ \t]*\\?[\"']?)"
            r"(?!\[REDACTED\])[A-Za-z0-9+/=]++"
        ),
    ),
    # Azure: a SAS in a connection string runs to the next ";"; a SAS URL's signature.
    (
        ("sharedaccesssignature=",),
        keep(r"(?i)(?P<keep>\bSharedAccessSignature=)(?!\[REDACTED\])[^;\s\"'<>]++"),
    ),
    (("sig=",), keep(r"(?P<keep>[?&;]sig=)(?!\[REDACTED\])[^&;\s\"'<>]++")),
    *COMMAND_RULES,
    *GRAMMAR_RULES,
    # ODBC and ADO.NET connection strings quote a value in braces (`PWD={p;w}`, `}}` inside).
    (
        ("={",),
        (
            lazy_compile(
                r"(?P<keep>(?<![\w.-])(?P<key>[\w-]{1,40}+)[ \t]*+=[ \t]*+)"
                r"(?P<value>\{(?:[^}\n]|\}\}){0,1024}+\})"  # bounded: an unclosed brace is read once
            ),
            if_secret_key,
        ),
    ),
    # XML elements and NuGet-style attributes: <password>x</password>, <add key="ApiKey" value="x"/>.
    (
        ("</",),
        (
            lazy_compile(
                r"(?P<keep><(?P<key>[\w.-]{1,60}+)>)(?!\[REDACTED\])(?P<value>[^<\n]{1,500}+)"
                r"(?=</(?P=key)>)"
            ),
            if_secret_key,
        ),
    ),
    (
        ("<add key=",),
        (
            lazy_compile(
                r"(?P<keep><add[ \t]++key=\"(?P<key>[\w.-]{1,80}+)\"[ \t]++value=)"
                r"(?!\"\[REDACTED\])(?P<value>\"[^\"\n]*+\")"
            ),
            if_secret_key,
        ),
    ),
    # Keys in another language, wherever they sit: 数据库密码：x, contraseña = x, mot de passe : x.
    (
        _FOREIGN_TRIGGERS,
        keep(
            rf"(?i)(?P<keep>(?:{_FOREIGN_KEY})\w{{0,20}}+{_FOREIGN_TAIL}[\"'”」]?{_SEP})"
            rf"{SKIP_VALUE}{VALUE}"
        ),
    ),
    # A key owning its line: YAML, headers, kubectl describe's Environment ("key: the rest").
    (
        _KEYS,
        (
            lazy_compile(
                rf"(?im)(?P<keep>^[ \t]{{0,40}}(?:-[ \t]{{1,8}}|(?:Annotations|Labels):[ \t]++)?"
                rf"{_PREFIX}{ANY_KEY}:[ \t]*+)(?=\S)"
                rf"{SKIP_VALUE}{_REST_OF_LINE}"
            ),
            if_secret_key,
        ),
    ),
    # A key, a tab and its value ending the line (`env | column`, a template printing `k\tv`).
    (
        _KEYS,
        (
            lazy_compile(
                r"(?m)(?P<keep>(?:^[ \t]{0,40}+|(?<=[\"']))(?P<key>[\w.-]{1,80}+)\t++)"
                r"(?P<value>[^\s\[<$]\S*+)(?=[ \t]*+$)"
            ),
            _if_secret_field,
        ),
    ),
    # A two-word label owning a one-word line: "Admin password: x" (not "Invalid password: too short").
    (
        _KEYS,
        (
            lazy_compile(
                r"(?m)(?P<keep>^[ \t]{0,40}(?P<key>[\w-]{1,30}+[ \t][\w-]{1,30}+):[ \t]++)"
                r"(?P<value>[^\s\[<$][^\s]*+)(?=[ \t]*+$)"
            ),
            _if_secret_label,
        ),
    ),
    # Quoted keys anywhere (JSON, Python, JS, Ruby, PHP): "password": "x", 'api_key' => 'x'.
    (
        _KEYS,
        (
            lazy_compile(
                rf"(?P<keep>(?:\\\"|[\"']):?{_PREFIX}{ANY_KEY}(?:\\\"|[\"']){_QUOTED_SEP}){SKIP_VALUE}"
                rf"{VALUE}"
            ),
            _if_secret_quoted_key,
        ),
    ),
    # A collection assigned to a secret name: a frame's locals `creds = ('ci', 'x')`, a config's
    # `credentials: ["u", "p"]`; the whole literal goes (its first bracket alone was the value).
    (
        _KEYS,
        (
            lazy_compile(
                rf"(?P<keep>(?<![\w.-]){ANY_KEY}[ \t]*+(?:=>|:=|=|:)[ \t]*+)(?!\[REDACTED)"
                r"(?P<value>[(\[](?:[^()\[\]\n'\"]|'[^'\n]*+'|\"[^\"\n]*+\"){0,300}+[)\]])"
            ),
            if_secret_key,
        ),
    ),
    # An exception's message naming a secret key first: `PermissionError: secret: x is denied`.
    (
        _KEYS,
        (
            lazy_compile(
                rf"(?m)(?P<keep>^[ \t]{{0,40}}+[\w.$]{{0,100}}(?:Error|Exception|Failure|Fault)"
                rf"[ \t]*+:[ \t]++{ANY_KEY}[ \t]*+:[ \t]++){SKIP_VALUE}{VALUE}"
            ),
            if_secret_key,
        ),
    ),
    # key=value, key => value, key := value anywhere: env DB_PASS=x, query ?token=x&, flags
    # --db-password=x, INI key = x, Ruby :password => x, Azure AccountKey=x;, and Braintree's
    # access_token$production$...
    (
        _KEYS,
        (
            lazy_compile(
                rf"(?P<keep>(?<![\w.-]):?{ANY_KEY}(?:[ \t]*+(?:=>|:=|=)[ \t]*+|\$(?=[a-z]))){SKIP_VALUE}"
                rf"{VALUE}"
            ),
            if_secret_key,
        ),
    ),
    # Maps and structs mid-line: {user: a, password: b}, [auth: x], Go's {Host:db Password:x}.
    (
        _KEYS,
        (
            lazy_compile(
                rf"(?P<keep>[{{(\[,][ \t]*+{_PREFIX}{_FIELD}:[ \t]*+)(?!//){SKIP_VALUE}{VALUE}"
            ),
            if_secret_key,
        ),
    ),
    (
        _KEYS,
        (
            lazy_compile(
                rf"(?P<keep>(?<![^\s{{(\[,;])\"?{_GO_FIELD}:)(?=[^\s/])(?!//){SKIP_VALUE}"
                rf"{VALUE}"
            ),
            _if_secret_field,
        ),
    ),
    # Command-line flags with the value after a space: --password VALUE, -storepass VALUE.
    (
        _KEYS,
        (
            lazy_compile(
                rf"(?P<keep>(?<![^\s\"'`(])--?(?P<key>[\w-]{{1,60}}+)[ \t]++)(?!-|{_PROSE}){SKIP_VALUE}"
                rf"{VALUE}"
            ),
            _if_flag_key,
        ),
    ),
    # A flag and its value as two elements of a list: args: ["--requirepass", "x"].
    (
        _KEYS,
        (
            lazy_compile(
                r"(?P<keep>[\"']--?(?P<key>[\w-]{1,60}+)[\"'][ \t]*+,[ \t]*+)"
                r"(?!\"\[REDACTED)"
                rf"{SKIP_VALUE}(?P<value>\"[^\"\n]++\"|'[^'\n]++')"
            ),
            _if_flag_key,
        ),
    ),
    # key: value after a quote (a header in curl -H "x-api-key: v").
    (
        _KEYS,
        (
            lazy_compile(rf"(?P<keep>[\"']{ANY_KEY}:[ \t]{{1,40}}){SKIP_VALUE}{VALUE}"),
            if_secret_key,
        ),
    ),
    # ... and with no space (`-H 'x-api-key:v'`), when the value looks typed: `"app-auth:latest"`
    # is an image and its tag.
    (
        _KEYS,
        (
            lazy_compile(rf"(?P<keep>[\"']{ANY_KEY}:)(?![\s/]){SKIP_VALUE}{VALUE}"),
            _if_typed_after_key,
        ),
    ),
    *PROSE_RULES,
)

TRIGGERS = (
    "://",
    "@tcp",
    "@udp",
    "@unix",
    "hooks.slack.com/",
    "discord",
    ".webhook.office.com/",
    "authorization",
    "cookie",
    "bearer",
    "-data",
    "docker",
    "sharedaccesssignature=",
    "sig=",
    "={",
    *COMMAND_TRIGGERS,
    *GRAMMAR_TRIGGERS,
    "</",
    "<add key=",
    *_KEYS,
    *PROSE_TRIGGERS,
)
"""Lowercase text that every rule needs on the line before it can match."""


@functools.cache
def _trigger_search() -> Any:
    """One RE2 alternation of every trigger, on lower-case UTF-8 bytes."""
    return re2.compile(b"|".join(re2.escape(trigger.encode()) for trigger in TRIGGERS))


def _merge(spans: list[tuple[int, int]], begin: int, end: int) -> None:
    if spans and begin <= spans[-1][1]:
        spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
    else:
        spans.append((begin, end))


_LAST: list[tuple[tuple[int, int], list[tuple[int, int]]]] = []
"""The last text's flagged lines, by the text's length and hash (never the text: nothing secret
stays in memory): the line rules (`responses.redaction.lines`) and the position rules read the
same text one after the other."""


def flagged_lines(text: str) -> list[tuple[int, int]]:
    """Spans of whole lines containing a trigger, merged: the only text the rules read."""
    key = (len(text), hash(text))  # str hashes are keyed per process: no crafted collision
    last = _LAST[:1]  # one entry, replaced whole: safe to read while another thread replaces it
    if last and last[0][0] == key:
        return last[0][1]
    spans = _flagged_lines(text)
    _LAST[:] = [(key, spans)]
    return spans


def _flagged_lines(text: str) -> list[tuple[int, int]]:
    """One RE2 search per flagged line (the next search starts on the next line), on UTF-8 bytes
    since google-re2 encodes a str on every call; byte offsets are turned back into characters."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text.translate(_ASCII_LOWER)
    data = lowered.encode()
    spans: list[tuple[int, int]] = []
    search, at = _trigger_search().search, 0
    while (hit := search(data, at)) is not None:
        begin = data.rfind(b"\n", at, hit.start()) + 1 or at
        end = data.find(b"\n", hit.end())
        at = len(data) if end < 0 else end + 1
        _merge(spans, begin, at)
    if len(data) == len(lowered):  # ASCII: byte offsets are character offsets
        return spans
    converted, in_bytes, in_chars = [], 0, 0  # line boundaries are character boundaries
    for begin, end in spans:
        in_chars += len(data[in_bytes:begin].decode())
        start_char, in_bytes = in_chars, begin
        in_chars += len(data[in_bytes:end].decode())
        in_bytes = end
        converted.append((start_char, in_chars))
    return converted


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def keep_end(pattern: str) -> int:
    """Where `pattern`'s `(?P<keep>...)` group closes (0: it has none)."""
    at, depth, in_class = pattern.find("(?P<keep>"), 0, False
    while 0 <= at < len(pattern):
        char = pattern[at]
        if char == "\\":
            at += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":  # a class holds no group; a `]` first in it is one of its characters
            at += 2 if pattern[at + 1 : at + 2] == "^" else 1
            at, in_class = at + (pattern[at : at + 1] == "]"), True
            continue
        elif char in "()":
            depth += 1 if char == "(" else -1
            if depth == 0:
                return at + 1
        at += 1
    return 0


@functools.cache
def key_head(pattern: LazyPattern) -> LazyPattern | None:
    """`pattern` up to the end of its `keep` group, when that holds the key: the key and its
    separator, read before the value."""
    head = pattern.pattern[: keep_end(pattern.pattern)]
    if "(?P<key>" not in head:
        return None
    return lazy_compile(head, pattern.flags)


def substitute(pattern: LazyPattern, replacement: str | Replace, text: str) -> str:
    """`pattern.sub(replacement, text)`, but a match left as it is (its key names no secret) is read
    again from the end of its `keep` group: the value it spanned may hold a key of its own
    (`JAVA_OPTS="-Dx.password=..."`, `HOSTNAME=web^@DB_PASSWORD=...`). A key its judge refuses
    (`KEY_JUDGES`) is refused before its value is read: the value, read again for a key of its
    own, may be the rest of the line (`key=key=key=...`), and reading it once per key would make
    the line cost its length squared."""
    if isinstance(replacement, str):
        return str(pattern.sub(replacement, text))
    judge = KEY_JUDGES.get(replacement)
    head = key_head(pattern) if judge is not None else None
    parts: list[str] = []
    done = at = 0
    while (found := (head or pattern).search(text, at)) is not None:
        key = found.group("key") if head is not None and judge is not None else None
        if key is not None and judge is not None and not judge(key):
            at = max(found.end(), found.start() + 1)
            continue
        match = found if head is None else pattern.match(text, found.start())
        if match is None:
            at = found.start() + 1
            continue
        new = replacement(match)
        if new != match.group(0):
            parts += (text[done : match.start()], new)
            done = at = max(match.end(), match.start() + 1)
            continue
        at = max(
            match.end("keep") if "keep" in match.re.groupindex else match.end(), match.start() + 1
        )
    parts.append(text[done:])
    return "".join(parts)


@functools.cache
def _gates() -> tuple[Any, dict[int, list[int]], list[int]]:
    """An RE2 set of every gate word; which rules each word opens; the rules with no gate."""
    words = sorted({word for gate, _rule in RULES for word in gate})
    found = re2.Set.SearchSet()
    for word in words:
        found.Add(re2.escape(word.encode()))
    found.Compile()
    opens = {
        at: [index for index, (gate, _rule) in enumerate(RULES) if word in gate]
        for at, word in enumerate(words)
    }
    return found, opens, [index for index, (gate, _rule) in enumerate(RULES) if not gate]


def redact_positions(text: str) -> str:
    """`text` with the value of every credential position replaced by [REDACTED]."""
    parts: list[str] = []
    done = 0
    words, opens, always = _gates()
    for begin, end in flagged_lines(text):
        chunk = text[begin:end]
        present = words.Match(chunk.lower().encode()) or ()
        for index in sorted({*always, *(rule for word in present for rule in opens[word])}):
            pattern, replacement = RULES[index][1]
            chunk = substitute(pattern, replacement, chunk)
        parts += (text[done:begin], chunk)
        done = end
    parts.append(text[done:])
    return "".join(parts)
