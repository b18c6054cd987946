"""A dependency is a suspect even when its own pods look healthy: what its clients say of it.

Clients state what a host does to them (statements.py): it rejects their credentials, it is
read-only, its connections are used up. Who is misconfigured decides the culprit:

- many clients state the same of one host: the host is, its credentials changed, it was
  demoted to a replica; each client is its victim;
- a database's read-only state is its own, whoever says it (and surely so when it logs it
  too; a database logging a login it refused says nothing of whose setting is wrong);
- one client states it while the host's other clients say nothing against it: that client's
  own setting is (its password, its pool), and the host gets no suspect of its own;
- one client, and nobody else calls the host: either may be; the host joins the suspects
  below the client's own cause.

The host's suspect names the cause the clients state (the catalog entry whose evidence claims
it), never the probes and restarts it causes in them, and carries their words as evidence.

The present judges the past: a statement logged before every pod of the host became ready (a
client started before its host), or a refusal followed by the client's later lines naming the
host without trouble (it retried and got through), is history and accuses nobody.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.cluster.moments import moment
from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import (
    affected,
    mapping,
    mappings,
    names,
    workload_chain,
)
from bot.diagnosis.suspects.clues import CONFIRMED, INFERRED, OBSERVED, Clue
from bot.diagnosis.suspects.deps import Dependencies
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.statements import (
    _STILL_TRYING,
    HOST_STATES,
    MAX_LINES,
    Statement,
    _after,
)
from bot.diagnosis.suspects.workloads import Workload, name_of, pod_ready
from intents.app_cause.patterns import classify
from intents.healthy_lines import names_no_failure
from intents.index import CatalogIndex
from intents.policy import POLICY

STATE_OF_THE_HOST = frozenset({"db-read-only"})
"""What only the host can be, whoever says it (a client cannot make a database read-only)."""
UNREACHED = frozenset({"connection-refused", "connection-timeout", "connection-failed"})
"""What clients say of a host they cannot reach: of one whose pods run and are ready, many
saying it point at the host (the port it serves, what lets traffic in), one at its own
address..."""
TIMEOUT = "connection-timeout"
"""...unless it times out at a port the host serves: the address is right, something on the
way in drops its calls (a NetworkPolicy, a delay): the host is a suspect, below what the
objects show."""


@dataclass(frozen=True)
class Accused:
    """One host and the kind of cause its clients state of it (`about`), their words (`said`),
    its other callers that state nothing against it (`others`), its own log line saying the
    same (`itself`, "" when none), whether every pod of it runs and is ready (`serving`), and
    whether every client called a port its Service serves (`at_its_ports`)."""

    about: tuple[str, str]
    said: tuple[Statement, ...]
    others: tuple[Workload, ...]
    itself: str
    serving: bool = True
    at_its_ports: bool = False
    still: bool = True
    """Some client says it again and again and has not got through since."""
    words: tuple[str, ...] = ()
    """The statements with the lines before each (what an entry's `requires` reads)."""

    @property
    def host(self) -> str:
        return self.about[0]

    @property
    def kind(self) -> str:
        return self.about[1]

    @property
    def clients(self) -> tuple[Workload, ...]:
        return tuple({s.client.ref: s.client for s in self.said}.values())

    def weight(self) -> float | None:
        """How sure the host is the culprit; None: the client's own setting is (or, for a host
        that does not look healthy, its own failure says why: culprits.py)."""
        if self.kind in UNREACHED and self.serving and len(self.clients) >= 2:
            return OBSERVED
        if self.kind == TIMEOUT and self.serving and self.at_its_ports and self.still:
            return INFERRED - POLICY.walk_symptom_gap  # its address is served: the path drops it
        if self.kind in UNREACHED:
            return None
        own = self.kind in STATE_OF_THE_HOST
        if len(self.clients) >= 2 or (own and self.itself):
            return CONFIRMED
        if own:
            return OBSERVED
        return None if self.others else INFERRED - POLICY.walk_symptom_gap


def entry_stating(kind: str, index: CatalogIndex, said: Sequence[str]) -> str | None:
    """The catalog entry whose evidence claims the stated cause (a cause, not a symptom), of
    those whose `requires` the clients' words meet, as the matcher enforces it: a component's
    entry (Vault's) is never the cause of a host nobody's words name as that component."""
    claiming = sorted(
        (len(e.evidence), e.id)
        for number, e in enumerate(index.entries)
        if e.symptom is None
        and any(rule.app_cause == kind for rule in e.evidence)
        and not index.requirement_missing(number, said)
    )
    return claiming[0][1] if claiming else None


def _itself(graph: Graph, host: Workload | None, kind: str) -> str:
    """The host's own log line stating the same cause (a database logging the refused write)."""
    for pod in host.pods if host is not None else ():
        for line in reversed(graph.snapshot.logs.get(name_of(pod), "").splitlines()[-60:]):
            found = classify(line[:2000])
            if found is not None and found[0] == kind:
                return f"{pod['metadata']['name']} logs it too: {line.strip()[:300]}"
    return ""


_LOGGED_AT = re.compile(
    r"\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?"
)
"""A log line's time, as loggers write it: RFC 3339 (`--timestamps`, JSON's `ts`), Go's
`2026/11/28 00:32:16`, Python's `2026-11-28 00:32:16,123`; without a zone it is read as UTC."""
_ACCESS_LOGGED_AT = re.compile(r"\[(\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\]")
"""An access line's time, as web servers write it (`[28/Nov/2026:14:56:12 +0000]`)."""
_FAILED_STATUS = re.compile(
    r"[\"\s:=][45]\d\d\b(?![ \t]*(?:ms|s|secs?|seconds?|minutes?|bytes|items?|rows?|records?)\b)"
)
"""An answer that failed: an access line's or a JSON log's 4xx/5xx status (a number with a
unit after it is not one: "kept for 500 seconds")."""


def logged_at(line: str) -> datetime | None:
    """When the line was logged, when it says (its first date and time), else None."""
    found = _LOGGED_AT.search(line[:2000])
    if found:
        return moment(found[0].replace("/", "-"))
    access = _ACCESS_LOGGED_AT.search(line[:2000])
    return datetime.strptime(access[1], "%d/%b/%Y:%H:%M:%S %z") if access else None


def logged_by(lines: list[str], at: int) -> datetime | None:
    """When line `at` was logged at the latest: its own time, else the next line's that says
    one (a log is written in order; a traceback's lines carry no time of their own)."""
    for line in lines[at:]:
        when = logged_at(line)
        if when is not None:
            return when
    return None


A_SECOND = timedelta(seconds=1)
"""A condition's transition time is whole seconds: a line logged within that second may precede
it."""


def _ready_at_least(pod: JsonObject) -> datetime | None:
    """Since when the pod is ready, or the latest it can have become so: its Ready transition,
    else (a describe prints none) its containers' start, which readiness cannot precede."""
    ready = [c for c in mappings(pod, "status", "conditions") if c.get("type") == "Ready"]
    since = moment(ready[0].get("lastTransitionTime")) if ready else None
    if since is not None:
        return since
    started = [
        moment(mapping(status, "state", "running").get("startedAt"))
        for status in mappings(pod, "status", "containerStatuses")
    ]
    known = [when for when in started if when is not None]
    return max(known) if known and len(known) == len(started) else None


def ready_since(backing: list[Workload]) -> datetime | None:
    """Since when every pod of the host is ready (at least), or None when one is not ready or
    does not say since when."""
    times = []
    for pod in (p for w in backing for p in w.pods):
        since = _ready_at_least(pod)
        if since is None or not pod_ready(pod):
            return None
        times.append(since)
    return max(times) if times else None


def _untroubled(line: str) -> bool:
    """A line that states no trouble: no failure, retry or wait, no failed answer."""
    return (
        names_no_failure(line)
        and _STILL_TRYING.search(line) is None
        and _FAILED_STATUS.search(line) is None
        and classify(line[:2000]) is None
    )


def _got_through(host: str, later: list[str]) -> bool:
    """A later line of the client names the host without trouble (a reconnect, a proxied
    request answered): the call gets through now."""
    named = re.compile(rf"(?i)(?<![\w.-]){re.escape(host)}(?![\w-])")
    return any(named.search(line) is not None and _untroubled(line) for line in later)


@dataclass(frozen=True)
class Told:
    """A statement with its client's last lines, read once: where the lines after it start,
    its first line, and whether that line was found there (its time stamp kept)."""

    statement: Statement
    lines: list[str]
    after: int
    first: str
    found: bool

    @property
    def later(self) -> list[str]:
        """The client's lines after the statement."""
        return self.lines[self.after :]


def told(graph: Graph, statement: Statement) -> Told:
    """The statement with its client's last lines read."""
    lines = graph.snapshot.logs.get(statement.pod, "").splitlines()[-MAX_LINES:]
    after, first = _after(lines, statement.cause.line), statement.cause.line.strip()
    first = first.splitlines()[0] if first else ""
    return Told(statement, lines, after, first, bool(first and after and first in lines[after - 1]))


def past(said: Told, backing: list[Workload]) -> bool:
    """The present judges the past: the statement was logged before the host's pods became
    ready, or (for a refusal) the client got through to it since: nobody listened then, someone
    does now. A timeout stays: a path dropping some calls lets others through."""
    statement = said.statement
    when = logged_by(said.lines, said.after - 1) if said.found else logged_at(said.first)
    ready = ready_since(backing)
    if when is not None and ready is not None and when < ready + A_SECOND:
        return True
    return statement.cause.kind == "connection-refused" and _got_through(statement.host, said.later)


def _words(said: Told) -> list[str]:
    """The statement and the lines of its client just before it (its trace's head: the
    exception naming the driver), the words an entry's `requires` reads."""
    head = said.lines[max(0, said.after - 16) : said.after] if said.found else []
    return [said.statement.cause.line, *head]


def still_failing(said: Told, deps: Dependencies) -> bool:
    """The client said it more than once (a start-up's one timeout is not a failing path) and
    its later lines do not name the host answering."""
    statement = said.statement
    logged = deps.statements.causes_logged(statement.client, statement.pod)
    times = sum(1 for found in logged if found is not None and found[0] == statement.cause.kind)
    return times >= 2 and not _got_through(statement.host, said.later)


def outlived(said: Told, deps: Dependencies) -> bool:
    """The client said once that it could not reach the host, its pod runs ready, and it went
    on working (later lines state no trouble): a failure it outlived is history (a failing path
    is said again and again)."""
    statement = said.statement
    ready = all(pod_ready(p) for p in statement.client.pods if name_of(p) == statement.pod)
    went_on = any(_untroubled(line) for line in said.later)
    return ready and went_on and not still_failing(said, deps)


def accused(graph: Graph, deps: Dependencies) -> list[Accused]:
    """Every Service of the namespace its clients state a host's cause of (a database's, a
    rejection of their credentials), or that they cannot reach."""
    said: dict[tuple[str, str], list[Told]] = {}
    for statements in deps.statements.by_client.values():
        for statement in statements:
            kind = statement.cause.kind
            service = graph.service(statement.host)
            if kind not in HOST_STATES | UNREACHED or service is None:
                continue
            read = told(graph, statement)
            if not past(read, graph.backing(service)) and not (
                kind in UNREACHED and outlived(read, deps)
            ):
                said.setdefault((statement.host, kind), []).append(read)
    found = []
    for (host, kind), heard in sorted(said.items()):
        statements = [t.statement for t in heard]
        service = graph.service(host)
        backing = graph.backing(service) if service is not None else []
        clients = {s.client.ref for s in statements}
        others = tuple(
            w
            for w in graph.workloads.values()
            if w.ref not in clients and any(e.callee == host for e in deps.edges.get(w.ref, ()))
        )
        itself = _itself(graph, backing[0] if backing else None, kind)
        serving = all(w.pods and all(pod_ready(p) for p in w.pods) for w in backing)
        serving = bool(backing) and serving
        served = {p.get("port") for p in mappings(service, "spec", "ports")} if service else set()
        at_its_ports = all(s.port is None or s.port in served for s in statements)
        still = any(still_failing(t, deps) for t in heard)
        words = tuple(line for t in heard for line in _words(t))
        found.append(
            Accused(
                (host, kind), tuple(statements), others, itself, serving, at_its_ports, still, words
            )
        )
    return found


def _clue(graph: Graph, accused: Accused, entry: str, weight: float) -> Clue:
    """The host's suspect. A client timing out at a port it serves, where the input shows no
    NetworkPolicies: what drops calls on the way in is, in a cluster, a policy (unshown)."""
    dropped = accused.kind == TIMEOUT and weight < OBSERVED
    dropped = dropped and not graph.snapshot.read("networkpolicies")
    service = graph.service(accused.host)
    backing = graph.backing(service) if service is not None else []
    clients = accused.clients
    told = [f"{s.client.ref} ({s.pod}): {s.cause.line[:300]}" for s in accused.said]
    return Clue(
        "path_drops_calls" if dropped else "",
        f"service/{accused.host}",
        backing[0].ref if backing else f"service/{accused.host}",
        (*told[:5], *([accused.itself] if accused.itself else [])),
        (
            f"service/{accused.host}",
            f"{len(clients)} client(s) state: {accused.said[0].cause.about}",
            *(f"{w.ref} calls it" for w in clients[:3]),
        ),
        weight,
        affects=affected(graph, list(clients)) | {f"service/{accused.host}"},
        names=frozenset({accused.host, *(n for w in clients for n in names(graph, w))}),
        why=(
            f"{len(clients)} client(s) of {accused.host} state {accused.said[0].cause.about}"
            + (", and it says so itself" if accused.itself else ""),
        ),
        fix_names={
            "service": accused.host,
            "workload": clients[0].ref,
            "namespace": graph.namespace,
        },
        entry="" if dropped else entry,
    )


Blamed = dict[str, tuple[str, str, str]]
"""A client's object -> (the host it accuses, its words, the entry of its clues that tell the
same story, "" for all of them): the host's victim; (its own object, "", the entry) when its own
address setting explains that entry's clue."""


def _alone(graph: Graph, deps: Dependencies, found: Accused) -> Clue | None:
    """One client cannot reach a host whose pods serve while the host's other callers run
    ready, and the address it calls is in ConfigMaps the input does not show: the difference is
    its own address setting (a port or name the host does not serve). Low when the input shows
    no NetworkPolicies (one selecting the client would tell the same story)."""
    (client,) = found.clients if len(found.clients) == 1 else (None,)
    unread = deps.unread(client) if client is not None else []
    named = found.at_its_ports and any(s.port is not None for s in found.said)
    healthy = [w for w in found.others if w.pods and all(pod_ready(p) for p in w.pods)]
    if client is None or not unread or named or not found.serving or not healthy:
        return None
    service = graph.service(found.host)
    ports = ", ".join(str(p.get("port")) for p in mappings(service, "spec", "ports"))
    policies = graph.complete("networkpolicies")
    return Clue(
        "address_failing_alone",
        graph.known_as(client),
        f"configmap/{unread[0]}",
        (
            f"{client.ref} ({found.said[0].pod}): {found.said[0].cause.line[:300]}",
            f"service/{found.host} serves port {ports}, its pods ready; "
            + ", ".join(w.ref for w in healthy[:3])
            + " call it and run ready",
        ),
        workload_chain(graph, client, f"its address for {found.host} (ConfigMap {unread[0]})"),
        INFERRED if policies else INFERRED - POLICY.walk_symptom_gap,
        affects=affected(graph, [client]),
        names=names(graph, client) | {found.host},
        why=(
            f"only {client.name} fails to reach {found.host}, which its other clients reach: "
            "the address it reads is the difference"
            + ("" if policies else " (or a NetworkPolicy the input does not show)"),
        ),
        fix_names={
            "workload": client.ref,
            "service": found.host,
            "service-port": ports.partition(",")[0],
            "configmap": unread[0],
            "namespace": graph.namespace,
        },
    )


def check(graph: Graph, deps: Dependencies, index: CatalogIndex) -> tuple[list[Clue], Blamed]:
    """A suspect for each host its clients accuse where the host is the one misconfigured, and
    the clients that are its victims: all their clues where it is stated at CONFIRMED (many, or
    it says so); where one client times out at a port the host serves, the client's own clue
    telling the same (its dependency unreachable), not its other causes."""
    clues: list[Clue] = []
    blamed: Blamed = {}
    for found in accused(graph, deps):
        said = list(found.words)
        weight, entry = found.weight(), entry_stating(found.kind, index, said)
        setting = _alone(graph, deps, found) if weight is None and entry else None
        if setting is not None and entry is not None:
            clues.append(setting)
            blamed.setdefault(setting.object, (setting.object, "", entry))
        if weight is None or entry is None:
            continue
        clues.append(_clue(graph, found, entry, weight))
        if weight < CONFIRMED and found.kind != TIMEOUT:
            continue
        only = "" if weight >= CONFIRMED else entry
        for statement in found.said:
            victim = graph.known_as(statement.client)
            if victim != f"service/{found.host}":
                blamed.setdefault(victim, (f"service/{found.host}", statement.how, only))
    return clues, blamed


def _told(clue: Clue, blamed: Blamed) -> Clue:
    told = blamed.get(clue.object)
    if told is None:
        return clue
    host, words, entry = told
    if host == clue.object:  # its own address setting explains the entry's clue
        return replace(clue, root=False) if clue.entry == entry else clue
    if not clue.because and not clue.history and entry in ("", clue.entry):
        return replace(clue, because=(host, words))
    return clue


def blame(clues: list[Clue], blamed: Blamed) -> list[Clue]:
    """The clients' own clues, victims of the host they accuse (or symptoms of their own
    address setting)."""
    return [_told(c, blamed) for c in clues]
