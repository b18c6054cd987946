"""Redaction by principle: by position, by shape, by armour; and nothing more than must go.

Table-driven; one comment per case on why it is (not) redacted. The planted sets
(`tests/hardening/planted_*.py`, 400+ secrets in the lines they arrive in) are checked
whole here and through every route in tests/hardening/test_secrets_at_rest.py.
"""

from __future__ import annotations

import runpy
import tomllib
from pathlib import Path

import pytest

from bot.diagnosis.paste import diagnose_paste
from intents.matcher import Matcher
from responses.redaction import REDACTED, redact, redact_paste, rules_gitleaks, rules_refresh
from responses.redaction.entropy import looks_random
from responses.redaction.words import is_secret_key, names_a_secret
from tests.corpus_cases import case_files
from tests.hardening.planted_attacker import ATTACKER
from tests.hardening.planted_secrets import PLANTED, SECRETS
from tests.hardening.safe_shapes import SAFE

R = REDACTED
ROOT = Path(__file__).resolve().parents[2]

POSITIONS = [
    # Any Authorization scheme: the scheme word stays, everything after it goes.
    ("Authorization: SSWS 00abcDEF123ghiJKL456", f"Authorization: SSWS {R}"),
    (
        'curl -H "Authorization: ApiKey VnVhQ2ZHY0JDZGJrU" https://es:9200',
        f'curl -H "Authorization: ApiKey {R}" https://es:9200',
    ),
    # A raw value without a scheme goes whole.
    ("authorization: 0123abcd", f"authorization: {R}"),
    # Capitalised mid-line is a header; lowercase prose is not ("may require authorization: ...").
    ("notify: Authorization: GenieKey 1e84-31", f"notify: Authorization: GenieKey {R}"),
    (
        "may require authorization: server message: insufficient_scope: authorization failed",
        "may require authorization: server message: insufficient_scope: authorization failed",
    ),
    # Go's %+v struct: the field's value, nothing around it.
    (
        "cfg: &{Host:db Password:hunter2x SSLMode:disable}",
        f"cfg: &{{Host:db Password:{R} SSLMode:disable}}",
    ),
    # YAML flow maps and JS objects.
    ("auth: {username: app, password: hunter2x}", f"auth: {{username: app, password: {R}}}"),
    ("{ user: 'app', password: 'hunter2x' }", f"{{ user: 'app', password: '{R}' }}"),
    # Ruby and PHP arrows.
    ('{:password=>"hunter2x"}', f'{{:password=>"{R}"}}'),
    ("array('password' => 'hunter2x')", f"array('password' => '{R}')"),
    # Keys that read as harmless words: PagerDuty's routing_key, Vault's secret_id, a DSN.
    ('{"routing_key": "e93facc04764012d7bfb002500d5d1a6"}', f'{{"routing_key": "{R}"}}'),
    (
        "vault write auth/approle/login role_id=r secret_id=6a1e-22",
        f"vault write auth/approle/login role_id=r secret_id={R}",
    ),
    # A key at a line's start owns the line's value, spaces and all.
    ("password: correct horse battery", f"password: {R}"),
    # Clients whose password flag is a bare letter.
    (
        "mongo -u admin -p s3cr3tX --authenticationDatabase admin",
        f"mongo -u admin -p {R} --authenticationDatabase admin",
    ),
    (
        "sqlcmd -S db -U sa -P 'Pa55w0rd!' -Q 'SELECT 1'",
        f"sqlcmd -S db -U sa -P '{R}' -Q 'SELECT 1'",
    ),
    ("ldapsearch -x -D cn=admin -w s3cr3tX -b dc=x", f"ldapsearch -x -D cn=admin -w {R} -b dc=x"),
    ("smbclient //nas/share -U admin%s3cr3tX", f"smbclient //nas/share -U admin%{R}"),
    # Other languages: the key in any script, a full-width colon.
    ("数据库连接失败，密码：abc123xyz", f"数据库连接失败，密码：{R}"),
    ("Пароль: abc123xyz", f"Пароль: {R}"),
    ("mot de passe : abc123xyz", f"mot de passe : {R}"),
    # URL userinfo and query.
    (
        "https://bob:hunter2x@git.shop/x.git?private_token=abc123",
        f"https://bob:{R}@git.shop/x.git?private_token={R}",
    ),
]

KEPT = [
    # Placeholders and masks are no secrets (and show what the user meant).
    "curl -H 'Authorization: Bearer $TOKEN' https://api",
    'cookieSecret: "xxxx"',
    "adminPassword: #########",
    "certificate-authority-data: DATA+OMITTED",
    "MYSQL_RANDOM_ROOT_PASSWORD:  yes",
    # A key ending in secret whose value is a Kubernetes name names a Secret object.
    "  tlsSecret: longhorn.local-tls",
    # Prose around flags and keys.
    "WARNING! Using --password via the CLI is insecure. Use --password-stdin.",
    "I1216 ratelimit.go:55] qps=100 burstTokens=10",
    'etcdserver: request "header:<ID:1 username:\\"etcd\\" auth_revision:1 > txn:<compare',
    "take a look at the logs (`kubectl logs -p podname containername`) of the mariadb one",
    'Failed to pull image "rmeuser-auth:latest": pull access denied',
    "1 node(s) had taint {key1: value1}, that the pod didn't tolerate",
    "E0611 token_manager.go:121] couldn't update token cache: token expired",
    # Status conditions whose name holds "auth" far from its end.
    'OAuthServerRouteEndpointAccessibleControllerAvailable: Get "https://oauth/healthz": EOF',
    # A vendor's name near an object name is no key (CrashLoopBackOff after "confluent").
    "confluent-cp-kafka-0       0/1     CrashLoopBackOff   32 (118s ago)   154m",
    # Hashes near a vendor word stay: a commit SHA, an image digest.
    "sourcegraph/deploy-sourcegraph-dogfood-k8s/commit/783b60719b3e83ce16777fdd7ff10670e83b11e5",
    # SSH public keys and certificates are public.
    "publicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----",
    # Event names (name.hex) and Java packages are not bootstrap tokens.
    "httpd-1-deploy.1557b6b0ee3623a4   Pod   Normal   Pulled",
    "a bean of type 'org.apache.dolphinscheduler.plugin.storage.api.StorageOperate'",
]


@pytest.mark.parametrize(("text", "expected"), POSITIONS)
def test_the_whole_value_of_a_credential_position_goes_in_any_syntax(
    text: str, expected: str
) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_what_only_looks_near_a_credential_stays(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The tail of a log: only the END line is left; the key goes from its first base64 line.
        (
            "E1126 tail\nMIIEowIBAAKCAQEAwJb2kvH5s8gV1\nq9z3RmZ0pQkCgYEA4u7e2Lq==\n-----END RSA PRIVATE KEY-----\nnext",
            f"E1126 tail\n{R}\n-----END RSA PRIVATE KEY-----\nnext",
        ),
        # The head of a paste: the END line never came; the lines after the key stay.
        (
            (
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\nAAAAC3NzaC1lZDI1NTE5AAAAI==\n"
                "Error: ssh: handshake failed"
            ),
            f"-----BEGIN OPENSSH PRIVATE KEY-----\n{R}\nError: ssh: handshake failed",
        ),
        # Inside a JSON string with escaped line breaks, cut before BEGIN.
        (
            '{"key":"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\nBKcwggSjAgEAAoIBAQC7==\\n-----END PRIVATE KEY-----\\n"}',
            f'{{"key":"{R}\\n-----END PRIVATE KEY-----\\n"}}',
        ),
        # A PGP block: armour headers and body go, the armour lines stay.
        (
            (
                "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\nlQOYBF5Zf8ABCADg7Hq2kfQ1\n=Xk2f\n"
                "-----END PGP PRIVATE KEY BLOCK-----"
            ),
            f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n{R}\n-----END PGP PRIVATE KEY BLOCK-----",
        ),
    ],
)
def test_a_key_block_cut_at_either_end_goes_from_its_first_base64_line(
    text: str, expected: str
) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("token", "random"),
    [
        ("Kq7Xc2LmN9pRt4Vw8ZyB3sHd", True),  # letters of both cases and digits, no words: chance
        ("laOElFJHKsXUYx8hy7itaD8qm4oocHj+pqJV6XUcvNU", True),  # base64 with + inside
        ("AmazonEC2ContainerRegistryReadOnly", False),  # words run together
        ("tryLoadK8sPodDefaultNetwork", False),  # an identifier with a digit
        ("01JSQ54FXDPZ5Z75T5NFCKS5ZM", False),  # a ULID
        (
            "6329fba85f659b362927801fb9a3baea98688791d01630ea7b25d79deb9e0053",
            False,
        ),  # hex: a digest
        ("iZbp19lce9chqq1glegm26Z", False),  # an Alibaba node name: one case
        ("workspacemqq71m0z7nwrrp1n", False),  # lower case only: a name
    ],
)
def test_randomness_is_judged_by_mixed_classes_short_words_and_entropy(
    token: str, random: bool
) -> None:
    assert looks_random(token) is random


def test_a_random_token_in_prose_goes_but_a_generated_name_stays() -> None:
    assert redact("rejected token Kq7Xc2LmN9pRt4Vw8ZyB3sHd today") == f"rejected token {R} today"
    volume = "resize volume /dev/vg_ssd/csi-v-laOElFJHKsXUYx8hy7itaD8qm4oocHj+pqJV6XUcvNU: failed"
    assert redact(volume) == volume


@pytest.mark.parametrize(
    ("shape", "value", "line"), SAFE, ids=[f"{s}: {v[:24]}" for s, v, _ in SAFE]
)
def test_evidence_of_a_safe_shape_stays_as_pasted(shape: str, value: str, line: str) -> None:
    assert value in redact(line)


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("数据库密码", True),
        ("contraseña", True),
        ("Passwort", True),
        ("пароль", True),
        ("routing_key", True),
        ("secret_id", True),
        ("sentry_dsn", True),
        ("ConnectionStrings__Default", True),
        ("sessionCookie", True),
        ("private_key", True),
        ("auth", True),
        ("keyPassphrase", True),
        ("auth_revision", False),
        ("burstTokens", False),
        ("imagePullSecrets", False),
        ("key1", False),
        ("PASS_DEVICE_SPECS", False),
        ("sessionAffinity", False),
        ("kubernetes_secret.admin_panel", False),
        ("OAuthServerRouteEndpointAccessibleControllerAvailable", False),
        ("AWS_ACCESS_KEY_ID", False),
    ],
)
def test_a_key_is_a_credential_by_its_words_in_any_case_style_or_language(
    name: str, secret: bool
) -> None:
    assert is_secret_key(name) is secret


def test_a_secret_key_whose_value_is_an_object_name_names_a_secret_object() -> None:
    assert names_a_secret("existingSecret", "anchore-passwords")
    assert not names_a_secret("clientSecret", "Kq7Xc2LmN9pRt4")  # not a Kubernetes name
    assert not names_a_secret("dbPassword", "db-password")  # a password can look like anything


@pytest.mark.parametrize("kind", sorted(ATTACKER))
def test_every_shape_an_attacker_picks_is_redacted_in_its_line(kind: str) -> None:
    secret, line = ATTACKER[kind]
    assert secret not in redact(line)


def test_the_planted_set_is_over_three_hundred_and_none_survives_in_one_paste() -> None:
    pasted = "\n".join(PLANTED.values())
    redacted = redact_paste(pasted)
    assert len(SECRETS) >= 300
    assert [kind for kind, secret in SECRETS.items() if secret in redacted] == []
    assert redact(redacted) == redacted  # idempotent: stored twice, changed once


def test_the_rule_table_is_generated_from_a_gitleaks_config_with_its_source(tmp_path: Path) -> None:
    """The generator turns a gitleaks config into the table: a vendor-word rule gets its
    `:nearby` form, rules kubemedic covers by position are left out, the source is named."""
    config = tomllib.loads("""
[allowlist]
regexes = ['''^true$''']
[[rules]]
id = "mailgun-private-api-token"
regex = '''(?i)[\\w.-]{0,50}?(?:mailgun)(?:[ \\t\\w.-]{0,20})[\\s'"]{0,3}(?:=|>|:{1,3}=|\\|\\||:|=>|\\?=|,)[\\x60'"\\s=]{0,5}(key-[a-f0-9]{32})(?:[\\x60'"\\s;]|\\\\[nr]|$)'''
keywords = ["mailgun"]
[[rules]]
id = "generic-api-key"
regex = '''x'''
keywords = ["key"]
""")
    text = rules_refresh.render(config, "gitleaks vTEST")
    (tmp_path / "generated.py").write_text(text)
    namespace = runpy.run_path(str(tmp_path / "generated.py"))  # the generated module, as written
    ids = [rule[0] for rule in namespace["RULES"]]
    assert ids == ["mailgun-private-api-token", "mailgun-private-api-token:nearby"]
    assert namespace["SOURCE"] == "gitleaks vTEST" and "do not edit" in text
    assert rules_gitleaks.SOURCE.startswith("gitleaks v8.")
    assert len(rules_gitleaks.RULES) >= 200


def test_the_labelled_cases_answer_the_same_raw_and_redacted(matcher: Matcher) -> None:
    """Every case under tests/corpus/cases (and the packs' cases) that redaction changes keeps its answer (the bench
    `python -m bench.redact_answers` does the same on every real paste)."""
    changed, moved = 0, []
    for path in case_files():
        text = path.read_text(errors="replace")
        redacted = redact_paste(text)
        if redacted == text:
            continue
        changed += 1
        answers = [
            tuple(f.match.id for f in diagnose_paste(matcher, t, top=3).answers)
            for t in (text, redacted)
        ]
        if answers[0] != answers[1]:
            moved.append((path.name, *answers))
    assert changed >= 1 and moved == []
