"""Password flags of common clients: positions a command line gives a value, flag or none.

A client whose password flag is a bare letter (`mysql -pX`, `mongo -p X`, `sqlcmd -P X`,
`ldapsearch -w X`, `redis-cli -a X`, `sshpass -p X`, `docker login -p X`, `zip -P X`,
`ssh-keygen -N X`), or that takes the secret in a form of its own (`curl -u user:X`,
`smbclient -U user%X`, `htpasswd -b [file] user X`, `rabbitmqctl add_user U X`,
`openssl -passin pass:X`, `kubectl create secret --from-literal=K=X`,
`aws configure set <secret key> X`). A flag is read only in its command's line: not past a
sentence's end, a backtick or a bracket.
"""

from __future__ import annotations

import re

from intents.lazy_re import lazy_compile
from responses.secret_values import (
    ANY_KEY,
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


def _client(commands: str, flag: str) -> Rule:
    """A client whose password flag is `flag` (attached or after a space) in its command line: not
    past a sentence's end, a backtick or a bracket ("the mariadb one ... (`kubectl logs -p x`)")."""
    return keep(rf"(?P<keep>\b(?:{commands})\b(?:[^\n|;&`().]|\.(?!\s)){{0,300}}?[ \t]{flag}[ \t]*+)"
                 r"(?!-|\[REDACTED\]|\\?[\"']?\$|`)(?P<value>\"[^\"\n]++\"?|'[^'\n]++'?|[^\s\"'`]++)")


def _on_secret_command(match: re.Match[str]) -> str:
    """`keep_prefix` when the line creates a Secret (kubectl create secret ... --from-literal=K=V)."""
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    return keep_prefix(match) if "secret" in match.string[line_start : match.start()].lower() \
        else match.group(0)


COMMAND_RULES: tuple[Gated, ...] = (
    # Clients whose password flag is a bare letter.
    (_MYSQL, _client(r"mysql|mysqladmin|mysqldump|mysqlimport|mysqlshow|mysqlcheck|mysqlpump|mysqlsh"
                     r"|mariadb(?:-dump|-admin)?|7z|7za", "-p")),
    (_MONGO, _client(r"mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport|mongostat|mongotop"
                     r"|mongofiles|sshpass", "-p")),
    (_LOGIN, _client(r"(?:docker|podman|nerdctl|buildah|skopeo|oras|finch|registry|az|helm)[ \t]++login",
                     "-p")),
    (_SQLCMD, _client(r"sqlcmd|bcp|osql|isql|zip|ssh-keygen", "-P")),
    (_SQLCMD, _client(r"ssh-keygen", "-N")),
    (_LDAP, _client(r"ldapsearch|ldapadd|ldapmodify|ldapdelete|ldapwhoami|ldappasswd|ldapcompare"
                    r"|ldapmodrdn|ldapexop", "-w")),
    (_REDIS, _client(r"redis-cli|keydb-cli", "-a")),
    (("curl",), keep(r"(?P<keep>\bcurl\b[^\n|;&]{0,500}?[ \t](?:-u|--user)(?:[ \t]++|=)[\"']?"
                      r"[^\s:\"']{0,100}+:)(?!\[REDACTED\])[^\s\"']++")),
    (_SMB, keep(r"(?P<keep>\b(?:smbclient|rpcclient|smbmap|net)\b[^\n|;&]{0,300}?[ \t](?:-U|--user)"
                 r"(?:[ \t]++|=)[\"']?[^\s%\"']{1,100}+%)(?!\[REDACTED\])[^\s\"']++")),
    (("htpasswd",), keep(r"(?P<keep>\bhtpasswd[ \t]++-(?=[A-Za-z]*n)(?=[A-Za-z]*b)[A-Za-z]++[ \t]++\S++"
                          r"[ \t]++)(?!\[REDACTED\])[^\s\"']++")),
    (("htpasswd",), keep(r"(?P<keep>\bhtpasswd[ \t]++-(?![A-Za-z]*n)(?=[A-Za-z]*b)[A-Za-z]++[ \t]++\S++"
                          r"[ \t]++\S++[ \t]++)(?!\[REDACTED\])[^\s\"']++")),
    (("rabbitmqctl",), keep(r"(?P<keep>\brabbitmqctl\b[^\n|;&]{0,100}?[ \t](?:add_user|change_password)"
                             r"[ \t]++\S++[ \t]++)(?!\[REDACTED\])[^\s\"']++")),
    (("pass:",), keep(r"(?P<keep>(?<![\w-])-(?:pass(?:in|out)?|k)[ \t]++pass:)(?!\[REDACTED\])[^\s\"']++")),
    (("from-literal",), (lazy_compile(r"(?P<keep>--from-literal[ \t=]++[\"']?[\w.-]{1,253}+=)"
                                      r"(?!\[REDACTED\])[^\s\"']++"), _on_secret_command)),
    (("aws configure",), (lazy_compile(rf"(?P<keep>\baws[ \t]++configure[ \t]++set[ \t]++{ANY_KEY}[ \t]++)"
                                       rf"{SKIP_VALUE}{VALUE}"), if_secret_key)),
)
COMMAND_TRIGGERS = tuple(word for gate, _rule in COMMAND_RULES for word in gate)
