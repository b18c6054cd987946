"""Secrets known by where they sit: the whole value of every credential position, in any syntax.

A position is a place whose value is a credential whatever the value looks like:
- a key holding a credential word (`responses.secret_words`, any case style or language)
  in every syntax people paste: `k=v`, `k: v` (YAML, headers, INI, `kubectl describe`),
  `"k": "v"` (JSON, Python, JS), `k => v` (Ruby, PHP), `k := v`, `Key:v` (Go's `%+v`),
  YAML flow maps and JS objects (`{user: a, password: b}`), XML elements and attributes,
  `--key v` and `-key v` flags, `k：v` (full-width colon);
- every `Authorization` and `Proxy-Authorization` value whatever its scheme (the scheme
  word stays readable), `Cookie`/`Set-Cookie` values, a bare `bearer <token>`;
- URL userinfo (`scheme://user:pass@`), Go MySQL DSNs, and webhook URLs whose path is
  the credential (Slack, Discord, Teams);
- the password flags of common clients, whose flag is a bare letter: `mysql -pX`,
  `mongo -p X`, `sqlcmd -P X`, `ldapsearch -w X`, `redis-cli -a X`, `sshpass -p X`,
  `docker login -p X`, `curl -u user:X`, `smbclient -U user%X`, `htpasswd -b`,
  `openssl -passin pass:X`, `rabbitmqctl add_user U X`, `kubectl create secret
  --from-literal=K=X`, `aws configure set <secret key> X`.
Values that are not secrets stay: placeholders (`<password>`, `${VAR}`), booleans, the sizes
`kubectl describe secret` shows, file paths. Names of secrets ("secret \"db-credentials\" not
found") are names, not values. A key at the start of a line owns the rest of the line;
elsewhere the value runs to the next space, quote or delimiter.

Every pattern is linear (possessive quantifiers, bounded repetition), and only lines that
hold a trigger (`TRIGGERS`) are read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import re2  # google-re2 (no type information): one linear pass for every trigger

from intents.lazy_re import LazyPattern, lazy_compile
from responses.secret_words import FOREIGN, ends_in_secret_word, is_secret_key, names_a_secret

REDACTED = "[REDACTED]"

_SKIP_VALUE = (r"(?![\"']?(?:\[REDACTED\]|<|\$[{(A-Za-z_]|\{\{|(?:true|false|null|none|nil|yes|no|on|off)\b"
               r"|\d+[ \t]+bytes\b|/[\w.-]++/|\*{3,}+|x{4,}+\b|X{4,}+\b|#{3,}+|(?:DATA\+)?OMITTED\b|REDACTED\b"
               r"|(?-i:[A-Z][A-Z_]{2,}+)\b(?![^\s\\\"',;&}\]])|[{\[]|[\"'][ \t]))")
"""Values that are not secrets: placeholders (<password>, ${VAR}, {{ .Values.x }}, TOKEN,
YOUR_API_KEY), booleans, `kubectl describe secret`'s sizes, file paths
(--client-key=/etc/kubernetes/pki/x.key), masks (****, XXXX, DATA+OMITTED), a nested map or list
(`"serviceAccountToken": {`), and the closing quote of a quoted key (`role "password=" does...`)."""

_ANY_KEY = r"(?P<key>[\w.-]{1,80}+)"
"""Any field name (letters of any script); a rule using it redacts only when `is_secret_key` says so."""

_SEP = r"(?:[ \t]*+(?:=>|:=|->|[=:：＝])[ \t]*+)"
_QUOTED_SEP = r"(?:(?:[ \t]*+=>|:=|[=:：＝])[ \t]*+)"
"""After a quoted key the separator follows at once (`"k": v`), but for Ruby's and PHP's `=>`:
`volume "db-password" : secret "x"` is an event message, not a map."""
_FIELD = r"(?P<key>[\w-]{1,80}+)"
"""A map field name: no dots (`token_manager.go:121` is a source line, not a field)."""
_GO_FIELD = r"(?P<key>[A-Za-z_]\w{0,79}+)"
"""A struct field printed by Go's %+v (`Password:x`): no dots or dashes (`my-private-image:v1` is
an image, not a field)."""
_PROSE = r"(?:via|is|was|are|from|with|the|and|or|to|on|in|for|of|flag|option|instead)\b"
"""A word after `--password` that makes it prose ("Using --password via the CLI is insecure")."""
_VALUE = (r"(?P<value>\\\"[^\"\\\n]++(?:\\\")?|\"[^\"\n]++\"?|'[^'\n]++'?|`[^`\n]++`?|“[^”\n]++”?"
          r"|「[^」\n]++」?|[^\s\"'`\\,;&}\[\])<>，。；、」”]++)")
"""A quoted string (also JSON-escaped \\"...\\"), or a bare word up to a space or delimiter."""

_Rule = tuple[LazyPattern, str | Callable[[re.Match[str]], str]]


def _keep_prefix(match: re.Match[str]) -> str:
    """Keep the key (and the value's quotes, when quoted); replace only the value."""
    value = match.groupdict().get("value") or ""
    for opening, closing in (('\\"', '\\"'), ('"', '"'), ("'", "'"), ("`", "`"), ("“", "”"), ("「", "」")):
        if value.startswith(opening):
            return f"{match.group('keep')}{opening}{REDACTED}{closing if value.endswith(closing) else ''}"
    return match.group("keep") + REDACTED


def _url_credentials(match: re.Match[str]) -> str:
    return f"{match.group('scheme')}{match.group('user')}:{REDACTED}@"


def _if_secret_key(match: re.Match[str]) -> str:
    """`_keep_prefix` when the matched key names a secret (SECRET_KEY_BASE, dbPassword) and the
    value is not the name of a Secret object (`tlsSecret: longhorn-tls`), else as is."""
    key = match.group("key").strip("-.")
    if not is_secret_key(key) or names_a_secret(key, (match.groupdict().get("value") or "").strip("\"'")):
        return match.group(0)
    return _keep_prefix(match)


def _if_secret_field(match: re.Match[str]) -> str:
    """A Go struct field (`Password:x`): only when its last word holds the secret (not `Auth:LIBWRAP`)."""
    key = match.group("key")
    return _if_secret_key(match) if ends_in_secret_word(key) and key.lower() != "auth" else match.group(0)


def _if_secret_quoted_key(match: re.Match[str]) -> str:
    """Like `_if_secret_key`; an unquoted value after a quoted key ("pod \"secret-x\": exit") is
    prose unless the key ends in a secret word ("password": hunter2)."""
    key, value = match.group("key"), match.group("value") or ""
    if value[:1] not in "\"'\\" and not ends_in_secret_word(key):
        return match.group(0)
    return _keep_prefix(match) if key.lower() in ("pass", "pw") else _if_secret_key(match)


def _if_secret_label(match: re.Match[str]) -> str:
    """A label of two words whose last word holds the secret ("Admin password")."""
    return _keep_prefix(match) if ends_in_secret_word(match.group("key")) else match.group(0)


def _if_flag_key(match: re.Match[str]) -> str:
    """Flags: a lone weak word is a password flag too (`--pass X`, `-pw X`)."""
    key = match.group("key")
    return _keep_prefix(match) if is_secret_key(key) or key.lower() in ("pass", "pw") else match.group(0)


def _on_secret_command(match: re.Match[str]) -> str:
    """`_keep_prefix` when the line creates a Secret (kubectl create secret ... --from-literal=K=V)."""
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    return _keep_prefix(match) if "secret" in match.string[line_start : match.start()].lower() \
        else match.group(0)


def _keep(pattern: str) -> _Rule:
    """A rule whose `keep` group stays and whose rest becomes [REDACTED]."""
    return lazy_compile(pattern), _keep_prefix


def _client(commands: str, flag: str) -> _Rule:
    """A client whose password flag is `flag` (attached or after a space) in its command line: not
    past a sentence's end, a backtick or a bracket ("the mariadb one ... (`kubectl logs -p x`)")."""
    return _keep(rf"(?P<keep>\b(?:{commands})\b(?:[^\n|;&`().]|\.(?!\s)){{0,300}}?[ \t]{flag}[ \t]*+)"
                 r"(?!-|\[REDACTED\]|\\?[\"']?\$|`)(?P<value>\"[^\"\n]++\"?|'[^'\n]++'?|[^\s\"'`]++)")


_FOREIGN_KEY = "|".join(re.escape(word) for word in sorted(FOREIGN, key=len, reverse=True))
_REST_OF_LINE = r"(?P<value>\"[^\"\n]++\"?|'[^'\n]++'?|[^\s\"'][^\n]*?)(?=[ \t]*+(?:\n|$|[ \t]#))"

_URL = ("://",)
_MYSQL = ("mysql", "mariadb", "7z")
_MONGO = ("mongo", "sshpass")
_LOGIN = ("login",)
_SQLCMD = ("sqlcmd", "bcp", "osql", "isql", "zip", "ssh-keygen")
_LDAP = ("ldap",)
_REDIS = ("redis-cli", "keydb-cli")
_SMB = ("smbclient", "rpcclient", "smbmap", "net ")
_KEYS = ("pass", "pwd", "secret", "token", "key", "signature", "sig", "cred", "pw", "auth", "session",
         "dsn", "cookie", "private", "connstr", "conn_str", "connectionstring", "connection_string",
         *(word.casefold() for word in FOREIGN))
"""A credential word: the rules that read any key run only on lines holding one."""
_FOREIGN_TRIGGERS = tuple(word.casefold() for word in FOREIGN)

RULES: tuple[tuple[tuple[str, ...], _Rule], ...] = (
    # Credentials in URLs: https://user:pass@host, redis://:pass@host.
    (_URL, (lazy_compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]{0,20}://)(?P<user>[^\s:/@]*+)"
                         r":(?!\[?REDACTED\]?@|\*++@|\$[{(A-Za-z_])[^\s/@]++@"), _url_credentials)),
    # Go MySQL driver DSNs: user:pass@tcp(host:3306)/db, user:pass@unix(/run/mysqld.sock)/db.
    (("@tcp", "@udp", "@unix"),
     _keep(r"(?P<keep>(?<![\w.+-])[\w.+-]{1,64}:)[^\s@/:'\"]{1,256}+(?=@(?:tcp6?|udp|unix)\()")),
    # Webhook URLs whose path is the credential: Slack, Discord, Microsoft Teams.
    (("hooks.slack.com/",),
     _keep(r"(?P<keep>\bhooks\.slack\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]++")),
    (("discord",), _keep(r"(?P<keep>\bdiscord(?:app)?\.com/api/webhooks/[0-9]{1,30}/)[A-Za-z0-9_-]++")),
    ((".webhook.office.com/",), _keep(r"(?P<keep>\.webhook\.office\.com/webhookb2/)[^\s\"'<>]++")),
    # Authorization / Proxy-Authorization headers (capitalised, or at a line's start, a quote, a map,
    # -H): the whole value after the scheme word, any scheme (Bearer, Basic, ApiKey, SSWS, Splunk,
    # GenieKey, Bot, AWS4-HMAC-SHA256...); "may require authorization: server message: ..." is prose.
    (("authorization",),
     _keep(r"(?m)(?P<keep>(?:(?:^[ \t>*<-]*+|[\"'{\[,(\\]|-H[ \t]++|--header[ \t=]++)(?i:(?:proxy-)?authorization)"
           r"|\b(?:Proxy-)?Authorization)"
           r"\\?[\"']?[ \t]*+[:=][ \t]*+(?:\[[ \t]*+)?+\\?[\"']?(?:[A-Za-z][\w.-]{0,30}+[ \t]++(?=\S))?+)"
           r"(?!\[|https?://|\$[{(A-Za-z_]|<|(?-i:[A-Z][A-Z_]{2,}+)\b(?![^\s\"'\]}]))"
           r"(?:(?!,[ \t]*+[\w-]{1,40}+[:=])[^\n\"'}\]\\])++")),
    # Cookie headers: the whole value is session state.
    (("cookie",), _keep(r"(?im)(?P<keep>(?:^[ \t]{0,40}|[\"'])(?:set-)?cookie:[ \t]*+)(?!\[REDACTED\])"
                        r"[^\n\"']++")),
    # A bare "bearer <token>", unless the next word is plain English ("bearer token").
    (("bearer",), _keep(r"(?i)(?P<keep>\bbearer[ \t]+)(?!(?:tokens?|auth\w{0,20}|header|scheme|realm"
                        r"|type|format|credentials?|is|was|of|for|and|the|or)\b)(?!\[REDACTED\])"
                        r"[A-Za-z0-9._~+/=-]++")),
    # Kubeconfig certificate and key data; a Secret's .dockerconfigjson.
    (("-data",), _keep(r"(?i)(?P<keep>\b(?:client-key|client-certificate|certificate-authority)-data"
                       r"[\"']?[ \t]*:[ \t]*[\"']?)(?!(?:DATA\+)?OMITTED|REDACTED)[A-Za-z0-9+/=]++")),
    (("docker",), _keep(r"(?P<keep>\.docker(?:configjson|cfg)\\?[\"']?[ \t]*:[ \t]*\\?[\"']?)"
                        r"(?!\[REDACTED\])[A-Za-z0-9+/=]++")),
    # Azure: a SAS in a connection string runs to the next ";"; a SAS URL's signature.
    (("sharedaccesssignature=",), _keep(r"(?i)(?P<keep>\bSharedAccessSignature=)(?!\[REDACTED\])[^;\s\"'<>]++")),
    (("sig=",), _keep(r"(?P<keep>[?&;]sig=)(?!\[REDACTED\])[^&;\s\"'<>]++")),
    # Clients whose password flag is a bare letter.
    (_MYSQL, _client(r"mysql|mysqladmin|mysqldump|mysqlimport|mysqlshow|mysqlcheck|mysqlpump|mysqlsh"
                     r"|mariadb(?:-dump|-admin)?|7z|7za", "-p")),
    (_MONGO, _client(r"mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport|mongostat|mongotop"
                     r"|mongofiles|sshpass", "-p")),
    (_LOGIN, _client(r"(?:docker|podman|nerdctl|buildah|skopeo|oras|finch|registry|az|helm)[ \t]++login",
                     "-p")),
    (_SQLCMD, _client(r"sqlcmd|bcp|osql|isql|zip|ssh-keygen", "-P")),
    (_SQLCMD, _client(r"ssh-keygen", "-N")),
    (_LDAP, _client(r"ldapsearch|ldapadd|ldapmodify|ldapdelete|ldapwhoami|ldappasswd|ldapcompare"
                    r"|ldapmodrdn|ldapexop", "-w")),
    (_REDIS, _client(r"redis-cli|keydb-cli", "-a")),
    (("curl",), _keep(r"(?P<keep>\bcurl\b[^\n|;&]{0,500}?[ \t](?:-u|--user)(?:[ \t]++|=)[\"']?"
                      r"[^\s:\"']{0,100}+:)(?!\[REDACTED\])[^\s\"']++")),
    (_SMB, _keep(r"(?P<keep>\b(?:smbclient|rpcclient|smbmap|net)\b[^\n|;&]{0,300}?[ \t](?:-U|--user)"
                 r"(?:[ \t]++|=)[\"']?[^\s%\"']{1,100}+%)(?!\[REDACTED\])[^\s\"']++")),
    (("htpasswd",), _keep(r"(?P<keep>\bhtpasswd[ \t]++-(?=[A-Za-z]*n)(?=[A-Za-z]*b)[A-Za-z]++[ \t]++\S++"
                          r"[ \t]++)(?!\[REDACTED\])[^\s\"']++")),
    (("htpasswd",), _keep(r"(?P<keep>\bhtpasswd[ \t]++-(?![A-Za-z]*n)(?=[A-Za-z]*b)[A-Za-z]++[ \t]++\S++"
                          r"[ \t]++\S++[ \t]++)(?!\[REDACTED\])[^\s\"']++")),
    (("rabbitmqctl",), _keep(r"(?P<keep>\brabbitmqctl\b[^\n|;&]{0,100}?[ \t](?:add_user|change_password)"
                             r"[ \t]++\S++[ \t]++)(?!\[REDACTED\])[^\s\"']++")),
    (("pass:",), _keep(r"(?P<keep>(?<![\w-])-(?:pass(?:in|out)?|k)[ \t]++pass:)(?!\[REDACTED\])[^\s\"']++")),
    (("from-literal",), (lazy_compile(r"(?P<keep>--from-literal[ \t=]++[\"']?[\w.-]{1,253}+=)"
                                      r"(?!\[REDACTED\])[^\s\"']++"), _on_secret_command)),
    (("aws configure",), (lazy_compile(rf"(?P<keep>\baws[ \t]++configure[ \t]++set[ \t]++{_ANY_KEY}[ \t]++)"
                                       rf"{_SKIP_VALUE}{_VALUE}"), _if_secret_key)),
    # XML elements and NuGet-style attributes: <password>x</password>, <add key="ApiKey" value="x"/>.
    (("</",), (lazy_compile(r"(?P<keep><(?P<key>[\w.-]{1,60}+)>)(?!\[REDACTED\])(?P<value>[^<\n]{1,500}+)"
                            r"(?=</(?P=key)>)"), _if_secret_key)),
    (("<add key=",), (lazy_compile(r"(?P<keep><add[ \t]++key=\"(?P<key>[\w.-]{1,80}+)\"[ \t]++value=)"
                                   r"(?!\"\[REDACTED\])(?P<value>\"[^\"\n]*+\")"), _if_secret_key)),
    # Keys in another language, wherever they sit: 数据库密码：x, contraseña = x, mot de passe : x.
    (_FOREIGN_TRIGGERS,
     _keep(rf"(?i)(?P<keep>(?:{_FOREIGN_KEY})\w{{0,20}}+[\"'”」]?{_SEP}){_SKIP_VALUE}{_VALUE}")),
    # A key owning its line: YAML, headers, kubectl describe's Environment ("key: the rest").
    (_KEYS, (lazy_compile(rf"(?im)(?P<keep>^[ \t]{{0,40}}(?:-[ \t]{{1,8}})?{_ANY_KEY}:[ \t]*+)(?=\S)"
                            rf"{_SKIP_VALUE}{_REST_OF_LINE}"), _if_secret_key)),
    # A two-word label owning a one-word line: "Admin password: x" (not "Invalid password: too short").
    (_KEYS, (lazy_compile(r"(?m)(?P<keep>^[ \t]{0,40}(?P<key>[\w-]{1,30}+[ \t][\w-]{1,30}+):[ \t]++)"
                          r"(?P<value>[^\s\[<$][^\s]*+)(?=[ \t]*+$)"), _if_secret_label)),
    # Quoted keys anywhere (JSON, Python, JS, Ruby, PHP): "password": "x", 'api_key' => 'x'.
    (_KEYS, (lazy_compile(rf"(?P<keep>(?:\\\"|[\"']):?{_ANY_KEY}(?:\\\"|[\"']){_QUOTED_SEP}){_SKIP_VALUE}"
                            rf"{_VALUE}"), _if_secret_quoted_key)),
    # key=value, key => value, key := value anywhere: env DB_PASS=x, query ?token=x&, flags
    # --db-password=x, INI key = x, Ruby :password => x, Azure AccountKey=x;, and Braintree's
    # access_token$production$...
    (_KEYS, (lazy_compile(rf"(?P<keep>(?<![\w.-]):?{_ANY_KEY}(?:[ \t]*+(?:=>|:=|=)[ \t]*+|\$(?=[a-z]))){_SKIP_VALUE}"
                            rf"{_VALUE}"), _if_secret_key)),
    # Maps and structs mid-line: {user: a, password: b}, [auth: x], Go's {Host:db Password:x}.
    (_KEYS, (lazy_compile(rf"(?P<keep>[{{(\[,][ \t]*+{_FIELD}:[ \t]*+)(?!//){_SKIP_VALUE}{_VALUE}"),
               _if_secret_key)),
    (_KEYS, (lazy_compile(rf"(?P<keep>(?<![^\s{{(\[,;])\"?{_GO_FIELD}:)(?=[^\s/])(?!//){_SKIP_VALUE}"
                            rf"{_VALUE}"), _if_secret_field)),
    # Command-line flags with the value after a space: --password VALUE, -storepass VALUE.
    (_KEYS, (lazy_compile(rf"(?P<keep>(?<![^\s\"'`(])--?(?P<key>[\w-]{{1,60}}+)[ \t]++)(?!-|{_PROSE}){_SKIP_VALUE}"
                            rf"{_VALUE}"), _if_flag_key)),
    # key: value after a quote (a header in curl -H "x-api-key: v").
    (_KEYS, (lazy_compile(rf"(?P<keep>[\"']{_ANY_KEY}:[ \t]{{1,40}}){_SKIP_VALUE}{_VALUE}"), _if_secret_key)),
)

TRIGGERS = (
    "://", "@tcp", "@udp", "@unix", "hooks.slack.com/", "discord", ".webhook.office.com/",
    "authorization", "cookie", "bearer", "-data", "docker", "sharedaccesssignature=", "sig=",
    "mysql", "mariadb", "mongo", "sqlcmd", "bcp", "osql", "isql", "ldap", "7z",
    "zip", "ssh-keygen", "login", "sshpass", "redis-cli", "keydb-cli", "curl", "smbclient",
    "rpcclient", "smbmap", "net ", "rabbitmqctl", "from-literal", "htpasswd", "pass:", "aws configure",
    "</", "<add key=", *_KEYS,
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


def flagged_lines(text: str) -> list[tuple[int, int]]:
    """Spans of whole lines containing a trigger, merged: the only text the rules read.

    One RE2 search per flagged line (the next search starts on the next line), on UTF-8 bytes
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


def redact_positions(text: str) -> str:
    """`text` with the value of every credential position replaced by [REDACTED]."""
    parts: list[str] = []
    done = 0
    for begin, end in flagged_lines(text):
        chunk = text[begin:end]
        lowered = chunk.lower()
        for gate, (pattern, replacement) in RULES:
            if not gate or any(word in lowered for word in gate):
                chunk = pattern.sub(replacement, chunk)
        parts += (text[done:begin], chunk)
        done = end
    parts.append(text[done:])
    return "".join(parts)
