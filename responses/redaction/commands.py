"""Password flags of common clients: positions a command line gives a value, flag or none.

A client whose password flag is a bare letter (`mysql -pX`, `mongo -p X`, `sqlcmd -P X`,
`ldapsearch -w X`, `redis-cli -a X`, `sshpass -p X`, `docker login -p X`, `oc login -p X`,
`cqlsh -p X`, `mosquitto_sub -P X`, `zip`/`unzip -P X`, `ssh-keygen -N X`), or whose
argument grammar puts the secret in a place of its own: `user:X` after `curl -u`,
`--proxy-user` or `etcdctl --user`, `smbclient -U user%X`, `lftp -u user,X`,
`htpasswd [-flags] [file] user X` with `b` among the flags, the fourth argument of
`mc alias set` / `mc config host add` and the third of `mc admin user add`, Oracle's
`user/X@db` (`sqlplus`, `expdp`, `rman`; after `exp`, `imp` or `CONNECT` only with its `@db`),
`rabbitmqctl add_user U X`, `mysqladmin ... password X`, `vault login X`, `xfreerdp /p:X`,
`openssl -passin pass:X`, `kubectl create secret --from-literal=K=X`, `aws configure set
<secret key> X`, and a value echoed into a command that reads a secret from stdin (`echo X |
docker login --password-stdin`, `| chpasswd`, `| passwd --stdin`). A flag is read only in its
command's line: not past a sentence's end, a backtick or a bracket.
"""

from __future__ import annotations

import re

from intents.lazy_re import lazy_compile
from responses.redaction.values import (
    ANY_KEY,
    REDACTED,
    SKIP_VALUE,
    VALUE,
    Gated,
    Rule,
    if_secret_key,
    keep,
    keep_prefix,
)

_MYSQL = ("mysql", "mariadb", "7z")
_MONGO = ("mongo", "sshpass")
_LOGIN = ("login",)
_SQLCMD = ("sqlcmd", "bcp", "osql", "isql", "zip", "ssh-keygen")
_LDAP = ("ldap",)
_REDIS = ("redis-cli", "keydb-cli")
_SMB = ("smbclient", "rpcclient", "smbmap", "net ")
_ORACLE = ("sqlplus", "sqlldr", "expdp", "impdp", "rman", "dgmgrl")
_STDIN = ("--password-stdin", "--pass-stdin", "chpasswd", "--stdin", "sudo")
_WORD = lazy_compile(r"\S++")
_S = r"[ \t]++"
_LINE = r"[^\n|;&]"
"""A character of the same command line (not past a pipe or the next command)."""
_NOT_YET = r"(?!\[REDACTED\])"
_TOKEN = r"[^\s\"']++"
_ARGUMENT = r"(?P<value>\"[^\"\n]++\"?|'[^'\n]++'?|[^\s\"']++)"
_ORACLE_USER = r"[\w$#.]{1,64}+/"
_ARG = r"[ \t]++(?:--?[\w-]++(?:=\S*+)?[ \t]++)*+"
"""Between positional arguments: spaces and any options (`--api S3v4` is read as two)."""


def _client(commands: str, flag: str) -> Rule:
    """A client whose password flag is `flag` (attached or after a space) in its command line: not
    past a sentence's end, a backtick or a bracket ("the mariadb one ... (`kubectl logs -p x`)")."""
    return keep(
        rf"(?P<keep>\b(?:{commands})\b(?:[^\n|;&`().]|\.(?!\s)){{0,300}}?[ \t]{flag}[ \t]*+)"
        r"(?!-|\[REDACTED\]|\\?[\"']?\$|`)(?P<value>\"[^\"\n]++\"?|'[^'\n]++'?|[^\s\"'`]++)"
    )


def _htpasswd(match: re.Match[str]) -> str:
    """`htpasswd [-flags] [-C cost] [file] user password`: with `b` among the flags the password is
    the argument after the user (after the file too, unless `n` prints instead of writing one)."""
    args = match.group("args")
    words = list(_WORD.finditer(args))
    flags = "".join(word.group()[1:] for word in words if word.group().startswith("-"))
    positional = [
        word
        for at, word in enumerate(words)
        if not word.group().startswith("-")
        and not (at and words[at - 1].group() in ("-C", "-r") and word.group().isdigit())
    ]
    wanted = 2 if "n" in flags else 3
    if "b" not in flags or len(positional) < wanted:
        return match.group(0)
    if positional[wanted - 1].group().startswith(("[", "$")):  # redacted already, or a variable
        return match.group(0)
    secret = positional[wanted - 1]
    return f"htpasswd{args[: secret.start()]}{REDACTED}{args[secret.end() :]}"


_FROM_LITERAL = lazy_compile(
    r"(?P<keep>--from-literal[ \t=]++[\"']?[\w.-]{1,253}+=)(?!\[REDACTED\])[^\s\"']++"
)


def _from_literals(match: re.Match[str]) -> str:
    """Every `--from-literal=K=V` after `secret` on a line (kubectl create secret ...) without its
    value: the line is read once, not once per flag."""
    return match.group("keep") + _FROM_LITERAL.sub(keep_prefix, match.group("rest"))


COMMAND_RULES: tuple[Gated, ...] = (
    # Clients whose password flag is a bare letter.
    (
        _MYSQL,
        _client(
            r"mysql|mysqladmin|mysqldump|mysqlimport|mysqlshow|mysqlcheck|mysqlpump|mysqlsh"
            r"|mariadb(?:-dump|-admin)?|7z|7za",
            "-p",
        ),
    ),
    (
        _MONGO,
        _client(
            r"mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport|mongostat|mongotop"
            r"|mongofiles|sshpass",
            "-p",
        ),
    ),
    (
        _LOGIN,
        _client(
            r"(?:docker|podman|nerdctl|buildah|skopeo|oras|finch|registry|az|helm)[ \t]++login",
            "-p",
        ),
    ),
    (_SQLCMD, _client(r"sqlcmd|bcp|osql|isql|zip|ssh-keygen", "-P")),
    (_SQLCMD, _client(r"ssh-keygen", "-N")),
    (
        _LDAP,
        _client(
            r"ldapsearch|ldapadd|ldapmodify|ldapdelete|ldapwhoami|ldappasswd|ldapcompare"
            r"|ldapmodrdn|ldapexop",
            "-w",
        ),
    ),
    (_REDIS, _client(r"redis-cli|keydb-cli", "-a")),
    (
        ("curl",),
        keep(
            r"(?P<keep>\bcurl\b[^\n|;&]{0,500}?[ \t](?:-u|--user)(?:[ \t]++|=)[\"']?"
            r"[^\s:\"']{0,100}+:)(?!\[REDACTED\])[^\s\"']++"
        ),
    ),
    (
        _SMB,
        keep(
            r"(?P<keep>\b(?:smbclient|rpcclient|smbmap|net)\b[^\n|;&]{0,300}?[ \t](?:-U|--user)"
            r"(?:[ \t]++|=)[\"']?[^\s%\"']{1,100}+%)(?!\[REDACTED\])[^\s\"']++"
        ),
    ),
    (
        ("htpasswd",),
        (lazy_compile(r"\bhtpasswd(?P<args>(?:[ \t]++[^\s|;&<>]++){2,8}+)"), _htpasswd),
    ),
    (
        ("rabbitmqctl",),
        keep(
            r"(?P<keep>\brabbitmqctl\b[^\n|;&]{0,100}?[ \t](?:add_user|change_password)"
            r"[ \t]++\S++[ \t]++)(?!\[REDACTED\])[^\s\"']++"
        ),
    ),
    (
        ("pass:",),
        keep(r"(?P<keep>(?<![\w-])-(?:pass(?:in|out)?|k)[ \t]++pass:)(?!\[REDACTED\])[^\s\"']++"),
    ),
    (
        ("from-literal",),
        (
            lazy_compile(r"(?im)(?P<keep>^(?:[^\ns]|s(?!ecret))*+secret)(?P<rest>[^\n]*+)"),
            _from_literals,
        ),
    ),
    (("oc login", "odo login", "cf login"), _client(r"(?:oc|odo|cf)[ \t]++login", "-p")),
    (("cqlsh",), _client(r"cqlsh", "-p")),
    (("mosquitto_",), _client(r"mosquitto_(?:pub|sub|rr|ctrl)", "-P")),
    (("unzip", "unrar"), _client(r"unzip|funzip|unrar", "-P")),
    (
        ("etcdctl", "--proxy-user", "curl"),
        keep(
            rf"(?P<keep>\b(?:etcdctl\b{_LINE}{{0,500}}?[ \t]--user"
            rf"|curl\b{_LINE}{{0,500}}?[ \t](?:-U|--proxy-user))"
            rf"(?:{_S}|=)[\"']?[^\s:\"']{{0,100}}+:){_NOT_YET}{_TOKEN}"
        ),
    ),
    (
        ("etcdctl_user",),
        keep(rf"(?P<keep>\bETCDCTL_USER=[\"']?[^\s:\"']{{1,100}}+:){_NOT_YET}{_TOKEN}"),
    ),
    (
        ("lftp",),
        keep(
            rf"(?P<keep>\blftp\b{_LINE}{{0,300}}?[ \t]-u{_S}[\"']?[^\s,\"']{{1,100}}+,)"
            rf"{_NOT_YET}{_TOKEN}"
        ),
    ),
    (
        ("mc ",),
        keep(
            rf"(?P<keep>\bmc{_S}(?:alias{_S}set|config{_S}host{_S}add)"
            rf"(?:{_ARG}[^\s-]\S*+){{3}}{_ARG})(?!\[REDACTED\]|\$){_TOKEN}"
        ),
    ),
    (
        ("mc ",),
        keep(
            rf"(?P<keep>\bmc{_S}admin{_S}user{_S}add(?:{_ARG}[^\s-]\S*+){{2}}{_ARG})"
            rf"(?!\[REDACTED\]|\$){_TOKEN}"
        ),
    ),
    (
        _ORACLE,
        keep(
            rf"(?P<keep>(?i:\b(?:sqlplus|sqlldr|expdp|impdp|rman|dgmgrl)\b)"
            rf"(?:{_S}-\w++)*+{_S}(?:(?i:target|auxiliary|catalog){_S})?"
            rf"[\"']?(?:(?i:userid|target|auxiliary|catalog)=)?{_ORACLE_USER})"
            r"(?!\[REDACTED\]|/)[^\s@/\"']++(?=@|[\s\"']|$)"
        ),
    ),
    (
        ("exp ", "imp ", "conn ", "connect "),
        keep(
            rf"(?P<keep>(?i:\b(?:exp|imp|conn(?:ect)?)\b){_S}{_ORACLE_USER})"
            r"(?!\[REDACTED\]|/)[^\s@/\"']++(?=@)"
        ),
    ),
    (
        ("thin:",),
        keep(rf"(?P<keep>\bjdbc:oracle:thin:{_ORACLE_USER})(?!\[REDACTED\]|/)[^\s@/\"']++(?=@)"),
    ),
    # Windows: `net use Z: \\host\share PASSWORD /user:DOMAIN\user` (either order), and
    # PowerShell's `ConvertTo-SecureString 'x' -AsPlainText`.
    (
        ("net use",),
        keep(
            rf"(?P<keep>(?i:\bnet{_S}use)(?:{_S}[A-Za-z]:)?{_S}\\\\\S++{_S}(?:/u(?:ser)?:\S++{_S})?)"
            rf"(?![/*]|\[REDACTED\]){_TOKEN}"
        ),
    ),
    (
        ("net use",),
        keep(
            rf"(?P<keep>(?i:\bnet{_S}use\b){_LINE}{{0,300}}?/u(?:ser)?:\S++{_S})(?![/*]|\[REDACTED\]){_TOKEN}"
        ),
    ),
    (
        ("convertto-securestring",),
        keep(
            rf"(?P<keep>(?i:\bConvertTo-SecureString){_S}(?:-String{_S})?)"
            r"(?!\$|\[REDACTED\])(?P<value>'[^'\n]++'|\"[^\"\n]++\")"
        ),
    ),
    (
        ("mysqladmin",),
        keep(
            rf"(?P<keep>\bmysqladmin\b{_LINE}{{0,300}}?[ \t](?:password|passwd){_S})"
            rf"(?!\[REDACTED\]|-){_ARGUMENT}"
        ),
    ),
    (
        ("vault login",),
        keep(
            rf"(?P<keep>\bvault{_S}login{_S})(?!-|\[REDACTED\]|\$)"
            rf"(?=[^\s=]++(?:\s|$)){_TOKEN}"
        ),
    ),
    (
        ("/p:", "/pass:", "/password:"),
        keep(
            r"(?P<keep>(?<!\S)/p(?:ass(?:word)?)?:)(?!\[REDACTED\])"
            r"(?P<value>\"[^\"\n]++\"?|[^\s\"']++)"
        ),
    ),
    (
        _STDIN,
        keep(
            rf"(?P<keep>\b(?:echo|printf){_S}(?:-[neE]++{_S}|'%s\\?n?'{_S})?)"
            r"(?!\$|\[REDACTED\])(?P<value>\"[^\"\n]++\"|'[^'\n]++'|[^\s|'\"]++)"
            r"(?=[ \t]*+\|[^\n]{0,200}?"
            r"(?:--pass(?:word)?-stdin|\bchpasswd\b|\bpasswd[ \t]++--stdin|\bsudo\b[^\n|]{0,100}?[ \t]-S\b))"
        ),
    ),
    # `user:password` after an option that takes credentials, in any command: `ctr --user u:x`,
    # `--auth u:x`, httpie's `-a u:x`, curl's client certificate `-E cert.pem:x`, ZooKeeper's
    # `addauth digest u:x` (not a uid:gid: `--user 1000:1000`).
    (
        ("--user", "--auth", "--cred", "http", "xh ", "curl", "addauth"),
        keep(
            rf"(?P<keep>(?:(?<![\w-])--(?:user|auth|creds?|credentials)(?:{_S}|=)"
            rf"|\b(?:https?|xh|curl)\b{_LINE}{{0,300}}?[ \t](?:-a|-E|--cert){_S}"
            rf"|\baddauth{_S}digest{_S})[\"']?[^\s:\"']{{1,200}}+:)"
            rf"(?!\[REDACTED\]|\d++(?:[\s\"']|$)|<|\$[{{(A-Za-z_]){_TOKEN}"
        ),
    ),
    # A command's credential argument by its place: SNMP's community (`-c`), `openssl enc -k`,
    # `net user NAME x /add`, `cargo login x`, poetry's and composer's auth settings, the
    # MicroK8s join token in its join path.
    (("snmp",), _client(r"snmp\w{0,12}+", "-c")),
    (("openssl",), _client(r"openssl", "-k")),
    (
        ("net user",),
        keep(rf"(?P<keep>(?i:\bnet{_S}user){_S}[^\s/*]\S*+{_S})(?![/*]|\[REDACTED\]){_TOKEN}"),
    ),
    (("cargo login",), keep(rf"(?P<keep>\bcargo{_S}login{_S})(?!-|\[REDACTED\]){_TOKEN}")),
    (
        ("poetry", "composer"),
        keep(
            rf"(?P<keep>\b(?:poetry|composer)\b{_LINE}{{0,100}}?[ \t]"
            rf"(?:(?:http-basic)\.\S++{_S}[^\s-]\S*+"
            rf"|(?:pypi-token|github-oauth|gitlab-(?:token|oauth)|bitbucket-oauth)\.\S++){_S})"
            rf"(?!\[REDACTED\]){_TOKEN}"
        ),
    ),
    (
        ("microk8s",),
        keep(rf"(?P<keep>\bmicrok8s{_S}join{_S}[\w.:\[\]-]++/)(?!\[REDACTED\])[^\s/\"']++"),
    ),
    # PHP's `new PDO($dsn, 'user', 'x')` and `mysqli_connect($host, 'user', 'x')`.
    (
        ("pdo", "mysqli"),
        keep(
            r"(?P<keep>\b(?:new[ \t]++PDO|mysqli_(?:real_)?connect)[ \t]*+\("
            r"(?:[ \t]*+(?:'[^'\n]*+'|\"[^\"\n]*+\"|\$\w++)[ \t]*+,){2}[ \t]*+)"
            r"(?P<value>'[^'\n]++'|\"[^\"\n]++\")"
        ),
    ),
    # Kubernetes' static token file: `token,user,uid,"system:masters,..."`.
    (
        ("system:",),
        keep(
            r"(?m)(?P<keep>^[ \t]*+)(?!\[REDACTED\])[^\s,\"]{6,}+"
            r"(?=,[^,\n]++,[^,\n]++,\"(?:[^\",\n]*+,)*+system:)"
        ),
    ),
    (
        ("aws configure",),
        (
            lazy_compile(
                rf"(?P<keep>\baws[ \t]++configure[ \t]++set[ \t]++{ANY_KEY}[ \t]++)"
                rf"{SKIP_VALUE}{VALUE}"
            ),
            if_secret_key,
        ),
    ),
)
COMMAND_TRIGGERS = tuple(word for gate, _rule in COMMAND_RULES for word in gate)
