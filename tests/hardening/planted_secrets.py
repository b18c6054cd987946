"""Secrets of every kind people paste, each in the line it would really arrive in.

`PLANTED` maps a kind to that text; `SECRETS` to the exact secret inside it,
which must never be found again in anything kubemedic stores, posts or logs.
Every value is unique to this file (a "Pl4nted"/"planted" marker or a
one-off random shape), so finding one proves a leak, never a coincidence.
Shared by the database scan, the posting test and bench/redact_bench.py.
"""

from __future__ import annotations

_GITHUB = "ghp_Pl4ntedGithubT0ken0123456789abcdefAB"
_GITLAB = "glpat-Pl4ntedGitlab_Tok3nX"
_AWS_ID = "AKIAPL4NTEDEXAMPLE7Q"
_AWS_SECRET = "Pl4ntedAwsSecretKey/K7MDENG/bPxRfiCYEXAMPLE"
_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.UGxhbnRlZFNpZ25hdHVyZTAx"
_GOOGLE = "AIzaSyPl4ntedGoogleApiKey0123456789abcd"
_SLACK = "xoxb-2048-4096-Pl4ntedSlackBotTok3n"

SECRETS: dict[str, str] = {
    "slack bot token": _SLACK,
    "slack incoming webhook": "Pl4ntedWebh00kSecret99",
    "github token": _GITHUB,
    "gitlab token": _GITLAB,
    "aws access key id": _AWS_ID,
    "aws secret access key": _AWS_SECRET,
    "password in env": "Pl4nted-Passw0rd-1",
    "--password VALUE": "Pl4ntedMysqlPw2",
    "bearer jwt": _JWT,
    "basic auth header": "cGxhbnRlZDpiYXNpYy1wdy0xMjM=",
    "url credentials": "Pl4ntedPgPass3",
    "mysql dsn": "Pl4ntedDsnPw4",
    "azure account key": "Pl4ntedAzureKey0123456789abcdefghijklmnopqrstuvwxyzAB==",
    "azure shared access key": "Pl4ntedServiceBusKey+0W7lR2kH5qY9vT4=",
    "azure sas signature": "Pl4ntedSasSig5%2Fabc%3D",
    "secret data (base64 PEM)": "LS0tLS1CRUdJTiBQTEFOVEVEIEtFWS0tLS0t",
    "secret data (any key)": "cGxhbnRlZC11c2VyLTk5",
    "dockerconfigjson": "eyJhdXRocyI6eyJwbGFudGVkLmlvIjp7ImF1dGgiOiJjR3c2Y0hjPSJ9fX0=",
    "secret stringData": "Pl4ntedStringData6",
    "pem private key": "MIIEPl4ntedPemBody7",
    "gcp service account key": "MIIEvQPl4ntedGcpKey8",
    "google api key": _GOOGLE,
    "kubeconfig token": "Pl4ntedKubeconfigToken9",
    "kubeconfig client key": "UGxhbnRlZENsaWVudEtleQ==",
    "json api key": "Pl4ntedJsonApiKey10",
    "docker config auth": "cGxhbnRlZDpkb2NrZXJhdXRo",
    "stripe key": "sk_live_Pl4ntedStripeKey1234",
    "vault token": "hvs.Pl4ntedVaultToken0123456789",
    "session cookie": "Pl4ntedSessionCookie11",
}

PLANTED: dict[str, str] = {
    "slack bot token": f"SLACK_BOT_TOKEN={_SLACK} failed: invalid_auth",
    "slack incoming webhook": ("alertmanager: notify retry canceled: https://hooks.slack.com/services/T0PLANT01/"
                               "B0PLANT02/Pl4ntedWebh00kSecret99: 404 no_service"),
    "github token": f"fatal: could not read from https://github.com/shop/app.git with token {_GITHUB}",
    "gitlab token": f"CI_JOB_TOKEN fallback {_GITLAB} rejected: 401 Unauthorized",
    "aws access key id": f"InvalidAccessKeyId: The AWS Access Key Id {_AWS_ID} does not exist",
    "aws secret access key": f"aws_secret_access_key = {_AWS_SECRET}",
    "password in env": "DB_PASSWORD=Pl4nted-Passw0rd-1 FATAL: password authentication failed for user \"app\"",
    "--password VALUE": "mysql -h db.shop -u root --password Pl4ntedMysqlPw2 orders: Access denied",
    "bearer jwt": f'curl -H "Authorization: Bearer {_JWT}" https://10.0.0.1:6443/api: 403 Forbidden',
    "basic auth header": "Authorization: Basic cGxhbnRlZDpiYXNpYy1wdy0xMjM=",
    "url credentials": "dial postgres://app:Pl4ntedPgPass3@db.shop:5432/orders: connection refused",
    "mysql dsn": "[mysql] app:Pl4ntedDsnPw4@tcp(mysql.shop.svc:3306)/orders: i/o timeout",
    "azure account key": ("DefaultEndpointsProtocol=https;AccountName=shopstore;AccountKey=Pl4ntedAzureKey0123"
                          "456789abcdefghijklmnopqrstuvwxyzAB==;EndpointSuffix=core.windows.net"),
    "azure shared access key": ("Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=Root;"
                                "SharedAccessKey=Pl4ntedServiceBusKey+0W7lR2kH5qY9vT4="),
    "azure sas signature": ("GET https://shopstore.blob.core.windows.net/b/db.tar?sv=2022-11-02&sr=b&sp=r"
                            "&sig=Pl4ntedSasSig5%2Fabc%3D 403 AuthenticationFailed"),
    "secret data (base64 PEM)": "  tls.key: LS0tLS1CRUdJTiBQTEFOVEVEIEtFWS0tLS0t",
    "secret data (any key)": "apiVersion: v1\ndata:\n  username: cGxhbnRlZC11c2VyLTk5\nkind: Secret",
    "dockerconfigjson": "  .dockerconfigjson: eyJhdXRocyI6eyJwbGFudGVkLmlvIjp7ImF1dGgiOiJjR3c2Y0hjPSJ9fX0=",
    "secret stringData": "stringData:\n  api-url: https://planted.example/Pl4ntedStringData6\ntype: Opaque",
    "pem private key": "-----BEGIN RSA PRIVATE KEY-----\nMIIEPl4ntedPemBody7\n-----END RSA PRIVATE KEY-----",
    "gcp service account key": ('"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQPl4ntedGcpKey8\\n'
                                '-----END PRIVATE KEY-----\\n"'),
    "google api key": f"googleapi: Error 403: API key not valid. key={_GOOGLE}",
    "kubeconfig token": "users:\n- name: ci\n  user:\n    token: Pl4ntedKubeconfigToken9",
    "kubeconfig client key": "    client-key-data: UGxhbnRlZENsaWVudEtleQ==",
    "json api key": '{"level":"error","msg":"upstream 401","api_key":"Pl4ntedJsonApiKey10"}',
    "docker config auth": '{"auths":{"registry.shop.io":{"auth":"cGxhbnRlZDpkb2NrZXJhdXRo"}}}',
    "stripe key": "stripe: invalid api key sk_live_Pl4ntedStripeKey1234 (401)",
    "vault token": "vault: permission denied for token hvs.Pl4ntedVaultToken0123456789",
    "session cookie": "GET /admin HTTP/1.1\nCookie: session=Pl4ntedSessionCookie11; theme=dark",
}

assert set(PLANTED) == set(SECRETS)
assert all(SECRETS[kind] in PLANTED[kind] for kind in PLANTED)
