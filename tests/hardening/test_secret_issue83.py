"""Issue 83's leftovers: the secret shapes that still leaked, and tracebacks that quoted their
secret, are redacted where they arrive; each shape with a typed password and a hex token (the two
styles the randomness rule cannot see) and what only looks like them stays as pasted.

The classes, not a list of leaks: a value an error message quotes right after words naming a
credential (`token "x" is malformed`, `header value: ' x'`) or that a base64 decoding refused; a
`user:password` after an option taking credentials (`--user`, `--auth`, httpie's `-a`, curl's
`-E cert:x`, `addauth digest`); a command's credential argument by its place (SNMP's community,
`openssl enc -k`, `net user NAME x /add`, `cmdkey /pass:`, `echo x | sudo -S`, `cargo login`,
poetry's and composer's auth settings, a MicroK8s join token, PDO's password); a command that
prints a secret above it (`terraform output -raw db_password`, `headscale preauthkeys create`);
a key naming a seed phrase (`mnemonic:`); hex after `private key`; Kubernetes' token file.
"""

from __future__ import annotations

import pytest

from bot.diagnosis.paste import diagnose_paste
from responses.answer_build import answer_view
from responses.redaction import REDACTED, redact_paste
from responses.text import render_text
from tests.catalogs import builtin_matcher
from tests.hardening.planted_classes import leaked

TYPED, HEX = "Tr0ub4dor-Rover77", "9f86d081884c7d659a2feaa0c55ad015"
SHAPES = {
    "terraform output -raw": "$ terraform output -raw db_password\n{}",
    "headscale preauth key": "$ headscale preauthkeys create --user ops --reusable\n{}",
    "microk8s join": "microk8s join 10.0.0.5:25000/{}/9f8e7d6c5b4a",
    "bip39 mnemonic": "mnemonic: abandon ability able about above absent absorb {} access",
    "token csv": '{},admin,admin,"system:masters"',
    "zookeeper addauth": "[zk: localhost:2181(CONNECTED) 0] addauth digest super:{}",
    "snmpwalk -c": "snmpwalk -v2c -c {} 10.0.0.1 system",
    "openssl enc -k": "openssl enc -aes-256-cbc -salt -k {} -in db.sql -out db.sql.enc",
    "curl -E": "curl -E client.pem:{} https://api.internal/healthz",
    "httpie -a": "http -a admin:{} GET https://api.internal/users",
    "ctr --user": "ctr images pull --user admin:{} registry.local/app:1.2",
    "net user /add": "net user backup {} /add",
    "cmdkey /pass:": "cmdkey /generic:srv01 /user:admin /pass:{}",
    "sudo -S": "echo {} | sudo -S systemctl restart kubelet",
    "poetry http-basic": "poetry config http-basic.internal admin {}",
    "cargo login": "cargo login {}",
    "composer github-oauth": "composer config -g github-oauth.github.com {}",
    "php pdo": "$db = new PDO('mysql:host=db;dbname=shop', 'root', '{}');",
    "0x private key": "private key: 0x{0}{0}",
    "requests InvalidHeader": (
        "requests.exceptions.InvalidHeader: Invalid leading whitespace, reserved character(s), "
        "or return character(s) in header value: ' {}'"
    ),
    "java base64": (
        "java.lang.IllegalArgumentException: Illegal base64 character 2d in {}\n"
        "\tat java.base/java.util.Base64$Decoder.decode0(Base64.java:746)"
    ),
    "go panic token": 'panic: auth: token "{}" is malformed\n\ngoroutine 1 [running]:',
    "python invalid token": (
        "Traceback (most recent call last):\n"
        '  File "/app/auth.py", line 12, in check\n'
        "    raise ValueError(f\"invalid token '{{token}}'\")\n"
        "ValueError: invalid token '{}'"
    ),
    "node api key": 'Error: Request failed: invalid API key: "{}"\n    at Client.call (client.js:41:11)',
}
STYLES = {"typed": TYPED, "hex": HEX}
STAYS = [
    'MountVolume.SetUp failed for volume "certs" : secret "db-credentials" not found',
    'Error: create: failed to create: Secret "sh.helm.release.v1.shop.v1" is invalid: data: Too long',
    'FATAL:  password authentication failed for user "postgres"',
    '[discovery] Failed to connect to API Server: token id "dwjwgo" is invalid for this cluster',
    "Error: secret 'DB_PASSWORD' is missing in the environment",
    "docker run --user 1000:1000 nginx",
    "skopeo inspect [--creds=<user>:<pass>] docker://<registry>/<image>",
    "sha256 digest 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 verified",
]


def _secret(style: str, shape: str) -> str:
    return STYLES[style][:16] if "private key" in shape else STYLES[style]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("shape", SHAPES)
def test_the_shape_is_redacted_where_it_arrives(shape: str, style: str) -> None:
    paste = SHAPES[shape].format(_secret(style, shape))
    redacted = redact_paste(paste)
    assert not leaked(_secret(style, shape), redacted), redacted
    assert REDACTED in redacted


@pytest.mark.parametrize("shape", [name for name in SHAPES if "\n" in SHAPES[name]])
def test_a_traceback_s_answer_quotes_no_secret(shape: str) -> None:
    paste = SHAPES[shape].format(TYPED)
    diagnosis = diagnose_paste(builtin_matcher(), redact_paste(paste), top=3)
    shown = render_text(diagnosis, verbose=True) + repr(answer_view(diagnosis))
    assert not leaked(TYPED, shown), shown


@pytest.mark.parametrize("line", STAYS)
def test_what_only_looks_like_them_stays_as_pasted(line: str) -> None:
    assert redact_paste(line) == line
