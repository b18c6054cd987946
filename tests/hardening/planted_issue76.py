"""Secrets by class, a third set (issue 76): shapes that leaked through every path, and tracebacks.

Each value is random from `SEED` (any 12 characters of one found together prove a leak). The
classes: a password glued to `-p` on a command the command rules do not list; config grammars
whose key and value a space parts (Fluent Bit, HAProxy, postfix's sasl_passwd); the Jenkins
initial-password banner; collections assigned to a secret name (a frame's locals); a key word
the rules lacked (Spanish `clave`, Greek `κωδικός`), `login user/password`; and Python
tracebacks whose exception repeats what a frame that handled a secret held (`KeyError`,
`AssertionError`, pydantic's `input_value`), in the three ways a log brings them (as printed,
as a container runtime's JSON records, with escaped line breaks).
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable

from tests.hardening.planted_classes import Planted

SEED = 76
_RNG = random.Random(SEED)
_ALNUM = string.ascii_letters + string.digits


def _password() -> str:
    """Letters and digits with two symbols, starting with a letter: 14 to 20 characters."""
    body = list(
        "".join(_RNG.choice(_ALNUM) for _ in range(_RNG.randint(11, 17)))
        + _RNG.choice(string.digits)
        + "".join(_RNG.choice("!#%*+=~^._-") for _ in range(2))
    )
    _RNG.shuffle(body)
    return _RNG.choice(string.ascii_letters) + "".join(body)


def _hex(length: int) -> str:
    return "".join(_RNG.choice("0123456789abcdef") for _ in range(length))


Make = Callable[[], tuple[str, str]]


def _with(template: Callable[[str], str], value: Callable[[], str] = _password) -> Make:
    def make() -> tuple[str, str]:
        secret = value()
        return secret, template(secret)

    return make


def _docker(text: str) -> str:
    """`text` as Docker's json-file driver writes it: a JSON record per line."""
    return "\n".join(
        json.dumps(
            {"log": line + "\n", "stream": "stderr", "time": "2026-11-28T10:00:00Z"},
            separators=(",", ":"),
        )
        for line in text.split("\n")
        if line
    )


def _trace(frame: str, exception: str) -> Callable[[str], str]:
    """A Python traceback whose last frame's lines are `frame` and whose exception `exception`
    (each with `{}` where the secret stands)."""
    return lambda v: (
        "Traceback (most recent call last):\n"
        '  File "/app/service.py", line 88, in handle\n'
        "    return process(request)\n"
        '  File "/app/auth.py", line 41, in check\n'
        f"{frame.format(v)}\n{exception.format(v)}"
    )


_FLAGS: list[Make] = [
    _with(lambda v: f"sqsh -S db01 -U sa -p{v} -D shop\nLogin failed for user 'sa'."),
    _with(lambda v: f"$ ./backup.sh -u admin -p{v} --target s3://bkp\nerror: 401 Unauthorized"),
]
_CONFIG_GRAMMARS: list[Make] = [
    _with(lambda v: f"[OUTPUT]\n    Name        es\n    HTTP_User   elastic\n    HTTP_Passwd {v}"),
    _with(lambda v: f"[OUTPUT]\n    Name   loki\n    Passwd {v}\n    Port   3100"),
    _with(lambda v: f"userlist admins\n    user admin insecure-password {v}"),
    _with(lambda v: f"listen stats\n    bind :8404\n    stats auth admin:{v}"),
    _with(lambda v: f"# /etc/postfix/sasl_passwd\n[smtp.sendgrid.net]:587 apikey:{v}"),
    _with(lambda v: f"smtp.mailgun.org:587 postmaster@mg.shop.io:{v}\n$ postmap sasl_passwd"),
]
_JENKINS: list[Make] = [
    _with(
        lambda v: (
            "*" * 61 + "\n\nJenkins initial setup is required. An admin user has been created and "
            "a password generated.\nPlease use the following password to proceed to "
            f"installation:\n\n{v}\n\nThis may also be found at: "
            "/var/jenkins_home/secrets/initialAdminPassword\n\n" + "*" * 61
        ),
        lambda: _hex(32),
    ),
    _with(
        lambda v: (
            "Please use the following password to proceed to installation:\n"
            f"{v}\nThis may also be found at: /var/jenkins_home/secrets/initialAdminPassword"
        ),
        lambda: _hex(32),
    ),
]
_COLLECTIONS: list[Make] = [
    _with(lambda v: f"    creds = ('ci', '{v}')\nrequests.exceptions.HTTPError: 401"),
    _with(lambda v: f'credentials: ["deploy", "{v}"]'),
    _with(lambda v: f"auth = ['svc-backup', '{v}']  # set by the operator"),
]
_KEY_WORDS: list[Make] = [
    _with(lambda v: f"la base de datos no arranca, clave: {v}"),
    _with(lambda v: f"usuario: admin\nclave: {v}\nerror: acceso denegado"),
    _with(lambda v: f"κωδικός: {v}\nσφάλμα: άρνηση πρόσβασης"),
    _with(lambda v: f"Κωδικός πρόσβασης: {v}"),
    _with(lambda v: f"tried login admin/{v} on the grafana pod, still 401"),
    _with(lambda v: f"login: root/{v}\nPermission denied"),
]
_TRACES: list[Make] = [
    _with(_trace("    user = USERS[password]\n    password = '{}'", "KeyError: '{}'")),
    _with(_trace("    assert token == expected", "AssertionError: '{}' != 'other-token'")),
    _with(_trace("    session = connect(secret)", "ValueError: secret '{}' has expired")),
    _with(_trace("    login(api_key)", "PermissionError: api_key: {} is not allowed")),
    _with(
        _trace(
            "    conn = psycopg2.connect(password=pw)", "OperationalError: password '{}' rejected"
        )
    ),
    _with(_trace("    auth = creds", "ValueError: bad credentials ('ci', '{}')")),
    _with(
        lambda v: (
            "pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings\n"
            "db_password\n  String should have at least 20 characters [type=string_too_short, "
            f"input_value='{v}', input_type=str]"
        )
    ),
    _with(
        lambda v: _docker(
            _trace("    user = USERS[password]\n    password = '{}'", "KeyError: '{}'")(v)
        )
    ),
    _with(
        lambda v: _docker(_trace("    assert token == expected", "AssertionError: '{}' != 'x'")(v))
    ),
    _with(
        lambda v: _trace("    assert token == expected", "AssertionError: '{}' != 'x'")(v).replace(
            "\n", "\\n"
        )
    ),
    _with(
        _trace("    rows = db.query(dsn)\n    dsn = 'postgresql://app:{}@db/shop'", "TimeoutError")
    ),
    _with(_trace("    r = s.get(url, headers={{'Authorization': 'Bearer {}'}})", "HTTPError: 403")),
    _with(
        lambda v: (
            'Exception in thread "main" java.lang.RuntimeException: boom\n'
            f"Caused by: java.lang.IllegalStateException: bindPassword={v} rejected by LDAP\n"
            "\tat com.acme.Ldap.bind(Ldap.java:22)"
        )
    ),
    _with(lambda v: f"panic: auth failed with password={v}\n\ngoroutine 1 [running]:\nmain.main()"),
    _with(
        lambda v: (
            f"Error: login failed for token={v}\n    at Client.login (/app/client.js:10:11)\n"
            "    at main (/app/index.js:3:1)"
        )
    ),
]
SHAPES: dict[str, list[Make]] = {
    "a glued -p on an unlisted command": _FLAGS,
    "config grammars (Fluent Bit, HAProxy, postfix)": _CONFIG_GRAMMARS,
    "the Jenkins initial-password banner": _JENKINS,
    "collections assigned to a secret name": _COLLECTIONS,
    "clave, κωδικός, login user/password": _KEY_WORDS,
    "tracebacks": _TRACES,
}
ISSUE76: dict[str, list[Planted]] = {
    name: [Planted(name, *make()) for make in makes] for name, makes in SHAPES.items()
}
TRACES = ISSUE76["tracebacks"]
ALL_ISSUE76 = [item for planted in ISSUE76.values() for item in planted]
assert len({item.secret for item in ALL_ISSUE76}) == len(ALL_ISSUE76) == 34
