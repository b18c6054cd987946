"""Secrets by class, a second set (issue 68): where a value hides from rules that read it whole.

Issue 60's classes (`planted_classes.py`) say why a value is secret. These say how it arrives
disguised: a key word behind a domain prefix (an annotation), a token cut into pieces (a JWT's
signature on its own line), a token format with a rotation prefix, a token standing alone as a
URL's user, cookies as servers set them, connection strings whose value is braced or quoted, a
value on the line after its prompt, a text with Windows line ends or wrapped at a terminal's other
widths, a value inside an escaped string (JSON in JSON, `\\n` for a line break, HTML, URL
encoding), and key spellings the first set lacked. Every value is random from `SEED`, so any 12
characters of one found together (`planted_classes.leaked`) prove a leak.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable

from tests.hardening.planted_classes import Planted, wrap

SEED = 68
_RNG = random.Random(SEED)
_ALNUM = string.ascii_letters + string.digits
_B64URL = _ALNUM + "-_"


def _r(length: int, alphabet: str = _ALNUM) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(length))


def _password() -> str:
    """A password a person or a generator picks: a letter, then letters, digits, two symbols."""
    body = list(_r(_RNG.randint(11, 17)) + _r(1, string.digits) + _r(2, "!#%*+=~^._-"))
    _RNG.shuffle(body)
    return _r(1, string.ascii_letters) + "".join(body)


def _word_password() -> str:
    """A password of letters and digits only (what a braced or quoted value may hold is wider)."""
    return _r(1, string.ascii_letters) + _r(_RNG.randint(12, 18))


def _jwt_parts() -> tuple[str, str]:
    """A signed JWT's `header.payload` and its signature (the secret part: 43 base64url)."""
    return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ" + _r(30, _B64URL), _r(43, _B64URL)


Make = Callable[[], tuple[str, str]]
"""A shape: makes (the secret, the paste it arrives in)."""


def _with(template: Callable[[str], str], value: Callable[[], str] = _password) -> Make:
    def make() -> tuple[str, str]:
        secret = value()
        return secret, template(secret)

    return make


_PREFIXED_KEY: list[Make] = [
    _with(lambda v: f"metadata:\n  annotations:\n    foo.io/password: {v}\n  name: api"),
    _with(lambda v: f'"annotations": {{"acme.io/db-password": "{v}", "team": "shop"}}'),
    _with(lambda v: f"kubectl annotate deploy/api shop.example.com/api-token={v} --overwrite"),
    _with(lambda v: f"  vault.shop.io/client-secret: '{v}'\n  prometheus.io/scrape: 'true'"),
    _with(lambda v: f"Annotations:  ci.shop.io/registry-auth: {v}\n              owner: team-a"),
    _with(lambda v: f"labels: {{app: api}}, annotations: {{config.shop.io/secret-key: {v}}}"),
    _with(lambda v: f'  annotations:\n    backup.shop.io/s3-secret-access-key: "{v}"'),
]


def _jwt_signature_line(prefix: str) -> Make:
    def make() -> tuple[str, str]:
        head, signature = _jwt_parts()
        return signature, f"{prefix}{head}.\n{signature}\nerror: You must be logged in (401)"

    return make


def _jwt_after_backslash(template: Callable[[str], str]) -> Make:
    def make() -> tuple[str, str]:
        head, signature = _jwt_parts()
        return signature, template(f"{head}.{signature}")

    return make


_JWT_PIECES: list[Make] = [
    _jwt_signature_line("token: "),
    _jwt_signature_line("Authorization: Bearer "),
    _jwt_signature_line(""),
    _jwt_signature_line("    id-token: "),
    _jwt_after_backslash(lambda t: f"curl -s https://api.shop.io/v1/orders -H \\\n{t}"),
    _jwt_after_backslash(lambda t: f'{{"log":"sending token\\\\{t} to the api server"}}'),
    _jwt_after_backslash(lambda t: f'msg="auth failed for \\"{t}\\": token expired"'),
    _jwt_after_backslash(lambda t: f"kubectl --token=\\\n{t} get pods\nerror: Unauthorized"),
    _jwt_after_backslash(lambda t: f'{{"msg":"token:\\n{t}\\n","level":"error"}}'),
    _jwt_after_backslash(lambda t: f'echo "Authorization: Bearer \\\n{t}" >> headers.txt'),
]
_ROTATING_PREFIX: list[Make] = [
    _with(lambda v: f"SLACK_BOT_TOKEN=xoxe.xoxp-1-{v}", lambda: _r(140)),
    _with(lambda v: f"refreshed the app token: xoxe.xoxb-1-{v}", lambda: _r(140)),
    _with(lambda v: f"oauth.v2.access returned refresh_token xoxe-1-{v}", lambda: _r(110)),
    _with(lambda v: f"slack: invalid_auth for xoxe-1-{v} (rotated)", lambda: _r(110)),
    _with(
        lambda v: f'"token": "xoxc-{v}"',
        lambda: "-".join(_r(12, string.digits) for _ in (1, 2)) + "-" + _r(64, "0123456789abcdef"),
    ),
]
_ADO = "abcdefghijklmnopqrstuvwxyz234567"
_URL_USER_TOKEN: list[Make] = [
    _with(lambda v: f"git clone https://{v}@dev.azure.com/shop/api/_git/api", lambda: _r(52, _ADO)),
    _with(
        lambda v: (
            f"fatal: unable to access 'https://{v}@dev.azure.com/shop/_git/infra/': "
            "The requested URL returned error: 403"
        ),
        lambda: _r(52, _ADO),
    ),
    _with(lambda v: f"remote: https://{v}@shop.visualstudio.com/_git/web", lambda: _r(52, _ADO)),
    _with(
        lambda v: f"git push https://{v}@github.com/shop/api.git",
        lambda: _r(40, "0123456789abcdef"),
    ),
    _with(
        lambda v: f"SENTRY_DSN=https://{v}@o450123.ingest.sentry.io/5512345",
        lambda: _r(32, "0123456789abcdef"),
    ),
    _with(
        lambda v: f"url = https://{v}:x-oauth-basic@github.com/shop/infra.git",
        lambda: _r(40, "0123456789abcdef"),
    ),
]
_COOKIES: list[Make] = [
    _with(
        lambda v: f"< HTTP/2 302\n< set-cookie: _oauth2_proxy={v}; Path=/; HttpOnly\n< location: /"
    ),
    _with(lambda v: f"upstream sent header Set-Cookie: sid={v}; Secure; SameSite=Lax"),
    _with(lambda v: f'{{"headers": {{"Set-Cookie": ["session={v}; Path=/; HttpOnly"]}}}}'),
    _with(lambda v: f"{{'Set-Cookie': 'grafana_session={v}; Path=/'}}"),
    _with(lambda v: f"curl -b 'session={v}' https://argocd.shop.io/api/v1/applications"),
    _with(lambda v: f'curl --cookie "argocd.token={v}" https://argocd.shop.io/api/v1/session'),
    _with(lambda v: f'{{"name": "JSESSIONID", "value": "{v}", "domain": "shop.io"}}'),
    _with(lambda v: f'"headers": [{{"name": "Cookie", "value": "laravel_session={v}"}}]'),
]
_BRACED: list[Make] = [
    _with(lambda v: f"Driver={{ODBC Driver 18 for SQL Server}};Server=db;UID=sa;PWD={{{v};x}};"),
    _with(lambda v: f"Server=tcp:db.database.windows.net,1433;User ID=app;Password={{{v}}};"),
    _with(lambda v: f'Data Source=db;User Id=app;Password="{v};x";Encrypt=True'),
    _with(lambda v: f"jdbc:sqlserver://db:1433;databaseName=shop;user=app;password={{{v};}}"),
    _with(lambda v: f"jdbc:oracle:thin:app/{v}@db.shop.svc:1521/ORCLPDB1"),
    _with(lambda v: f"DSN=shop;Uid=app;Pwd={v};", _word_password),
    _with(lambda v: f"Driver={{PostgreSQL Unicode}};Server=db;Uid=app;Pwd={{{v}}}}}x}};"),
]
_PROMPT_NEXT_LINE: list[Make] = [
    _with(lambda v: f"$ mysql -h db -u root -p\nEnter password:\n{v}\nERROR 1045 (28000): denied"),
    _with(lambda v: f"Password: \n{v}\nsu: Authentication failure"),
    _with(lambda v: f"Password for user postgres: \n{v}\npsql: error: connection failed"),
    _with(lambda v: f"Enter passphrase for key '/root/.ssh/id_ed25519':\n{v}\nPermission denied"),
    _with(lambda v: f"Vault password:\n{v}\nERROR! Decryption failed (no vault secrets found)"),
    _with(lambda v: f"Enter host password for user 'admin':\n{v}\ncurl: (22) 401"),
    _with(lambda v: f"[sudo] password for alice:\n{v}\nSorry, try again."),
    _with(lambda v: f"Password (again):\n{v}\nPasswords do not match."),
]


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def _wrapped_at(width: int, template: Callable[[str], str], crlf: bool = False) -> Make:
    """A one-line context (its `PAD` filled) padded so a terminal `width` wide cuts its value
    in two, then wrapped (with Windows line ends when `crlf`)."""

    def make() -> tuple[str, str]:
        secret = _password()
        line = template(secret)
        pad = _FILLER[: -(line.index(secret) - len("PAD") + len(secret) // 2) % width]
        text = wrap(line.replace("PAD", pad), width)
        return secret, _crlf(text) if crlf else text

    return make


_FILLER = "checkout-payments-" * 12
_DSN = "dial PAD: postgres://app:{}@db.shop.svc:5432/orders?sslmode=disable: refused"
_LINE_ENDS: list[Make] = [
    _with(lambda v: _crlf(f"$ mysql -uroot -p{v} -h db\r\nERROR 1045 (28000): Access denied")),
    _with(lambda v: _crlf(f"Password for user postgres:\n{v}\npsql: error: failed")),
    _wrapped_at(80, lambda v: _DSN.format(v), crlf=True),
    _wrapped_at(100, lambda v: _DSN.format(v)),
    _wrapped_at(120, lambda v: f"E1128 10:02:11 1 db.go:42] PAD connect: DB_PASSWORD={v} bad"),
    _wrapped_at(132, lambda v: f'{{"level":"error","pod":"api-PAD","api_key":"{v}","msg":"401"}}'),
    _wrapped_at(80, lambda v: f"    env: PAD SECRET_KEY={v} set", crlf=True),
    _wrapped_at(
        100, lambda v: f"E1128 10:02 1 dial PAD: mysql://app:{v}@db:3306/shop refused", crlf=True
    ),
    _with(lambda v: _crlf(f"Enter Password:\n{v}\nsqlcmd: Error: Login failed for user 'sa'.")),
]
_ESCAPED: list[Make] = [
    _with(lambda v: f'{{"log":"Password:\\n{v}\\nsu: Authentication failure\\n"}}'),
    _with(lambda v: f'{{"msg":"{{\\"password\\":\\"{v}\\"}}","level":"error"}}'),
    _with(lambda v: f'"{{\\\\\\"db_password\\\\\\":\\\\\\"{v}\\\\\\"}}"'),
    _with(lambda v: f"POST /login body=user%3Dalice%26password%3D{v}%26next%3D%2F 401"),
    _with(lambda v: f'{{"form":"username\\u003dalice\\u0026password\\u003d{v}"}}'),
    _with(lambda v: f"&lt;password&gt;{v}&lt;/password&gt; rejected by the LDAP server"),
    _with(lambda v: f'{{"stdout":"DB_PASSWORD\\t{v}\\nDB_HOST\\tdb.shop.svc\\n"}}', _word_password),
    _with(lambda v: f'{{"body":"\\u0022password\\u0022:\\u0022{v}\\u0022"}}'),
    _with(lambda v: f'{{"msg":"Password:\\r\\n{v}\\r\\nLogin incorrect"}}'),
    _with(lambda v: f"&lt;add key=&quot;ApiSecret&quot; value=&quot;{v}&quot; /&gt;"),
]
_SPELLINGS: list[Make] = [
    _with(lambda v: f"curl -H 'x-api-key:{v}' https://api.shop.io/v1/orders"),
    _with(lambda v: f"DbPassWord: {v}\nDbHost: db.shop.svc"),
    _with(lambda v: f"$cred = ConvertTo-SecureString '{v}' -AsPlainText -Force"),
    _with(lambda v: f"net use Z: \\\\fs01\\share /user:SHOP\\svc-backup {v}\nSystem error 86"),
    _with(lambda v: f"PGPASSWORD={v} psql -h db -U app -c 'select 1'"),
    _with(lambda v: f"docker run -e POSTGRES_PASSWORD={v} -p 5432:5432 postgres:16"),
    _with(lambda v: f'helm upgrade api ./chart --set "auth.rootPassword={v}" -n shop'),
]
SHAPES: dict[str, list[Make]] = {
    "key behind a domain prefix": _PREFIXED_KEY,
    "JWT in pieces": _JWT_PIECES,
    "rotating token prefix": _ROTATING_PREFIX,
    "token as a URL's user": _URL_USER_TOKEN,
    "cookies": _COOKIES,
    "braced or quoted connection values": _BRACED,
    "prompt, then the value's line": _PROMPT_NEXT_LINE,
    "line ends and wraps": _LINE_ENDS,
    "escaped strings": _ESCAPED,
    "key spellings": _SPELLINGS,
}
MORE: dict[str, list[Planted]] = {
    name: [Planted(name, *make()) for make in makes] for name, makes in SHAPES.items()
}
ALL_MORE = [item for planted in MORE.values() for item in planted]
assert len(ALL_MORE) >= 76 and len({item.secret for item in ALL_MORE}) == len(ALL_MORE)
