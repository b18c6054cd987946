"""The lines that state a cause, as the common runtimes and clients print them.

One row per wording: its kind (intents.app_cause.model.CAUSE_KINDS) and a regex whose named
groups are the values (host, port, user, name, path...). The rows come from the libraries'
own messages (Go's net and crypto/x509, glibc's resolver, libpq, the MySQL server, pydantic,
the JVM, Node's system errors, bash, dash and busybox). Lines are bounded before they are
read, and no pattern nests a repetition, so a hostile log costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from intents.lazy_re import LazyPattern, lazy_compile
from intents.regex_safety import branch_words

HOST = r"(?P<host>[A-Za-z0-9_][\w.-]{0,252})"
PORT = r"(?P<port>\d{1,5})"
Q = r"\\?[\"'`‘’]?"
"""An optional quote around a value (escaped in a JSON log line)."""
ENV_NAME = r"(?P<name>[A-Z][A-Z0-9]{0,60}_[A-Z0-9_]{1,60})"
"""An environment variable's name as apps spell one: capitals with an underscore."""


@dataclass(frozen=True)
class Wording:
    kind: str
    regex: LazyPattern


def _rows(kind: str, *patterns: str, flags: int = 0) -> list[Wording]:
    return [Wording(kind, lazy_compile(pattern, flags)) for pattern in patterns]


WORDINGS: tuple[Wording, ...] = (
    *_rows(
        "forbidden",
        r"(?P<resource>[\w.-]{1,100}) is forbidden: User \\?\"(?P<user>[^\"\\]{1,200})\\?\" "
        r"cannot (?P<verb>[a-z]{2,20}) resource",
        r"Forbidden!\s?Configured service account doesn't have access",
        r"ApiException: \(403\)",
        r"\"reason\":\s?\"Forbidden\",[^\n]{0,300}\"code\":\s?403",
        r"\b403\b[^\n]{0,40}Forbidden[^\n]{0,200}(?:kubernetes\.default|/api/v1/|/apis/)",
        r"(?:kubernetes\.default|/api/v1/|/apis/)[^\n]{0,200}\b403\b[^\n]{0,40}Forbidden",
    ),
    *_rows(
        "auth-rejected",
        # requests' raise_for_status: "403 Client Error: Forbidden for url: http://..."
        rf"\b40[13] Client Error: (?:Unauthorized|Forbidden) for url: https?://{HOST}(?::{PORT})?",
        # Spring 6's RestTemplate and RestClient: 403 Forbidden on GET request for "http://..."
        rf"\b40[13] (?:Unauthorized|Forbidden) on [A-Z]{{3,7}} request for {Q}https?://{HOST}"
        rf"(?::{PORT})?",
        # Feign: [403 Forbidden] during [GET] to [http://...]
        rf"\[40[13][^\]]{{0,30}}\] during \[[A-Z]{{3,7}}\] to \[https?://{HOST}(?::{PORT})?",
        # a client's own words: a call to a URL that came back 401 or 403
        # (the path starts at a character no host holds: one way to split host and path)
        rf"https?://{HOST}(?::{PORT})?(?:[/?#][^\s\"']{{0,200}})?[\"']?:? [^\n]{{0,60}}?"
        r"\b40[13]\b:? ?(?:Unauthorized|Forbidden)",
        # Go's common wording, with the peer it called (weaviate: host "10.0.248.141:7001": ...)
        rf"host {Q}{HOST}:{PORT}{Q}: unexpected status code:? 40[13]\b",
        r"HttpClientErrorException\$(?:Unauthorized|Forbidden)|FeignException\$(?:Unauthorized"
        r"|Forbidden)|Request failed with status code 40[13]\b",
    ),
    *_rows(
        "db-credentials",
        r"password authentication failed for user \\?\"?(?P<user>[^\"\\\s]{1,100})",
        r"Access denied for user '(?P<user>[^']{0,100})'@'(?P<host>[^']{0,253})'",
        r"Login failed for user '(?P<user>[^']{0,100})'",
        r"ORA-01017",
        r"WRONGPASS invalid username-password pair",
        r"(?:Mongo\w{0,40}Error|MongoSecurityException)\b.{0,120}Authentication failed",
    ),
    *_rows(
        "db-read-only",
        r"cannot execute (?P<verb>[A-Z][A-Z ]{1,40}?) in a read-only transaction",
        r"running with the --(?:super-)?read-only option so it cannot execute",
        r"READONLY You can't write against a read only replica",
        r"\b(?:NotWritablePrimary|NotMasterNoSlaveOk|not master and slaveOk=false)\b",
        r"attempt to write a readonly database",
        r"Connection is read-only\. Queries leading to data modification are not allowed",
    ),
    *_rows(
        "read-only-filesystem",
        r"\[Errno 30\] Read-only file system: '(?P<path>[^']{1,300})'",
        r"(?:open|mkdir|create|remove|rename|chmod|chown|symlink|link|unlink) (?P<path>/[^\s:]{1,300})"
        r": read-only file system",
        r"EROFS: read-only file system, \w{2,10} '(?P<path>[^']{1,300})'",
        r"(?P<path>/[^\s()'\"]{1,300}) \(Read-only file system\)",
        r"\w{2,10}\(\) \"(?P<path>[^\"]{1,300})\" failed \(30: Read-only file system\)",
        r"(?P<path>/[^\s:'\"]{1,300})['\"]?: Read-only file system",
        r"\bRead-only file system\b|\bReadOnlyFilesystem\b|\bEROFS\b",
    ),
    *_rows(
        "db-connections",
        r"remaining connection slots are reserved",
        r"sorry, too many clients already",
        r"[Tt]oo many connections",
        r"max number of clients reached",
        r"QueuePool limit of size \d{1,6} overflow \d{1,6} reached",
        r"Connection is not available, request timed out after \d{1,9}ms",
        r"(?i:connection pool (?:is )?(?:exhausted|full))",
        r"timeout exceeded when trying to connect",
        r"(?i:timeout (?:waiting for|acquiring) (?:a )?(?:idle )?connection)",
        r"Cannot get a connection, pool error",
    ),
    *_rows(
        "certificate",
        r"x509: certificate (?:has expired|is not yet valid|signed by unknown authority"
        r"|is valid for|is not valid for any names|relies on legacy Common Name)",
        r"certificate verify failed",
        r"\b(?:CERT_HAS_EXPIRED|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN"
        r"|DEPTH_ZERO_SELF_SIGNED_CERT|ERR_TLS_CERT_ALTNAME_INVALID)\b",
        r"unable to verify the first certificate",
        r"PKIX path building failed|CertificateExpiredException",
    ),
    *_rows(
        "name-not-resolved",
        rf"lookup {HOST}(?: on [\d.:\[\]a-f]{{3,60}})?: (?:no such host|server misbehaving)",
        # Go's resolver when the DNS server does not answer (the cluster DNS down)
        rf"lookup {HOST}(?: on [\d.:\[\]a-f]{{3,60}})?: (?:(?:read|dial) udp \S{{0,120}}: )?i/o timeout",
        rf"getaddrinfo (?:ENOTFOUND|EAI_AGAIN) {HOST}",
        rf"could not translate host name {Q}{HOST}{Q} to address",
        rf"Unknown MySQL server host {Q}{HOST}{Q}",
        rf"UnknownHostException: {HOST}",
        rf"Failed to resolve {Q}{HOST}{Q}",
        rf"Could not resolve host: {HOST}",
        rf"host not found in upstream {Q}{HOST}",
        # busybox's nslookup, wget, nc and ping, and bind's host (what an init container runs)
        rf"can't resolve '{HOST}'",
        rf"server can't find {HOST}: NXDOMAIN",
        rf"\b(?:wget|nc|ping|telnet): bad address '{HOST}",
        rf"\bHost {HOST} not found: \d\(NXDOMAIN\)",
        r"Temporary failure in name resolution|Name or service not known"
        r"|nodename nor servname provided|No address associated with hostname|\bNXDOMAIN\b",
    ),
    *_rows(
        "port-in-use",
        rf"listen tcp [\w.:\[\]-]{{0,60}}:{PORT}: bind: address already in use",
        rf"bind\(\) to [\w.:\[\]*-]{{0,60}}:{PORT} failed \(98: Address already in use\)",
        rf"listen EADDRINUSE:? (?:address already in use )?[\w.:\[\]-]{{0,60}}:{PORT}",
        rf"\b[Pp]ort {PORT} (?:was|is) already in use",
        r"BindException: Address already in use|\[Errno 98\] Address already in use",
        r"\bAddress already in use\b|\bEADDRINUSE\b",
    ),
    *_rows(
        "upstream-unavailable",
        r"\bno healthy upstream\b",
        r"\bno live upstreams while connecting to upstream\b",
        r"upstream connect error or disconnect/reset before headers",
    ),
    *_rows(
        "connection-refused",
        rf"dial tcp {HOST}:{PORT}: connect: connection refused",
        rf"Can't connect to MySQL server on {Q}{HOST}(?::{PORT})?{Q} \((?:\[Errno )?111",
        rf"Is the server running on host {Q}{HOST}{Q}",
        rf"connect ECONNREFUSED {HOST}:{PORT}",
        rf"connection to server at {Q}{HOST}{Q}[^,]{{0,60}}, port {PORT} failed: Connection refused",
        rf"Failed to connect to {HOST} port {PORT}.{{0,80}}[Cc]onnection refused",
        rf"(?:[Ee]rror|[Ff]ailed) (?:connecting|to connect) to {HOST}:{PORT}.{{0,80}}[Rr]efused",
        rf"Connection to {HOST}:{PORT} refused",  # the PostgreSQL JDBC driver
        rf"Connection refused: {HOST}/[\d.]{{7,15}}:{PORT}",  # Netty: host/address:port
        rf"\bnc: connect to {HOST} port {PORT} \(tcp\) failed: Connection refused",
        rf"I/O error on [A-Z]{{3,7}} request for {Q}https?://{HOST}(?::{PORT})?[^\s\"']{{0,300}}{Q}: "
        r"Connection refused",
        rf"Error 111 connecting to {HOST}:{PORT}",  # redis-py
        # librdkafka: "kafka:9092/bootstrap: Connect to ipv4#10.96.3.3:9092 failed: Connection refused"
        rf"{HOST}:{PORT}/(?:bootstrap|\d{{1,6}}): Connect to ipv[46]#\S{{1,60}} failed: Connection refused",
        rf"\[Errno 111\] Connect call failed \({Q}{HOST}{Q}, {PORT}\)",  # asyncio: asyncpg, aiomysql
        r"[Cc]onnection refused|ECONNREFUSED|ConnectionRefusedError",
    ),
    *_rows(
        "connection-timeout",
        rf"dial tcp {HOST}:{PORT}: (?:i/o timeout|connect: connection timed out)",
        rf"connect ETIMEDOUT {HOST}:{PORT}",
        rf"connection to server at {Q}{HOST}{Q}[^,]{{0,60}}, port {PORT} failed: timeout expired",
        rf"Connect(?:ion)? to {HOST}:{PORT} .{{0,60}}timed out",
        r"SocketTimeoutException: connect timed out",
        rf"\bnc: connect to {HOST} port {PORT} \(tcp\) timed out",  # netcat in a wait loop
        # Spring's RestTemplate: "I/O error on GET request for \"http://host:port/...\": Read timed out"
        rf"I/O error on [A-Z]{{3,7}} request for {Q}https?://{HOST}(?::{PORT})?[^\s\"']{{0,300}}{Q}: "
        r"(?:Read|connect) timed out",
        rf"Error 110 connecting to {HOST}:{PORT}",  # redis-py
        # a read to a data store's own port (MySQL, PostgreSQL, Redis, Cassandra, MongoDB)
        rf"read tcp [\d.]{{7,15}}:\d{{1,5}}->{HOST}:(?P<port>3306|5432|6379|9042|27017): i/o timeout",
    ),
    *_rows(
        "connection-failed",
        rf"Can't connect to MySQL server on {Q}{HOST}(?::{PORT})?{Q}",
        r"The last packet sent successfully to the server was 0 milliseconds ago",
        r"HikariPool-\d{1,4} - Exception during pool initialization",
        r"Could not (?:open|get|obtain) JDBC Connection",
        # the drivers' own words: gocql, the DataStax drivers, gRPC, pgx, Jedis, Lettuce, Temporal
        r"gocql: no hosts available in the pool|no connections were made when creating the session",
        r"All host\(s\) tried for query failed|Could not reach any contact point"
        r"|Unable to connect to any servers'",
        # a gRPC dial, but not etcd's client ports (the API server's own store)
        rf"transport: Error while dialing:? dial tcp {HOST}:(?!2379\b|2380\b){PORT}",
        rf"failed to connect to `(?:host={HOST} )?user=[^`]{{1,200}}`",  # pgx
        rf"JedisConnectionException: Failed (?:connecting to host|to connect to) {HOST}:{PORT}",
        rf"RedisConnection(?:Failure)?Exception: Unable to connect to {HOST}",
        r"failed reaching server: ",  # the Temporal SDK's client
        # Kafka's Java client: "Connection to node -1 (kafka/10.96.3.3:9092) could not be ..."
        rf"Connection to node -?\d{{1,6}} \({HOST}?/[\d.]{{7,15}}:{PORT}\) could not be established",
        # a reset on the connection to Vault's or a data store's own port (not any reset)
        rf"(?:read|write) tcp [\d.]{{7,15}}:\d{{1,5}}->{HOST}:(?P<port>8200|3306|5432|6379|9042|27017): "
        r"(?:read|write): connection reset by peer",
    ),
    *_rows(
        "missing-setting",
        rf"KeyError: {Q}{ENV_NAME}{Q}",
        rf"(?i:environment variable|env var|env variable)s? {Q}{ENV_NAME}{Q},? (?:is )?"
        r"(?:not set|not defined|undefined|required|missing|empty|must be set|is required)"
        r"(?![^\n]{0,60}(?i:default|using|setting it|fall(?:ing)? ?back|ignor|watching))",
        rf"{ENV_NAME}{Q} (?:environment variable |env var )?(?:is not set|must be set|is required"
        r"|is empty|not set|is undefined|is a required variable)"
        r"(?![^\n]{0,60}(?i:default|using|setting it|fall(?:ing)? ?back|ignor|watching))",
        r"(?i:missing (?:required )?(?:environment variables?|env vars?|configuration|settings?)):?"
        rf" {Q}(?P<name>[\w.-]{{2,100}})",
        r"required key (?P<name>\w{1,100}) missing value",
        r"Could not resolve placeholder '(?P<name>[^']{1,100})'",
    ),
    *_rows(
        "permission-denied",
        r"Permission denied: '(?P<path>[^']{1,300})'",
        r"(?:open|mkdir|create|remove|chmod|chown|stat|lstat|rename) (?P<path>/[^\s:]{1,300}): "
        r"permission denied",
        r"EACCES: permission denied, \w{2,10} '(?P<path>[^']{1,300})'",
        rf"can(?:no|')t create directory {Q}(?P<path>/[^'‘’\"`\s]{{1,300}}){Q}: Permission denied",
        r"changing ownership of '(?P<path>[^']{1,300})': Operation not permitted",
        r"AccessDeniedException: (?P<path>/\S{1,300})",
        r"(?P<path>/[^\s:'\"]{1,300})['\"]?: Permission denied",
        r"can't open (?:the )?(?:\w{1,20} )?(?:file )?(?P<path>[\w./-]{1,300}) (?:for \w{1,20})?: ?"
        r"Permission denied",
    ),
    *_rows(
        "missing-file",
        r"No such file or directory: '(?P<path>[^']{1,300})'",
        r"open (?P<path>/[^\s:]{1,300}): no such file or directory",
        r"ENOENT: no such file or directory, \w{2,10} '(?P<path>[^']{1,300})'",
        r"FileNotFoundException: (?P<path>\S{1,300}) \(No such file or directory\)",
        r"can't open '(?P<path>[^']{1,300})': No such file",
        r"(?P<path>/[^\s:'\"]{1,300})['\"]?: No such file or directory",
    ),
    *_rows(
        "shell-syntax",
        r"(?P<script>[\w./-]{1,200}): line (?P<line>\d{1,6}): syntax error",
        r"(?P<script>[\w./-]{1,200}): (?P<line>\d{1,6}): (?:Syntax error|syntax error): ",
        r"syntax error: unexpected (?:end of file|\"[^\"]{1,40}\"|word)",
        r"unexpected EOF while looking for matching",
    ),
)
"""Every wording, the more specific kinds first: a line read by two (a refused connection to
a database named in a `could not translate host name`) is the first's."""

NOT_THE_APP = lazy_compile(
    r"\bexec(?:ve)?:? |executable file not found|OCI runtime|runc create failed"
    r"|MountVolume\.|failed to pull|pulling image|Back-off pulling"
    r"|\b(?:Liveness|Readiness|Startup) probe failed: (?:(?:Get|Post|Head) \"?https?://|dial tcp "
    r"|HTTP probe failed|context deadline exceeded|read tcp )",
)
"""Lines other entries own: the runtime failing to start the entrypoint, a volume the kubelet
cannot mount, an image it cannot pull, the kubelet's own HTTP or TCP probe of the pod (an exec
probe's output, the app's words, is still read). Said by the kubelet, not by the app."""

MORE_VALUES = (
    lazy_compile(rf"upstream: {Q}(?:https?://)?{HOST}:{PORT}"),
    lazy_compile(rf"dial tcp {HOST}:{PORT}"),
    lazy_compile(rf"(?:read|write) tcp [\d.]{{7,15}}:\d{{1,5}}->{HOST}:{PORT}"),
    lazy_compile(rf"https?://{HOST}(?::{PORT})?"),
    lazy_compile(rf"(?:to|at|host) {Q}{HOST}{Q}?:{PORT}\b"),
)
"""Where a host and port stand in a line whose wording named neither."""


def _groups(found: re.Match[str]) -> Iterator[tuple[str, str]]:
    for key, value in found.groupdict().items():
        if value:
            yield key, value.strip("'\"`‘’\\")


@cache
def _rows_by_word() -> tuple[dict[str, list[int]], tuple[int, ...]]:
    """For each word some row's every match holds (the longest of each of its alternatives', read
    by intents.regex_safety), the rows by number; and the rows with no such word."""
    by_word: dict[str, list[int]] = {}
    always = []
    for number, wording in enumerate(WORDINGS):
        needs = [max(words, key=len) for words in branch_words(wording.regex.pattern)]
        for word in needs:
            by_word.setdefault(word, []).append(number)
        if not needs:
            always.append(number)
    return by_word, tuple(always)


def _candidates(line: str) -> list[int]:
    """The rows that may match the line, in order: most lines hold none of a row's words, and a
    substring test costs far less than its search (a corpus sample made 130,000 searches)."""
    lowered = line.lower()
    by_word, found = _rows_by_word()
    rows = set(found)
    for word, numbers in by_word.items():
        if word in lowered:
            rows.update(numbers)
    return sorted(rows)


def classify(line: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """The kind of cause the line states and its values, or None."""
    if NOT_THE_APP.search(line):
        return None
    for number in _candidates(line):
        wording = WORDINGS[number]
        found = wording.regex.search(line)
        if found is None:
            continue
        values = dict(_groups(found))
        if "host" not in values and wording.kind not in ("missing-file", "permission-denied"):
            for extra in MORE_VALUES:
                more = extra.search(line)
                if more is not None:
                    values = {**dict(_groups(more)), **values}
                    break
        return wording.kind, tuple(values.items())
    return None
