"""`kubectl get ...` tables: recognise the header, read the rows that follow.

pods, nodes, events and persistentvolumeclaims become facts; any other
kubectl table (deployments, jobs, services, helm list, kubectl top, ...) is
still recognised so its rows are judged healthy or not as a whole: a
deployment at 3/3, a job at 1/1 and a release "deployed" say nothing is
wrong, and must never be read as an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.evidence.facts import PodFacts
from bot.paste import (
    cni_missing,
    created_since,
    hpa_rows,
    quota_rows,
    ready_since,
    scheduled_since,
    table_rows,
    workload_rows,
)
from bot.paste import events as event_rows
from bot.paste.event_subjects import event_subjects
from bot.paste.health import STARTING_GRACE, event_healthy
from bot.paste.model import CONTAINERS, PHASE, Block, Subject
from bot.paste.text import READY_FRACTION, age_seconds, cells, columns, is_command, tokens
from intents.lazy_re import lazy_compile

MAX_ROWS = 5000
STARTING_VALUES_GRACE = 60
"""Seconds a LoadBalancer Service may show EXTERNAL-IP <pending> (an HPA TARGETS <unknown>) and
still be starting."""
_HEADER_WORD = lazy_compile(r"^[A-Z][A-Z0-9()%_/.-]*(?:\(cores\)|\(bytes\))?$|^[A-Z]+\((?:cores|bytes)\)$")
PAIRS = {("LAST", "SEEN"), ("FIRST", "SEEN"), ("NOMINATED", "NODE"), ("READINESS", "GATES"),
         ("ACCESS", "MODES"), ("RECLAIM", "POLICY"), ("APP", "VERSION"), ("LAST", "SCHEDULE"),
         ("NODE", "SELECTOR"), ("VOLUMEATTRIBUTESCLASS",)}
KINDS: dict[str, frozenset[str]] = {
    "pods": frozenset({"NAME", "READY", "STATUS", "RESTARTS", "AGE"}),
    "nodes": frozenset({"NAME", "STATUS", "ROLES", "AGE", "VERSION"}),
    "events": frozenset({"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"}),
    "persistentvolumeclaims": frozenset({"NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES"}),
}
UNHEALTHY_WORDS = frozenset({
    "CrashLoopBackOff", "Error", "Failed", "failed", "NotReady", "Pending", "Terminating", "Unknown",
    "<unknown>", "Lost", "Released", "pending-install", "pending-upgrade", "pending-rollback",
    "uninstalling", "OOMKilled", "ImagePullBackOff", "ErrImagePull", "Evicted", "BackoffLimitExceeded",
    "DeadlineExceeded", "SuspendedJob", "Unhealthy",
})
CONDITION_COLUMNS = ("AVAILABLE", "READY", "PROGRAMMED", "ACCEPTED", "SYNCED", "HEALTHY", "RECONCILED",
                     "RESOLVEDREFS", "ESTABLISHED", "VALID")
"""Columns custom resources print a condition in (additionalPrinterColumns of .status.conditions:
a Gateway's PROGRAMMED, a GatewayClass's ACCEPTED, Crossplane's SYNCED, cert-manager's READY):
False is the object failing, whatever its kind."""
_CONDITION_TYPES = {"RESOLVEDREFS": "ResolvedRefs"}
_KIND_BY_COLUMNS = ((frozenset({"CONTROLLER", "ACCEPTED"}), "GatewayClass"), (frozenset({"PROGRAMMED"}), "Gateway"))
"""Kinds whose `get` columns name them: Gateway API's printer columns."""
FIRST_COLUMNS = frozenset({"NAME", "NAMESPACE", "LAST SEEN", "POD", "REVISION"})
_FIRST_WORDS = ("NAME", "LAST", "POD", "REVISION")
_MAYBE_ROW = lazy_compile(r"\s\d{1,4}/\d{1,4}\s|Ready|Unknown|\sNormal\s|\sWarning\s")
"""How kubectl and helm tables begin (POD: top --containers; REVISION: helm history)."""
HEADERLESS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pods", ("NAME", "READY", "STATUS", "RESTARTS", "AGE")),
    ("pods", ("NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE")),
    ("nodes", ("NAME", "STATUS", "ROLES", "AGE", "VERSION")),
    ("events", ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE")),
    ("events", ("NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE")),
)
STORAGE_CLASS_COLUMNS = frozenset({"NAME", "PROVISIONER", "RECLAIMPOLICY"})
"""`kubectl get storageclass` (the default class's NAME cell ends in " (default)")."""
PERSISTENT_VOLUME_COLUMNS = frozenset({"NAME", "CAPACITY", "RECLAIM POLICY", "STATUS", "CLAIM"})
"""`kubectl get pv` (a claim binds statically only to a PV whose STATUS is Available)."""
SERVICE_COLUMNS = frozenset({"NAME", "TYPE", "CLUSTER-IP", "PORT(S)"})
"""`kubectl get services`."""
_LISTED = {"persistentvolumeclaims": "persistentvolumeclaims"}
_TROUBLE_CELL = lazy_compile(r"<unknown>|<pending>|Fail|Err[A-Z(]|Error|BackOff|NotReady|SchedulingDisabled")


@dataclass(frozen=True)
class Header:
    """A recognised table header: its kind, column names, and offsets if spacing survived."""

    kind: str
    names: tuple[str, ...]
    layout: list[tuple[str, int]] | None

    @property
    def namespaced(self) -> bool:
        return self.names[:1] == ("NAMESPACE",)

    @property
    def wide(self) -> bool:
        return "SOURCE" in self.names or "IP" in self.names


def _header_names(line: str) -> list[str]:
    words = tokens(line)
    names: list[str] = []
    for word in words:
        if names and (names[-1], word) in PAIRS:
            names[-1] = f"{names[-1]} {word}"
        else:
            names.append(word)
    return names


def read_header(line: str) -> Header | None:
    """A kubectl table header (NAME ... / NAMESPACE NAME ... / LAST SEEN TYPE ...), else None."""
    stripped = line.strip()
    if not stripped.startswith(_FIRST_WORDS):
        return None
    names = _header_names(stripped)
    if len(names) < 3 or not all(_HEADER_WORD.match(word) for word in stripped.split()):
        return None
    if names[0] not in FIRST_COLUMNS:
        return None
    present = set(names)
    kind = next((k for k, needed in KINDS.items() if needed <= present), "other")
    return Header(kind, tuple(names), columns(line.rstrip()))


def may_be_row(stripped: str) -> bool:
    """Cheap test before trying the bare-row readers: a ready count, a node status or an event type."""
    return _MAYBE_ROW.search(stripped) is not None


def headerless(line: str) -> Header | None:
    """A header for a row pasted without its table header (a pod, node or event row)."""
    for kind, names in HEADERLESS:
        header = Header(kind, names, None)
        if _read_row(line, header, "") is not None:
            return header
    return None


def row_cells(line: str, header: Header, token_reader: Callable[[list[str]], dict[str, str] | None]
              ) -> dict[str, str] | None:
    """The row's cells by offsets when they line up, else by tokens."""
    if header.layout is not None:
        by_offset = cells(line.rstrip(), header.layout)
        if by_offset is not None and by_offset.get("NAME"):
            return by_offset
    return token_reader(tokens(line))


def _named_cells(line: str, header: Header) -> dict[str, str]:
    """A row of any other table by its header's names (offsets when they line up, else tokens)."""
    return row_cells(line, header, lambda w: dict(zip(header.names, w))) or {}


def _other_row_healthy(line: str, header: Header) -> bool:
    """A row of any other table: no failure word, ready counts complete, endpoints present."""
    words = tokens(line)
    values = _named_cells(line, header)
    if _starting(values):
        words = [word for word in words if word not in ("<pending>", "<unknown>")
                 and not word.startswith("<unknown>/")]
    if any(word in UNHEALTHY_WORDS or _TROUBLE_CELL.search(word) for word in words):
        return False
    if values.get("ENDPOINTS") == "<none>" or any(values.get(column, "").startswith("False")
                                                  for column in CONDITION_COLUMNS):
        return False
    if "ADDRESS" in header.names and "HOSTS" in header.names and not values.get("ADDRESS", "?").strip() \
            and (age_seconds(values.get("AGE", "")) or 0) >= STARTING_GRACE:
        return False  # an Ingress no controller has taken after minutes: no address
    if _short_of_desired(values) or hpa_rows.at_ceiling(values):
        return False
    for column in ("READY", "COMPLETIONS"):
        fraction = READY_FRACTION.match(values.get(column, ""))
        if fraction and fraction.group(1) != fraction.group(2):
            return column == "COMPLETIONS" and "Running" in words
    return True


def _conditions_said(line: str, header: Header, shape: str) -> Subject | None:
    """A failing row whose condition columns say why, as the lines a describe would give ("Gateway
    web condition Programmed False"): the row's cells alone sit under a header the matcher never
    reads. None when no condition column is False or Unknown."""
    values = _named_cells(line, header)
    kind = next((kind for columns, kind in _KIND_BY_COLUMNS if columns <= set(header.names)), "")
    name = f"{kind} {values.get('NAME', '').strip() or 'object'}".strip()
    said = tuple(f"{name} condition {_CONDITION_TYPES.get(column, column.title())} {values[column]}"
                 for column in CONDITION_COLUMNS if values.get(column) in ("False", "Unknown"))
    if not said:
        return None
    return _said_subject(f"row {name}", shape, said)


def _said_subject(label: str, shape: str, said: tuple[str, ...]) -> Subject:
    """A subject that is only lines in words for the matcher: no pod, no section, never healthy."""
    return Subject(label, shape, PodFacts(namespace="", name=""), set(), False, said)


def _ceiling_said(line: str, header: Header, shape: str) -> Subject | None:
    """An HPA row at its maximum replicas with a metric above target, in words (bot.paste.hpa_rows)."""
    if not hpa_rows.HPA_COLUMNS <= set(header.names):
        return None
    values = _named_cells(line, header)
    if not hpa_rows.at_ceiling(values):
        return None
    return _said_subject(f"row hpa {hpa_rows.hpa_name(values)}", shape, (hpa_rows.ceiling_said(values),))


def _starting(values: dict[str, str]) -> bool:
    """An object under a minute old showing what it shows until its controller first acts: a
    LoadBalancer Service's EXTERNAL-IP <pending> while the cloud creates the balancer (within
    seconds to a minute; `helm install` prints it at age 1s), an HPA's TARGETS <unknown> until
    its first metrics read (every 15 s).  After that, these are what people call stuck."""
    age = age_seconds(values.get("AGE", ""))
    if age is None or age >= STARTING_VALUES_GRACE:
        return False
    return values.get("EXTERNAL-IP") == "<pending>" or "<unknown>" in values.get("TARGETS", "")


def _short_of_desired(values: dict[str, str]) -> bool:
    """A DaemonSet/ReplicaSet row whose current, ready or available count is below DESIRED."""
    desired = values.get("DESIRED", "")
    if not desired.isdigit():
        return False
    counts = (values.get(column, "") for column in ("CURRENT", "READY", "AVAILABLE"))
    return any(count.isdigit() and int(count) < int(desired) for count in counts)


def _is_row(line: str) -> bool:
    stripped = line.lstrip()
    return (stripped[:1].isalnum() or stripped[:1] == "<") and len(stripped.split(None, 2)) >= 2


@dataclass
class TableBlock(Block):
    """A table, with what a later look across the paste may revise: its event rows."""

    rows_failing: bool = False
    """A row that is no subject or event shows a failure."""
    object_subjects: list[Subject] = field(default_factory=list)
    event_rows: list[tuple[int, event_rows.PastedEvent]] = field(default_factory=list)
    steady_pods: frozenset[str] = frozenset()
    """Pods a `get pods` table shows Running, every container ready, never restarted."""
    listed: dict[str, frozenset[str]] = field(default_factory=dict)
    """The names a `get services` or `get pvc` table lists, by resource."""
    quota_usage: list[tuple[str, str, float, float, str]] = field(default_factory=list)
    """Every `resource: used/hard` pair of a `get resourcequota` table (bot.paste.quota_rows.usage)."""
    subject_lines: list[int] = field(default_factory=list)
    """The line of each of `object_subjects`, in the same order."""
    settled_rows: list[tuple[int, str]] = field(default_factory=list)
    """(line, name) of each node row Ready and each pod row steady (bot.paste.latest_rows)."""

    def forget_rows(self, lines: set[int]) -> None:
        """Drop the object rows on `lines`, whose failure the paste shows the object got past
        (bot.paste.latest_rows): they are quiet, and the block is settled again."""
        keep = [line not in lines for line in self.subject_lines]
        if all(keep):
            return
        self.quiet.update(lines)
        from_events = self.subjects[len(self.object_subjects):]
        self.object_subjects = [s for s, kept in zip(self.object_subjects, keep, strict=True) if kept]
        self.subject_lines = [line for line, kept in zip(self.subject_lines, keep, strict=True) if kept]
        self.subjects = self.object_subjects + from_events
        self.healthy = not self.rows_failing
        self.settle()

    def forget_warm_up(self, steady: frozenset[str]) -> None:
        """Drop the start-up probe failures of pods the paste shows steady (bot.paste.ready_since)."""
        gone = [(number, row) for number, row in self.event_rows if row.event.object_kind == "Pod"
                and row.event.object_name in steady and ready_since.warming_up(row.event)]
        if not gone:
            return
        self.quiet.update(number for number, _row in gone)
        self.event_rows = [pair for pair in self.event_rows if pair not in gone]
        self.subjects = self.object_subjects + event_subjects([row for _n, row in self.event_rows], self.shape)
        self.healthy = not self.rows_failing
        self.settle()


def parse_table(lines: list[str], start: int, header: Header, *, headerless: bool = False) -> TableBlock:
    """The header at `start` and every row after it (rows from `start` when `headerless`)."""
    shape = f"kubectl get {header.kind}"
    first = start if headerless else start + 1
    block = TableBlock(shape, start, first, quiet=set(range(start, first)))
    subjects: list[Subject] = []
    steady: set[str] = set()
    pasted_events: list[event_rows.PastedEvent] = []
    event_lines: list[int] = []
    end = first
    while end < len(lines) and end - start <= MAX_ROWS and lines[end].strip():
        line = lines[end]
        if read_header(line) is not None or not _is_row(line) or is_command(line):
            break
        row = _read_row(line, header, shape)
        if row is None and header.kind != "other":
            break
        if isinstance(row, HealthyRow):
            block.shown.add(row.sections)
            block.quiet.add(end)
            if row.steady_pod:
                steady.add(row.steady_pod)
            if row.settled:
                block.settled_rows.append((end, row.settled))
        elif isinstance(row, Subject):
            subjects.append(row)
            block.subject_lines.append(end)
            if row.healthy:
                block.quiet.add(end)
        elif isinstance(row, event_rows.PastedEvent):
            pasted_events.append(row)
            event_lines.append(end)
            if event_healthy(row.event):
                block.quiet.add(end)
        elif row is None and _other_row_healthy(line, header):
            block.quiet.add(end)
        elif row is None:
            block.healthy, block.rows_failing = False, True
            failing = _conditions_said(line, header, shape) or _ceiling_said(line, header, shape)
            if failing is not None:
                subjects.append(failing)
                block.subject_lines.append(end)
        end += 1
    block.end = end
    if header.kind == "pods" and _some_row_restarted(subjects, block.shown):
        # the steady rows say nothing of how the restarted ones last ended
        block.shown = {sections - {CONTAINERS} for sections in block.shown}
    _one_unready_line(subjects)
    _init_waits_on_a_crash(subjects)
    if header.kind == "pods" and "NAMESPACE" in header.names and cni_missing.may_apply(lines[first:end]):
        network = cni_missing.said(_named_cells(line, header) for line in lines[first:end])
        if network is not None:
            subjects.append(_said_subject("row pod network", shape, (network,)))
            block.subject_lines.append(first)
    gone = _history(pasted_events)
    block.quiet.update(event_lines[at] for at in gone)
    block.event_rows = [(event_lines[at], row) for at, row in enumerate(pasted_events) if at not in gone]
    block.object_subjects, block.steady_pods = subjects, frozenset(steady)
    block.subjects = subjects + event_subjects([row for _n, row in block.event_rows], shape)
    if STORAGE_CLASS_COLUMNS <= set(header.names):
        block.storage_classes = frozenset(tokens(line)[0] for line in lines[first:end] if tokens(line))
    resource = _LISTED.get(header.kind) or ("services" if SERVICE_COLUMNS <= set(header.names) else None)
    if resource is not None:
        block.listed = {resource: frozenset(_named_cells(line, header).get("NAME", "") for line in lines[first:end])}
    if header.kind == "other" and quota_rows.QUOTA_COLUMNS <= set(header.names):
        block.quota_usage = [pair for line in lines[first:end] for pair in quota_rows.usage(line)]
    if PERSISTENT_VOLUME_COLUMNS <= set(header.names):
        block.available_volumes = sum(_named_cells(line, header).get("STATUS") == "Available"
                                      for line in lines[first:end])
    return block.settle()


def _some_row_restarted(subjects: list[Subject], shown: set[frozenset[str]]) -> bool:
    """A pod row of the table restarted: its container's last end is not in the table."""
    return any(CONTAINERS in subject.hidden for subject in subjects) or any(
        PHASE in sections and CONTAINERS not in sections for sections in shown)


@dataclass(frozen=True)
class HealthyRow:
    """A healthy pod, node or claim row: the sections it shows (no facts kept)."""

    sections: frozenset[str]
    steady_pod: str | None = None
    """A pod row Running, every container ready, never restarted: its name (bot.paste.ready_since)."""
    settled: str | None = None
    """The name of a node row Ready or of a steady pod row: a later look at an object that may
    have failed before (bot.paste.latest_rows)."""


def _steady_pod(values: dict[str, str]) -> str | None:
    """The name of a healthy `get pods` row that never restarted."""
    return values.get("NAME") if values.get("RESTARTS") == "0" and values.get("STATUS") == "Running" else None


def _history(rows: list[event_rows.PastedEvent]) -> set[int]:
    """Rows of failures their object got past, by the LAST SEEN ages (`kubectl get events` does
    not list events in time order): FailedScheduling of a pod placed since
    (bot.paste.scheduled_since), FailedCreate of a controller that created its pods or met another
    refusal since (bot.paste.created_since)."""
    by_object: dict[tuple[str, str | None, str], list[int]] = {}
    for at, row in enumerate(rows):
        by_object.setdefault((row.event.object_kind, row.namespace, row.event.object_name), []).append(at)
    recency = [None if row.age is None else -row.age for row in rows]
    desired = created_since.desired_replicas([row.event for row in rows], recency)
    gone: set[int] = set()
    for (kind, _namespace, name), indexes in by_object.items():
        if not name or kind not in ("Pod", *created_since.CONTROLLER_KINDS):
            continue
        events = [rows[at].event for at in indexes]
        ages = [recency[at] for at in indexes]
        found = (scheduled_since.resolved(events, ages) if kind == "Pod"
                 else created_since.resolved(events, ages, desired.get(name) if kind == "ReplicaSet" else None))
        gone.update(indexes[at] for at in found)
    return gone


Row = Subject | event_rows.PastedEvent | HealthyRow | None
"""A row read as a subject, an event, a healthy row (no facts kept), or nothing."""


def _object_row(line: str, header: Header, shape: str) -> Subject | HealthyRow | None:
    namespaced = header.namespaced
    readers = {
        "pods": (lambda w: table_rows.pod_cells(w, namespaced=namespaced), table_rows.pod_subject),
        "nodes": (table_rows.node_cells, table_rows.node_subject),
        "persistentvolumeclaims": (lambda w: table_rows.pvc_cells(w, namespaced=namespaced),
                                   table_rows.pvc_subject),
    }
    cells_of, subject_of = readers[header.kind]
    values = row_cells(line, header, cells_of)
    if not values:
        return None
    if table_rows.healthy_row(header.kind, values):
        steady = _steady_pod(values) if header.kind == "pods" else None
        ready_node = values.get("NAME") if header.kind == "nodes" else None
        sections = table_rows.HEALTHY_ROW_SECTIONS[header.kind]
        if header.kind == "pods" and values.get("RESTARTS", "0").split(" ")[0] not in ("0", ""):
            # a restarted container's last end (OOMKilled, Error) is not in the row: it refutes no rule about it
            sections = sections - {CONTAINERS}
        return HealthyRow(sections, steady, steady or ready_node)
    subject = subject_of(values, shape)
    unready = table_rows.unready_running(values) if header.kind == "pods" else None
    if subject is not None and unready is not None:
        subject.said += (table_rows.unready_said([unready]),)
    waiting = table_rows.init_stuck(values) if header.kind == "pods" else None
    if subject is not None and waiting is not None:
        # the row shows an init container running, not what it waits for: no rule about how
        # containers fail is refuted by it
        subject.said += (waiting,)
        subject.hidden |= {CONTAINERS}
    return subject


def _init_waits_on_a_crash(subjects: list[Subject]) -> None:
    """Pods stuck in Init beside a pod crash-looping in the same listing are most likely waiting on
    it (a driver deployer on its CSI plugin, an app on its database): the loop is the one said."""
    if not any(table_rows.crash_looping(subject) for subject in subjects):
        return
    for subject in subjects:
        subject.said = tuple(line for line in subject.said if not line.endswith(table_rows.INIT_STUCK_SAID))


def _one_unready_line(subjects: list[Subject]) -> None:
    """The pods of one table that stay Running unready, said as one line (on the first of them)."""
    marked = [s for s in subjects if any(line.endswith(table_rows.UNREADY_SAID) for line in s.said)]
    if len(marked) < 2:
        return
    for subject in marked:
        subject.said = tuple(line for line in subject.said if not line.endswith(table_rows.UNREADY_SAID))
    names = [s.facts.name for s in marked if isinstance(s.facts, PodFacts)]
    marked[0].said += (table_rows.unready_said(names),)


def _read_row(line: str, header: Header, shape: str) -> Row:
    if header.kind == "other" and quota_rows.QUOTA_COLUMNS <= set(header.names):
        return quota_rows.quota_subject(line, shape)
    kind = workload_rows.workload_kind(frozenset(header.names)) if header.kind == "other" else None
    if kind is not None:
        return workload_rows.workload_subject(kind, _named_cells(line, header), shape)
    if header.kind == "events":
        return event_rows.get_row(line, namespaced=header.namespaced, wide=header.wide)
    if header.kind in ("pods", "nodes", "persistentvolumeclaims"):
        return _object_row(line, header, shape)
    return None
