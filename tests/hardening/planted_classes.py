"""Secrets by class (issue 60): made-up values drawn from a fixed seed, each planted in the paste
it really arrives in, so leaks and over-redaction can be counted class by class.

A class is a reason a value is secret, not a list of past leaks: its position relative to a key
word (the line after it, a YAML block scalar, a prompt), its place in a command's argument
grammar, SQL, a file's grammar (netrc, redis.conf, a credentials CSV, `/proc/*/environ`), URL
user-info holding `/`, `#` or `@`, a key block's armour, a known token prefix, prose ("the
password is X"), a key word in another language, or randomness alone. `CLASSES` maps a class
to its `Planted` values (at least 24 each, 360 in all); `wrapped` holds a value of each class in
a line a terminal wrapped at 80 columns. Every value is random from `SEED`, so finding any
12 characters of one anywhere (`leaked`) proves a leak, never a coincidence.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

SEED = 60
PER_CLASS = 24
WINDOW = 12
"""Characters of a secret that, found together, count as a leak (a cut or wrapped secret too)."""

_RNG = random.Random(SEED)
_ALNUM = string.ascii_letters + string.digits
_B64URL = _ALNUM + "-_"


@dataclass(frozen=True)
class Planted:
    klass: str
    secret: str
    paste: str


def _r(length: int, alphabet: str = _ALNUM) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(length))


def _hex(length: int) -> str:
    return _r(length, "0123456789abcdef")


def _password(symbols: str = "!#%*+=~^._-") -> str:
    """A password a person or a generator picks: starts with a letter, then letters, digits and
    two symbols; 14 to 22 characters."""
    body = list(_r(_RNG.randint(11, 19)) + _r(1, string.digits) + _r(2, symbols))
    _RNG.shuffle(body)
    return _r(1, string.ascii_letters) + "".join(body)


def _key_id() -> str:
    """An AWS access key id's shape (not a secret: it names the key)."""
    return "AKIA" + _r(16, string.ascii_uppercase + string.digits)


def _b64(length: int) -> str:
    return _r(length, _ALNUM + "+/")


Template = Callable[[str], str]

_NEXT_LINE: list[Template] = [
    lambda v: f"auth:\n  username: admin\n  password:\n    {v}\nservice:\n  port: 8080",
    lambda v: (
        "$ kubectl get secret db-creds -n shop -o jsonpath='{.data.password}' | base64 -d\n"
        f"{v}\n$ psql -h db -U app shop\n"
        "psql: error: FATAL:  password authentication failed"
    ),
    lambda v: (
        f"$ argocd admin initial-password -n argocd\n{v}\n\n"
        " This password must be only used for first time login. We strongly recommend you "
        "update the password using `argocd account update-password`."
    ),
    lambda v: (
        'kubectl get secret grafana -n monitoring -o jsonpath="{.data.admin-password}" | '
        f"base64 --decode ; echo\n{v}\nlogin still fails: Invalid username or password"
    ),
    lambda v: (
        f"/ # echo $REDIS_PASSWORD\n{v}\n/ # redis-cli -h redis ping\n(error) NOAUTH "
        f"Authentication required."
    ),
    lambda v: (
        f"$ kubectl exec deploy/api -- printenv API_TOKEN\n{v}\n$ curl -s api:8080/health\n401"
    ),
    lambda v: f"Username:\nadmin\nPassword:\n{v}\nError: login failed (401 Unauthorized)",
    lambda v: (
        f"$ vault kv get -field=password secret/shop/db\n{v}\nError: pq: password "
        f"authentication failed"
    ),
]
_BLOCK_SCALAR: list[Template] = [
    lambda v: f"config:\n  db_password: |\n    {v}\n  db_host: db.shop.svc",
    lambda v: f"auth:\n  adminPassword: >-\n    {v}\n  adminUser: admin",
    lambda v: f"secrets:\n  apiToken: |-\n    {v}\nreplicas: 2",
    lambda v: f"  - name: api\n    token: >\n      {v}\n    url: https://api.shop",
    lambda v: (
        f"stripe:\n  secretKey: |\n    {v}\n\nError: INSTALLATION FAILED: timed out "
        f"waiting for the condition"
    ),
    lambda v: f"webhook:\n  signing_secret: |2\n      {v}\n  path: /hooks",
]
_PROMPT: list[Template] = [
    lambda v: (
        f"[sudo] password for alice: {v}\nalice is not in the sudoers file.  This "
        f"incident will be reported."
    ),
    lambda v: (
        f"$ psql -h db -U postgres -W\nPassword for user postgres: {v}\npsql: error: "
        f"connection to server failed"
    ),
    lambda v: (
        f"Enter PEM pass phrase: {v}\nVerifying - Enter PEM pass phrase: {v}\nunable to "
        f"write 'random state'"
    ),
    lambda v: (
        f"$ curl -u admin https://nexus.shop/service/rest/v1/status\nEnter host password "
        f"for user 'admin': {v}"
    ),
    lambda v: (
        f"Enter passphrase for key '/root/.ssh/id_ed25519': {v}\ngit@github.com: "
        f"Permission denied (publickey)."
    ),
    lambda v: (
        f"Username for 'https://github.com': alice\nPassword for "
        f"'https://alice@github.com': {v}\nfatal: Authentication failed"
    ),
    lambda v: f"alice@10.0.3.4's password: {v}\nPermission denied, please try again.",
    lambda v: f"New password: {v}\nRetype new password: {v}\npasswd: password updated successfully",
    lambda v: (
        f"Enter keystore password:  {v}\nkeytool error: java.io.IOException: keystore "
        f"password was incorrect"
    ),
    lambda v: (
        f"$ mysql -h db -u root -p\nEnter password: {v}\nERROR 1045 (28000): Access "
        f"denied for user 'root'@'10.0.0.7'"
    ),
]
_COMMANDS: list[Template] = [
    lambda v: (
        f"etcdctl --endpoints=https://10.0.0.5:2379 --user root:{v} member list\nError: "
        f"etcdserver: authentication failed"
    ),
    lambda v: (
        f"ETCDCTL_API=3 etcdctl --user=root:{v} get / --prefix --keys-only\n"
        f'{{"level":"warn","msg":"retrying"}}'
    ),
    lambda v: f"htpasswd -B -b /etc/nginx/.htpasswd admin {v}\nAdding password for user admin",
    lambda v: (
        f"htpasswd -bc auth alice {v}\nkubectl create secret generic basic-auth --from-file=auth"
    ),
    lambda v: (
        f"mc alias set minio http://minio.shop:9000 minioadmin {v}\nmc: <ERROR> Unable to "
        f"initialize new alias."
    ),
    lambda v: f"mc config host add s3 https://s3.shop AKIAPL4NTEDMCKEY0001 {v} --api S3v4",
    lambda v: (
        f"sqlplus system/{v}@//oracle.shop:1521/ORCLPDB1\nORA-01017: invalid "
        f"username/password; logon denied"
    ),
    lambda v: (
        f"expdp hr/{v}@ORCL schemas=HR directory=DATA_PUMP_DIR dumpfile=hr.dmp\n"
        f"ORA-39002: invalid operation"
    ),
    lambda v: (
        f"echo '{v}' | docker login registry.shop.io -u ci --password-stdin\nError "
        f"response from daemon: unauthorized"
    ),
    lambda v: f'echo "app:{v}" | chpasswd\nchpasswd: (user app) pam_chauthtok() failed',
    lambda v: (
        f"java -Dspring.datasource.password={v} -jar app.jar\nHikariPool-1 - Exception "
        f"during pool initialization."
    ),
    lambda v: (
        f'JAVA_OPTS="-Xmx512m -Djavax.net.ssl.trustStorePassword={v}"\n'
        f"java.io.IOException: Keystore was tampered with"
    ),
    lambda v: (
        f"oc login -u kubeadmin -p {v} https://api.ocp.shop:6443\nLogin failed (401 Unauthorized)"
    ),
    lambda v: f"mc admin user add minio reporter {v}\nmc: <ERROR> Unable to add new user.",
    lambda v: f"unzip -P {v} backup.zip\n   skipping: db.sql  incorrect password",
    lambda v: (
        f"curl --proxy-user proxy:{v} -x http://proxy.shop:3128 "
        f"https://registry-1.docker.io/v2/\n407"
    ),
    lambda v: (
        f"cqlsh cassandra.shop 9042 -u cassandra -p {v}\nConnection error: ('Unable to "
        f"connect', AuthenticationFailed)"
    ),
    lambda v: (
        f"mosquitto_sub -h mqtt.shop -u sensor -P {v} -t 'plant/#'\nConnection error: "
        f"Connection Refused: not authorised."
    ),
    lambda v: (
        f"mysqladmin -u root password {v}\nmysqladmin: connect to server at 'localhost' failed"
    ),
    lambda v: f"xfreerdp /v:10.0.0.9 /u:Administrator /p:{v}\nERRCONNECT_LOGON_FAILURE",
    lambda v: (
        f"vault login {v}\nError authenticating: error looking up token: Code: 403. "
        f"Errors: permission denied"
    ),
    lambda v: f"lftp -u deploy,{v} sftp://files.shop\nls: Login failed: 530 Login incorrect.",
]
_SQL: list[Template] = [
    lambda v: (
        f"mysql> CREATE USER 'app'@'%' IDENTIFIED BY '{v}';\nERROR 1396 (HY000): "
        f"Operation CREATE USER failed for 'app'@'%'"
    ),
    lambda v: (
        f"ALTER USER 'root'@'localhost' IDENTIFIED WITH mysql_native_password BY '{v}';\n"
        f"Query OK, 0 rows affected"
    ),
    lambda v: (
        f'2026-11-28 10:02:11.123 UTC [88] ERROR:  role "app" already exists\n'
        "2026-11-28 10:02:11.123 UTC [88] STATEMENT:  "
        f"CREATE ROLE app WITH LOGIN PASSWORD '{v}';"
    ),
    lambda v: f"postgres=# ALTER ROLE app WITH PASSWORD '{v}' VALID UNTIL 'infinity';\nALTER ROLE",
    lambda v: (
        f"SQL> ALTER USER system IDENTIFIED BY {v};\nORA-28007: the password cannot be reused"
    ),
    lambda v: (
        f"GRANT ALL PRIVILEGES ON shop.* TO 'app'@'%' IDENTIFIED BY \"{v}\";\nERROR 1064 "
        f"(42000): You have an error"
    ),
    lambda v: (
        f"CREATE USER reporter WITH ENCRYPTED PASSWORD '{v}';\nERROR:  permission denied "
        f"to create role"
    ),
    lambda v: (
        f"SET PASSWORD FOR 'app'@'%' = PASSWORD('{v}');\nERROR 1064 (42000): syntax error "
        f"near 'PASSWORD('"
    ),
    lambda v: (
        f"kubectl exec -it mysql-0 -- mysql -e \"ALTER USER 'app'@'%' IDENTIFIED BY "
        f"'{v}'\"\nERROR 1045 (28000)"
    ),
    lambda v: (
        f"CREATE LOGIN app WITH PASSWORD = N'{v}', CHECK_POLICY = OFF;\nMsg 15025, Level "
        f"16, State 1"
    ),
]
_CONFIG_FILES: list[Template] = [
    lambda v: (
        f"$ cat ~/.netrc\nmachine github.com login alice password {v}\n$ git push\n"
        f"remote: Invalid username or password."
    ),
    lambda v: (
        f"machine api.heroku.com\n  login alice@shop.io\n  password {v}\nmachine git.heroku.com"
    ),
    lambda v: (
        f"# redis.conf\nbind 0.0.0.0\nrequirepass {v}\nmaxmemory 256mb\n# NOAUTH "
        f"Authentication required."
    ),
    lambda v: (
        f"replicaof redis-master 6379\nmasterauth {v}\nError condition on socket for "
        f"SYNC: Connection refused"
    ),
    lambda v: (
        f"127.0.0.1:6379> CONFIG SET requirepass {v}\nOK\n127.0.0.1:6379> PING\n(error) "
        f"NOAUTH Authentication required."
    ),
    lambda v: (
        f"redis:6379> AUTH default {v}\n(error) WRONGPASS invalid username-password pair "
        f"or user is disabled."
    ),
    lambda v: f"user default on >{v} ~* &* +@all\n# Error: ACL file contains errors",
    lambda v: (
        f"$ cat ~/.pgpass\ndb.shop.svc:5432:orders:app:{v}\npsql: error: password "
        f'authentication failed for user "app"'
    ),
    lambda v: (
        f'# slapd.conf\nrootdn "cn=admin,dc=shop,dc=io"\nrootpw {v}\nldap_bind: Invalid '
        f"credentials (49)"
    ),
    lambda v: (
        f"BASE dc=shop,dc=io\nbinddn cn=reader,dc=shop,dc=io\nbindpw {v}\nnslcd: failed "
        f"to bind to LDAP server"
    ),
    lambda v: f"[ldap]\nldap_default_authtok = {v}\nsssd_be: Could not start TLS encryption",
    lambda v: (
        f'network={{\n    ssid="shop-iot"\n    psk="{v}"\n}}\nwlan0: WPA: 4-Way Handshake failed'
    ),
    lambda v: (
        f"# /etc/ipsec.secrets\n%any : PSK \"{v}\"\ncharon: no shared key found for 'gw.shop'"
    ),
    lambda v: (
        f"[remote-s3]\ntype = s3\nuser = backup\npass = {v}\nFailed to create file "
        f"system: couldn't connect"
    ),
]
_CSV: list[Template] = [
    lambda v: (
        "User name,Password,Access key ID,Secret access key,Console login link\n"
        f"ci-deployer,{_password('!#%*+=')},{_key_id()},{v},"
        "https://123456789012.signin.aws.amazon.com/console"
    ),
    lambda v: f"Access key ID,Secret access key\n{_key_id()},{v}",
    lambda v: (
        f"username,password,email,role\nalice,{v},alice@shop.io,admin\n"
        f"bob,{_password('!#%*+=')},bob@shop.io,viewer"
    ),
    lambda v: f"name;token;expires\nci-bot;{v};2027-01-01\n",
    lambda v: f"client_id\tclient_secret\tredirect_uri\nshop-web\t{v}\thttps://shop.io/callback",
    lambda v: f'"Host","User","Password"\n"db.shop.svc","app","{v}"',
]
_NUL_FORMS = ("\x00", "^@", "\\x00", "\\0", "\\u0000")


def _environ(form: str) -> Template:
    return lambda v: (
        "$ kubectl exec api-7d9c6b-x2x4z -- cat /proc/1/environ\n"
        f"PATH=/usr/local/sbin:/usr/local/bin:/usr/bin{form}"
        f"HOSTNAME=api-7d9c6b-x2x4z{form}DB_PASSWORD={v}{form}HOME=/root{form}"
        f"KUBERNETES_SERVICE_HOST=10.96.0.1{form}"
    )


_ENVIRON: list[Template] = [
    *(_environ(form) for form in _NUL_FORMS),
    lambda v: (
        f"b'LANG=C.UTF-8\\x00STRIPE_SECRET_KEY={v}\\x00PYTHONUNBUFFERED=1\\x00'\n"
        "Traceback (most recent call last):"
    ),
    lambda v: (
        "# cat /proc/1/environ\n"
        "KUBERNETES_PORT=tcp://10.96.0.1:443HOSTNAME=web-0"
        f"API_TOKEN={v}HOME=/rootTERM=xterm"
    ),
]
_URL: list[Template] = [
    lambda v: (
        f"dial tcp: postgres://app:{v}@db.shop.svc:5432/orders?sslmode=disable: connection refused"
    ),
    lambda v: f"redis.exceptions.ConnectionError: redis://:{v}@redis-master:6379/0",
    lambda v: f"amqp://shop:{v}@rabbitmq.shop.svc:5672/ - ACCESS_REFUSED - Login was refused",
    lambda v: f"MONGO_URL=mongodb+srv://app:{v}@cluster0.ab1cd.mongodb.net/shop?retryWrites=true",
    lambda v: (
        f"fatal: unable to access 'https://ci:{v}@git.shop.io/shop/app.git/': The "
        f"requested URL returned error: 403"
    ),
    lambda v: (
        f"  url: \"mysql://root:{v}@mysql.shop:3306/shop\"\nError: Access denied for user 'root'"
    ),
]
_URL_SYMBOLS = "/#?@:"


def _url_password() -> str:
    """A password holding a character URL user-info cannot hold unescaped (`/#?@:`)."""
    value = _password()
    at = _RNG.randint(3, len(value) - 3)
    return value[:at] + _RNG.choice(_URL_SYMBOLS) + value[at:]


def _putty(v: str, version: int) -> str:
    public = "\n".join(_b64(64) for _ in range(2))
    return (
        f"PuTTY-User-Key-File-{version}: ssh-rsa\nEncryption: none\nComment: rsa-key-20261128\n"
        f"Public-Lines: 2\n{public}\nPrivate-Lines: 3\n{_b64(64)}\n{v}\n{_b64(40)}\n"
        f"Private-MAC: {_hex(64 if version == 3 else 40)}\nServer refused our key"
    )


def _static_key(v: str, tag: str) -> str:
    lines = [_hex(32) for _ in range(3)]
    return (
        f"<{tag}>\n#\n# 2048 bit OpenVPN static key\n#\n-----BEGIN OpenVPN Static key V1-----\n"
        f"{lines[0]}\n{v}\n{lines[1]}\n-----END OpenVPN Static key V1-----\n</{tag}>\n"
        "TLS Error: tls-crypt unwrapping failed from [AF_INET]10.0.0.9:1194"
    )


_KEY_BLOCKS: list[Callable[[], tuple[str, str]]] = [
    lambda: (v := _b64(64), _putty(v, 2)),
    lambda: (v := _b64(64), _putty(v, 3)),
    lambda: (v := _hex(32), _static_key(v, "tls-auth")),
    lambda: (v := _hex(32), _static_key(v, "tls-crypt")),
    lambda: (v := _hex(32), _static_key(v, "secret")),
    lambda: (
        v := _b64(64),
        (
            "<tls-crypt-v2>\n-----BEGIN OpenVPN tls-crypt-v2 client key-----\n"
            f"{v}\n{_b64(64)}\n-----END OpenVPN tls-crypt-v2 client key-----\n"
            "</tls-crypt-v2>"
        ),
    ),
    lambda: (
        v := _b64(64),
        (
            "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n"
            f'Comment: "rsa-key-20261128"\n{v}\n'
            f"{_b64(64)}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----"
        ),
    ),
    lambda: (
        v := _r(86, _B64URL),
        (
            '{"keys":[{"kty":"RSA","kid":"signing-1","use":"sig",'
            f'"n":"{_r(86, _B64URL)}","e":"AQAB","d":"{v}",'
            f'"p":"{_r(43, _B64URL)}"}}]}}\nerror: invalid JWKS'
        ),
    ),
    lambda: (v := _r(43, _B64URL), f'{{"kty":"oct","kid":"hmac","k":"{v}","alg":"HS256"}}'),
]


def _prefixed() -> list[tuple[str, str, Template]]:
    """(prefix, secret, the line it arrives in) for token formats with a prefix of their own: the
    prefix names the kind of token and may stay; what follows it is the secret."""
    b64u = _B64URL
    return [
        ("v2.local.", f"{_r(96, b64u)}", lambda v: f"paseto: token {v} could not be decrypted"),
        (
            "v4.public.",
            f"{_r(120, b64u)}",
            lambda v: f"Authorization header carried {v}; bad signature",
        ),
        (
            "v3.local.",
            f"{_r(110, b64u)}",
            lambda v: f'{{"level":"warn","msg":"expired","sid":"{v}"}}',
        ),
        ("k4.secret.", f"{_r(86, b64u)}", lambda v: f"PASERK {v} rejected: wrong purpose"),
        (
            "gAAAAA",
            f"B{_r(113, b64u)}==",
            lambda v: f"cryptography.fernet.InvalidToken decrypting {v}",
        ),
        (
            "gAAAAA",
            f"B{_r(93, b64u)}=",
            lambda v: f"airflow: could not decrypt connection extra {v}",
        ),
        (
            "tskey-auth-",
            f"k{_r(10)}CNTRL-{_r(33)}",
            lambda v: f"tailscale up --auth-key={v}: failed",
        ),
        ("tskey-api-", f"k{_r(10)}CNTRL-{_r(33)}", lambda v: f"tailscale operator: 401 with {v}"),
        ("tskey-client-", f"k{_r(10)}CNTRL-{_r(33)}", lambda v: f"ts: OAuth client {v} invalid"),
        ("dp.st.prd.", f"{_r(43)}", lambda v: f"doppler: Invalid Service token {v}"),
        ("dp.sa.", f"{_r(43)}", lambda v: f"doppler secrets download failed for {v} (401)"),
        ("dp.ct.", f"{_r(43)}", lambda v: f"Doppler Error: Unable to authenticate {v}"),
        ("dp.scim.", f"{_r(43)}", lambda v: f"scim sync: token {v} revoked"),
        ("sbp_", f"{_hex(40)}", lambda v: f"supabase: Unauthorized {v}"),
        ("rnd_", f"{_r(32)}", lambda v: f"render deploy failed, api {v} invalid"),
        ("CCIPAT_", f"{_r(22)}_{_hex(40)}", lambda v: f"circleci: 401 Unauthorized {v}"),
        ("bkua_", f"{_hex(40)}", lambda v: f"buildkite-agent: 401 using {v}"),
        ("lsv2_pt_", f"{_hex(32)}_{_hex(10)}", lambda v: f"langsmith: 403 Forbidden {v}"),
        ("pcsk_", f"{_r(5)}_{_r(60)}", lambda v: f"pinecone.exceptions.UnauthorizedException: {v}"),
        ("xai-", f"{_r(80)}", lambda v: f"xai: Incorrect API key provided: {v}"),
        ("r8_", f"{_r(37)}", lambda v: f"replicate.exceptions.ReplicateError: 401 {v}"),
        (
            "dckr_pat_",
            f"{_r(27, b64u)}",
            lambda v: f"echo {v} | docker login -u ci --password-stdin",
        ),
        ("gsk_", f"{_r(52)}", lambda v: f"groq: 401 {v}"),
        ("nfp_", f"{_r(36)}", lambda v: f"netlify deploy: Unauthorized {v}"),
    ]


_PROSE: list[Template] = [
    lambda v: (
        f"I checked and the password is {v} but mysql still says Access denied for user 'app'"
    ),
    lambda v: f"fwiw the admin password was `{v}` when we installed it, now login fails",
    lambda v: (
        f"we set the root password to {v} in values.yaml and the pod is still CrashLoopBackOff"
    ),
    lambda v: (
        f"the token is {v}, and kubectl says error: You must be logged in to the server "
        f"(Unauthorized)"
    ),
    lambda v: f'our api key is "{v}" and the webhook answers 401',
    lambda v: (
        f"Changed the db password to {v} yesterday, since then: FATAL: password "
        f"authentication failed"
    ),
    lambda v: f"pw is {v} fwiw, same as on staging",
    lambda v: (
        f"The initial password should be {v} per the chart notes, but argocd login says invalid"
    ),
]
_LANGUAGES: list[Template] = [
    lambda v: f"Das Passwort ist {v}, aber der Login schlägt fehl",
    lambda v: f"Kennwort für root: {v}\nZugriff verweigert",
    lambda v: f"API-Schlüssel: {v}",
    lambda v: f"Le mot de passe est {v} mais la connexion échoue",
    lambda v: f"clé secrète = {v}",
    lambda v: f"La contraseña es {v} y sigue fallando",
    lambda v: f"clave secreta: {v}",
    lambda v: f"A senha é {v} e o login falha",
    lambda v: f"chave de API: {v}",
    lambda v: f"la password è {v} ma il login fallisce",
    lambda v: f"chiave segreta: {v}",
    lambda v: f"Het wachtwoord is {v} maar inloggen mislukt",
    lambda v: f"geheime sleutel: {v}",
    lambda v: f"Hasło to {v}, ale logowanie nie działa",
    lambda v: f"hasło do bazy: {v}",
    lambda v: f"klucz API: {v}",
    lambda v: f"Пароль — {v}, но вход не работает",
    lambda v: f"пароль от базы: {v}",
    lambda v: f"секретный ключ: {v}",
    lambda v: f"密码是{v}，但是登录失败",
    lambda v: f"数据库密码为 {v}",
    lambda v: f"私钥: {v}",
    lambda v: f"パスワードは{v}です。ログインできません",
    lambda v: f"シークレット: {v}",
]
_ENTROPY: list[Template] = [
    lambda v: (
        f"E1128 10:02:11.123456 1 webhook.go:88] call to https://hooks.shop.io/x rejected: sent {v}"
    ),
    lambda v: (
        f'level=error msg="upstream refused the request" upstream=payments '
        f"credential={v[:4]} sent {v}"
    ),
    lambda v: f"Warning  Failed  kubelet  Error: failed to fetch {v} from the vault agent",
    lambda v: (
        f"2026-11-28T10:02:11Z ERROR  cannot decode {v}: illegal base64 data at input byte 12"
    ),
]


def _classes() -> dict[str, list[Planted]]:
    """Every class's planted values, PER_CLASS each (templates taken in turn)."""

    def values(name: str, templates: list[Template], make: Callable[[], str]) -> list[Planted]:
        return [
            Planted(name, value, templates[i % len(templates)](value))
            for i in range(PER_CLASS)
            for value in (make(),)
        ]

    prefixed = _prefixed()
    return {
        "next line": values("next line", _NEXT_LINE, _password),
        "block scalar": values("block scalar", _BLOCK_SCALAR, _password),
        "prompt": values("prompt", _PROMPT, _password),
        "command arguments": values("command arguments", _COMMANDS, _password),
        "SQL": values("SQL", _SQL, lambda: _password("!#%*+=~^._-@")),
        "file grammar": values("file grammar", _CONFIG_FILES, _password),
        "credentials CSV": values(
            "credentials CSV", _CSV, lambda: _RNG.choice((_b64(40), _password()))
        ),
        "/proc environ": values("/proc environ", _ENVIRON, _password),
        "URL user-info": values("URL user-info", _URL, _url_password),
        "key block": [
            Planted("key block", *_KEY_BLOCKS[i % len(_KEY_BLOCKS)]()) for i in range(PER_CLASS)
        ],
        "token prefix": [
            Planted("token prefix", body, line(prefix + body)) for prefix, body, line in prefixed
        ],
        "prose": values("prose", _PROSE, _password),
        "languages": values("languages", _LANGUAGES, _password),
        "entropy": values("entropy", _ENTROPY, lambda: _r(_RNG.randint(32, 64), _B64URL)),
    }


WrapTemplate = Callable[[str, str], str]
"""A one-line context with room for filler (`pad`) before the secret (`v`) that means nothing."""
_WRAPPED: list[tuple[str, WrapTemplate, Callable[[], str]]] = [
    (
        "same line",
        lambda pad, v: f"E1128 10:02:11.123 1 db.go:42] {pad} connect failed: DB_PASSWORD={v} bad",
        _password,
    ),
    (
        "same line",
        lambda pad, v: f'{{"level":"error","pod":"api-{pad}","api_key":"{v}","msg":"401"}}',
        _password,
    ),
    (
        "same line",
        lambda pad, v: f'curl -s https://{pad}.shop.io/api -H "Authorization: Bearer {v}"',
        lambda: _r(48, _B64URL),
    ),
    (
        "command arguments",
        lambda pad, v: f"alice@bastion:~/{pad}$ etcdctl --user root:{v} member list",
        _password,
    ),
    (
        "command arguments",
        lambda pad, v: f"root@mysql-0:/{pad}# mysql -uroot -p{v} -e 'select 1'",
        _password,
    ),
    (
        "SQL",
        lambda pad, v: (
            f"2026-11-28 10:02:11.123 UTC [88] {pad} STATEMENT:  "
            f"CREATE ROLE app WITH LOGIN PASSWORD '{v}';"
        ),
        _password,
    ),
    (
        "URL user-info",
        lambda pad, v: f"dial {pad} postgres://app:{v}@db.shop.svc:5432/orders: refused",
        _url_password,
    ),
    ("file grammar", lambda pad, v: f"machine {pad}.shop.io login alice password {v}", _password),
    (
        "/proc environ",
        lambda pad, v: f"PATH=/usr/bin:/{pad}\x00DB_PASSWORD={v}\x00HOME=/root\x00",
        _password,
    ),
    (
        "credentials CSV",
        lambda pad, v: f"username,password,email\nalice-{pad},{v},alice@shop.io",
        lambda: _b64(40),
    ),
    ("prompt", lambda pad, v: f"Password for 'https://alice@git.shop.io/{pad}': {v}", _password),
    (
        "token prefix",
        lambda pad, v: f"tailscale: {pad} up --auth-key={v}: backend error",
        lambda: f"tskey-auth-k{_r(10)}CNTRL-{_r(33)}",
    ),
    (
        "token prefix",
        lambda pad, v: f"remote: {pad} Invalid username or token {v}",
        lambda: "ghp_" + _r(36),
    ),
    (
        "prose",
        lambda pad, v: f"so {pad} the password is {v} and mysql still says Access denied",
        _password,
    ),
    (
        "languages",
        lambda pad, v: f"{pad} Das Passwort ist {v}, aber der Login schlägt fehl",
        _password,
    ),
    (
        "entropy",
        lambda pad, v: f"E1128 10:02:11.123 1 hook.go:88] {pad} rejected: sent {v}",
        lambda: _r(48, _B64URL),
    ),
    (
        "key block",
        lambda pad, v: (
            f'{{"type": "service_account", "project_id": "shop-{pad}", "private_key": '
            f'"-----BEGIN PRIVATE KEY-----\\nMIIEv{_b64(59)}\\n{v}\\n{_b64(64)}\\n'
            '-----END PRIVATE KEY-----\\n", "client_email": "ci@shop.iam"}'
        ),
        lambda: _b64(64),
    ),
]
_FILLER = "checkout-payments-" * 8


def wrap(text: str, width: int = 80) -> str:
    """`text` as a terminal `width` columns wide shows it: every longer line hard-wrapped."""
    return "\n".join(
        line[at : at + width]
        for line in text.split("\n")
        for at in range(0, max(len(line), 1), width)
    )


def _wrapped() -> list[Planted]:
    """Two values of each one-line context, padded so an 80-column terminal wraps mid-secret."""
    out = []
    for name, template, make in _WRAPPED:
        for _ in range(2):
            value = make()
            line = template("", value).split("\n")[-1]
            pad = _FILLER[: -(line.index(value) + len(value) // 2) % 80]
            out.append(Planted(f"wrapped: {name}", value, wrap(template(pad, value))))
    return out


CLASSES = _classes()
CLASSES["wrapped at 80 columns"] = _wrapped()
ALL = [item for planted in CLASSES.values() for item in planted]


def one_per_context(planted: list[Planted]) -> list[Planted]:
    """The first value of each distinct context a class's values arrive in (its templates)."""
    seen: dict[str, Planted] = {}
    for item in planted:
        seen.setdefault(item.paste.replace(item.secret, ""), item)
    return list(seen.values())


def secret_lines(item: Planted) -> str:
    """The lines of an item's paste that hold a piece of its secret (both halves of a wrapped
    one), each with the line before it: what makes the value a secret may be there (a label, a
    prompt, the first part of a cut token), and a value alone on a line with nothing to say so is
    no secret anyone can tell."""
    pieces = {item.secret[at : at + 6] for at in range(max(len(item.secret) - 5, 1))}
    lines = item.paste.split("\n")
    holding = {at for at, line in enumerate(lines) if any(piece in line for piece in pieces)}
    kept = sorted(holding | {at - 1 for at in holding if at > 0})
    return "\n".join(lines[at] for at in kept)


def leaked(secret: str, text: str) -> bool:
    """Whether any WINDOW characters of `secret` in a row (all of a shorter one) are in `text`."""
    if len(secret) <= WINDOW:
        return secret in text
    return any(secret[at : at + WINDOW] in text for at in range(len(secret) - WINDOW + 1))


_UNWRAPPED = [item.secret for item in ALL if not item.klass.startswith("wrapped")]
assert len(ALL) >= 300 and len(set(_UNWRAPPED)) == len(_UNWRAPPED)  # each value unique
