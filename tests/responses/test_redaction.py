"""Secret redaction, table by table: one table per class of case, one test per table that walks it.

Each row is (its name, the case): the name says why the text is (or is not) redacted, and a test
that fails names every row that failed, with what redaction made of it. The tables: texts and
what redaction leaves of them (`REDACTED`: every syntax of a credential position, a token's
shape, a key block's armour, an env list); texts it leaves alone (`KEPT`, and the ordinary lines
near planted secrets); which field names hold a secret (`SECRET_KEYS`); which tokens read as
random (`RANDOMNESS`); the evidence of the safe shapes (tests/hardening/safe_shapes.py); the
planted kinds and the shapes an attacker picks, each in its real line
(tests/hardening/planted_secrets.py, planted_attacker.py); and a megabyte of each adversarial
unit (`ADVERSARIAL`). The planted sets are also run through every path of the bot
(tests/hardening/test_secret_paths.py).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.diagnosis.paste import diagnose_paste
from intents.matcher import Matcher
from responses.redaction import REDACTED, redact, redact_paste, rules_gitleaks, rules_refresh
from responses.redaction.entropy import looks_random
from responses.redaction.words import is_secret_key, names_a_secret
from tests.corpus_cases import case_files, multi_cases, positive_cases, read_case
from tests.hardening.planted_attacker import ATTACKER
from tests.hardening.planted_secrets import ORDINARY, PLANTED, SECRETS
from tests.hardening.safe_shapes import SAFE

R = REDACTED
ROOT = Path(__file__).resolve().parents[2]

REDACTED: list[tuple[str, str, str]] = [  # (why, text, what redaction leaves of it)
    (
        "Bearer token in a curl header: the scheme word stays, the token goes",
        'curl -H "Authorization: Bearer abc.def-123" https://api',
        f'curl -H "Authorization: Bearer {R}" https://api',
    ),
    (
        'A bare "bearer <token>" outside any header',
        "request failed with bearer eyZ0abc123XYZ",
        f"request failed with bearer {R}",
    ),
    ("Basic auth header value", "Authorization: Basic dXNlcjpwYXNz", f"Authorization: Basic {R}"),
    (
        "Any other Authorization scheme or raw value",
        "authorization=AWS4-HMAC-SHA256 Credential=x",
        f"authorization=AWS4-HMAC-SHA256 {R}",
    ),
    (
        "Proxy-Authorization is an Authorization header too",
        "Proxy-Authorization: Negotiate YIIabc",
        f"Proxy-Authorization: Negotiate {R}",
    ),
    ("JSON header map", '{"Authorization": "Bearer abc"}', f'{{"Authorization": "Bearer {R}"}}'),
    (
        "Credentials in a URL: the user stays readable, the password goes",
        "git clone https://bob:hunter2@github.com/x.git",
        f"git clone https://bob:{R}@github.com/x.git",
    ),
    (
        "A URL with an empty user (redis, postgres)",
        "redis://:s3cret@redis:6379/0",
        f"redis://:{R}@redis:6379/0",
    ),
    (
        "Slack bot, user and app-level tokens",
        "SLACK xoxb-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        f"SLACK {R}",
    ),
    (
        "Slack bot, user and app-level tokens (2)",
        "xoxp-1234567890123-1234567890123-1234567890123-5ba047e7f9e50a2ec7342fe128d8cc74",
        R,
    ),
    (
        "Slack bot, user and app-level tokens (3)",
        "app token xapp-1-A0123-456789-abcdef",
        f"app token {R}",
    ),
    (
        "AWS access key ids (long-term AKIA and temporary ASIA)",
        "key AKIAQYLPMN5HHHFPZAM2 used",
        f"key {R} used",
    ),
    ("AWS access key ids (long-term AKIA and temporary ASIA) (2)", "ASIAY34FZKBOKMUTVV7A", R),
    (
        "AWS secret access key in a credentials file",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        f"aws_secret_access_key = {R}",
    ),
    (
        "Env form of the same",
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        f"AWS_SECRET_ACCESS_KEY={R}",
    ),
    (
        "JSON password, the quotes kept so the text stays readable",
        '{"password": "hunter 2", "user": "bob"}',
        f'{{"password": "{R}", "user": "bob"}}',
    ),
    (
        "JSON escaped inside a log line",
        'msg="{\\"password\\":\\"x y\\"}"',
        f'msg="{{\\"password\\":\\"{R}\\"}}"',
    ),
    ("A Python dict repr", "{'api_key': 'abc'}", f"{{'api_key': '{R}'}}"),
    ("YAML at the start of a line", "password: hunter2", f"password: {R}"),
    ("YAML at the start of a line (2)", "  passwd: hunter2", f"  passwd: {R}"),
    ("YAML at the start of a line (3)", "secret: abc123", f"secret: {R}"),
    ("YAML at the start of a line (4)", "apikey: abc", f"apikey: {R}"),
    ("Env dump with a prefixed key", "DB_PASSWORD=hunter2 other=1", f"DB_PASSWORD={R} other=1"),
    ("Env dump with a prefixed key (2)", "pwd=abc", f"pwd={R}"),
    ('Query strings stop at "&"', "GET /cb?token=abc123&state=1", f"GET /cb?token={R}&state=1"),
    (
        'Query strings stop at "&" (2)',
        "https://x/api?api_key=abc&page=2",
        f"https://x/api?api_key={R}&page=2",
    ),
    (
        "Command-line flags",
        "--client_secret=abc --client-secret=def",
        f"--client_secret={R} --client-secret={R}",
    ),
    ("An HTTP header at line start", "X-Api-Key: abc123", f"X-Api-Key: {R}"),
    (
        "Kubeconfig certificate and key data",
        "    client-key-data: LS0tLS1CRUdJTg==",
        f"    client-key-data: {R}",
    ),
    (
        "Kubeconfig certificate and key data (2)",
        "    client-certificate-data: LS0tLS1C",
        f"    client-certificate-data: {R}",
    ),
    (
        "Kubeconfig certificate and key data (3)",
        "    certificate-authority-data: LS0tQ==",
        f"    certificate-authority-data: {R}",
    ),
    (
        "A token in a kubeconfig users: section",
        "users:\n- name: a\n  user:\n    token: abcdef",
        f"users:\n- name: a\n  user:\n    token: {R}",
    ),
    (
        "A PEM private key block; the lines around it survive",
        (
            "x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi\nZ1BjP5CE/Wm/Rr500P==\n"
            "-----END RSA PRIVATE KEY-----\ny"
        ),
        f"x\n-----BEGIN RSA PRIVATE KEY-----\n{R}\n-----END RSA PRIVATE KEY-----\ny",
    ),
    (
        "A PEM key inside JSON with escaped newlines (a GCP service-account file)",
        '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n"',
        f'"private_key": "{R}"',
    ),
    (
        "A truncated paste: a key block that never ends is redacted to the end",
        "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oLlQ",
        f"-----BEGIN EC PRIVATE KEY-----\n{R}",
    ),
    (
        "A JWT (Kubernetes service-account tokens are JWTs)",
        "token eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlLXBhcnQ end",
        f"token {R} end",
    ),
    ("GitHub tokens, classic and fine-grained", "ghp_Vy4lybI7gomvfUYjMHXtHMxkPG0n7O6yXoTT", R),
    ("GitHub tokens, classic and fine-grained (2)", "gho_Vy4lybI7gomvfUYjMHXtHMxkPG0n7O6yXoTT", R),
    (
        "GitHub tokens, classic and fine-grained (3)",
        "github_pat_11AJKL2WQ0abCDEFghijKL_mnOPqrsTUvwXYz0123456789abcdefGHIJKLmnopQRSTuvwxYZ012345678",
        R,
    ),
    ("Docker config auth (base64 of user:password)", '"auth": "dXNlcjpwYXNz"', f'"auth": "{R}"'),
    (
        '--- issue 12: what was posted verbatim under "Why this match" --- `kubectl get secret web-tls -o yaml`: keys without a secret-ish word, base64 values',
        (
            "apiVersion: v1\ndata:\n  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=\n"
            "  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2\n  username: YWRtaW4=\n"
            "kind: Secret\nmetadata:\n  name: web-tls\ntype: kubernetes.io/tls"
        ),
        (
            f"apiVersion: v1\ndata:\n  tls.crt: {R}\n  tls.key: {R}\n  username: {R}\n"
            "kind: Secret\nmetadata:\n  name: web-tls\ntype: kubernetes.io/tls"
        ),
    ),
    (
        'The same line quoted alone (a matched line): base64 of "-----BEGIN " gives it away',
        "  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2",
        f"  tls.key: {R}",
    ),
    (
        "`kubectl get secrets -o yaml` lists them under items:, each data map one level deeper",
        (
            "items:\n- apiVersion: v1\n  data:\n    DATABASE_URL: cG9zdGdyZXM6Ly9hcHA6cHdAZGIvYXBw\n"
            "    config.json: eyJ1cmwiOiJodHRwIn0=\n  kind: Secret"
        ),
        f"items:\n- apiVersion: v1\n  data:\n    DATABASE_URL: {R}\n    config.json: {R}\n  kind: Secret",
    ),
    (
        "stringData holds plain values, block scalars included",
        (
            "stringData:\n  api-url: https://api.example.com\n  settings.ini: |\n    user = app\n"
            "    secret = abc\nkind: Secret"
        ),
        f"stringData:\n  api-url: {R}\n  settings.ini: |\n    {R}\n    {R}\nkind: Secret",
    ),
    (
        "`kubectl get secret -o json`",
        (
            '{\n    "apiVersion": "v1",\n    "data": {\n        "ca.crt": "LS0tLS1CRUdJTiBDRVJU",\n'
            '        "namespace": "ZGVmYXVsdA=="\n    },\n    "kind": "Secret"\n}'
        ),
        (
            f'{{\n    "apiVersion": "v1",\n    "data": {{\n        "ca.crt": "{R}",\n'
            f'        "namespace": "{R}"\n    }},\n    "kind": "Secret"\n}}'
        ),
    ),
    (
        'A registry pull secret: .dockerconfigjson is base64 of {"auths":...}',
        "  .dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJhdXRoIjoiWVdFNlltST0ifX19",
        f"  .dockerconfigjson: {R}",
    ),
    (
        'A registry pull secret: .dockerconfigjson is base64 of {"auths":...} (2)',
        '"eyJhdXRocyI6eyJnaGNyLmlvIjp7fX19"',
        f'"{R}"',
    ),
    (
        "Azure storage connection string: the AccountKey goes, the account name stays",
        (
            "DefaultEndpointsProtocol=https;AccountName=shopstore;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1"
            "OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net"
        ),
        f"DefaultEndpointsProtocol=https;AccountName=shopstore;AccountKey={R};EndpointSuffix=core.windows.net",
    ),
    (
        "Azure Service Bus: SharedAccessKey goes, the key's name stays",
        (
            "Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
            "SharedAccessKey=3zXQmNn8b1+0W7lR2kH5qY9vT4eU6iO1pA3sD8fG2hJ="
        ),
        (
            "Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
            f"SharedAccessKey={R}"
        ),
    ),
    (
        'A SAS connection string: the whole signature query up to ";"',
        (
            "BlobEndpoint=https://shopstore.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b"
            "&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=Zm9vYmFyYmF6%2Fqux%3D;QueueEndpoint=x"
        ),
        f"BlobEndpoint=https://shopstore.blob.core.windows.net/;SharedAccessSignature={R};QueueEndpoint=x",
    ),
    (
        "A SAS URL: the sig= parameter",
        (
            "GET https://shopstore.blob.core.windows.net/backups/db.tar?sv=2022-11-02&sr=b&sp=r"
            "&sig=Zm9vYmFyYmF6%2Fqux%3D&se=2030 403"
        ),
        f"GET https://shopstore.blob.core.windows.net/backups/db.tar?sv=2022-11-02&sr=b&sp=r&sig={R}&se=2030 403",
    ),
    (
        "--password VALUE with a space (mysql, docker login, helm), and kubeadm's --token",
        "mysql -h db.shop -u root --password hunter2 orders",
        f"mysql -h db.shop -u root --password {R} orders",
    ),
    (
        "--password VALUE with a space (mysql, docker login, helm), and kubeadm's --token (2)",
        "docker login registry.example.com -u ci --password 'p@ss word'",
        f"docker login registry.example.com -u ci --password '{R}'",
    ),
    (
        "--password VALUE with a space (mysql, docker login, helm), and kubeadm's --token (3)",
        "kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:9f86",
        f"kubeadm join 10.0.0.1:6443 --token {R} --discovery-token-ca-cert-hash sha256:9f86",
    ),
    (
        "Slack incoming webhook: the path is the credential",
        "posting to https://hooks.slack.com/services/T024BE7LD/B01ABCDEF12/x1yZ2aB3cD4eF5gH6iJ7kL8m failed: 404",
        f"posting to https://hooks.slack.com/services/{R} failed: 404",
    ),
    (
        "Go MySQL driver DSN",
        "[mysql] dial app:S3cretPw!@tcp(mysql.shop.svc:3306)/orders?parseTime=true: i/o timeout",
        f"[mysql] dial app:{R}@tcp(mysql.shop.svc:3306)/orders?parseTime=true: i/o timeout",
    ),
    (
        "Go MySQL driver DSN (2)",
        'DSN="root:toor@unix(/var/run/mysqld/mysqld.sock)/shop"',
        f'DSN="{R}"',
    ),
    (
        "--- more real formats --- GitLab personal access and deploy tokens",
        "glpat-z_sxgtrfAxKr8q1TPY8Y",
        R,
    ),
    (
        "--- more real formats --- GitLab personal access and deploy tokens (2)",
        "git clone https://gitlab+deploy-token-1:gldt-Ab1Cd2Ef3Gh4Ij5Kl6Mn@gitlab.com/x.git",
        f"git clone https://gitlab+deploy-token-1:{R}@gitlab.com/x.git",
    ),
    ("A GitHub App installation token", "ghs_16C7e42F292c6912E7710c838347Ae178B4a", R),
    (
        "Google API key and OAuth access token",
        "key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
        f"key={R}",
    ),
    (
        "Google API key and OAuth access token (2)",
        "Authorization header missing; had ya29.a0AfH6SMBx3kq9ZrLm2Xw8PqVb7TnUe4",
        f"Authorization header missing; had ya29.{R}",
    ),
    (
        "Stripe, npm, PyPI, Docker Hub, Vault, SendGrid, Hugging Face tokens",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        R,
    ),
    (
        "Stripe, npm, PyPI, Docker Hub, Vault, SendGrid, Hugging Face tokens (2)",
        "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789",
        f"//registry.npmjs.org/:_authToken={R}",
    ),
    (
        "Stripe, npm, PyPI, Docker Hub, Vault, SendGrid, Hugging Face tokens (3)",
        "pypi-AgEIcHlwaS5vcmcCJDEyMzQ1Njc4LTEyMzQtMTIzNC0xMjM0LTEyMzQ1Njc4OTBhYgACKlsz",
        R,
    ),
    (
        "Stripe, npm, PyPI, Docker Hub, Vault, SendGrid, Hugging Face tokens (4)",
        "dckr_pat_icRRGDc3ckurjAtG4MUL31PCpgE",
        f"dckr_pat_{R}",
    ),
    (
        "Stripe, npm, PyPI, Docker Hub, Vault, SendGrid, Hugging Face tokens (5)",
        "VAULT_TOKEN was hvs.CAESIJlUgaNm0ZfVf0aX1rQkUoYBQnP6Yk9h",
        f"VAULT_TOKEN was hvs.{R}",
    ),
    (
        "Stripe, npm, PyPI, Docker Hub, Vault, SendGrid, Hugging Face tokens (6)",
        "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",
        R,
    ),
    (
        "Stripe, npm, PyPI, Docker Hub, Vault, SendGrid, Hugging Face tokens (7)",
        "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH",
        R,
    ),
    (
        "A session cookie in a pasted request",
        "GET /admin HTTP/1.1\nCookie: session=8f14e45fceea167a; csrftoken=Zx9",
        f"GET /admin HTTP/1.1\nCookie: {R}",
    ),
    (
        "A PGP private key block",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF5Zf8ABCADg7Hq2kfQ1\n=Xk2f\n-----END PGP PRIVATE KEY BLOCK-----",
        f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n{R}\n-----END PGP PRIVATE KEY BLOCK-----",
    ),
    (
        "Discord webhook",
        "https://discord.com/api/webhooks/123456789012345678/AbCdEf-GhIjKl_MnOp",
        f"https://discord.com/api/webhooks/123456789012345678/{R}",
    ),
    (
        "OIDC refresh token in a kubeconfig auth-provider",
        "        refresh-token: 1//0gLq3xYzAbCdEf",
        f"        refresh-token: {R}",
    ),
    (
        "Any Authorization scheme: the scheme word stays, everything after it goes",
        "Authorization: SSWS 00abcDEF123ghiJKL456",
        f"Authorization: SSWS {R}",
    ),
    (
        "Any Authorization scheme: the scheme word stays, everything after it goes (2)",
        'curl -H "Authorization: ApiKey VnVhQ2ZHY0JDZGJrU" https://es:9200',
        f'curl -H "Authorization: ApiKey {R}" https://es:9200',
    ),
    ("A raw value without a scheme goes whole", "authorization: 0123abcd", f"authorization: {R}"),
    (
        'Capitalised mid-line is a header; lowercase prose is not ("may require authorization: ...")',
        "notify: Authorization: GenieKey 1e84-31",
        f"notify: Authorization: GenieKey {R}",
    ),
    (
        'Capitalised mid-line is a header; lowercase prose is not ("may require authorization: ...") (2)',
        "may require authorization: server message: insufficient_scope: authorization failed",
        "may require authorization: server message: insufficient_scope: authorization failed",
    ),
    (
        "Go's %+v struct: the field's value, nothing around it",
        "cfg: &{Host:db Password:hunter2x SSLMode:disable}",
        f"cfg: &{{Host:db Password:{R} SSLMode:disable}}",
    ),
    (
        "YAML flow maps and JS objects",
        "auth: {username: app, password: hunter2x}",
        f"auth: {{username: app, password: {R}}}",
    ),
    (
        "YAML flow maps and JS objects (2)",
        "{ user: 'app', password: 'hunter2x' }",
        f"{{ user: 'app', password: '{R}' }}",
    ),
    ("Ruby and PHP arrows", '{:password=>"hunter2x"}', f'{{:password=>"{R}"}}'),
    ("Ruby and PHP arrows (2)", "array('password' => 'hunter2x')", f"array('password' => '{R}')"),
    (
        "Keys that read as harmless words: PagerDuty's routing_key, Vault's secret_id, a DSN",
        '{"routing_key": "e93facc04764012d7bfb002500d5d1a6"}',
        f'{{"routing_key": "{R}"}}',
    ),
    (
        "Keys that read as harmless words: PagerDuty's routing_key, Vault's secret_id, a DSN (2)",
        "vault write auth/approle/login role_id=r secret_id=6a1e-22",
        f"vault write auth/approle/login role_id=r secret_id={R}",
    ),
    (
        "A key at a line's start owns the line's value, spaces and all",
        "password: correct horse battery",
        f"password: {R}",
    ),
    (
        "Clients whose password flag is a bare letter",
        "mongo -u admin -p s3cr3tX --authenticationDatabase admin",
        f"mongo -u admin -p {R} --authenticationDatabase admin",
    ),
    (
        "Clients whose password flag is a bare letter (2)",
        "sqlcmd -S db -U sa -P 'Pa55w0rd!' -Q 'SELECT 1'",
        f"sqlcmd -S db -U sa -P '{R}' -Q 'SELECT 1'",
    ),
    (
        "Clients whose password flag is a bare letter (3)",
        "ldapsearch -x -D cn=admin -w s3cr3tX -b dc=x",
        f"ldapsearch -x -D cn=admin -w {R} -b dc=x",
    ),
    (
        "Clients whose password flag is a bare letter (4)",
        "smbclient //nas/share -U admin%s3cr3tX",
        f"smbclient //nas/share -U admin%{R}",
    ),
    (
        "Other languages: the key in any script, a full-width colon",
        "数据库连接失败，密码：abc123xyz",
        f"数据库连接失败，密码：{R}",
    ),
    (
        "Other languages: the key in any script, a full-width colon (2)",
        "Пароль: abc123xyz",
        f"Пароль: {R}",
    ),
    (
        "Other languages: the key in any script, a full-width colon (3)",
        "mot de passe : abc123xyz",
        f"mot de passe : {R}",
    ),
    (
        "URL userinfo and query",
        "https://bob:hunter2x@git.shop/x.git?private_token=abc123",
        f"https://bob:{R}@git.shop/x.git?private_token={R}",
    ),
    (
        "env list by its name 1",
        "- name: DB_PASSWORD\n  value: hunter2\n- name: MODE\n  value: fast",
        f"- name: DB_PASSWORD\n  value: {R}\n- name: MODE\n  value: fast",
    ),
    (
        "env list by its name 2",
        "  - value: 'hunter2'\n    name: API_TOKEN",
        f"  - value: '{R}'\n    name: API_TOKEN",
    ),
    (
        "env list by its name 3",
        "- name: TLS_KEY\n  value: |\n    line one\n    line two\n- name: X\n  value: y",
        f"- name: TLS_KEY\n  value: |\n    {R}\n    {R}\n- name: X\n  value: y",
    ),
    (
        "env list by its name 4",
        '{"name": "DB_PASS",\n "value": "hun\\"ter2"}',
        f'{{"name": "DB_PASS",\n "value": "{R}"}}',
    ),
    (
        "env list by its name 5",
        '{"value":"hunter2","name":"SECRET_KEY"}',
        f'{{"value":"{R}","name":"SECRET_KEY"}}',
    ),
    (
        "env list by its name 6",
        "env: [{name: DB_PASSWORD, value: hunter2}]",
        f"env: [{{name: DB_PASSWORD, value: {R}}}]",
    ),
    (
        "a key block cut: The tail of a log: only the END line is left; the key goes from its first base64 line",
        "E1126 tail\nMIIEowIBAAKCAQEAwJb2kvH5s8gV1\nq9z3RmZ0pQkCgYEA4u7e2Lq==\n-----END RSA PRIVATE KEY-----\nnext",
        f"E1126 tail\n{R}\n-----END RSA PRIVATE KEY-----\nnext",
    ),
    (
        "a key block cut: The head of a paste: the END line never came; the lines after the key stay",
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\nAAAAC3NzaC1lZDI1NTE5AAAAI==\n"
            "Error: ssh: handshake failed"
        ),
        f"-----BEGIN OPENSSH PRIVATE KEY-----\n{R}\nError: ssh: handshake failed",
    ),
    (
        "a key block cut: Inside a JSON string with escaped line breaks, cut before BEGIN",
        '{"key":"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\nBKcwggSjAgEAAoIBAQC7==\\n-----END PRIVATE KEY-----\\n"}',
        f'{{"key":"{R}\\n-----END PRIVATE KEY-----\\n"}}',
    ),
    (
        "a key block cut: A PGP block: armour headers and body go, the armour lines stay",
        (
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\nlQOYBF5Zf8ABCADg7Hq2kfQ1\n=Xk2f\n"
            "-----END PGP PRIVATE KEY BLOCK-----"
        ),
        f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n{R}\n-----END PGP PRIVATE KEY BLOCK-----",
    ),
]
KEPT: list[tuple[str, str]] = [  # (why, a text redaction leaves as it is)
    (
        '"Token bucket" is a rate-limiter, not a credential',
        "client-side token bucket: Token bucket is empty",
    ),
    ("The NAME of a missing Secret is not a secret", 'Error: secret "db-credentials" not found'),
    (
        "A volume named after a secret, from a FailedMount event",
        'MountVolume.SetUp failed for volume "app-secret" : secret "app-secret" not found',
    ),
    (
        "A failed login names the user, not the password",
        'FATAL: password authentication failed for user "app"',
    ),
    (
        'Prose: "token:" in the middle of a sentence is not a key-value pair',
        "failed to fetch anonymous token: unexpected status: 401 Unauthorized",
    ),
    (
        '"Authorization failed" is a message, not a header',
        "Authorization failed: no Role/ClusterRole bound",
    ),
    ('An API group name contains "authorization"', "apiVersion: rbac.authorization.k8s.io/v1"),
    ('English after "bearer"', "Bearer tokens are sent in the header"),
    (
        "A WWW-Authenticate challenge names a realm, not a token",
        'WWW-Authenticate: Bearer realm="kubernetes"',
    ),
    (
        "Placeholders in documentation commands",
        "kubectl create secret docker-registry regcred --docker-password=<password>",
    ),
    ("Env references are not values", "password: ${DB_PASSWORD}"),
    ("Env references are not values (2)", "PASSWORD=$(cat /run/secrets/db)"),
    ('Booleans after a key that ends in "Token"', "automountServiceAccountToken: false"),
    (
        "kubectl describe shows where a value comes from, not the value",
        "      DB_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false",
    ),
    ("Key names that only contain a secret-ish word", "secretName: db-credentials"),
    ("Key names that only contain a secret-ish word (2)", "secretKeyRef:"),
    ("An empty value", 'token: ""'),
    ("A URL with a port but no credentials", "https://10.0.0.1:6443/api/v1/namespaces"),
    ("An AWS-looking word that is too short", "AKIA123"),
    (
        "A default service account token volume name",
        "unattached volumes=[default-token-pwvpc podmetadata]",
    ),
    (
        "A ConfigMap's data is plain configuration, not base64: it stays readable",
        "kind: ConfigMap\ndata:\n  log.level: info\n  enabled: true\n  nginx.conf: |\n    server { listen 8080; }",
    ),
    (
        "Reading the password from stdin is a flag without a value",
        "echo $PW | docker login -u ci --password-stdin registry.example.com",
    ),
    (
        "A MySQL connection error without credentials",
        "dial tcp 10.96.0.12:3306: connect: connection refused",
    ),
    (
        "A slash command's response_url is not an incoming webhook",
        "https://hooks.slack.com/commands/T024BE7LD/6123456789/abcdefABCDEF0123",
    ),
    (
        "The name of an Azure shared access key, not its value",
        "SharedAccessKeyName=RootManageSharedAccessKey",
    ),
    (
        "kubectl describe secret shows sizes, not values",
        "Data\n====\ntls.crt:  1164 bytes\ntls.key:  1675 bytes",
    ),
    (
        "An image digest and a plain YAML key called data with a nested map",
        "image: nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
    ),
    (
        "Placeholders and masks are no secrets (and show what the user meant)",
        "curl -H 'Authorization: Bearer $TOKEN' https://api",
    ),
    (
        "Placeholders and masks are no secrets (and show what the user meant) (2)",
        'cookieSecret: "xxxx"',
    ),
    (
        "Placeholders and masks are no secrets (and show what the user meant) (3)",
        "adminPassword: #########",
    ),
    (
        "Placeholders and masks are no secrets (and show what the user meant) (4)",
        "certificate-authority-data: DATA+OMITTED",
    ),
    (
        "Placeholders and masks are no secrets (and show what the user meant) (5)",
        "MYSQL_RANDOM_ROOT_PASSWORD:  yes",
    ),
    (
        "A key ending in secret whose value is a Kubernetes name names a Secret object",
        "  tlsSecret: longhorn.local-tls",
    ),
    (
        "Prose around flags and keys",
        "WARNING! Using --password via the CLI is insecure. Use --password-stdin.",
    ),
    ("Prose around flags and keys (2)", "I1216 ratelimit.go:55] qps=100 burstTokens=10"),
    (
        "Prose around flags and keys (3)",
        'etcdserver: request "header:<ID:1 username:\\"etcd\\" auth_revision:1 > txn:<compare',
    ),
    (
        "Prose around flags and keys (4)",
        "take a look at the logs (`kubectl logs -p podname containername`) of the mariadb one",
    ),
    (
        "Prose around flags and keys (5)",
        'Failed to pull image "rmeuser-auth:latest": pull access denied',
    ),
    (
        "Prose around flags and keys (6)",
        "1 node(s) had taint {key1: value1}, that the pod didn't tolerate",
    ),
    (
        "Prose around flags and keys (7)",
        "E0611 token_manager.go:121] couldn't update token cache: token expired",
    ),
    (
        'Status conditions whose name holds "auth" far from its end',
        'OAuthServerRouteEndpointAccessibleControllerAvailable: Get "https://oauth/healthz": EOF',
    ),
    (
        'A vendor\'s name near an object name is no key (CrashLoopBackOff after "confluent")',
        "confluent-cp-kafka-0       0/1     CrashLoopBackOff   32 (118s ago)   154m",
    ),
    (
        "Hashes near a vendor word stay: a commit SHA, an image digest",
        "sourcegraph/deploy-sourcegraph-dogfood-k8s/commit/783b60719b3e83ce16777fdd7ff10670e83b11e5",
    ),
    (
        "SSH public keys and certificates are public",
        "publicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    ),
    (
        "SSH public keys and certificates are public (2)",
        "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----",
    ),
    (
        "Event names (name.hex) and Java packages are not bootstrap tokens",
        "httpd-1-deploy.1557b6b0ee3623a4   Pod   Normal   Pulled",
    ),
    (
        "Event names (name.hex) and Java packages are not bootstrap tokens (2)",
        "a bean of type 'org.apache.dolphinscheduler.plugin.storage.api.StorageOperate'",
    ),
]
SECRET_KEYS: list[tuple[str, str, bool]] = [  # (row, a field name, whether it names a secret)
    ("SECRET_KEY", "SECRET_KEY", True),
    ("SECRET_KEY_BASE", "SECRET_KEY_BASE", True),
    ("DB_PASS", "DB_PASS", True),
    ("dbPassword", "dbPassword", True),
    ("x-api-key", "x-api-key", True),
    ("PGPASSWORD", "PGPASSWORD", True),
    ("authToken", "authToken", True),
    ("SSH_KEY", "SSH_KEY", True),
    ("JWT_SIGNING_KEY", "JWT_SIGNING_KEY", True),
    ("auth.rootPassword", "auth.rootPassword", True),
    ("APIKey", "APIKey", True),
    ("REDIS_PW", "REDIS_PW", True),
    ("client_secret", "client_secret", True),
    ("key", "key", False),
    ("PASS", "PASS", False),
    ("secretName", "secretName", False),
    ("secretKeyRef", "secretKeyRef", False),
    ("tokenExpirationSeconds", "tokenExpirationSeconds", False),
    ("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID", False),
    ("topologyKey", "topologyKey", False),
    ("publicKey", "publicKey", False),
    ("password-stdin", "password-stdin", False),
    ("passwordless", "passwordless", False),
    ("SharedAccessKeyName", "SharedAccessKeyName", False),
    ("sort_key", "sort_key", False),
    (
        "keycloak-postgresql.auth.svc.cluster.local",
        "keycloak-postgresql.auth.svc.cluster.local",
        False,
    ),
    ("数据库密码", "数据库密码", True),
    ("contraseña", "contraseña", True),
    ("Passwort", "Passwort", True),
    ("пароль", "пароль", True),
    ("routing_key", "routing_key", True),
    ("secret_id", "secret_id", True),
    ("sentry_dsn", "sentry_dsn", True),
    ("ConnectionStrings__Default", "ConnectionStrings__Default", True),
    ("sessionCookie", "sessionCookie", True),
    ("private_key", "private_key", True),
    ("auth", "auth", True),
    ("keyPassphrase", "keyPassphrase", True),
    ("auth_revision", "auth_revision", False),
    ("burstTokens", "burstTokens", False),
    ("imagePullSecrets", "imagePullSecrets", False),
    ("key1", "key1", False),
    ("PASS_DEVICE_SPECS", "PASS_DEVICE_SPECS", False),
    ("sessionAffinity", "sessionAffinity", False),
    ("kubernetes_secret.admin_panel", "kubernetes_secret.admin_panel", False),
    (
        "OAuthServerRouteEndpointAccessibleControllerAvailable",
        "OAuthServerRouteEndpointAccessibleControllerAvailable",
        False,
    ),
    ("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID", False),
]
KEPT += [
    (
        "a generated name stays though it looks random",
        "resize volume /dev/vg_ssd/csi-v-laOElFJHKsXUYx8hy7itaD8qm4oocHj+pqJV6XUcvNU: failed",
    ),
]
REDACTED += [
    (
        "a random token in prose goes",
        "rejected token Kq7Xc2LmN9pRt4Vw8ZyB3sHd today",
        f"rejected token {R} today",
    ),
]
RANDOMNESS: list[tuple[str, str, bool]] = [  # (why, a token, whether it reads as random)
    ("letters of both cases and digits, no words: chance", "Kq7Xc2LmN9pRt4Vw8ZyB3sHd", True),
    ("base64 with + inside", "laOElFJHKsXUYx8hy7itaD8qm4oocHj+pqJV6XUcvNU", True),
    ("words run together", "AmazonEC2ContainerRegistryReadOnly", False),
    ("an identifier with a digit", "tryLoadK8sPodDefaultNetwork", False),
    ("a ULID", "01JSQ54FXDPZ5Z75T5NFCKS5ZM", False),
    ("hex: a digest", "6329fba85f659b362927801fb9a3baea98688791d01630ea7b25d79deb9e0053", False),
    ("an Alibaba node name: one case", "iZbp19lce9chqq1glegm26Z", False),
    ("lower case only: a name", "workspacemqq71m0z7nwrrp1n", False),
]
ADVERSARIAL: list[str] = [  # a unit repeated to a megabyte (escaped strings: issue 68)
    "a",
    "password=",
    '"password":"',
    "eyJ",
    "eyJaaaaaa.eyJ",
    "-----BEGIN RSA PRIVATE KEY-----",
    ":",
    "a:",
    " token: ",
    '"a":"',
    "Authorization: ",
    "bearer ",
    "x://",
    "-",
    "a=a",
    '\\"',
    "A" * 60 + "password",
    "AKIA",
    "\n- ",
    "https://u:",
    "\"'",
    "&<>",
    '\\"',
    "%3D",
    "&lt;",
    "\\n",
    "a\\npassword:\\n",
    "eyJabcd.\n",
]


def walk(table: Sequence[tuple[Any, ...]], check: Callable[..., str | None]) -> None:
    """Check every row of `table` (its name first); fail naming each row that failed and why."""
    failed = [f"{row[0]}: {why}" for row in table if (why := check(*row[1:])) is not None]
    assert not failed, f"{len(failed)} of {len(table)} rows failed:\n" + "\n".join(failed)


def _left(text: str, expected: str) -> str | None:
    done = redact(text)
    return None if done == expected else f"left {done!r}, not {expected!r}"


def _kept(text: str) -> str | None:
    done = redact(text)
    return None if done == text else f"changed to {done!r}"


def test_every_credential_position_shape_and_armour_is_redacted() -> None:
    walk(REDACTED, _left)


def test_what_only_looks_near_a_credential_stays() -> None:
    walk(KEPT, _kept)
    walk([(f"ordinary line {n}", text) for n, text in enumerate(ORDINARY)], _kept)


def test_a_key_is_a_credential_by_its_words_in_any_case_style_or_language() -> None:
    walk(
        SECRET_KEYS,
        lambda key, secret: (
            None if is_secret_key(key) is secret else f"is_secret_key is {not secret}"
        ),
    )


def test_randomness_is_judged_by_mixed_classes_short_words_and_entropy() -> None:
    walk(
        RANDOMNESS,
        lambda token, random: (
            None if looks_random(token) is random else f"looks random: {not random}"
        ),
    )


def test_the_evidence_of_every_safe_shape_stays_as_pasted() -> None:
    walk(
        [(f"{shape}: {value[:24]}", value, line) for shape, value, line in SAFE],
        lambda value, line: None if value in redact(line) else f"{redact(line)!r} lost it",
    )


def test_every_planted_kind_is_redacted_in_its_real_context() -> None:
    def check(kind: str) -> str | None:
        done = redact(PLANTED[kind])
        return None if SECRETS[kind] not in done and R in done else f"left {done!r}"

    walk([(kind, kind) for kind in sorted(PLANTED)], check)


def test_every_shape_an_attacker_picks_is_redacted_in_its_line() -> None:
    walk(
        [(kind, *ATTACKER[kind]) for kind in sorted(ATTACKER)],
        lambda secret, line: None if secret not in redact(line) else f"left {redact(line)!r}",
    )


def test_a_megabyte_of_any_adversarial_unit_finishes() -> None:
    """Linear patterns keep each to one pass: a regression here is a hang, and the suite's
    timeout names it."""

    def check(unit: str) -> str | None:
        text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
        return None if isinstance(redact(text), str) else "no text came back"

    walk([(repr(unit), unit) for unit in ADVERSARIAL], check)


def test_redaction_is_idempotent() -> None:
    once = redact("\n".join(text for _name, text, _left in REDACTED))
    assert redact(str(once)) == once


def test_a_secret_key_whose_value_is_an_object_name_names_a_secret_object() -> None:
    assert names_a_secret("existingSecret", "anchore-passwords")
    assert not names_a_secret("clientSecret", "Kq7Xc2LmN9pRt4")  # not a Kubernetes name
    assert not names_a_secret("dbPassword", "db-password")  # a password can look like anything


def test_the_planted_set_is_over_three_hundred_and_none_survives_in_one_paste() -> None:
    pasted = "\n".join(PLANTED.values())
    redacted = redact_paste(pasted)
    assert len(SECRETS) >= 300
    assert [kind for kind, secret in SECRETS.items() if secret in redacted] == []
    assert redact(str(redacted)) == redacted  # idempotent: stored twice, changed once


def test_the_rule_table_is_generated_from_a_gitleaks_config_with_its_source() -> None:
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
    source, allowed, rules = rules_gitleaks.read_table(text)  # the generated table, as written
    ids = [rule[0] for rule in rules]
    assert ids == ["mailgun-private-api-token", "mailgun-private-api-token:nearby"]
    assert source == "gitleaks vTEST" and allowed == ("^true$",) and "do not edit" in text
    assert rules_gitleaks.SOURCE.startswith("gitleaks v8.")
    assert len(rules_gitleaks.RULES) >= 200


def test_redaction_keeps_the_evidence_for_every_answer_on_the_labelled_corpus(
    matcher: Matcher,
) -> None:
    """Redaction replaces values, not error words: for every case with a secret of some kind
    added, the raw paste's answer keeps its score after redaction, so redacting before
    matching (and answering a taken-over request from the redacted text) is safe.

    The answer itself may rarely change without any evidence lost: a line that shrinks below
    the segmenter's 120-character "short line" is grouped with its neighbours, and a group can
    add a second entry at the same score (chat-gpu-job-pending does the same with "thanks"
    appended and no secret at all) - at most 1% of the cases."""
    secrets = list(PLANTED.values())
    lost, changed = [], []
    paths = [path for path, _label in positive_cases()] + [path for path, _ids in multi_cases()]
    for index, path in enumerate(paths):
        planted = secrets[index % len(secrets)]
        raw = read_case(path) + "\n" + planted
        before, after = matcher.match(raw, top=3), matcher.match(redact(raw), top=3)
        if before and all(planted in line.line for line in before[0].matched):
            continue  # answered from the planted line alone (a JDBC URL's password resembles a
            # login failure): what redaction takes away was never the case's evidence
        if not before or before[0].confidence == "low":  # quiet before: quiet after, mostly
            if after and after[0].confidence != "low":
                changed.append((path.name, None, after[0].id))
            continue
        kept = {m.id: m.score for m in after}
        if kept.get(before[0].id, 0.0) < before[0].score - 0.05:
            lost.append((path.name, before[0].id, round(before[0].score, 2), kept))
        elif after[0].id != before[0].id:
            changed.append((path.name, before[0].id, after[0].id))
    assert len(paths) > 200
    assert lost == []
    assert len(changed) <= len(paths) // 100, changed


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
