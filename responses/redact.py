"""Secret redaction for every text the bot echoes back into Slack.

People paste whatever their terminal shows: curl commands with bearer
tokens, kubeconfigs, env dumps, connection strings.  Anything the bot
quotes back (matched lines, evidence, commands) goes through `redact`
first, so a channel never gets a second copy of a secret.

Every pattern is linear: no nested quantifiers and bounded repetition
wherever backtracking could happen, so a 1 MB paste costs one pass per
rule.  Names of secrets ("secret \"db-credentials\" not found") are not
secrets and stay readable; only values are replaced.

Three kinds of rule: a secret-ish key and its value (`password=`, `"token":`,
`--password VALUE`, `AccountKey=`), a token whose own shape says what it is
(`xoxb-`, `ghp_`, `AKIA`, JWTs, webhook URLs, base64 of a PEM block), and the
values of Kubernetes Secret data maps under any key (`responses.secret_maps`).
The error words around a secret are never touched, so a redacted paste
matches the catalog exactly as the raw one did: redaction can run before
matching and before storage.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from intents.lazy_re import LazyPattern, lazy_compile
from responses.clean_texts import known_clean, note_redacted
from responses.secret_fields import ends_in_secret_word, is_secret_key, redact_env_pairs
from responses.secret_maps import redact_secret_maps

REDACTED = "[REDACTED]"

_SKIP_VALUE = (r"(?!\[REDACTED\]|<|\$[{(A-Za-z_]|(?:true|false|null|none)\b|\d+[ \t]+bytes\b"
               r"|/[\w.-]++/)")
"""Values that are not secrets: placeholders (<password>), env references, booleans, the sizes
`kubectl describe secret` shows, file paths (--client-key=/etc/kubernetes/pki/x.key)."""

_ANY_KEY = r"(?P<key>[\w.-]{1,80}+)"
"""Any field name; a rule using it replaces the value only when `is_secret_key` says so."""

_VALUE = (
    r"(?P<value>\\\"[^\"\\\n]++(?:\\\")?|\"[^\"\n]++\"?|'[^'\n]++'?|[^\s\"'\\,;&}<>]++)"
)
"""A quoted string (also JSON-escaped \\"...\\"), or a bare word up to , ; & } or space.

Possessive quantifiers: a value is scanned once and never backtracked into.
"""

_Rule = tuple[LazyPattern, str | Callable[[re.Match[str]], str]]


def _keep_prefix(match: re.Match[str]) -> str:
    """Keep the key (and the value's quotes, when quoted); replace only the value."""
    value = match.groupdict().get("value") or ""
    for quote in ('\\"', '"', "'"):
        if value.startswith(quote):
            return f"{match.group('keep')}{quote}{REDACTED}{quote}"
    return match.group("keep") + REDACTED


def _pem(match: re.Match[str]) -> str:
    kind, block = match.group("kind").strip(), match.group("block") or ""
    return (f"-----BEGIN {kind} PRIVATE KEY{block}-----{REDACTED}"
            f"-----END {kind} PRIVATE KEY{block}-----")


def _url_credentials(match: re.Match[str]) -> str:
    return f"{match.group('scheme')}{match.group('user')}:{REDACTED}@"


def _if_secret_key(match: re.Match[str]) -> str:
    """`_keep_prefix` when the matched key names a secret (SECRET_KEY_BASE, dbPassword), else as is."""
    return _keep_prefix(match) if is_secret_key(match.group("key").strip("-.")) else match.group(0)


def _if_secret_quoted_key(match: re.Match[str]) -> str:
    """Like `_if_secret_key`; an unquoted value after a quoted key ("pod \"secret-x\": exit") is
    prose unless the key ends in a secret word ("password": hunter2)."""
    key, value = match.group("key"), match.group("value") or ""
    if value[:1] not in "\"'\\" and not ends_in_secret_word(key):
        return match.group(0)
    return _if_secret_key(match)


def _on_secret_command(match: re.Match[str]) -> str:
    """`_keep_prefix` when the line creates a Secret (kubectl create secret ... --from-literal=K=V)."""
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    return _keep_prefix(match) if "secret" in match.string[line_start : match.start()].lower() \
        else match.group(0)


def _keep(pattern: str) -> _Rule:
    """A rule whose `keep` group stays and whose rest becomes [REDACTED]."""
    return lazy_compile(pattern), _keep_prefix


_PEM: _Rule = (
    # PEM private key blocks (PGP too), also with escaped "\n" inside JSON; an unterminated
    # one to the end. The only rule that spans lines, with the Secret data maps.
    lazy_compile(r"-----BEGIN(?P<kind>[A-Z ]{0,40}) PRIVATE KEY(?P<block> BLOCK)?-----.*?"
               r"(?:-----END[A-Z ]{0,40} PRIVATE KEY(?: BLOCK)?-----|\Z)", re.DOTALL),
    _pem,
)

_LINE_RULES: tuple[_Rule, ...] = (
    # Credentials in URLs: https://user:pass@host, redis://:pass@host.
    (lazy_compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]{0,20}://)(?P<user>[^\s:/@]*+)"
                r":[^\s/@]++@"), _url_credentials),
    # Go MySQL driver DSNs: user:pass@tcp(host:3306)/db, user:pass@unix(/run/mysqld.sock)/db.
    _keep(r"(?P<keep>(?<![\w.+-])[\w.+-]{1,64}:)[^\s@/:'\"]{1,256}+(?=@(?:tcp6?|udp|unix)\()"),
    # Slack incoming webhooks and workflow triggers: the path is the credential.
    _keep(r"(?P<keep>\bhooks\.slack\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]++"),
    # Discord and Microsoft Teams webhooks.
    _keep(r"(?P<keep>\bdiscord(?:app)?\.com/api/webhooks/[0-9]{1,30}/)[A-Za-z0-9_-]++"),
    _keep(r"(?P<keep>\.webhook\.office\.com/webhookb2/)[^\s\"'<>]++"),
    # Authorization / Proxy-Authorization header values, with or without a scheme word.
    (lazy_compile(r"(?i)(?P<keep>(?:proxy-)?authorization[\"']?[ \t]*[:=][ \t]*[\"']?"
                r"(?:(?:bearer|basic|digest|token|negotiate|aws4-hmac-sha256)[ \t]+)?+)"
                r"(?!\[REDACTED\])[^\s\"',;]++"), _keep_prefix),
    # Cookie headers: the whole value is session state.
    _keep(r"(?im)(?P<keep>(?:^[ \t]{0,40}|[\"'])(?:set-)?cookie:[ \t]*+)(?!\[REDACTED\])"
           r"[^\n\"']++"),
    # A bare "bearer <token>", unless the next word is plain English ("bearer token").
    (lazy_compile(r"(?i)(?P<keep>\bbearer[ \t]+)(?!(?:tokens?|auth\w{0,20}|header|scheme|realm"
                r"|type|format|credentials?|is|was|of|for|and|the|or)\b)(?!\[REDACTED\])"
                r"[A-Za-z0-9._~+/=-]++"), _keep_prefix),
    # Kubeconfig certificate and key data.
    (lazy_compile(r"(?i)(?P<keep>\b(?:client-key|client-certificate|certificate-authority)-data"
                r"[\"']?[ \t]*:[ \t]*[\"']?)[A-Za-z0-9+/=]++"), _keep_prefix),
    # Docker config: "auth": "<base64 user:pass>", and a Secret's .dockerconfigjson/.dockercfg.
    (lazy_compile(r"(?P<keep>\"auth\\?\"[ \t]*:[ \t]*\\?\")[A-Za-z0-9+/=]{8,}+"), _keep_prefix),
    _keep(r"(?P<keep>\.docker(?:configjson|cfg)\\?[\"']?[ \t]*:[ \t]*\\?[\"']?)"
           r"(?!\[REDACTED\])[A-Za-z0-9+/=]++"),
    # Azure: a SAS in a connection string runs to the next ";" (it is itself a query string),
    # and a SAS URL's signature is its sig= parameter.
    _keep(r"(?i)(?P<keep>\bSharedAccessSignature=)(?!\[REDACTED\])[^;\s\"'<>]++"),
    _keep(r"(?P<keep>[?&;]sig=)(?!\[REDACTED\])[^&;\s\"'<>]++"),
    # Command lines whose password flag is a bare -p/-a: mysql -pPASS or -p PASS, docker (podman,
    # helm registry, az...) login -p PASS, sshpass -p PASS, redis-cli -a PASS; curl -u user:PASS;
    # htpasswd -b [file] user PASS; openssl -passin pass:PASS; kubectl --from-literal=ANY=VALUE.
    _keep(r"(?P<keep>\b(?:mysql|mysqladmin|mysqldump|mysqlimport|mysqlshow|mysqlcheck|mysqlpump|mysqlsh"
          r"|mariadb(?:-dump|-admin)?)\b[^\n|;&]{0,300}?[ \t]-p[ \t]*+)(?!-|\[REDACTED\])[^\s\"']++"),
    _keep(r"(?P<keep>\b(?:docker|podman|nerdctl|buildah|skopeo|oras|finch|registry|az)[ \t]++login\b"
          r"[^\n|;&]{0,300}?[ \t]-p[ \t]*+)(?!-|\[REDACTED\])[^\s\"']++"),
    _keep(r"(?P<keep>\bsshpass[ \t]++-p[ \t]*+)(?!\[REDACTED\])[^\s\"']++"),
    _keep(r"(?P<keep>\bredis-cli\b[^\n|;&]{0,300}?[ \t]-a[ \t]++)(?!-|\[REDACTED\])[^\s\"']++"),
    _keep(r"(?P<keep>\bcurl\b[^\n|;&]{0,500}?[ \t](?:-u|--user)(?:[ \t]++|=)[\"']?[^\s:\"']{0,100}+:)"
          r"(?!\[REDACTED\])[^\s\"']++"),
    _keep(r"(?P<keep>\bhtpasswd[ \t]++-(?=[A-Za-z]*n)(?=[A-Za-z]*b)[A-Za-z]++[ \t]++\S++[ \t]++)"
          r"(?!\[REDACTED\])[^\s\"']++"),
    _keep(r"(?P<keep>\bhtpasswd[ \t]++-(?![A-Za-z]*n)(?=[A-Za-z]*b)[A-Za-z]++[ \t]++\S++[ \t]++\S++"
          r"[ \t]++)(?!\[REDACTED\])[^\s\"']++"),
    _keep(r"(?P<keep>(?<![\w-])-pass(?:in|out)?[ \t]++pass:)(?!\[REDACTED\])[^\s\"']++"),
    (lazy_compile(r"(?P<keep>--from-literal[ \t=]++[\"']?[\w.-]{1,253}+=)(?!\[REDACTED\])[^\s\"']++"),
     _on_secret_command),
    (lazy_compile(rf"(?P<keep>\baws[ \t]++configure[ \t]++set[ \t]++{_ANY_KEY}[ \t]++){_SKIP_VALUE}"
                rf"{_VALUE}"), _if_secret_key),
    # XML elements and NuGet-style attributes: <password>x</password>, <add key="ApiKey" value="x"/>.
    (lazy_compile(r"(?P<keep><(?P<key>[\w.-]{1,60}+)>)(?!\[REDACTED\])(?P<value>[^<\n]{1,500}+)"
                r"(?=</(?P=key)>)"), _if_secret_key),
    (lazy_compile(r"(?P<keep><add[ \t]++key=\"(?P<key>[\w.-]{1,80}+)\"[ \t]++value=)"
                r"(?!\"\[REDACTED\])(?P<value>\"[^\"\n]*+\")"), _if_secret_key),
    # Quoted keys anywhere (JSON, Python reprs): "password": "x", 'api_key': 'x', \"token\":\"x\",
    # "SECRET_KEY_BASE": "x"; any key is read, only secret-like ones (responses.secret_fields) go.
    (lazy_compile(rf"(?P<keep>(?:\\\"|[\"']){_ANY_KEY}(?:\\\"|[\"'])[:=][ \t]*){_SKIP_VALUE}"
                rf"{_VALUE}"), _if_secret_quoted_key),
    # key=value anywhere: env DB_PASS=x, SECRET_KEY=x, query ?token=x&, flags --db-password=x,
    # INI key = x, Azure AccountKey=x; and SharedAccessKey=x;.
    (lazy_compile(rf"(?P<keep>(?<![\w.-]){_ANY_KEY}[ \t]*=[ \t]*){_SKIP_VALUE}{_VALUE}"), _if_secret_key),
    # Command-line flags with the value after a space: --password VALUE, --client-secret VALUE.
    (lazy_compile(rf"(?P<keep>(?<![\w-])--?(?P<key>[\w-]{{1,60}}+)[ \t]++)(?!-){_SKIP_VALUE}{_VALUE}"),
     _if_secret_key),
    # key: value only where a key starts a line (YAML, headers, kubeconfig users, describe's
    # Environment) or a quote: mid-sentence "failed to fetch token: 401" is prose, not a secret.
    (lazy_compile(rf"(?im)(?P<keep>(?:^[ \t]{{0,40}}(?:-[ \t]{{1,8}})?|[\"'])"
                rf"{_ANY_KEY}:[ \t]{{1,40}}){_SKIP_VALUE}{_VALUE}"), _if_secret_key),
)

_TOKEN_SHAPES = (
    r"eyJ[A-Za-z0-9_-]{5,}+\.eyJ[A-Za-z0-9_-]{5,}+\.[A-Za-z0-9_-]*+",  # JWT (service accounts)
    r"LS0tLS1CRUdJTi[A-Za-z0-9+/=]*+",  # base64 of "-----BEGIN " (a Secret's tls.key, ca.key)
    r"eyJhdXRocyI6[A-Za-z0-9+/=]*+",  # base64 of '{"auths":' (a .dockerconfigjson)
    r"(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}+",  # Slack
    r"gh[pousr]_[A-Za-z0-9]{20,}+|github_pat_[A-Za-z0-9_]{20,}+",  # GitHub
    r"gl(?:pat|dt|rt|cbt|ptt|ft|imt|oas|soat|agent)-[A-Za-z0-9_.-]{20,}+",  # GitLab
    r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b",  # AWS access key ids
    r"ABSK[A-Za-z0-9+/]{100,}+={0,2}",  # AWS Bedrock API keys
    r"AIza[0-9A-Za-z_-]{35}",  # Google API keys
    r"ya29\.[0-9A-Za-z_-]{20,}+",  # Google OAuth access tokens
    r"(?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{10,}+|whsec_[A-Za-z0-9]{32,}+",  # Stripe
    r"npm_[A-Za-z0-9]{36}",  # npm
    r"pypi-AgE[A-Za-z0-9_-]{40,}+",  # PyPI
    r"dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,}+",  # Docker Hub
    r"hv[sbr]\.[A-Za-z0-9_-]{20,}+",  # HashiCorp Vault
    r"SG\.[A-Za-z0-9_-]{16,}+\.[A-Za-z0-9_-]{16,}+",  # SendGrid
    r"do[por]_v1_[a-f0-9]{64}",  # DigitalOcean
    r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}",  # Grafana service accounts
    r"hf_[A-Za-z0-9]{30,}+",  # Hugging Face
    r"sk-(?:ant|proj|svcacct|admin)-[A-Za-z0-9_-]{20,}+",  # Anthropic, OpenAI project keys
    r"sk-[A-Za-z0-9]{32,}+",  # OpenAI legacy keys (48 characters, T3BlbkFJ inside)
    r"NRAK-[A-Z0-9]{27}",  # New Relic
    r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,}+",  # Terraform Cloud
    r"AGE-SECRET-KEY-1[0-9A-Z]{58}",  # age
    r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",  # 1Password
    r"ops_eyJ[A-Za-z0-9+/]{100,}+={0,3}",  # 1Password service accounts
    r"p8e-[A-Za-z0-9]{32}",  # Adobe
    r"LTAI[A-Za-z0-9]{20}",  # Alibaba Cloud
    r"AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59}",  # Artifactory
    r"ATATT3[A-Za-z0-9_=-]{100,}+",  # Atlassian API tokens
    r"[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}",  # Azure AD client secrets
    r"CLOJARS_[A-Za-z0-9]{60}",  # Clojars
    r"v1\.0-[a-f0-9]{24}-[a-f0-9]{146}",  # Cloudflare origin CA
    r"dapi[a-f0-9]{32}(?:-[0-9])?",  # Databricks
    r"dp\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9]{40,}+",  # Doppler
    r"duffel_(?:test|live)_[A-Za-z0-9_=-]{43}",  # Duffel
    r"dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}",  # Dynatrace
    r"EZ[AT]K[A-Za-z0-9]{54}",  # EasyPost
    r"EAA[MC][A-Za-z0-9]{100,}+",  # Facebook page tokens
    r"FLWSECK(?:_TEST)?-[a-hA-H0-9]{12,}+(?:-X)?",  # Flutterwave
    r"fo1_[A-Za-z0-9_-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}+={0,3}",  # Fly.io
    r"fio-u-[A-Za-z0-9_=-]{64}",  # Frame.io
    r"glc_[A-Za-z0-9+/]{32,}+={0,3}",  # Grafana Cloud
    r"glffct-[0-9a-zA-Z_-]{20}|GR1348941[A-Za-z0-9_-]{20}",  # GitLab feature-flag, runner registration
    r"HRKU-AA[0-9a-zA-Z_-]{58}",  # Heroku
    r"api_org_[A-Za-z]{34}",  # Hugging Face organisations
    r"ico-[A-Za-z0-9]{32}",  # Infracost
    r"lin_api_[A-Za-z0-9]{40}",  # Linear
    r"[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk",  # MaxMind
    r"ntn_[0-9]{11}[A-Za-z0-9]{35}",  # Notion
    r"oy2[a-z0-9]{43}",  # NuGet
    r"sha256~[A-Za-z0-9_-]{43}",  # OpenShift user tokens
    r"pplx-[A-Za-z0-9]{48}",  # Perplexity
    r"pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_=.-]{32,64}",  # PlanetScale
    r"PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}",  # Postman
    r"pnu_[A-Za-z0-9]{36}",  # Prefect
    r"pul-[a-f0-9]{40}",  # Pulumi
    r"rdme_[a-z0-9]{70}",  # ReadMe
    r"rubygems_[a-f0-9]{48}",  # RubyGems
    r"tk-us-[A-Za-z0-9_-]{48}",  # Scalingo
    r"xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}",  # Brevo (Sendinblue)
    r"sntry[su]_[A-Za-z0-9+/=_]{40,}+",  # Sentry
    r"shippo_(?:live|test)_[a-fA-F0-9]{40}",  # Shippo
    r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}",  # Shopify
    r"sq0(?:atp|csp)-[A-Za-z0-9_-]{22,60}",  # Square
    r"tfp_[A-Za-z0-9_.=-]{59}",  # Typeform
    r"AQVN[A-Za-z0-9_-]{35,38}",  # Yandex
    r"[a-z0-9]{6}\.[a-z0-9]{16}\b",  # Kubernetes bootstrap tokens (kubeadm token list)
)
_TOKENS: _Rule = (lazy_compile(rf"\b(?:{'|'.join(_TOKEN_SHAPES)})"), REDACTED)
_PASSWORD_HASHES: _Rule = (
    # crypt(3) and htpasswd hashes: $apr1$, $1$, $5$, $6$, bcrypt $2y$, yescrypt $y$, argon2; {SHA}.
    lazy_compile(r"\$(?<![\w$]\$)(?:apr1|1|5|6|2[abxy]|y|gy|7|argon2(?:id|i|d))\$[^\s:'\"]{8,}+"
               r"|\{S?SHA\}[A-Za-z0-9+/]{20,}+={0,2}"),
    REDACTED,
)


_TRIGGERS = (
    "://", "@tcp", "@udp", "@unix", "hooks.slack.com/", "discord", ".webhook.office.com/",
    "authorization", "cookie:", "bearer", "-data", '"auth', "docker", "sharedaccesssignature=",
    "sig=", "pass", "pwd", "secret", "token", "key", "signature", "eyj", "ls0tls1crudjti", "xox",
    "xapp-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "glrt-",
    "glcbt-", "glptt-", "glft-", "glimt-", "gloas-", "glsoat-", "glagent-", "akia", "asia",
    "aiza", "ya29.", "k_live_", "k_test_", "npm_", "pypi-", "dckr_pat_", "hvs.", "hvb.", "hvr.",
    "sg.", "_v1_", "glsa_", "hf_", "sk-", "nrak-", ".atlasv1.", "k_prod_", "whsec_", "dckr_oat_",
    "cred", "pw", "auth", "mysql", "mariadb", "login", "sshpass", "redis-cli", "curl", "from-literal",
    "htpasswd", "-pass", "aws configure", "</", "<add key=", "$apr1$", "$1$", "$5$", "$6$", "$2a$",
    "$2b$", "$2x$", "$2y$", "$y$", "$gy$", "$7$", "$argon2", "{sha}", "{ssha}", "abia", "acca",
    "a3t", "absk", "age-secret-key-", "a3-", "ops_eyj", "p8e-", "ltai", "akcp", "cmvmd", "atatt3",
    "q~", "clojars_", "v1.0-", "dapi", "dp.", "duffel_", "dt0c01.", "ezak", "eztk", "eaam", "eaac",
    "flwseck", "fo1_", "fm1", "fm2", "fio-u-", "glc_", "glffct-", "gr1348941", "hrku-aa", "api_org_",
    "ico-", "lin_api_", "_mmk", "ntn_", "oy2", "sha256~", "pplx-", "pscale_", "pmak-", "pnu_",
    "pul-", "rdme_", "rubygems_", "tk-us-", "xkeysib-", "sntry", "shippo_", "shpat_", "shpca_",
    "shppa_", "shpss_", "sq0atp-", "sq0csp-", "tfp_", "aqvn",
)
"""Lowercase text that every line-local rule needs on the line before it can match."""


def _flagged_lines(text: str) -> list[tuple[int, int]]:
    """Spans of whole lines containing a trigger, merged: the only text the line rules read.

    `str.find` per trigger is a fast scan; running every rule over every line is what a
    megabyte of logs cannot afford (Python's `re` tries each pattern at every position).
    """
    lowered = text.lower()
    starts: list[int] = []
    for trigger in _TRIGGERS:
        at = lowered.find(trigger)
        while at >= 0:
            starts.append(at)
            at = lowered.find(trigger, lowered.find("\n", at) + 1 or len(lowered))
    spans: list[tuple[int, int]] = []
    for at in sorted(starts):
        if spans and at < spans[-1][1]:
            continue
        begin = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end + 1
        if spans and begin <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((begin, end))
    return spans


def _line_rules(chunk: str) -> str:
    for pattern, replacement in (*_LINE_RULES, _TOKENS, _PASSWORD_HASHES):
        chunk = pattern.sub(replacement, chunk)
    return chunk


def is_secret_name(name: str) -> bool:
    """True for a field name whose value is a secret whatever it looks like ("db_password")."""
    return is_secret_key(name)


def redact_json(value: Any) -> Any:
    """A JSON-like value with every string redacted and every secret-named field's value replaced."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: REDACTED if isinstance(item, str) and item and is_secret_name(str(key))
                else redact_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_json(item) for item in value]
    return value


def redact(text: str) -> str:
    """The text with every recognised secret value replaced by [REDACTED]."""
    if known_clean(text):  # scanned before, nothing found (responses/clean_texts.py)
        return text
    given = text
    text = redact_secret_maps(text, REDACTED)
    text = redact_env_pairs(text, REDACTED)
    if "-----BEGIN" in text:
        text = _PEM[0].sub(_PEM[1], text)
    parts: list[str] = []
    done = 0
    for begin, end in _flagged_lines(text):
        parts += (text[done:begin], _line_rules(text[begin:end]))
        done = end
    parts.append(text[done:])
    redacted = "".join(parts)
    note_redacted(given, redacted)
    return redacted


def redact_clipped(text: str, limit: int) -> str:
    """The first `limit` characters of the redacted text: redacting first, so a secret the cut
    would split is still recognised whole (a clipped token no longer has its shape)."""
    return redact(text[: limit + 4096])[:limit]
