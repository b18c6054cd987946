"""Secrets of every kind people paste, each in the line it would really arrive in.

`PLANTED` maps a kind to that text; `SECRETS` to the exact secret inside it (the shapes of
past rounds, an attacker's shapes in `planted_attacker`, and a secret drawn from each rule of
the rule set in `regex_samples`),
which must never be found again in anything kubemedic stores, posts or logs.
`ORDINARY` lists lines that look near a secret but are not one: they stay intact.
Every value is unique to this file (a "Pl4nted"/"planted" marker or a
one-off random shape), so finding one proves a leak, never a coincidence.
Shared by the database scan, the posting test and bench/redact_bench.py.
"""

from __future__ import annotations

from tests.hardening.planted_attacker import ATTACKER
from tests.hardening.regex_samples import rule_samples

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
    "vault token": "hvs.CAESI0JC89BgP7N4zTLG9s2woM7bu1jK459WcJrZZXOOZQ60P9paqYB0HgYQgJePaL5j9sSJk_aE3xnbu9rt01A_g66ZjfpLjysi",
    "session cookie": "Pl4ntedSessionCookie11",
}

PLANTED: dict[str, str] = {
    "slack bot token": f"SLACK_BOT_TOKEN={_SLACK} failed: invalid_auth",
    "slack incoming webhook": (
        "alertmanager: notify retry canceled: https://hooks.slack.com/services/T0PLANT01/"
        "B0PLANT02/Pl4ntedWebh00kSecret99: 404 no_service"
    ),
    "github token": f"fatal: could not read from https://github.com/shop/app.git with token {_GITHUB}",
    "gitlab token": f"CI_JOB_TOKEN fallback {_GITLAB} rejected: 401 Unauthorized",
    "aws access key id": f"InvalidAccessKeyId: The AWS Access Key Id {_AWS_ID} does not exist",
    "aws secret access key": f"aws_secret_access_key = {_AWS_SECRET}",
    "password in env": 'DB_PASSWORD=Pl4nted-Passw0rd-1 FATAL: password authentication failed for user "app"',
    "--password VALUE": "mysql -h db.shop -u root --password Pl4ntedMysqlPw2 orders: Access denied",
    "bearer jwt": f'curl -H "Authorization: Bearer {_JWT}" https://10.0.0.1:6443/api: 403 Forbidden',
    "basic auth header": "Authorization: Basic cGxhbnRlZDpiYXNpYy1wdy0xMjM=",
    "url credentials": "dial postgres://app:Pl4ntedPgPass3@db.shop:5432/orders: connection refused",
    "mysql dsn": "[mysql] app:Pl4ntedDsnPw4@tcp(mysql.shop.svc:3306)/orders: i/o timeout",
    "azure account key": (
        "DefaultEndpointsProtocol=https;AccountName=shopstore;AccountKey=Pl4ntedAzureKey0123"
        "456789abcdefghijklmnopqrstuvwxyzAB==;EndpointSuffix=core.windows.net"
    ),
    "azure shared access key": (
        "Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=Root;"
        "SharedAccessKey=Pl4ntedServiceBusKey+0W7lR2kH5qY9vT4="
    ),
    "azure sas signature": (
        "GET https://shopstore.blob.core.windows.net/b/db.tar?sv=2022-11-02&sr=b&sp=r"
        "&sig=Pl4ntedSasSig5%2Fabc%3D 403 AuthenticationFailed"
    ),
    "secret data (base64 PEM)": "  tls.key: LS0tLS1CRUdJTiBQTEFOVEVEIEtFWS0tLS0t",
    "secret data (any key)": "apiVersion: v1\ndata:\n  username: cGxhbnRlZC11c2VyLTk5\nkind: Secret",
    "dockerconfigjson": "  .dockerconfigjson: eyJhdXRocyI6eyJwbGFudGVkLmlvIjp7ImF1dGgiOiJjR3c2Y0hjPSJ9fX0=",
    "secret stringData": "stringData:\n  api-url: https://planted.example/Pl4ntedStringData6\ntype: Opaque",
    "pem private key": "-----BEGIN RSA PRIVATE KEY-----\nMIIEPl4ntedPemBody7\n-----END RSA PRIVATE KEY-----",
    "gcp service account key": (
        '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQPl4ntedGcpKey8\\n'
        '-----END PRIVATE KEY-----\\n"'
    ),
    "google api key": f"googleapi: Error 403: API key not valid. key={_GOOGLE}",
    "kubeconfig token": "users:\n- name: ci\n  user:\n    token: Pl4ntedKubeconfigToken9",
    "kubeconfig client key": "    client-key-data: UGxhbnRlZENsaWVudEtleQ==",
    "json api key": '{"level":"error","msg":"upstream 401","api_key":"Pl4ntedJsonApiKey10"}',
    "docker config auth": '{"auths":{"registry.shop.io":{"auth":"cGxhbnRlZDpkb2NrZXJhdXRo"}}}',
    "stripe key": "stripe: invalid api key sk_live_Pl4ntedStripeKey1234 (401)",
    "vault token": "vault: permission denied for token hvs.CAESI0JC89BgP7N4zTLG9s2woM7bu1jK459WcJrZZXOOZQ60P9paqYB0HgYQgJePaL5j9sSJk_aE3xnbu9rt01A_g66ZjfpLjysi",
    "session cookie": "GET /admin HTTP/1.1\nCookie: session=Pl4ntedSessionCookie11; theme=dark",
}

# Issue 24: secrets by field (any key containing a secret word, env lists' name/value pairs,
# command-line forms) and by shape (token prefixes and lengths from the public leak-scanner
# rule sets' documented formats, crypt/htpasswd hashes): (secret, the line it arrives in).
_FIELD_AND_SHAPE: dict[str, tuple[str, str]] = {
    "SECRET_KEY env": (
        "Pl4ntedDjangoSecretKey12",
        "SECRET_KEY=Pl4ntedDjangoSecretKey12 django.core.exceptions.ImproperlyConfigured: bad key",
    ),
    "SECRET_KEY_BASE env": (
        "Pl4ntedRailsKeyBase13",
        "SECRET_KEY_BASE=Pl4ntedRailsKeyBase13 rails aborted! ArgumentError: Missing secret_key_base",
    ),
    "DB_PASS env": (
        "Pl4ntedDbPass14",
        'DB_PASS=Pl4ntedDbPass14 psql: error: connection to server at "db" failed',
    ),
    "docker inspect Env": (
        "Pl4ntedRedisPass15",
        '"Env": ["REDIS_PASS=Pl4ntedRedisPass15", "PATH=/usr/local/bin:/usr/bin"],',
    ),
    "pod env yaml": (
        "Pl4ntedYamlEnvPw16",
        "    env:\n    - name: DB_PASSWORD\n      value: Pl4ntedYamlEnvPw16\n    - name: LOG_LEVEL\n      value: info",
    ),
    "pod env yaml value first": (
        "Pl4ntedYamlEnvPw17",
        '    env:\n    - value: "Pl4ntedYamlEnvPw17"\n      name: API_TOKEN',
    ),
    "pod env json": (
        "Pl4ntedJsonEnvPw18",
        '"env": [\n    {\n        "name": "DB_PASSWORD",\n        "value": "Pl4ntedJsonEnvPw18"\n    }\n],',
    ),
    "pod env json escaped in a log": (
        "Pl4ntedEscEnvKey19",
        '{"level":"error","msg":"apply failed","obj":"{\\"env\\":[{\\"name\\":\\"AWS_SECRET_ACCESS_KEY\\",\\"value\\":\\"Pl4ntedEscEnvKey19\\"}]}"}',
    ),
    "aws key in env list": (
        "Pl4ntedAwsEnvValue20",
        "  - name: AWS_SECRET_ACCESS_KEY\n    value: Pl4ntedAwsEnvValue20",
    ),
    "env flow style": (
        "Pl4ntedFlowEnv21",
        "        env: [{name: STRIPE_API_KEY, value: Pl4ntedFlowEnv21}]",
    ),
    "describe Environment": (
        "Pl4ntedDescribeEnv22",
        "    Environment:\n      SMTP_PASSWORD:  Pl4ntedDescribeEnv22\n      SMTP_HOST:      mail.shop",
    ),
    "yaml key containing secret": ("Pl4ntedJwtKey23", "auth:\n  jwtSecretKey: Pl4ntedJwtKey23"),
    "helm --set": (
        "Pl4ntedHelmSet24",
        "helm upgrade shop ./chart --set auth.rootPassword=Pl4ntedHelmSet24 Error: UPGRADE FAILED",
    ),
    "camelCase json": (
        "Pl4ntedCamelPw25",
        '{"dbHost":"db.shop","dbPassword":"Pl4ntedCamelPw25","error":"connect ECONNREFUSED"}',
    ),
    "x-api-key header": (
        "Pl4ntedHeaderKey26",
        'curl -H "x-api-key: Pl4ntedHeaderKey26" https://api.shop/orders: 401 Unauthorized',
    ),
    "signing key env": (
        "Pl4ntedSigningKey27",
        "JWT_SIGNING_KEY=Pl4ntedSigningKey27 invalid signature",
    ),
    "ini password": ("Pl4ntedIniPw28", "[client]\nuser = app\npassword = Pl4ntedIniPw28"),
    "sql server connection string": (
        "Pl4ntedMssqlPw29",
        "Server=tcp:db,1433;User ID=app;Password=Pl4ntedMssqlPw29;Encrypt=True: Login failed",
    ),
    "jdbc url": (
        "Pl4ntedJdbcPw30",
        "jdbc:postgresql://db:5432/shop?user=app&password=Pl4ntedJdbcPw30: FATAL",
    ),
    "xml password": (
        "Pl4ntedMavenPw31",
        "<server><id>nexus</id><username>ci</username><password>Pl4ntedMavenPw31</password></server>",
    ),
    "nuget password": (
        "Pl4ntedNugetPw32",
        '<add key="ClearTextPassword" value="Pl4ntedNugetPw32" />',
    ),
    "session secret json": (
        "Pl4ntedSessionSecret33",
        '{"SESSION_SECRET": "Pl4ntedSessionSecret33", "PORT": "8080"}',
    ),
    "kubectl --token": (
        "Pl4ntedKubectlToken34",
        "kubectl --token Pl4ntedKubectlToken34 get pods: error: You must be logged in to the server (Unauthorized)",
    ),
    "--from-literal": (
        "Pl4ntedFromLiteral35",
        "kubectl create secret generic db --from-literal=DATABASE_URL=Pl4ntedFromLiteral35 error: failed to create secret",
    ),
    "mysql -pPASS": (
        "Pl4ntedMysqlAttached36",
        "mysql -h db -u root -pPl4ntedMysqlAttached36 shop ERROR 2003 (HY000): Can't connect to MySQL server",
    ),
    "mysqladmin -p PASS": (
        "Pl4ntedMysqladmin37",
        "mysqladmin -u root -p Pl4ntedMysqladmin37 status: error: 'Access denied for user'",
    ),
    "docker login -p": (
        "Pl4ntedDockerLogin38",
        "docker login -u ci -p Pl4ntedDockerLogin38 registry.shop.io: unauthorized",
    ),
    "sshpass -p": ("Pl4ntedSshpass39", "sshpass -p Pl4ntedSshpass39 ssh node-3: Permission denied"),
    "redis-cli -a": (
        "Pl4ntedRedisCli40",
        "redis-cli -h redis -a Pl4ntedRedisCli40 ping: NOAUTH Authentication required",
    ),
    "curl -u": (
        "Pl4ntedCurlUser41",
        "curl -u admin:Pl4ntedCurlUser41 https://grafana.shop/api/health: 401",
    ),
    "htpasswd -nb": ("Pl4ntedHtpasswdB42", "htpasswd -nb admin Pl4ntedHtpasswdB42 > auth"),
    "openssl -passin": (
        "Pl4ntedOpensslPass43",
        "openssl rsa -in key.pem -passin pass:Pl4ntedOpensslPass43: bad decrypt",
    ),
    "aws configure set": (
        "Pl4ntedAwsConfigure44",
        "aws configure set aws_secret_access_key Pl4ntedAwsConfigure44",
    ),
    "podman login --password": (
        "Pl4ntedPodmanLogin45",
        "podman login --username ci --password Pl4ntedPodmanLogin45 quay.io: unauthorized",
    ),
    "htpasswd apr1 hash": (
        "$apr1$Pl4nted$w0rk1ngHashValue46xy",
        "admin:$apr1$Pl4nted$w0rk1ngHashValue46xy",
    ),
    "bcrypt hash": (
        "$2y$10$Pl4ntedBcryptSaltAndHash47abcdefghijklmnopqrstuvwxy",
        "admin:$2y$10$Pl4ntedBcryptSaltAndHash47abcdefghijklmnopqrstuvwxy",
    ),
    "sha512crypt hash": (
        "$6$Pl4ntedSalt$Pl4ntedSha512Hash48",
        "root:$6$Pl4ntedSalt$Pl4ntedSha512Hash48:19000:0:99999:7:::",
    ),
    "htpasswd {SHA}": (
        "{SHA}Pl4ntedShaHtpasswd49base64x=",
        "user:{SHA}Pl4ntedShaHtpasswd49base64x=",
    ),
    "kubeconfig basic auth password": (
        "Pl4ntedKubeconfigBasic50",
        "users:\n- name: admin\n  user:\n    username: admin\n    password: Pl4ntedKubeconfigBasic50",
    ),
    "git credentials url": ("Pl4ntedGitCred51", "https://ci:Pl4ntedGitCred51@github.com"),
    "vault token header": (
        "hvs.Pl4ntedVaultHeaderToken52abcdef",
        "X-Vault-Token: hvs.Pl4ntedVaultHeaderToken52abcdef",
    ),
    "aws session token env": (
        "Pl4ntedSessionToken53",
        "AWS_SESSION_TOKEN=Pl4ntedSessionToken53 ExpiredToken: The security token included in the request is expired",
    ),
    "client secret flag": (
        "Pl4ntedClientSecret54",
        "az login --service-principal -u app-id --password Pl4ntedClientSecret54 --tenant t",
    ),
    "az login -p": (
        "Pl4ntedAzLogin55",
        "az login --service-principal -u app-id -p Pl4ntedAzLogin55 --tenant shop",
    ),
    "openai legacy key": (
        "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",
        "openai.AuthenticationError: Incorrect API key provided: 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",
    ),
    "openai project key": (
        "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",
        "OPENAI key 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 rejected",
    ),
    "anthropic key": (
        "sk-ant-api03-htnQ9mv4IyZ3vGNvgK3vckk8Y3DDORZFGVo-5qozHtaC_7ARFQl-d35Q4BhSjqMnWGfMebGDhIlC1s1wVBVngnwQ7vAqCAA",
        "anthropic: invalid x-api-key sk-ant-api03-htnQ9mv4IyZ3vGNvgK3vckk8Y3DDORZFGVo-5qozHtaC_7ARFQl-d35Q4BhSjqMnWGfMebGDhIlC1s1wVBVngnwQ7vAqCAA",
    ),
    "github fine-grained token": (
        "github_pat_11Pl4ntedQIaw1nPOwbkUbpsKiRS6fKQbHz7e4jyJUgRSyVtPVQb7DT5XYaRFgtWawrXz",
        "remote: Invalid username or token github_pat_11Pl4ntedQIaw1nPOwbkUbpsKiRS6fKQbHz7e4jyJUgRSyVtPVQb7DT5XYaRFgtWawrXz",
    ),
    "gitlab runner token": (
        "glrt-Pl4ntedGitlabRunnerbF8EPOZ93i",
        "gitlab-runner register --token glrt-Pl4ntedGitlabRunnerbF8EPOZ93i: 403",
    ),
    "age secret key": (
        "AGE-SECRET-KEY-1020WSEA4HC3EQ8PSZ7TKNHUVPU27QRXXTAPM6VH8LTKUL8UQMZ7XNAP569",
        "sops: could not decrypt with AGE-SECRET-KEY-1020WSEA4HC3EQ8PSZ7TKNHUVPU27QRXXTAPM6VH8LTKUL8UQMZ7XNAP569",
    ),
    "databricks token": (
        "dapiaf4e918e39e70e2922b6d39b83893c47",
        "databricks: invalid access token dapiaf4e918e39e70e2922b6d39b83893c47",
    ),
    "doppler token": (
        "dp.pt.pzhhdCa2cy50nQTvEfarB9pHqjEDP9re866Dcy958Ns",
        "doppler: service token dp.pt.pzhhdCa2cy50nQTvEfarB9pHqjEDP9re866Dcy958Ns is invalid",
    ),
    "dynatrace token": (
        "dt0c01.TCDYJQNUSNZHICEPGXPULYWR.P8RQROSE4GBG3IVBQYYXTP3EI9ZZQQZDFZPXITV0HGTQ8XSJLV6LIVITNU5WNRB4",
        "dynatrace: 401 for dt0c01.TCDYJQNUSNZHICEPGXPULYWR.P8RQROSE4GBG3IVBQYYXTP3EI9ZZQQZDFZPXITV0HGTQ8XSJLV6LIVITNU5WNRB4",
    ),
    "shopify token": (
        "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",
        "shopify: [API] Invalid API key or access token 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",
    ),
    "square token": (
        "sq0atp-zNVzOpvfhKDbGA1fmH0Ajv",
        "square: AUTHENTICATION_ERROR for sq0atp-zNVzOpvfhKDbGA1fmH0Ajv",
    ),
    "sentry user token": (
        "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",
        "sentry-cli: invalid token 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",
    ),
    "pulumi token": (
        "pul-cd0a0e6dfaf3be236d29bf2a64cd78188e74bda9",
        "error: PULUMI_ACCESS_TOKEN pul-cd0a0e6dfaf3be236d29bf2a64cd78188e74bda9 invalid",
    ),
    "postman key": (
        "PMAK-b7abcbd1fe7377b75405f362-800f777bca00b1f830a854ac32677e879a",
        "newman: 401 with PMAK-b7abcbd1fe7377b75405f362-800f777bca00b1f830a854ac32677e879a",
    ),
    "linear key": (
        "lin_api_lTZclma1KkVoB4pC25mDE9zyaeyBlc0TH3wzHQfG",
        "linear: Authentication required, not authenticated lin_api_lTZclma1KkVoB4pC25mDE9zyaeyBlc0TH3wzHQfG",
    ),
    "notion token": (
        "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",
        "notion: API token is invalid 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",
    ),
    "openshift token": (
        "sha256~Vy4lybI7gomvfUYjMHXtHMxkPG0n7O6yXoTTUALZng9",
        "oc login --token=sha256~Vy4lybI7gomvfUYjMHXtHMxkPG0n7O6yXoTTUALZng9 --server=https://api.ocp:6443 error: unauthorized",
    ),
    "planetscale password": (
        "pscale_pw_X2qiVtKl1tjTzgZUZBamN6Lcu8bFMLZnQ2uF5k2u",
        "mysql: pscale password pscale_pw_X2qiVtKl1tjTzgZUZBamN6Lcu8bFMLZnQ2uF5k2u rejected",
    ),
    "heroku key": (
        "HRKU-AAonu7v3zs8oSAYfLgJZ4qdvZytLoQCdkkFGI1Qjgu3Eqo0Ryf6ksLcHfU3P",
        "heroku: Invalid credentials provided HRKU-AAonu7v3zs8oSAYfLgJZ4qdvZytLoQCdkkFGI1Qjgu3Eqo0Ryf6ksLcHfU3P",
    ),
    "npm token": (
        "npm_vHPzL1A7exhYf0tK7XQt5E9yKJJuVuWImLdF",
        "npm ERR! 401 Unauthorized token npm_vHPzL1A7exhYf0tK7XQt5E9yKJJuVuWImLdF",
    ),
    "pypi token": (
        "pypi-AgEIcHlwaS5vcmcgddTTDbCnexjztYqqYWHY08PMoSw5QbvNObWU7zHk8ecjDU4M7JSd8MFwC4B",
        "twine: 403 Invalid or non-existent authentication information pypi-AgEIcHlwaS5vcmcgddTTDbCnexjztYqqYWHY08PMoSw5QbvNObWU7zHk8ecjDU4M7JSd8MFwC4B",
    ),
    "docker hub token": (
        "dckr_pat_icRRGDc3ckurjAtG4MUL31PCpgE",
        "echo dckr_pat_icRRGDc3ckurjAtG4MUL31PCpgE | docker login -u ci --password-stdin",
    ),
    "grafana cloud token": (
        "glc_VIBfCFybwS9nP9ZSZb72qg9cOR6pFVAE1w2M1ao6",
        "grafana-agent: 401 Unauthorized using glc_VIBfCFybwS9nP9ZSZb72qg9cOR6pFVAE1w2M1ao6",
    ),
    "hugging face token": (
        "hf_M6evOe8Dg4f4x67fWbrBRY5zJbaFrnIfiF",
        "huggingface_hub.errors: Invalid user token hf_M6evOe8Dg4f4x67fWbrBRY5zJbaFrnIfiF",
    ),
    "alibaba key id": (
        "LTAIUzuwyZ3JZMdMJKoEk5sm",
        "aliyun: InvalidAccessKeyId.NotFound LTAIUzuwyZ3JZMdMJKoEk5sm",
    ),
    "azure ad client secret": (
        "Pl48Q~XijtlYhcfTKfcjvXgro9Ll8UlNSyNpoTwi",
        "AADSTS7000215: Invalid client secret provided Pl48Q~XijtlYhcfTKfcjvXgro9Ll8UlNSyNpoTwi",
    ),
    "bootstrap token": (
        "pl4ntd.pl4ntedb00tstrap",
        "pl4ntd.pl4ntedb00tstrap   23h   2026-11-24T10:00:00Z   authentication,signing   <none>",
    ),
    "sendgrid key": (
        "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",
        "sendgrid: 401 The provided authorization grant is invalid 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",
    ),
    "slack user token": (
        "xoxp-321246157748-937425690925-584557762114-b7f722f65c67352ff0060a9925934051",
        "slack: invalid_auth for xoxp-321246157748-937425690925-584557762114-b7f722f65c67352ff0060a9925934051",
    ),
    "slack app token": (
        "xapp-1-A0PL4NTED-1234567890-a4f79f1a811d0f04574bd431bf5e6fda033a21a6e6a7ba2a002c930cb176c4dc",
        "socket mode: invalid app token xapp-1-A0PL4NTED-1234567890-a4f79f1a811d0f04574bd431bf5e6fda033a21a6e6a7ba2a002c930cb176c4dc",
    ),
    "stripe restricted key": (
        "rk_live_Pl4ntedRestrictedo499TU1CI5VOGKy546lA",
        "stripe: Invalid API Key provided: rk_live_Pl4ntedRestrictedo499TU1CI5VOGKy546lA",
    ),
    "stripe webhook secret": (
        "whsec_Pl4ntedStripeWebhookovR9u8CFrX0flE9q9wY2",
        "No signatures found matching the expected signature for payload using whsec_Pl4ntedStripeWebhookovR9u8CFrX0flE9q9wY2",
    ),
    "vault batch token": (
        "hvb.Pl4ntedVaultBatchWnuwAiT4wNf0p79eDj5YfAAOUxiXKkZniDznVNx2wFI9AavKcFbgBPRqbxOKPxIiJmnfKAcHRk1Wu45YdwcEcJDyb5Oa7Jz2KgjG",
        "vault: permission denied hvb.Pl4ntedVaultBatchWnuwAiT4wNf0p79eDj5YfAAOUxiXKkZniDznVNx2wFI9AavKcFbgBPRqbxOKPxIiJmnfKAcHRk1Wu45YdwcEcJDyb5Oa7Jz2KgjG",
    ),
    "google oauth token": (
        "ya29.Pl4ntedGoogleOauthus10ShGxKvgNZn5I1LmzLs1yFxB0Nd",
        "googleapi: Error 401: Request had invalid authentication credentials ya29.Pl4ntedGoogleOauthus10ShGxKvgNZn5I1LmzLs1yFxB0Nd",
    ),
    "atlassian token": (
        "ATATT3xFfGF0Pl4ntedCW6wmVAcpCKNs69mGamU8PmAwcaWEc6DG5uJSq06HlqPtSuMYxJmvpQZ2S3CS60V4Xn16A2IP44sBZqQ849otYfpuboBJM74VN18xleFGmUogIGPanxoCB7n",
        "jira: 401 Client must be authenticated ATATT3xFfGF0Pl4ntedCW6wmVAcpCKNs69mGamU8PmAwcaWEc6DG5uJSq06HlqPtSuMYxJmvpQZ2S3CS60V4Xn16A2IP44sBZqQ849otYfpuboBJM74VN18xleFGmUogIGPanxoCB7n",
    ),
    "terraform cloud token": (
        "feuRmyjwlOCc5C.atlasv1.1dXPLeflo8ZJTnrk5a9ihn2XhjL2DWrXr07zCVZjETABR0nsONi6ngAU0aySuQdzNPbzPt",
        "terraform: invalid token feuRmyjwlOCc5C.atlasv1.1dXPLeflo8ZJTnrk5a9ihn2XhjL2DWrXr07zCVZjETABR0nsONi6ngAU0aySuQdzNPbzPt",
    ),
    "digitalocean token": (
        "dop_v1_fca0caf053b9bb4a50028a1d8d98219bee4122ae99823a14e477d49f91afa144",
        "doctl: Unable to authenticate you dop_v1_fca0caf053b9bb4a50028a1d8d98219bee4122ae99823a14e477d49f91afa144",
    ),
    "new relic key": (
        "NRAK-L6WL0FJ31SYPRXQ4WPVQI0WABXA",
        "newrelic: invalid API key NRAK-L6WL0FJ31SYPRXQ4WPVQI0WABXA",
    ),
    "1password secret key": (
        "A3-NEB542-7AWQ4CL0XO6-RGCGE-QSVPZ-E2RDS",
        "op: invalid secret key A3-NEB542-7AWQ4CL0XO6-RGCGE-QSVPZ-E2RDS",
    ),
    "clojars token": (
        "CLOJARS_13bbc9ef60c8891ccee8c5e8aa282874f84604fdcaa761cf0805242c0737",
        "lein deploy: 401 CLOJARS_13bbc9ef60c8891ccee8c5e8aa282874f84604fdcaa761cf0805242c0737",
    ),
    "brevo key": (
        "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",
        "brevo: Key not found 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",
    ),
    "typeform token": (
        "tfp_2m1BztqSgO2QwhSKTTkkj7d6fRpT7hs1P7O7K0YwL0Yr4jEqQYWxGO6gzAB",
        "typeform: 401 tfp_2m1BztqSgO2QwhSKTTkkj7d6fRpT7hs1P7O7K0YwL0Yr4jEqQYWxGO6gzAB",
    ),
    "cloudflare origin ca key": (
        "v1.0-1c9b9127993827167fbaf011-ce197638f71435b41e2d98552fa6f9fa53c080f4eb28a9896b2ac96f73030a12d1380e1d8c8ed1786f9c5ea4fb6a4c6aa05b352dbf3caf2076721cb6835560eee8a96f4b21c5d2eddf",
        "cloudflare: Invalid Origin CA key v1.0-1c9b9127993827167fbaf011-ce197638f71435b41e2d98552fa6f9fa53c080f4eb28a9896b2ac96f73030a12d1380e1d8c8ed1786f9c5ea4fb6a4c6aa05b352dbf3caf2076721cb6835560eee8a96f4b21c5d2eddf",
    ),
    "grafana service account": (
        "glsa_Yuv3kJVOoDK8OQB2UzORyPBXCKLJldM2_060b2388",
        "grafana: 401 invalid API key glsa_Yuv3kJVOoDK8OQB2UzORyPBXCKLJldM2_060b2388",
    ),
    "gitlab pat in url": (
        "glpat-Pl4ntedGitlabUrlqg5Imk0X",
        "fatal: unable to access 'https://oauth2:glpat-Pl4ntedGitlabUrlqg5Imk0X@gitlab.shop/app.git/'",
    ),
    "yandex key": (
        "AQVN6zWvYMnW3ULZMs07sjqOy6XQbccJpQGjzPz7",
        "yc: Unauthenticated AQVN6zWvYMnW3ULZMs07sjqOy6XQbccJpQGjzPz7",
    ),
    "scalingo token": (
        "tk-us-JJIM3fokPJXIZfMp9mm5dK8DqeDEOjigQffHz36QM3toxvXQ",
        "scalingo: invalid token tk-us-JJIM3fokPJXIZfMp9mm5dK8DqeDEOjigQffHz36QM3toxvXQ",
    ),
    "rubygems key": (
        "rubygems_b2f2f7a800e484165695188859f131176a2f292c1f5c5a9f",
        "gem push: Access Denied rubygems_b2f2f7a800e484165695188859f131176a2f292c1f5c5a9f",
    ),
    "nuget key": (
        "oy2v9rmpnvl45puiqlhmvauvulttf28qd7pcbiui75huis",
        "dotnet nuget push app.nupkg --api-key oy2v9rmpnvl45puiqlhmvauvulttf28qd7pcbiui75huis: 403 The specified API key is invalid",
    ),
}

# Issue 51: shapes an attacker picks (not in any list above), and one secret drawn from each
# rule of the rule set the redaction takes its token formats from (as gitleaks draws its own).
_RULE_SET = {f"rule set: {rule_id}": sample for rule_id, sample in rule_samples().items()}
for _group in (_FIELD_AND_SHAPE, ATTACKER, _RULE_SET):
    SECRETS.update({kind: secret for kind, (secret, _context) in _group.items()})
    PLANTED.update({kind: context for kind, (_secret, context) in _group.items()})

ORDINARY = [  # ordinary lines that must stay exactly as pasted (matching reads them)
    "- key: node-role.kubernetes.io/control-plane\n  operator: Exists\n  effect: NoSchedule",
    "      topologyKey: kubernetes.io/hostname",
    "--- PASS: TestReconcile (0.02s)",
    "PASS: test_orders_api",
    "    valueFrom:\n      secretKeyRef:\n        name: db\n        key: password",
    "    env:\n    - name: LOG_LEVEL\n      value: debug\n    - name: DB_HOST\n      value: db.shop.svc",
    "    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef:\n          name: db\n          key: password",
    "        expirationSeconds: 3600\n        path: token",
    "  tokenExpirationSeconds: 3600",
    "  serviceAccountName: builder",
    'Warning  FailedMount  kubelet  MountVolume.SetUp failed for volume "db-password" : secret "db-password" not found',
    "passwordless sudo is not configured on node-3",
    "Data\n====\npassword:  12 bytes\nusername:  5 bytes",
    "kubectl create secret generic db --from-file=./password.txt",
    "mysql: [Warning] Using a password on the command line interface can be insecure.",
    "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)",
    'Error response from daemon: Get "https://registry.shop.io/v2/": unauthorized: incorrect username or password',
    "curl: (7) Failed to connect to grafana.shop port 443 after 3 ms: Connection refused",
    "sort_key: created_at",
    "publicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    "  auth_method: oidc",
    "kubeadm token create --print-join-command",
    "error: You must be logged in to the server (Unauthorized)",
    "Unable to connect to the server: x509: certificate signed by unknown authority",
    "0/3 nodes are available: 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.",
    "imagePullSecrets:\n- name: regcred",
    "  - name: API_TOKEN\n    valueFrom:\n      secretKeyRef: {name: api, key: token}",
    "E0611 10:02:03.123456 1 token_manager.go:121] couldn't update token cache: token expired",
    "docker login registry.shop.io --username ci --password-stdin < token.txt",
    "redis-cli -h redis ping",
    "mysql -h db -P 3306 -u app shop",
    "--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt",
    "keyboard-interactive authentication failed",
    "Service Account:  default\nTokens:           <none>",
    "WARN  Secret key not configured, falling back to default",
    'password authentication failed for user "app"',
]

assert set(PLANTED) == set(SECRETS) and len(SECRETS) >= 300
assert all(SECRETS[kind] in PLANTED[kind] for kind in PLANTED)
assert len(set(SECRETS.values())) == len(SECRETS)
