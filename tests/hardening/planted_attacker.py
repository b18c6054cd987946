"""Secrets as an attacker plants them: shapes no list of past leaks had (issue 51's findings).

Each kind is (secret, the line it really arrives in): Authorization schemes beyond Bearer
and Basic, prefixed tokens of public rule sets, credential keys that read as harmless words,
`password` in the middle of a line in every syntax, clients' password flags, a key block
cut at either end, and password lines in other languages. Random parts are drawn from a
fixed seed, so every value is unique to this file and finding one anywhere is a leak.
"""

from __future__ import annotations

import random
import string

_RNG = random.Random(51)
_ALNUM = string.ascii_letters + string.digits


def _r(length: int, alphabet: str = _ALNUM) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(length))


def _hex(length: int) -> str:
    return _r(length, "0123456789abcdef")


def _word(length: int = 14) -> str:
    """A password people type: letters, digits and a symbol."""
    return _r(length - 2) + _RNG.choice("!#%*") + _r(1, string.digits)


_PEM_LINES = [_r(64, _ALNUM + "+/") for _ in range(3)]
_TELEGRAM = f"{_RNG.randint(10**8, 10**9)}:AA{_r(33, _ALNUM + '_-')}"
_PW = {
    name: _word()
    for name in (
        "js",
        "go",
        "flow",
        "ruby",
        "php",
        "go-dsn",
        "mongo",
        "sqlcmd",
        "ldap",
        "bcp",
        "smb",
        "rabbit",
        "zh",
        "zh2",
        "ja",
        "ko",
        "es",
        "de",
        "fr",
        "pt",
        "ru",
        "nl",
        "pl",
        "it",
        "tr",
        "sv",
        "vi",
        "ar",
        "he",
        "hi",
        "uk",
        "cs",
        "fi",
        "id",
        "ini",
        "keytool",
        "storepass",
        "kv-spaced",
        "toml",
        "tf",
        "props",
        "sentry",
        "dsn",
        "jdbc",
        "conn",
        "xml-attr",
        "yaml-anchor",
        "json-nested",
        "header-x",
        "cookie",
        "session",
    )
}

ATTACKER: dict[str, tuple[str, str]] = {
    # Authorization schemes beyond the six a list knew: the credential after the scheme goes.
    "elastic ApiKey": (
        k := _r(40, _ALNUM + "="),
        f"curl -H 'Authorization: ApiKey {k}' https://es:9200/_cluster/health: 401",
    ),
    "okta SSWS": (
        k := "00" + _r(40, _ALNUM + "_-"),
        f"GET /api/v1/users HTTP/1.1\nAuthorization: SSWS {k}",
    ),
    "splunk HEC": (
        k := f"{_hex(8)}-{_hex(4)}-{_hex(4)}-{_hex(4)}-{_hex(12)}",
        f'fluent-bit: [out_splunk] HTTP 403, header "Authorization: Splunk {k}"',
    ),
    "opsgenie GenieKey": (
        k := f"{_hex(8)}-{_hex(4)}-{_hex(4)}-{_hex(4)}-{_hex(12)}",
        f"alertmanager: notify opsgenie: Authorization: GenieKey {k} -> 422",
    ),
    "discord Bot": (
        k := f"{_r(24)}.{_r(6)}.{_r(27, _ALNUM + '_-')}",
        f'{{"headers":{{"Authorization":"Bot {k}"}},"status":401}}',
    ),
    "Proxy-Authorization": (k := _r(32, _ALNUM + "+/"), f"Proxy-Authorization: Basic {k}"),
    "Go http.Header": (
        k := _r(36),
        f"request headers: map[Accept:[*/*] Authorization:[Token {k}]]",
    ),
    "AWS SigV4": (
        k := _hex(64),
        (
            "authorization: AWS4-HMAC-SHA256 Credential=AKIAQYLPMN5HHHFPZAM2/20261126/"
            f"us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature={k}"
        ),
    ),
    # Prefixed tokens that public rule sets know.
    "telegram bot token": (
        _TELEGRAM,
        f"telegram: POST https://api.telegram.org/bot{_TELEGRAM}/sendMessage: 401",
    ),
    "twilio api key": (k := "SK" + _hex(32), f"twilio: 20003 Authenticate with {k} failed"),
    "mailgun key": (k := "key-" + _hex(32), f"mailgun: 401 Forbidden using api key {k}"),
    "mailchimp key": (k := _hex(32) + "-us21", f"mailchimp: API Key Invalid {k}"),
    "mapbox secret token": (
        k := f"sk.eyJ1Ijoi{_r(20)}In0.{_r(22, _ALNUM + '_-')}",
        f"mapbox upload failed: {k}",
    ),
    "openrouter key": (
        k := "sk-or-v1-" + _hex(64),
        f"openrouter: 401 No auth credentials found for {k}",
    ),
    "groq key": (k := "gsk_" + _r(52), f"groq.AuthenticationError: Invalid API Key {k}"),
    "sonarqube token": (
        k := "squ_" + _hex(40),
        f"sonar-scanner -Dsonar.host.url=https://sonar -Dsonar.token={k}: 401",
    ),
    "google oauth client secret": (
        k := "GOCSPX-" + _r(28, _ALNUM + "_-"),
        f'{{"web":{{"client_id":"1234.apps.googleusercontent.com","client_secret":"{k}"}}}}',
    ),
    "vault legacy token": (
        k := "s." + _r(24),
        f"Error making API request. Code: 403. vault token {k} permission denied",
    ),
    "bitbucket app password": (
        k := "ATBB" + _r(32),
        f"git push: remote: Invalid credentials ATBB token {k}",
    ),
    "new relic insert key": (
        k := "NRII-" + _r(32, _ALNUM + "-"),
        f"newrelic-infra: insert key {k} rejected (403)",
    ),
    "braintree token": (
        k := f"access_token$production${_r(16, string.ascii_lowercase + string.digits)}${_hex(32)}",
        f"braintree.exceptions.AuthenticationError using {k}",
    ),
    "slack bot token": (
        k := f"xoxb-{_RNG.randint(10**11, 10**12)}-{_RNG.randint(10**12, 10**13)}-{_r(24)}",
        f"slack_sdk.errors.SlackApiError: invalid_auth with {k}",
    ),
    "github app token": (
        k := "ghs_" + _r(36),
        f"fatal: https://x-access-token:{k}@github.com/shop/app.git not found",
    ),
    "jwt in a log": (
        k := f"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ{_r(30)}.{_r(43, _ALNUM + '_-')}",
        f'level=warn msg="token rejected" jwt={k}',
    ),
    # Credential keys read as harmless words.
    "pagerduty routing_key": (
        k := _hex(32),
        f'{{"routing_key": "{k}", "event_action": "trigger"}}',
    ),
    "vault secret_id": (
        k := f"{_hex(8)}-{_hex(4)}-{_hex(4)}-{_hex(4)}-{_hex(12)}",
        f"vault write auth/approle/login role_id=db-role secret_id={k}",
    ),
    "sentry dsn": (k := f"https://{_hex(32)}@o1.ingest.sentry.io/42", f"SENTRY_DSN={k}"),
    "dsn key": (_PW["dsn"], f'dsn: "postgres://app:{_PW["dsn"]}@db:5432/shop"'),
    "connection string": (
        k := _word(),
        f"ConnectionStrings__Default=Server=db;Database=shop;User Id=sa;Password={k};",
    ),
    "jdbc url password": (
        _PW["jdbc"],
        f"spring.datasource.url=jdbc:mysql://db/shop?user=app&password={_PW['jdbc']}",
    ),
    "session cookie header": (
        _PW["session"],
        f"Set-Cookie: sessionid={_PW['session']}; Path=/; HttpOnly",
    ),
    "cookie key": (_PW["cookie"], f"cookie_secret={_PW['cookie']} oauth2-proxy: invalid cookie"),
    "x-header": (_PW["header-x"], f'-H "X-Auth-Token: {_PW["header-x"]}"'),
    "signature param": (
        k := _r(43, _ALNUM + "%"),
        f"GET /upload?X-Amz-Signature={k}&X-Amz-Date=20261126 403",
    ),
    "private key field": (k := _r(44, _ALNUM + "+/"), f"wireguard: PrivateKey = {k}"),
    # `password` in the middle of a line, in every syntax.
    "JS object": (
        _PW["js"],
        f"connect failed {{ host: 'db', user: 'app', password: '{_PW['js']}' }}",
    ),
    "Go %+v struct": (
        _PW["go"],
        f"config: &{{Host:db Port:5432 User:app Password:{_PW['go']} SSLMode:disable}}",
    ),
    "YAML flow map": (_PW["flow"], f"auth: {{username: app, password: {_PW['flow']}}}"),
    "Ruby hash": (
        _PW["ruby"],
        f'ActiveRecord::ConnectionNotEstablished {{:adapter=>"pg", :password=>"{_PW["ruby"]}"}}',
    ),
    "PHP array": (
        _PW["php"],
        f"PDOException: array('user' => 'app', 'password' => '{_PW['php']}')",
    ),
    "Go DSN in struct": (_PW["go-dsn"], f"dial error: DSN:app:{_PW['go-dsn']}@tcp(db:3306)/shop"),
    "INI with spaces": (_PW["ini"], f"[database]\nhost = db\npassword = {_PW['ini']}"),
    "TOML": (_PW["toml"], f'[auth]\nadmin_password = "{_PW["toml"]}"'),
    "terraform": (_PW["tf"], f'  + master_password = "{_PW["tf"]}"'),
    ".properties": (_PW["props"], f"spring.rabbitmq.password={_PW['props']}"),
    "XML attribute": (_PW["xml-attr"], f'<datasource user="app" password="{_PW["xml-attr"]}"/>'),
    "nested JSON": (
        _PW["json-nested"],
        f'{{"db":{{"credentials":{{"user":"app","pass":"{_PW["json-nested"]}"}}}}}}',
    ),
    "spaced key": (_PW["kv-spaced"], f"Admin password: {_PW['kv-spaced']}"),
    # Clients' password flags.
    "mongo -p": (
        _PW["mongo"],
        f"mongo --host mongo -u admin -p {_PW['mongo']} --authenticationDatabase admin",
    ),
    "sqlcmd -P": (
        _PW["sqlcmd"],
        f"sqlcmd -S db,1433 -U sa -P '{_PW['sqlcmd']}' -Q 'SELECT 1': Login failed",
    ),
    "ldapsearch -w": (
        _PW["ldap"],
        f"ldapsearch -x -H ldap://ldap -D cn=admin,dc=shop -w {_PW['ldap']} -b dc=shop",
    ),
    "bcp -P": (_PW["bcp"], f"bcp dbo.orders out orders.dat -S db -U sa -P {_PW['bcp']} -c"),
    "smbclient -U user%pass": (_PW["smb"], f"smbclient //nas/share -U admin%{_PW['smb']} -c ls"),
    "rabbitmqctl add_user": (_PW["rabbit"], f"rabbitmqctl add_user app {_PW['rabbit']}"),
    "keytool -storepass": (
        _PW["storepass"],
        f"keytool -list -keystore kafka.jks -storepass {_PW['storepass']}",
    ),
    "PGPASSWORD": (_PW["keytool"], f"PGPASSWORD={_PW['keytool']} psql -h db -U app shop"),
    # Key blocks cut at either end (a log's tail, a truncated paste).
    "key block without BEGIN": (
        _PEM_LINES[1],
        "\n".join(_PEM_LINES) + "\n-----END RSA PRIVATE KEY-----",
    ),
    "key block without END": (
        _PEM_LINES[2],
        "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(_PEM_LINES),
    ),
    # Password lines in other languages.
    "Chinese 密码": (_PW["zh"], f"数据库连接失败，密码：{_PW['zh']}"),
    "Chinese 口令": (_PW["zh2"], f"管理员口令={_PW['zh2']}"),
    "Japanese": (_PW["ja"], f"パスワード: {_PW['ja']}"),
    "Korean": (_PW["ko"], f"비밀번호: {_PW['ko']}"),
    "Spanish": (_PW["es"], f"Error de conexión, contraseña: {_PW['es']}"),
    "German": (_PW["de"], f"Passwort={_PW['de']}"),
    "French": (_PW["fr"], f"mot de passe : {_PW['fr']}"),
    "Portuguese": (_PW["pt"], f"senha: {_PW['pt']}"),
    "Russian": (_PW["ru"], f"Пароль: {_PW['ru']}"),
    "Dutch": (_PW["nl"], f"wachtwoord = {_PW['nl']}"),
    "Polish": (_PW["pl"], f"hasło: {_PW['pl']}"),
    "Italian": (_PW["it"], f"parola d'ordine, parola: {_PW['it']}"),
    "Turkish": (_PW["tr"], f"şifre: {_PW['tr']}"),
    "Swedish": (_PW["sv"], f"lösenord: {_PW['sv']}"),
    "Vietnamese": (_PW["vi"], f"mật khẩu: {_PW['vi']}"),
    "Arabic": (_PW["ar"], f"كلمة المرور: {_PW['ar']}"),
    "Hebrew": (_PW["he"], f"סיסמה: {_PW['he']}"),
    "Hindi": (_PW["hi"], f"पासवर्ड: {_PW['hi']}"),
    "Ukrainian": (_PW["uk"], f"пароль={_PW['uk']}"),
    "Czech": (_PW["cs"], f"heslo: {_PW['cs']}"),
    "Finnish": (_PW["fi"], f"salasana: {_PW['fi']}"),
    "Indonesian": (_PW["id"], f"kata sandi: {_PW['id']}"),
}
