"""The cause an app states, read from log text as the runtimes print it (intents.app_cause).

Each row is a log as it reaches kubemedic (a pasted `kubectl logs`, a pod's log tail), the kind
of cause a user must be told, values the fix needs, and a piece of the quoted line. The logs
follow the shapes of public reports (the libraries' own messages); names are changed.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from intents.app_cause import CAUSE_KINDS, read_app_cause

PYDANTIC = """\
Traceback (most recent call last):
  File "/app/main.py", line 4, in <module>
    from app.config import settings
  File "/app/app/config.py", line 12, in <module>
    settings = Settings()
  File "/usr/local/lib/python3.12/site-packages/pydantic_settings/main.py", line 167, in __init__
    super().__init__(
pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings
database_url
  Field required [type=missing, input_value={}, input_type=dict]
    For further information visit https://errors.pydantic.dev/2.7/v/missing
"""
KEYERROR = """\
Traceback (most recent call last):
  File "/srv/app.py", line 3, in <module>
    url = os.environ["DATABASE_URL"]
  File "<frozen os>", line 679, in __getitem__
KeyError: 'DATABASE_URL'
"""
JAVA = """\
Exception in thread "main" org.springframework.beans.factory.BeanCreationException: Error creating bean
\tat org.springframework.beans.factory.support.AbstractBeanFactory.doGetBean(AbstractBeanFactory.java:335)
Caused by: org.postgresql.util.PSQLException: ERROR: cannot execute INSERT in a read-only transaction
\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2675)
\t... 42 more
"""
GO_PANIC = """\
panic: dial tcp: lookup inventory.shop.svc.cluster.local on 10.96.0.10:53: no such host

goroutine 1 [running]:
main.main()
\t/app/main.go:22 +0x1d
"""
NODE = """\
/app/index.js:5
      throw err;
      ^

Error: connect ECONNREFUSED 10.0.0.7:6379
    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)
"""
RECOVERED_THEN_CRASHED = """\
WARN connection refused to db:5432, retrying
INFO connected to db:5432
Traceback (most recent call last):
  File "/srv/report.py", line 9, in <module>
    ratio = done / total
ZeroDivisionError: division by zero
"""


class Row(NamedTuple):
    text: str
    kind: str | None
    values: tuple[tuple[str, str], ...] = ()
    quoted: str = ""


ROWS = {
    # issue 70's paste: pydantic-settings names the missing field below the exception
    "pydantic field required": Row(
        PYDANTIC, "missing-setting", (("name", "database_url"),), "database_url: Field required"
    ),
    # os.environ[...] of a variable the Deployment never sets
    "KeyError of an env variable": Row(
        KEYERROR, "missing-setting", (("name", "DATABASE_URL"),), "KeyError: 'DATABASE_URL'"
    ),
    # the JVM prints the root cause last: its message says the database is a replica
    "Java Caused by, last": Row(JAVA, "db-read-only", (("verb", "INSERT"),), "PSQLException"),
    # Go panics with the resolver's error: the name, not the DNS server, is in the line
    "Go panic on a name that does not resolve": Row(
        GO_PANIC, "name-not-resolved", (("host", "inventory.shop.svc.cluster.local"),), "panic:"
    ),
    # Node prints the error above its frames; host and port are the callee's
    "Node ECONNREFUSED": Row(
        NODE, "connection-refused", (("host", "10.0.0.7"), ("port", "6379")), "ECONNREFUSED"
    ),
    # libpq through SQLAlchemy: the credentials, not the connection, are refused
    "libpq password rejected": Row(
        "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "
        '"postgres" (10.96.12.4), port 5432 failed: FATAL:  password authentication failed for '
        'user "orders"\n',
        "db-credentials",
        (("user", "orders"),),
        "password authentication failed",
    ),
    # the MySQL server's own refusal, with the client's address
    "MySQL access denied": Row(
        "ERROR 1045 (28000): Access denied for user 'app'@'10.244.1.7' (using password: YES)\n",
        "db-credentials",
        (("user", "app"), ("host", "10.244.1.7")),
    ),
    # PostgreSQL out of connection slots, behind the server log's own prefix
    "PostgreSQL slots exhausted": Row(
        "2024-05-01 10:00:00.123 UTC [77] FATAL:  remaining connection slots are reserved for "
        "non-replication superuser connections\n",
        "db-connections",
    ),
    # HikariCP's pool gives up waiting: the pool, not the network, is exhausted
    "Hikari pool exhausted": Row(
        "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, "
        "request timed out after 30000ms.\n",
        "db-connections",
    ),
    # Go's crypto/x509 behind an HTTP client: the host is the URL's
    "expired certificate": Row(
        'Get "https://vault.shop:8200/v1/sys/health": x509: certificate has expired or is not '
        "yet valid: current time 2026-11-27 is after 2026-11-01\n",
        "certificate",
        (("host", "vault.shop"), ("port", "8200")),
    ),
    # busybox mkdir on a volume owned by another user
    "permission denied on a volume path": Row(
        "mkdir: can't create directory '/data/redis': Permission denied\n",
        "permission-denied",
        (("path", "/data/redis"),),
    ),
    # redis refusing its dump file on a hostPath it may not read (Cloud-OpsBench's fault)
    "redis cannot open its dump": Row(
        "2026-01-10T17:20:47.097505146+08:00 1:M 10 Jan 2026 09:20:47.097 # Fatal error: can't "
        "open the RDB file dump.rdb for reading: Permission denied\n",
        "permission-denied",
        (("path", "dump.rdb"),),
    ),
    # bash's syntax error names the script and its line
    "entrypoint syntax error": Row(
        "/docker-entrypoint.sh: line 12: syntax error near unexpected token `fi'\n",
        "shell-syntax",
        (("script", "/docker-entrypoint.sh"), ("line", "12")),
    ),
    # client-go's reflector logging the API server's 403 (rbac-forbidden)
    "RBAC forbidden in an informer": Row(
        "E1127 reflector.go:138] Failed to watch *v1.Pod: failed to list *v1.Pod: pods is "
        'forbidden: User "system:serviceaccount:shop:default" cannot list resource "pods" in API '
        'group "" in the namespace "shop"\n',
        "forbidden",
        (
            ("user", "system:serviceaccount:shop:default"),
            ("verb", "list"),
            ("resource", "pods"),
        ),
    ),
    # Python's FileNotFoundError keeps the path
    "missing config file": Row(
        "FileNotFoundError: [Errno 2] No such file or directory: '/etc/app/config.yaml'\n",
        "missing-file",
        (("path", "/etc/app/config.yaml"),),
    ),
    # a logger's fatal line names the variable (antidote's syringe: "X is a required variable")
    "a required variable logged": Row(
        'time="2018-10-22T20:59:21Z" level=error msg="SYRINGE_TIER is a required variable."\n',
        "missing-setting",
        (("name", "SYRINGE_TIER"),),
    ),
    # nginx cannot resolve an upstream Service named in its config
    "nginx upstream host not found": Row(
        'nginx: [emerg] host not found in upstream "api-gateway.default.svc.cluster.local" in '
        "/etc/nginx/nginx.conf:23\n",
        "name-not-resolved",
        (("host", "api-gateway.default.svc.cluster.local"),),
    ),
    # docker compose's service prefix before every line of a pydantic traceback
    "compose-prefixed traceback": Row(
        "fief-worker-1   | Traceback (most recent call last):\n"
        'fief-worker-1   |   File "/app/settings.py", line 201, in <module>\n'
        "fief-worker-1   | pydantic_core._pydantic_core.ValidationError: 2 validation errors "
        "for Settings\n"
        "fief-worker-1   | encryption_key\n"
        "fief-worker-1   |   Field required [type=missing, input_value={}, input_type=dict]\n"
        "fief-worker-1   | fief_client_id\n"
        "fief-worker-1   |   Field required [type=missing, input_value={}, input_type=dict]\n",
        "missing-setting",
        (("name", "encryption_key"),),
        "fief_client_id: Field required",
    ),
    # an exception no kind names is still the app's last word: quoted, not classified
    "an unclassified exception": Row(
        RECOVERED_THEN_CRASHED,
        "exception",
        (("exception", "ZeroDivisionError"),),
        "division by zero",
    ),
    # Connector/J under Spring: no packet ever reached the server (a connection never made, not
    # an idle one dropped: that one says how long ago the last packet went)
    "JVM Communications link failure": Row(
        "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC "
        "Connection\nCaused by: com.mysql.cj.jdbc.exceptions.CommunicationsException: "
        "Communications link failure\n\nThe last packet sent successfully to the server was 0 "
        "milliseconds ago. The driver has not received any packets from the server.\n",
        "connection-failed",
        (),
        "was 0 milliseconds ago",
    ),
    # the same exception on a connection idle for ten minutes is no failure to connect
    "JVM link dropped after idle": Row(
        "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure\n\n"
        "The last packet successfully received from the server was 600,127 milliseconds ago. "
        "The last packet sent successfully to the server was 600,131 milliseconds ago.\n",
        None,
    ),
    # ...and with the socket's refusal as the last Caused by
    "JVM Connection refused below it": Row(
        "Caused by: com.mysql.cj.exceptions.CJCommunicationsException: Communications link "
        "failure\n\tat com.mysql.cj.NativeSession.connect(NativeSession.java:120)\nCaused by: "
        "java.net.ConnectException: Connection refused\n\t... 58 common frames omitted\n",
        "connection-refused",
        (),
        "ConnectException",
    ),
    # Spring Boot's own words when the port is taken (a sidecar on it)
    "Spring port already in use": Row(
        "***************************\nAPPLICATION FAILED TO START\n***************************\n\n"
        "Description:\n\nWeb server failed to start. Port 8080 was already in use.\n",
        "port-in-use",
        (("port", "8080"),),
    ),
    # Go's net.Listen (kube-state-metrics beside a sidecar on 8080)
    "Go bind address in use": Row(
        '"Failed to run kube-state-metrics" err="run server group error: listen tcp '
        '0.0.0.0:8080: bind: address already in use"\n',
        "port-in-use",
        (("port", "8080"),),
    ),
    # Node's listen
    "Node EADDRINUSE": Row(
        "Error: listen EADDRINUSE: address already in use :::3000\n    at Server.setupListenHandle "
        "[as _listen2] (node:net:1817:16)\n",
        "port-in-use",
        (("port", "3000"),),
    ),
    # nginx under readOnlyRootFilesystem: the path it could not create
    "nginx read-only file system": Row(
        'nginx: [emerg] mkdir() "/var/lib/nginx/tmp/client_body" failed (30: Read-only file '
        "system)\n",
        "read-only-filesystem",
        (("path", "/var/lib/nginx/tmp/client_body"),),
    ),
    # Python's OSError keeps the path
    "Python read-only file system": Row(
        "OSError: [Errno 30] Read-only file system: '/app/data/cache.db'\n",
        "read-only-filesystem",
        (("path", "/app/data/cache.db"),),
    ),
    # pymysql through SQLAlchemy: the server's host in quotes, errno 111
    "Python MySQL connection refused": Row(
        "sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (2003, \"Can't connect "
        "to MySQL server on 'mysql' ([Errno 111] Connection refused)\")\n",
        "connection-refused",
        (("host", "mysql"),),
    ),
    # libpq's older two-line refusal: the host is on the second line
    "psycopg2 connection refused": Row(
        "psycopg2.OperationalError: could not connect to server: Connection refused\n"
        '\tIs the server running on host "postgres" (172.18.0.2) and accepting\n'
        "\tTCP/IP connections on port 5432?\n",
        "connection-refused",
        (("host", "postgres"),),
    ),
    # nginx as a proxy: the upstream's address is the callee
    "nginx upstream refused": Row(
        "2020/06/17 15:42:54 [error] 37#37: *248 connect() failed (111: Connection refused) while "
        'connecting to upstream, client: 10.244.0.1, server: shop, request: "GET / HTTP/1.1", '
        'upstream: "http://10.1.2.3:8181/", host: "shop.example.com"\n',
        "connection-refused",
        (("host", "10.1.2.3"), ("port", "8181")),
    ),
    # Envoy's reply body when no endpoint of the cluster is healthy
    "Envoy no healthy upstream": Row("no healthy upstream\n", "upstream-unavailable"),
    # the API server's Status body a client printed: RBAC, not a crash
    "API server 403 Status": Row(
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"secrets '
        'is forbidden","reason":"Forbidden","details":{"kind":"secrets"},"code":403}\n',
        "forbidden",
    ),
    # a service it calls answers 403 (requests' raise_for_status): the callee rejects its key
    "a callee's 403 through requests": Row(
        "requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: "
        "http://catalog.shop.svc.cluster.local:8080/items\n",
        "auth-rejected",
        (("host", "catalog.shop.svc.cluster.local"), ("port", "8080")),
    ),
    # Feign names the method and the URL it was refused on
    "a callee's 401 through Feign": Row(
        "feign.FeignException$Unauthorized: [401 Unauthorized] during [POST] to "
        "[http://auth:9000/token] [AuthClient#token()]: []\n",
        "auth-rejected",
        (("host", "auth"), ("port", "9000")),
    ),
    # the API server's 403 is RBAC's, never a callee's rejection
    "the API server's 403": Row(
        "GET https://kubernetes.default.svc/api/v1/namespaces/shop/configmaps/x: 403 Forbidden\n",
        "forbidden",
    ),
    # a server's own access line that answered 403 states no failure of its own
    "an access line of a 403 answered": Row(
        '10.244.0.9 - - [29/Nov/2026:10:00:00 +0000] "GET /admin HTTP/1.1" 403 153 "-" "curl"\n',
        None,
    ),
    # Kafka's Java client names the broker it could not reach (host/address:port)
    "Kafka's Java client": Row(
        "WARN [Producer clientId=producer-1] Connection to node -1 (kafka/10.96.3.3:9092) could "
        "not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)\n",
        "connection-failed",
        (("host", "kafka"), ("port", "9092")),
    ),
    # librdkafka prefixes the broker as the app was given it
    "librdkafka refused": Row(
        "%3|1700000000.000|FAIL|rdkafka#producer-1| [thrd:kafka:9092/bootstrap]: kafka:9092/"
        "bootstrap: Connect to ipv4#10.96.3.3:9092 failed: Connection refused (after 0ms in state "
        "CONNECT)\n",
        "connection-refused",
        (("host", "kafka"), ("port", "9092")),
    ),
    # a log that only says it runs states no cause
    "a healthy log": Row("starting server on :8080\nready\n", None),
    # the runtime failing to exec the entrypoint is executable-not-found's, not the app's words
    "the runtime's exec error is not the app's": Row(
        'exec: "/app/server": stat /app/server: no such file or directory\n', None
    ),
}


@pytest.mark.parametrize("name", ROWS)
def test_the_cause_the_log_states(name: str) -> None:
    row = ROWS[name]
    cause = read_app_cause(row.text)
    if row.kind is None:
        assert cause is None, cause
        return
    assert cause is not None, name
    assert cause.kind == row.kind, cause
    assert cause.kind in CAUSE_KINDS
    for key, value in row.values:
        assert cause.value(key) == value, (key, cause.values)
    assert row.quoted in cause.line, cause.line


def test_every_pydantic_field_named_is_a_value() -> None:
    cause = read_app_cause(ROWS["compose-prefixed traceback"].text)
    assert cause is not None
    assert [v for k, v in cause.values if k == "name"] == ["encryption_key", "fief_client_id"]
    assert cause.said() == "a required setting is missing (encryption_key, fief_client_id)"


def test_a_hostile_log_is_read_in_bounded_time() -> None:
    # a megabyte on one line and many lines of near-misses: read, and nothing stated
    text = ("lookup " + "a" * 1_000_000 + "\n") + ("dial tcp host:" * 5000 + "\n") * 300
    assert read_app_cause(text) is None
