"""Which field names hold credentials: by the words in the name, in any case style or language.

A key names a secret when one of its words is a credential word: `SECRET_KEY_BASE`, `DB_PASS`,
`dbPassword`, `x-api-key`, `PGPASSWORD`, `authToken`, `SSH_KEY`, `sentry_dsn`, `routing_key`,
`secret_id`, `ConnectionStrings__Default`, `数据库密码`, `contraseña`, `Passwort`.
Words are split on `_ - .` and camelCase (digits do not count); of a dotted path
(`auth.rootPassword`, `kubernetes_secret.admin_panel`) the last part is the field. A strong
word (password, secret, token, auth, cookie, dsn...) among the last three words is enough,
alone or at the end of a word (`pgpassword`); a weak one (`key`, `pass`, `pw`, `private`)
must end a key of two words or more, so `key: app` (a selector), `key1=value1`,
`PASS: TestFoo` (a test log) and `PASS_DEVICE_SPECS` stay. A key whose last word describes
a secret rather than holding it (`secretName`, `tokenFile`, `KEY_ID`, `passwordStdin`,
`sessionAffinity`, `auth_revision`) is not one, nor a key about a public or structural key
(`topologyKey`, `publicKey`). A key ending in secret or credential whose value is a
Kubernetes name (`tlsSecret: longhorn-tls`) names a Secret object (`names_a_secret`).
Words in other languages have no case style to split, and none of them is also an ordinary
word in logs, so a key containing one is a secret whatever surrounds it.
"""

from __future__ import annotations

import functools
import itertools

from intents.lazy_re import lazy_compile

_STRONG = (
    "mnemonic",
    "preauthkey",
    "authkey",
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "creds",
    "privatekey",
    "signature",
    "sig",
    "auth",
    "cookie",
    "cookies",
    "session",
    "sessionid",
    "sessid",
    "dsn",
    "storepass",
    "keypass",
    "bindpw",
    "rootpw",
    "passcode",
    "connectionstring",
    "connstr",
    "authtok",
    "psk",
    "requirepass",
    "masterauth",
)
_WEAK = frozenset({"key", "keys", "pass", "pw", "private"})
_PAIRS = frozenset(
    {
        ("connection", "string"),
        ("connection", "strings"),
        ("conn", "str"),
        ("conn", "string"),
        ("secret", "id"),
        ("seed", "phrase"),
        ("recovery", "phrase"),
    }
)
"""Two words that together name a credential, though the last one alone would describe it."""
_DESCRIBES = frozenset(
    {
        "name",
        "names",
        "ref",
        "refs",
        "file",
        "files",
        "path",
        "paths",
        "dir",
        "directory",
        "type",
        "kind",
        "id",
        "ids",
        "arn",
        "url",
        "uri",
        "endpoint",
        "length",
        "len",
        "size",
        "count",
        "policy",
        "mode",
        "version",
        "provider",
        "source",
        "store",
        "field",
        "header",
        "prefix",
        "suffix",
        "format",
        "expiry",
        "expires",
        "expiration",
        "ttl",
        "lifetime",
        "seconds",
        "duration",
        "timeout",
        "enabled",
        "required",
        "optional",
        "stdin",
        "env",
        "template",
        "selector",
        "namespace",
        "label",
        "manager",
        "rotation",
        "class",
        "issuer",
        "audience",
        "location",
        "request",
        "review",
        "volume",
        "mount",
        "generator",
        "reference",
        "set",
        "rules",
        "usage",
        "less",
        "ok",
        "missing",
        "invalid",
        "expired",
        "error",
        "method",
        "methods",
        "scheme",
        "backend",
        "mechanism",
        "strategy",
        "server",
        "host",
        "port",
        "user",
        "username",
        "email",
        "login",
        "domain",
        "realm",
        "plugin",
        "flow",
        "grant",
        "scope",
        "scopes",
        "role",
        "roles",
        "service",
        "bytes",
        "hash",
        "digest",
        "fingerprint",
        "checksum",
        "affinity",
        "ip",
        "ips",
        "address",
        "addresses",
        "cidr",
        "subnet",
        "network",
        "networks",
        "zone",
        "dns",
        "registry",
        "link",
        "cluster",
        "only",
        "config",
        "configuration",
        "state",
        "status",
        "age",
        "storage",
        "limit",
        "limits",
        "interval",
        "attempts",
        "retries",
        "delay",
        "revision",
        "generation",
        "num",
        "number",
        "line",
        "time",
        "start",
        "timestamp",
        "date",
        "index",
        "level",
        "epoch",
        "seq",
        "sequence",
        "offset",
        "rate",
        "sec",
        "secs",
        "ms",
        "minutes",
        "hours",
        "days",
        "refresh",
        "available",
        "degraded",
        "progressing",
        "ready",
        "reason",
        "message",
        "condition",
        "controller",
        "filename",
        "filepath",
        "modes",
        "enable",
        "disabled",
        "support",
        "signin",
        "signout",
    }
)
_CLOSE = 3
"""The credential word must be among a key's last three words (`SECRET_KEY_BASE`, not
`OAuthServerRouteEndpointAccessibleControllerAvailable`, a status condition)."""
_NAMES = frozenset({"secret", "credential", "credentials", "creds"})
"""Keys ending in these often name a Secret object (`tlsSecret: longhorn-tls`)."""
_K8S_NAME = lazy_compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")
_PUBLIC_KEYS = frozenset(
    {
        "public",
        "topology",
        "label",
        "sort",
        "partition",
        "cache",
        "idempotency",
        "hash",
        "shard",
        "lookup",
        "map",
        "object",
        "foreign",
        "composite",
        "match",
        "selector",
        "node",
        "annotation",
        "field",
        "group",
        "index",
        "unique",
        "host",
        "dedup",
        "hot",
        "lock",
        "config",
        "policy",
        "metric",
        "metrics",
        "tag",
        "sidecar",
        "primary",
    }
)
FOREIGN = (
    "密码",
    "密碼",
    "口令",
    "密钥",
    "密鑰",
    "秘钥",
    "令牌",
    "凭据",
    "凭证",
    "憑證",  # Chinese
    "パスワード",
    "暗証番号",
    "秘密鍵",
    "トークン",  # Japanese
    "비밀번호",
    "비밀 번호",
    "암호",
    "토큰",  # Korean
    "contraseña",
    "contrasena",
    "clave",  # Spanish says a password's `clave` alone too ("clave: x", "tu clave es x")
    "clave de acceso",
    "senha",
    "palavra-passe",  # Spanish, Portuguese
    "passwort",
    "kennwort",
    "mot de passe",
    "mot_de_passe",
    "motdepasse",
    "jeton",  # German, French
    "schlüssel",
    "κωδικός",
    "κωδικό",
    "συνθηματικό",  # Greek: code (of access), password
    "clé secrète",
    "clé privée",
    "clé api",
    "clé d'api",
    "clé d'accès",  # keys
    "clave secreta",
    "clave privada",
    "clave de api",
    "clave api",
    "chave secreta",
    "chave privada",
    "chave de api",
    "chave de acesso",
    "chiave segreta",
    "chiave privata",
    "chiave api",
    "sleutel",
    "klucz",
    "ключ api",
    "api-ключ",
    "ключ доступа",
    "contrasenya",
    "slaptažodis",
    "parool",
    "kodeord",
    "wagwoord",
    "lykilorð",
    "私钥",
    "私鑰",
    "シークレット",
    "アクセスキー",
    "apiキー",
    "wachtwoord",
    "hasło",
    "haslo",
    "parola",
    "passord",
    "lösenord",
    "losenord",
    "adgangskode",
    "salasana",
    "heslo",
    "jelszó",
    "jelszo",
    "şifre",
    "sifre",
    "parolă",
    "lozinka",
    "geslo",
    "пароль",
    "токен",
    "секрет",
    "парола",
    "лозинка",  # Russian, Ukrainian, Bulgarian, Serbian
    "mật khẩu",
    "mat khau",
    "kata sandi",
    "katasandi",
    "รหัสผ่าน",
    "κωδικός",
    "كلمة المرور",
    "كلمة السر",
    "رمز عبور",
    "סיסמה",
    "סיסמא",
    "पासवर्ड",
    "ពាក្យសម្ងាត់",
)
"""Credential words as people write them in other languages (passwords, keys, tokens)."""
_WORDS = lazy_compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def key_words(name: str) -> list[str]:
    """`name` split into lower-case words: SECRET_KEY_BASE -> secret key base, apiKey -> api key."""
    return [word.lower() for word in _WORDS.findall(name)]


def foreign_word(name: str) -> bool:
    """Whether `name` holds a credential word of another language (数据库密码, contraseña)."""
    folded = name.casefold()
    return any(word in folded for word in FOREIGN)


def ends_in_secret_word(name: str) -> bool:
    """True when the key's last word itself is a secret word (db_password, x-api-key, not secretName)."""
    if foreign_word(name):
        return True
    words = key_words(name)
    return (
        is_secret_key(name) and bool(words) and (words[-1].endswith(_STRONG) or words[-1] in _WEAK)
    )


@functools.lru_cache(maxsize=4096)  # field names repeat (payloads, diagnosis records, env pairs)
def is_secret_key(name: str) -> bool:
    """True for a field name whose value is a secret whatever it looks like."""
    if not name or len(name) > 100:
        return False
    if foreign_word(name):
        return True
    words = [w for w in key_words(name.split(".")[-1]) if not w.isdigit()]  # a.b.c: the field is c
    if len(words) == 1 and words[0] in _WEAK and "." in name:  # ssh.key, secret.key: read two parts
        words = [w for w in key_words(".".join(name.split(".")[-2:])) if not w.isdigit()]
    if not words:
        return False
    if any(pair in _PAIRS for pair in itertools.pairwise(words)):
        return True
    if words[-1] in _DESCRIBES or words[-1].rstrip("s") in _DESCRIBES:
        return False
    joined = [first + second for first, second in itertools.pairwise(words[-_CLOSE:])]
    if any(word.endswith(_STRONG) for word in (*words[-_CLOSE:], *joined)):  # DbPassWord too
        return True
    return len(words) >= 2 and words[-1] in _WEAK and words[-2] not in _PUBLIC_KEYS


def names_a_secret(name: str, value: str) -> bool:
    """Whether `value` under key `name` is the name of a Secret object, not a credential:
    the key ends in secret/credential and the value is a Kubernetes name with a `-` or `.`
    (`tlsSecret: longhorn.local-tls`, `existingSecret: db-creds`, `credential: aws-credential`)."""
    words = key_words(name.split(".")[-1])
    return (
        bool(words)
        and words[-1] in _NAMES
        and ("-" in value or "." in value)
        and _K8S_NAME.fullmatch(value) is not None
    )
