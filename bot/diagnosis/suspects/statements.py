"""What clients state about the hosts they call: each log line saying a call failed, and why.

A client names its host in many forms: a Service's name, an FQDN (`db.shop.svc.cluster.local`),
a URL or a JDBC URL, the Service's ClusterIP (Go's `dial tcp 10.96.0.12:5432`), a pod's IP. A
database's own error often names no host at all ("cannot execute INSERT in a read-only
transaction", "password authentication failed"): the host is then the one database the
client's own settings name (a JDBC URL, a `DB_HOST`, a database's port). Each client states
each host once here: its latest line about it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from bot.diagnosis.suspects.addresses import (
    config_maps_unshown,
    configured_address,
    service_host,
    settings,
)
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of
from intents.app_cause import AppCause, read_app_cause
from intents.app_cause.patterns import classify
from intents.healthy_lines import names_no_failure

FAILING_KINDS = frozenset(
    {
        "connection-refused",
        "connection-timeout",
        "connection-failed",
        "upstream-unavailable",
        "name-not-resolved",
    }
)
"""The causes an app states about a service it calls when the call does not get through."""
DB_KINDS = frozenset({"db-credentials", "db-read-only", "db-connections"})
"""What a database says of itself through its client: it rejects the credentials, it is
read-only, its connections are used up."""
REJECTED_KINDS = frozenset({"auth-rejected"})
"""What a service it calls answers: it rejects the client's credentials (HTTP 401 or 403)."""
HOST_STATES = DB_KINDS | REJECTED_KINDS
"""What a host does to its clients, said by them: rejects, is read-only, has no slot left."""
HOST_KINDS = FAILING_KINDS | HOST_STATES
ABOUT_THE_DATABASE = DB_KINDS | {"connection-failed"}
"""Causes a client states of its database, naming no host: a database's own errors, and the
database drivers' failures to connect (JDBC's "Communications link failure", Hikari's pool)."""
MAX_LINES = 60
"""The last lines of each log read line by line (the walk reads no more: snapshot.py)."""
DB_PORTS = frozenset({5432, 3306, 1433, 1521, 27017, 6379, 9042, 26257, 5984, 8529})
_DB_WORDS = re.compile(
    r"(?i)(?:^|_)(?:DB|DATABASE|DATASOURCE|JDBC|SQL|MYSQL|MARIADB|POSTGRES(?:QL)?|PG|MONGO(?:DB)?"
    r"|REDIS|CASSANDRA|ORACLE)(?:_|$)"
)
_DB_SCHEMES = re.compile(
    r"(?i)^(?:jdbc:|(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|sqlserver"
    r"|oracle|cockroachdb)://)"
)
_DRIVERS = (
    (re.compile(r"(?i)mysql|mariadb"), 3306),
    (re.compile(r"(?i)postgres|psycopg|\bpgx\b|libpq|\bpq:"), 5432),
    (re.compile(r"(?i)redis|jedis|lettuce"), 6379),
    (re.compile(r"(?i)mongo"), 27017),
    (re.compile(r"(?i)cassandra|gocql|datastax"), 9042),
)
"""A driver's words and its database's port: a driver's error names the kind of database it
talks to (`com.mysql.cj...CommunicationsException`), whatever host it was given."""
Classified = tuple[str, tuple[tuple[str, str], ...]] | None
"""What classify reads in one line: the kind of cause and its values, or None."""
_STILL_TRYING = re.compile(r"(?i)refus|retr(?:y|ying|ies)|waiting|reset|down\b")
"""Words of trouble with a host beyond the failure vocabulary (intents.healthy_lines): a retry,
a wait, a reset."""


@dataclass(frozen=True)
class Statement:
    """One client's latest word about one host it calls."""

    client: Workload
    pod: str
    host: str
    """The Service's name when one of the namespace answers to what was said, else the host as
    said (a name nothing serves)."""
    port: int | None
    cause: AppCause

    @property
    def how(self) -> str:
        return f"its log: {self.cause.line[:300]}"


class Statements:
    """The statements of one namespace's clients, read once from the graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._read_logs: dict[str, list[tuple[str, str, list[str], list[Classified]]]] = {}

    def host(self, said: str) -> tuple[str, int | None] | None:
        """(name, port) in the namespace of a host as a client said it, or None (elsewhere)."""
        bare = said.strip().strip("/").rpartition("/")[2] if "/" in said else said
        ip = bare.rpartition(":")[0] if bare.count(":") == 1 else bare
        if ip in self.graph.ips:
            port = bare.rpartition(":")[2] if bare.count(":") == 1 else ""
            return self.graph.ips[ip], int(port) if port.isdigit() else None
        return service_host(said, self.graph.namespace)

    @cached_property
    def by_client(self) -> dict[str, list[Statement]]:
        """Client KIND/NAME -> its statements, one per host (the latest)."""
        latest = {  # the latest statement of each client about each host
            w.ref: list({said.host: said for said in self._read(w)}.values())
            for w in self.graph.workloads.values()
        }
        return {ref: said for ref, said in latest.items() if said}

    def _logs(self, workload: Workload) -> list[tuple[str, str, list[str], list[Classified]]]:
        """(pod, its log, its last lines, each line's app cause) of each pod with a log: each
        line classified once, for its statements and for the database its log names."""
        if workload.ref not in self._read_logs:
            found = []
            for pod in workload.pods:
                text = self.graph.snapshot.logs.get(name_of(pod), "")
                if text:
                    lines = text.splitlines()[-MAX_LINES:]
                    found.append((name_of(pod), text, lines, [classify(x[:2000]) for x in lines]))
            self._read_logs[workload.ref] = found
        return self._read_logs[workload.ref]

    def causes_logged(self, workload: Workload, pod: str) -> list[Classified]:
        """Each of the pod's last lines' app cause, as classified once for its statements."""
        return next((read for name, _t, _l, read in self._logs(workload) if name == pod), [])

    def _read(self, workload: Workload) -> Iterator[Statement]:
        """Oldest first, so the latest line about each host is kept."""
        for pod, text, lines, read in self._logs(workload):
            for at, found in enumerate(read):
                if found is not None and found[0] in HOST_KINDS:
                    cause = AppCause(found[0], lines[at].strip(), found[1])
                    if not answered_later(cause, lines, read, at + 1):
                        yield from self._about(workload, pod, cause)
            last = read_app_cause(text)  # a trace's cause, its host read from the trace
            if (
                last is not None
                and last.kind in HOST_KINDS
                and not answered_later(last, lines, read, _after(lines, last.line))
            ):
                yield from self._about(workload, pod, last)

    def _about(self, workload: Workload, pod: str, cause: AppCause) -> Iterator[Statement]:
        said = cause.value("host")
        address = self.host(said) if said else None
        if address is None and said is None and cause.kind in ABOUT_THE_DATABASE:
            address = self.database(workload)
        if address is not None:
            port = cause.value("port")
            number = int(port) if port and port.isdigit() else address[1]
            yield Statement(workload, pod, address[0], number, cause)

    def database(self, workload: Workload) -> tuple[str, int | None] | None:
        """The one database the workload's own settings name (a JDBC URL, `DB_HOST=db`, an
        address on a database's port), or None when they name none or several."""
        found: dict[str, int | None] = {}
        shown = self.graph.snapshot.config_maps or {}
        for name, value, *_ in settings(workload.spec, workload.containers, shown):
            address = configured_address(name, value, self.graph.namespace)
            if address is not None and _database(name, value, address):
                found[address[0]] = found.get(address[0]) or address[1]
        if not found and config_maps_unshown(workload.spec, self.graph.snapshot.config_maps):
            return self._log_database(workload)
        return next(iter(found.items())) if len(found) == 1 else None

    def _log_database(self, workload: Workload) -> tuple[str, int | None] | None:
        """Settings not shown (unknown, not absent): the one database Service its own log
        names in a failed call (`Can't connect to MySQL server on 'mysql...'`)."""
        found: dict[str, int | None] = {}
        for _pod, _text, _lines, read in self._logs(workload):
            for cause in read:
                said = dict(cause[1]).get("host") if cause and cause[0] in HOST_KINDS else None
                address = self.host(said) if said else None
                if address is not None and self._serves_database(address[0]):
                    found[address[0]] = found.get(address[0]) or address[1]
        return next(iter(found.items())) if len(found) == 1 else self._driven(workload)

    def _driven(self, workload: Workload) -> tuple[str, int | None] | None:
        """The log names no host: the one Service serving the port of the one kind of database
        its drivers name (a MySQL driver talks to the namespace's one MySQL)."""
        lines = [line for _p, _t, read, _c in self._logs(workload) for line in read]
        kinds = {port for words, port in _DRIVERS if any(words.search(x[:500]) for x in lines)}
        if len(kinds) != 1:
            return None
        (port,) = kinds
        own = {name_of(s) for s in workload.services}  # a database's own log names its kind
        serving = [
            name_of(s)
            for s in self.graph.services
            if name_of(s) not in own
            and any(
                isinstance(p, dict) and p.get("port") == port for p in s["spec"].get("ports") or []
            )
        ]
        return (serving[0], None) if len(serving) == 1 else None  # the port it calls: unknown

    def _serves_database(self, name: str) -> bool:
        service = self.graph.service(name)
        ports = (service or {}).get("spec", {}).get("ports") or []
        return any(isinstance(p, dict) and p.get("port") in DB_PORTS for p in ports)


def answered_later(cause: AppCause, lines: list[str], read: list[Classified], start: int) -> bool:
    """The present judges the past: a line from `start` on names the same host as an address (a
    URL's host, host:port, an FQDN) and states no trouble ("GET http://cart/healthz ok" after a
    refusal at start): the call gets through now, the earlier failure is history. `read`: each
    line's app cause (classify), as the caller read them."""
    said = cause.value("host")
    if not said:
        return False
    address = re.compile(rf"(?i)(?://|(?<![\w.-])){re.escape(said)}(?=[:/.])")
    return any(
        read[at] is None
        and address.search(lines[at]) is not None
        and names_no_failure(lines[at])
        and _STILL_TRYING.search(lines[at]) is None
        for at in range(start, len(lines))
    )


def _after(lines: list[str], said: str) -> int:
    """Where the lines after the last one holding what a cause quotes start (the end when no
    line does)."""
    first = said.strip().splitlines()[0] if said.strip() else ""
    for at in range(len(lines) - 1, -1, -1):
        if first and first in lines[at]:
            return at + 1
    return len(lines)


def _database(name: str, value: str, address: tuple[str, int | None]) -> bool:
    """An env value naming a database: its name or scheme says so, or its port is one."""
    return bool(
        _DB_WORDS.search(name) or _DB_SCHEMES.match(value.strip()) or address[1] in DB_PORTS
    )
