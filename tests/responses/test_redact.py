"""Secret redaction: table-driven, one comment per case on why it is (not) redacted."""

from __future__ import annotations

import pytest

from responses.redact import REDACTED, redact

R = REDACTED

REDACTED_CASES = [
    # Bearer token in a curl header: the scheme word stays, the token goes.
    ('curl -H "Authorization: Bearer abc.def-123" https://api',
     f'curl -H "Authorization: Bearer {R}" https://api'),
    # A bare "bearer <token>" outside any header.
    ("request failed with bearer eyZ0abc123XYZ", f"request failed with bearer {R}"),
    # Basic auth header value.
    ("Authorization: Basic dXNlcjpwYXNz", f"Authorization: Basic {R}"),
    # Any other Authorization scheme or raw value.
    ("authorization=AWS4-HMAC-SHA256 Credential=x", f"authorization=AWS4-HMAC-SHA256 {R}"),
    # Proxy-Authorization is an Authorization header too.
    ("Proxy-Authorization: Negotiate YIIabc", f"Proxy-Authorization: Negotiate {R}"),
    # JSON header map.
    ('{"Authorization": "Bearer abc"}', f'{{"Authorization": "Bearer {R}"}}'),
    # Credentials in a URL: the user stays readable, the password goes.
    ("git clone https://bob:hunter2@github.com/x.git", f"git clone https://bob:{R}@github.com/x.git"),
    # A URL with an empty user (redis, postgres).
    ("redis://:s3cret@redis:6379/0", f"redis://:{R}@redis:6379/0"),
    # Slack bot, user and app-level tokens.
    ("SLACK xoxb-1234567890-abcdefghij", f"SLACK {R}"),
    ("xoxp-1234567890-0987654321-abc", R),
    ("app token xapp-1-A0123-456789-abcdef", f"app token {R}"),
    # AWS access key ids (long-term AKIA and temporary ASIA).
    ("key AKIAIOSFODNN7EXAMPLE used", f"key {R} used"),
    ("ASIAY34FZKBOKMUTVV7A", R),
    # AWS secret access key in a credentials file.
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     f"aws_secret_access_key = {R}"),
    # Env form of the same.
    ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     f"AWS_SECRET_ACCESS_KEY={R}"),
    # JSON password, the quotes kept so the text stays readable.
    ('{"password": "hunter 2", "user": "bob"}', f'{{"password": "{R}", "user": "bob"}}'),
    # JSON escaped inside a log line.
    ('msg="{\\"password\\":\\"x y\\"}"', f'msg="{{\\"password\\":\\"{R}\\"}}"'),
    # A Python dict repr.
    ("{'api_key': 'abc'}", f"{{'api_key': '{R}'}}"),
    # YAML at the start of a line.
    ("password: hunter2", f"password: {R}"),
    ("  passwd: hunter2", f"  passwd: {R}"),
    ("secret: abc123", f"secret: {R}"),
    ("apikey: abc", f"apikey: {R}"),
    # Env dump with a prefixed key.
    ("DB_PASSWORD=hunter2 other=1", f"DB_PASSWORD={R} other=1"),
    ("pwd=abc", f"pwd={R}"),
    # Query strings stop at "&".
    ("GET /cb?token=abc123&state=1", f"GET /cb?token={R}&state=1"),
    ("https://x/api?api_key=abc&page=2", f"https://x/api?api_key={R}&page=2"),
    # Command-line flags.
    ("--client_secret=abc --client-secret=def", f"--client_secret={R} --client-secret={R}"),
    # An HTTP header at line start.
    ("X-Api-Key: abc123", f"X-Api-Key: {R}"),
    # Kubeconfig certificate and key data.
    ("    client-key-data: LS0tLS1CRUdJTg==", f"    client-key-data: {R}"),
    ("    client-certificate-data: LS0tLS1C", f"    client-certificate-data: {R}"),
    ("    certificate-authority-data: LS0tQ==", f"    certificate-authority-data: {R}"),
    # A token in a kubeconfig users: section.
    ("users:\n- name: a\n  user:\n    token: abcdef",
     f"users:\n- name: a\n  user:\n    token: {R}"),
    # A PEM private key block; the lines around it survive.
    ("x\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\nabc\n-----END RSA PRIVATE KEY-----\ny",
     f"x\n-----BEGIN RSA PRIVATE KEY-----{R}-----END RSA PRIVATE KEY-----\ny"),
    # A PEM key inside JSON with escaped newlines (a GCP service-account file).
    ('"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n"',
     f'"private_key": "{R}"'),
    # A truncated paste: a key block that never ends is redacted to the end.
    ("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE",
     f"-----BEGIN EC PRIVATE KEY-----{R}-----END EC PRIVATE KEY-----"),
    # A JWT (Kubernetes service-account tokens are JWTs).
    ("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig-_abc end", f"token {R} end"),
    # GitHub tokens, classic and fine-grained.
    ("ghp_abcdefghijklmnopqrstuvwxyz012345", R),
    ("gho_abcdefghijklmnopqrstuvwxyz012345", R),
    ("github_pat_11ABCDEFG0123456789_abcdefghij", R),
    # Docker config auth (base64 of user:password).
    ('"auth": "dXNlcjpwYXNz"', f'"auth": "{R}"'),
]

KEPT_CASES = [
    # "Token bucket" is a rate-limiter, not a credential.
    "client-side token bucket: Token bucket is empty",
    # The NAME of a missing Secret is not a secret.
    'Error: secret "db-credentials" not found',
    # A volume named after a secret, from a FailedMount event.
    'MountVolume.SetUp failed for volume "app-secret" : secret "app-secret" not found',
    # A failed login names the user, not the password.
    'FATAL: password authentication failed for user "app"',
    # Prose: "token:" in the middle of a sentence is not a key-value pair.
    "failed to fetch anonymous token: unexpected status: 401 Unauthorized",
    # "Authorization failed" is a message, not a header.
    "Authorization failed: no Role/ClusterRole bound",
    # An API group name contains "authorization".
    "apiVersion: rbac.authorization.k8s.io/v1",
    # English after "bearer".
    "Bearer tokens are sent in the header",
    # A WWW-Authenticate challenge names a realm, not a token.
    'WWW-Authenticate: Bearer realm="kubernetes"',
    # Placeholders in documentation commands.
    "kubectl create secret docker-registry regcred --docker-password=<password>",
    # Env references are not values.
    "password: ${DB_PASSWORD}",
    "PASSWORD=$(cat /run/secrets/db)",
    # Booleans after a key that ends in "Token".
    "automountServiceAccountToken: false",
    # kubectl describe shows where a value comes from, not the value.
    "      DB_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false",
    # Key names that only contain a secret-ish word.
    "secretName: db-credentials",
    "secretKeyRef:",
    # An empty value.
    'token: ""',
    # A URL with a port but no credentials.
    "https://10.0.0.1:6443/api/v1/namespaces",
    # An AWS-looking word that is too short.
    "AKIA123",
    # A default service account token volume name.
    "unattached volumes=[default-token-pwvpc podmetadata]",
]


@pytest.mark.parametrize(("text", "expected"), REDACTED_CASES)
def test_secrets_are_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", KEPT_CASES)
def test_non_secrets_are_kept(text: str) -> None:
    assert redact(text) == text


def test_redaction_is_idempotent() -> None:
    once = redact("\n".join(text for text, _ in REDACTED_CASES))
    assert redact(once) == once


@pytest.mark.parametrize("unit", [
    "a", "password=", '"password":"', "eyJ", "eyJaaaaaa.eyJ", "-----BEGIN RSA PRIVATE KEY-----",
    ":", "a:", " token: ", '"a":"', "Authorization: ", "bearer ", "x://", "-", "a=a", '\\"',
    "A" * 60 + "password", "AKIA", "\n- ", "https://u:", "\"'", "&<>",
])
def test_a_megabyte_of_adversarial_input_finishes(unit: str) -> None:
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    assert isinstance(redact(text), str)  # finishes; linear patterns keep it to one pass each
