"""Secrets by the grammar they are written in: SQL, config files, and a terminal's prompts.

A value is secret by its place in a statement or a file's syntax, where no `key=value` says so:
- SQL: `IDENTIFIED BY 'x'` (MySQL, Oracle, ClickHouse; also `IDENTIFIED WITH plugin BY`),
  PostgreSQL's `PASSWORD 'x'` in `CREATE`/`ALTER ROLE|USER`, MySQL's `PASSWORD('x')`, SQL
  Server's `PASSWORD = N'x'`; a statement a server logs (`STATEMENT:  CREATE ROLE ...`)
  too;
- config files whose keys and values are separated by a space: netrc (`machine h login u
  password x`), redis.conf and its commands (`requirepass x`, `masterauth x`, `CONFIG SET
  requirepass x`, `AUTH [user] x` at a redis prompt, an ACL's `>x`), slapd/ldap.conf
  (`rootpw x`, `bindpw x`), keepalived (`auth_pass x`), ipsec.secrets (`: PSK "x"`), an
  INI's lone `pass = x`, a command's `key value` pairs (`rclone config create r s3
  secret_access_key x`: a snake_case key, a typed-looking value), and MongoDB's
  `db.changeUserPassword("u", "x")`;
- a prompt and what was typed after it (at a line's start, or after a few words and a colon,
  as a log or an exception quotes it: `ValueError: Password for ...`): `Password for user
  postgres: x`, `[sudo] password for alice: x`, `alice@host's password: x`, `Enter PEM pass
  phrase: x`, `Enter passphrase for key '...': x`, `Retype new password: x`. The prompt
  begins with a prompt's word (`Enter`, `New`, `[sudo]`, `user@host's`...) or says whose
  secret it asks for (`for ...`, `(again)`), and ends in a colon followed by one word that is
  no mask and no word a program prints there (`Sorry`, `failed`...), so a log line that
  mentions a password is not a prompt (a bare `Password: x` is a key and its value, read by
  the position rules).
Every rule runs only on the lines holding one of its trigger words (`GRAMMAR_TRIGGERS`).
"""

from __future__ import annotations

import re

from intents.lazy_re import lazy_compile
from responses.redaction.prose import looks_typed
from responses.redaction.values import REDACTED, SKIP_VALUE, VALUE, Gated, judged_by_key, keep
from responses.redaction.words import ends_in_secret_word, is_secret_key

_S = r"[ \t]++"
_NETRC = rf"(?:{_S}(?:login|account|port|protocol){_S}\S++)"
"""A netrc entry's other tokens (a `default` entry names its login before the password)."""
_QUOTED = r"(?P<value>'(?:[^'\n]|'')*+'|\"[^\"\n]*+\")"
_PROMPT_VERB = (
    r"enter|re-?enter|retype|confirm|verify|repeat|type|please[ \t]++enter|new|old"
    r"|current|your|vault|bind|ldap|admin|root|import|export|keystore|key|pem"
    r"|private[ \t]++key"
)
_PROMPT_HEAD = (
    rf"(?:\[sudo\]{_S}|[^\s']{{1,64}}+'s{_S}|(?:Verifying{_S}-{_S})?"
    rf"(?:{_PROMPT_VERB})\b(?:{_S}[\w-]{{1,20}}+){{0,2}}?{_S})"
)
_PROMPT_WORD = r"(?:password|passphrase|pass[ \t]phrase|passcode|token|secret)\b"
_PROMPT_FOR = (
    rf"{_S}(?:\((?:again|confirm|repeat|verify)\)|for{_S}(?:(?:user|key|account){_S})?"
    r"(?:'[^'\n]{1,200}+'|\"[^\"\n]{1,200}+\"|[^\s:'\"]{1,80}+))"
)
_PROMPT = (
    rf"(?:[^\n:'\"]{{1,60}}?:{_S})?"  # a log's or an exception's words before it
    rf"(?:{_PROMPT_HEAD}{_PROMPT_WORD}(?:{_PROMPT_FOR})?+|{_PROMPT_WORD}{_PROMPT_FOR})"
)
PROMPT_ALONE = lazy_compile(rf"(?i)\A[ \t]*+{_PROMPT}[ \t]*+:[ \t]*+")
"""A prompt ending its line: what was typed (echoed, or pasted back) is on the next one."""
_SQL_STATEMENT = r"\b(?:USER|ROLE|LOGIN|TO|SCHEMA)\b[^\n;]{0,200}?"
_NOT_YET = r"(?!'?\[REDACTED\])"


_NOT_TYPED = frozenset(
    {
        "sorry",
        "incorrect",
        "failed",
        "denied",
        "timeout",
        "none",
        "empty",
        "ok",
        "yes",
        "no",
        "cancelled",
        "canceled",
        "aborted",
        "interrupted",
        "skipped",
        "required",
        "invalid",
        "expired",
        "wrong",
        "error",
        "null",
        "hidden",
    }
)
"""What a program prints after a prompt instead of what was typed."""


def typed_at_prompt(value: str) -> bool:
    """Whether `value`, after a prompt, is what someone typed: not a mask (`****`) nor what a
    program prints there (`Sorry`, `failed`)."""
    return not (
        len(value) < 4 or value.strip("*•●·.xX") == "" or value.lower().strip(".!") in _NOT_TYPED
    )


def _if_typed_at_prompt(match: re.Match[str]) -> str:
    """The word after a prompt, when it is what someone typed."""
    if not typed_at_prompt(match.group("value")):
        return match.group(0)
    return match.group("keep") + REDACTED


def _typed_password(match: re.Match[str]) -> str:
    """The value, when it looks like a typed password (not a word nor a number)."""
    if not looks_typed(match.group("value"), password=True, words=False):
        return match.group(0)
    return match.group("keep") + REDACTED


_typed_if_secret_key = judged_by_key(ends_in_secret_word)(_typed_password)
"""The value, when the key ends in a secret word (`secret_access_key`, not `key_file`) and the
value looks typed (not a word: `the api_key field`)."""


_CREDENTIAL_WORDS = (
    r"token|password|passwd|passphrase|secret|credentials?|api[ _-]?key|header[ \t]++value"
    r"|authorization|signature|cookie|session(?:[ _-]?id)?|bearer|auth"
)
_ERROR_WORDS = (
    "error",
    "exception",
    "panic",
    "invalid",
    "illegal",
    "malformed",
    "fail",
    "denied",
    "refused",
    "unauthorized",
    "forbidden",
)
"""A line holding one of these was written by an error (a traceback, a log's error line)."""


def _if_quoted_credential(match: re.Match[str]) -> str:
    """The value an error quotes after a credential word, unless it is a name: a key (`'API_TOKEN'`,
    `'password'`), a Kubernetes object's (`secret "db-creds" not found`), a placeholder or a path."""
    value, word = match.group("value"), match.group("word").lower()
    named = _NAMED.fullmatch(value) is not None and (
        word.startswith(("secret", "credential")) or value.isupper()
    )  # a Secret's name, or an environment variable's
    name = is_secret_key(value) or named
    if name or value.startswith(("<", "$", "/", "{{")):
        return match.group(0)
    return match.group("keep") + REDACTED


_NAMED = lazy_compile(r"[A-Z][A-Z0-9_]{2,80}+|[a-z0-9][a-z0-9.-]{0,252}+")
"""An environment variable's or a Kubernetes object's name (after `secret`: a Secret's)."""


GRAMMAR_RULES: tuple[Gated, ...] = (
    # An error quoting a value next to words that name a credential: `panic: auth: token "x" is
    # malformed`, requests' `InvalidHeader: ... in header value: ' x'`, `invalid password 'x'`.
    (
        _ERROR_WORDS,
        (
            lazy_compile(
                rf"(?i)(?P<keep>(?<![\w.'\"`/-])(?P<word>{_CREDENTIAL_WORDS})(?![\w.'\"`/-])"
                r"[ \t]*+(?:[:=][ \t]*+)?['\"`][ \t]*+)"
                r"(?P<value>[^\s'\"`][^'\"`\n]{3,300}+)(?=['\"`])"
            ),
            _if_quoted_credential,
        ),
    ),
    # ... and the value a base64 decoding refused (a Basic credential, a token, a key):
    # Java's `Illegal base64 character 2d in <value>`.
    (
        ("base64",),
        keep(
            r"(?i)(?P<keep>\b(?:illegal|invalid|bad)[ \t]++base64\b[^\n]{0,60}?[ \t]in[ \t]++)"
            r"(?!\[REDACTED\])[^\s'\"]{4,}+"
        ),
    ),
    # SQL: IDENTIFIED [WITH plugin] BY [PASSWORD] 'x' / x; PASSWORD 'x'; PASSWORD('x');
    # PASSWORD = N'x'.
    (
        ("identified",),
        keep(
            rf"(?i)(?P<keep>{_SQL_STATEMENT}\bIDENTIFIED{_S}"
            rf"(?:WITH{_S}['\"]?\w{{1,40}}+['\"]?{_S})?BY{_S}(?:PASSWORD{_S})?)"
            rf"{_NOT_YET}(?P<value>'(?:[^'\n]|'')*+'|\"[^\"\n]*+\"|[^\s;'\"]++)"
        ),
    ),
    (
        ("password",),
        keep(
            rf"(?i)(?P<keep>\b(?:USER|ROLE)\b[^\n;]{{0,200}}?"
            rf"\b(?:UNENCRYPTED{_S}|ENCRYPTED{_S})?PASSWORD{_S}E?){_NOT_YET}(?=')"
            rf"(?-i:{_QUOTED})"
        ),
    ),
    (
        ("password",),
        keep(
            rf"(?i)(?P<keep>\b(?:OLD_)?PASSWORD[ \t]*+\([ \t]*+){_NOT_YET}(?=['\"])"
            rf"{_QUOTED}"
        ),
    ),
    (
        ("set password",),
        keep(
            rf"(?i)(?P<keep>\bSET{_S}PASSWORD\b[^\n;=]{{0,200}}=[ \t]*+)"
            rf"{_NOT_YET}(?=['\"])(?-i:{_QUOTED})"
        ),
    ),
    (
        ("password",),
        keep(
            rf"(?i)(?P<keep>\bPASSWORD[ \t]*+=[ \t]*+N){_NOT_YET}(?=')"
            rf"(?-i:{_QUOTED})"
        ),
    ),
    # Config files separated by spaces.
    (
        ("machine ", "default login"),
        keep(
            rf"(?P<keep>\b(?:machine{_S}\S++{_NETRC}{{0,6}}+|default{_NETRC}{{1,6}}+){_S}password{_S})"
            rf"{SKIP_VALUE}{VALUE}"
        ),
    ),
    (
        ("requirepass", "masterauth", "rootpw", "bindpw", "auth_pass", "authpass"),
        keep(
            rf"(?im)(?P<keep>(?:^[ \t]*+|\bCONFIG{_S}SET{_S})"
            rf"(?:requirepass|masterauth|rootpw|bindpw|auth_?pass){_S}){SKIP_VALUE}{VALUE}"
        ),
    ),
    (
        ("> auth",),
        keep(
            rf"(?m)(?P<keep>>[ \t]*+(?i:AUTH){_S}(?:\S++{_S}(?=\S))?+)"
            rf"{SKIP_VALUE}{VALUE}(?=[ \t]*+$)"
        ),
    ),
    (
        ("on >", "setuser"),
        keep(
            rf"(?im)(?P<keep>(?:^[ \t]*+user|\bACL{_S}SETUSER){_S}\S++"
            rf"(?:{_S}(?!>)\S++)*+{_S}>){_NOT_YET}[^\s]++"
        ),
    ),
    (
        (": psk", ": eap", ": xauth", ": ntlm"),
        keep(rf"(?P<keep>:[ \t]*+(?:PSK|EAP|XAUTH|NTLM){_S}){SKIP_VALUE}{VALUE}"),
    ),
    (("pass", "pw"), keep(rf"(?m)(?P<keep>^[ \t]*+(?:pass|pw)[ \t]*+=[ \t]*+){SKIP_VALUE}{VALUE}")),
    # A command's `key value` pairs (rclone config create ... secret_access_key X): a snake_case
    # key naming a secret, then a word that looks typed.
    (
        ("_pass", "_pw", "_secret", "_token", "_key", "_cred", "_auth"),
        (
            lazy_compile(
                rf"(?P<keep>(?<![\w.$-])(?P<key>[a-z][a-z0-9]*+(?:_[a-z0-9]++)++){_S})"
                rf"{_NOT_YET}(?P<value>[^\s\"'=:,;{{}}()\[\]<>$]++)(?=\s|$)"
            ),
            _typed_if_secret_key,
        ),
    ),
    # MongoDB's positional password: db.changeUserPassword("user", "x").
    (
        ("changeuserpassword",),
        keep(
            rf"(?P<keep>\bchangeUserPassword[ \t]*+\([ \t]*+(?:\"[^\"\n]*+\"|'[^'\n]*+')"
            rf"[ \t]*+,[ \t]*+){_NOT_YET}(?P<value>\"[^\"\n]++\"|'[^'\n]++')"
        ),
    ),
    # A config key alone with its value, a space between, indented in its section (Fluent Bit's
    # `HTTP_Passwd  x`): a key naming a secret, a value that looks typed, the line's end.
    (
        ("pass", "pw", "secret", "token", "key", "cred", "auth"),
        (
            lazy_compile(
                r"(?m)(?P<keep>^[ \t]{1,40}+(?P<key>[A-Za-z][\w.-]{0,60}+)[ \t]++)"
                rf"{_NOT_YET}(?P<value>[^\s\"'=:#<>$\[{{]\S{{3,}}+)(?=[ \t]*+$)"
            ),
            _typed_if_secret_key,
        ),
    ),
    # HAProxy: `user admin [insecure-]password x` in a userlist, `stats auth admin:x`.
    (
        ("password",),
        keep(
            rf"(?m)(?P<keep>^[ \t]*+user{_S}\S++{_S}(?:insecure-)?password{_S})"
            rf"{_NOT_YET}(?P<value>\S++)"
        ),
    ),
    (
        ("stats auth",),
        keep(rf"(?P<keep>\bstats{_S}auth{_S}[^\s:]{{1,100}}+:){_NOT_YET}(?P<value>\S++)"),
    ),
    # postfix's sasl_passwd: `[smtp.example.com]:587 user@example.com:x`.
    (
        ("]:", "@"),
        keep(
            r"(?m)(?P<keep>^[ \t]*+(?:\[[\w.-]{1,253}+\]|[\w-]{1,63}+(?:\.[\w-]{1,63}+)++)"
            rf"(?::\d{{1,5}}+)?+{_S}[^\s:]{{1,200}}+:){_NOT_YET}(?P<value>\S++)(?=[ \t]*+$)"
        ),
    ),
    # `login user/password`, as people write a pair in chat.
    (
        ("login",),
        (
            lazy_compile(
                r"(?i)(?P<keep>\blogin(?::[ \t]*+|[ \t]++)[^\s/:]{1,64}+[ \t]*+/[ \t]*+)"
                rf"{_NOT_YET}(?P<value>[^\s/\"'<>]++)"
            ),
            _typed_password,
        ),
    ),
    # A glued `-p` value on any command line (`tool -pS3cret`), when it looks typed (not a
    # port `-p8080`, not `-pthread`).
    (
        (" -p",),
        (
            lazy_compile(rf"(?P<keep>(?<![^\s\"'])-p){_NOT_YET}(?P<value>[^\s\"'-]\S{{5,}}+)"),
            _typed_password,
        ),
    ),
    # A prompt and the word typed after it.
    (
        ("pass", "token", "secret"),
        (
            lazy_compile(
                rf"(?im)(?P<keep>^[ \t]*+{_PROMPT}[ \t]*+:{_S}){_NOT_YET}"
                r"(?P<value>\S++)(?=[ \t]*+$)"
            ),
            _if_typed_at_prompt,
        ),
    ),
)
GRAMMAR_TRIGGERS = tuple(word for gate, _rule in GRAMMAR_RULES for word in gate)
