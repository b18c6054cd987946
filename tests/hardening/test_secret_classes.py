"""Secrets by class (issue 60): every planted value of every class is redacted in its paste, in
the one entry point everything goes through, and by every path the bot has (posts, the SQLite
file, logs, the agent hand-off); what only looks like a class stays as pasted.

The values are `tests/hardening/planted_classes.py`'s, drawn from a fixed seed: a leak is any 12
characters of one found together. MCP answers are checked in tests/mcp/test_match_error.py.
"""

from __future__ import annotations

import pytest

from responses.redaction import REDACTED, redact, redact_paste
from tests.hardening.planted_classes import (
    ALL,
    CLASSES,
    leaked,
    wrap,
)

STAYS: dict[str, list[str]] = {  # per class, lines that look near it and must stay as pasted
    "next line": [
        "Username:\nadmin",
        "auth:\n  enabled: true",
        "Token\nexpired",
        "pgpool-secret=\npod-template-hash=3384944305",
        "Secret\nshop-db-secret",
        "args:\n- --requirepass\n- $(REDIS_PASSWORD)",
        "    secretKeyRef:\n      name: db-creds",
        "Tokens:\n<none>",
        "existingSecret:\nshop-db-credentials",
    ],
    "block scalar": [
        "ca.crt: |\n  -----BEGIN CERTIFICATE-----\n  MIIBszCCAVmgAwIBAgIUJ",
        "config.yaml: |\n  debug: true",
    ],
    "prompt": [
        "Enter password:",
        "Password for user postgres:",
        "[sudo] password for alice:\nSorry, try again.",
        "Enter passphrase for key '/root/.ssh/id_ed25519': (typed, not shown)",
    ],
    "command arguments": [
        "htpasswd -c /etc/nginx/.htpasswd admin",
        "sqlplus / as sysdba",
        "docker run --user 1000:1000 nginx",
        "mc alias list",
        "curl -u admin https://nexus.shop/status",
        "echo $DB_PASSWORD | kubectl create secret generic db --from-file=-",
        "failed to connect default/api-server: connection refused",
    ],
    "SQL": [
        "ERROR 1045 (28000): Access denied for user 'app'@'10.0.0.7' (using password: YES)",
        "ALTER ROLE app WITH LOGIN;",
        'FATAL:  password authentication failed for user "app"',
    ],
    "file grammar": [
        "Using default password for dashboard 'admin' user.",
        "# requirepass foobared",
        "(error) NOAUTH Authentication required.",
        "machine learning workloads need GPUs",
    ],
    "credentials CSV": [
        "NAME,READY,STATUS\napi-0,1/1,Running",
        "Access key ID,Status\nAKIAIOSFODNN7EXAMPLE,Active",
    ],
    "/proc environ": ["PATH=/usr/bin\x00HOME=/root\x00HOSTNAME=api-0\x00"],
    "URL user-info": [
        "https://registry.npmjs.org:443/@babel/core",
        "redis://redis-master:6379/0",
        "git@github.com:shop/app.git",
        "https://nexus.shop:8443/repository/@scope/pkg",
    ],
    "key block": [
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUJ\n-----END CERTIFICATE-----",
        "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPublic-Lines: 2",
        '{"kty":"RSA","kid":"signing-1","use":"sig","e":"AQAB"}',
    ],
    "token prefix": [
        "pip install xai-sdk",
        "set TS_AUTHKEY to a tskey-auth key",
        "apiVersion: v2.local.cluster",
    ],
    "prose": [
        "the token is expired",
        "the password is correct.",
        "the secret is db-credentials",
        "the token is valid for 3600 seconds",
        "the password is base64 encoded",
        "passing the token to client-go",
        "the api_key field is missing",
        "the password is stored in vault",
        "the password is rotated daily",
        "set key_file /etc/ssl/tls.key",
    ],
    "languages": ["Passwort vergessen?", "la contraseña es incorrecta", "密码错误"],
    "entropy": [
        "web-frontend-6f9d4b7c8-2lqzv   0/1   CreateContainerConfigError",
        "-j cali-pi-_DGlcbEzkd1cvh5X1F7M",
        "podUID=6732bb83-9823-4a89-bfd8-e3c93ee5d0db",
        "volume kube-api-access-x2x4z",
        "existing_secret = self.kube_api.read_namespaced_secret(namespace=ns)",
    ],
}


_TOKEN = "Zq3Xw9Lm2Pk7Rt5Yv8Nb1Hc6Jd4Fg0Ks2Lq9Wx7Ez3Ty5Up1"
MORE: list[tuple[str, str]] = [  # (secret, its line): shapes of the classes beyond the planted set
    ("Xk9#mq2Lp0zzQ", "rclone config create r s3 key_id AKIA1 secret_access_key Xk9#mq2Lp0zzQ"),
    ("Vb7mq2Lp0zzQx", 'db.changeUserPassword("app", "Vb7mq2Lp0zzQx")'),
    ("Hq4mq2Lp0zzQy", "비밀번호는 Hq4mq2Lp0zzQy 입니다"),
    (_TOKEN, f"nvapi-{_TOKEN}"),
    (_TOKEN[:36], f"googleapi: 401 ya29.a0Af{_TOKEN[:36]}"),
    (_TOKEN[:42], f"refresh_token: 1//0g{_TOKEN[:42]}"),
    ("Kq2mq2Lp0zzQa", "DB_PASSWORD=\nKq2mq2Lp0zzQa"),
    ("Kq3mq2Lp0zzQb", "Password\nKq3mq2Lp0zzQb"),
    ("letmeinplease", "[sudo] password for alice: letmeinplease"),
    ("letmeinnow", "I reset it, the password is letmeinnow"),
    ("Kq4mq2Lp0zzQc", "ETCDCTL_USER=root:Kq4mq2Lp0zzQc etcdctl get / --prefix"),
    ("Kq5mq2Lp0zzQd", "SET PASSWORD FOR 'app'@'%' = 'Kq5mq2Lp0zzQd';"),
    ("Kq6mq2Lp0zzQe", "rman target sys/Kq6mq2Lp0zzQe@orcl"),
    ("Kq7mq2Lp0zzQf", "<auth-user-pass>\nalice\nKq7mq2Lp0zzQf\n</auth-user-pass>"),
    ("1a2b3c4d5e6f7g8h9i0j", "tailscale up --authkey tskey-1a2b3c4d5e6f7g8h9i0j"),
    ("Kq8mq2Lp0zzQg", "contrasenya: Kq8mq2Lp0zzQg"),
    ("Kq9mq2Lp0zzQh", 'args: ["--requirepass", "Kq9mq2Lp0zzQh"]'),
    ("Kr1mq2Lp0zzQi", 'args:\n- --requirepass\n- Kr1mq2Lp0zzQi\n- --port\n- "6379"'),
]


def test_the_planted_set_has_every_class_and_over_three_hundred_values() -> None:
    assert len(ALL) >= 300 and all(len(planted) >= 24 for planted in CLASSES.values())
    assert set(STAYS) | {"wrapped at 80 columns"} == set(CLASSES)


@pytest.mark.parametrize("klass", sorted(CLASSES))
def test_every_value_of_a_class_is_redacted_in_its_paste(klass: str) -> None:
    for item in CLASSES[klass]:
        once = redact(item.paste)
        assert not leaked(item.secret, once), once
        assert not leaked(item.secret, redact_paste(item.paste))
        # idempotent: a second pass finds nothing
        assert REDACTED in once and redact(str(once)) == once


@pytest.mark.parametrize("klass", sorted(STAYS))
def test_what_only_looks_like_a_class_stays(klass: str) -> None:
    for text in STAYS[klass]:
        assert redact(text) == text


@pytest.mark.parametrize(("secret", "line"), MORE)
def test_more_shapes_of_the_classes_are_redacted(secret: str, line: str) -> None:
    assert not leaked(secret, redact(line))


def test_a_wrapped_secret_goes_from_both_pieces_and_the_lines_stay() -> None:
    """Stored, logged or posted text keeps its lines; the answer's view joins them and keeps
    one mark."""
    secret = "Pl4ntedWr4pped+Passw0rd!"
    line = (
        "E1128 10:02:11.123 1 db.go:42] checkout-payments connect failed: "
        f"DB_PASSWORD={secret} rejected"
    )
    wrapped = wrap(line)
    assert wrapped.split("\n")[1] == "ntedWr4pped+Passw0rd! rejected"  # cut inside the secret
    stored = redact(wrapped)
    assert stored.split("\n") == [
        f"E1128 10:02:11.123 1 db.go:42] checkout-payments connect failed: DB_PASSWORD={REDACTED}",
        f"{REDACTED} rejected",
    ]
    assert redact_paste(wrapped) == line.replace(secret, REDACTED)
