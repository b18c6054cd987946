"""`kubectl get ...` tables: recognise the header, read the rows that follow.

The header says which table readings (bot.paste.registry.TABLE_READINGS) read the table:
pods, nodes, events, claims and quotas become facts row by row; any other kubectl table
(deployments, jobs, services, helm list, kubectl top, ...) is still recognised so its rows are
judged healthy or not as a whole: a deployment at 3/3, a job at 1/1 and a release "deployed"
say nothing is wrong, and must never be read as an error.  Rows pasted without their header
(a pod, node or event row on its own) are read under the header they fit.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cluster.outputs.ages import age_seconds
from bot.cluster.outputs.table import Header, loose_cells, read_header
from bot.evidence.health import event_healthy
from bot.paste import events as event_rows
from bot.paste.event_subjects import event_subjects
from bot.paste.model import Subject
from bot.paste.reading import At, Reading
from bot.paste.readings.condition_columns import CONDITION_COLUMNS
from bot.paste.readings.hpa_rows import at_ceiling
from bot.paste.table_model import FailingRow, HealthyRow, Row, TableBlock, TableReading
from bot.paste.text import READY_FRACTION, is_command, tokens
from intents.lazy_re import lazy_compile
from intents.policy import POLICY

MAX_ROWS = 5000
UNHEALTHY_WORDS = frozenset(
    {
        "CrashLoopBackOff",
        "Error",
        "Failed",
        "failed",
        "NotReady",
        "Pending",
        "Terminating",
        "Unknown",
        "<unknown>",
        "Lost",
        "Released",
        "pending-install",
        "pending-upgrade",
        "pending-rollback",
        "uninstalling",
        "OOMKilled",
        "ImagePullBackOff",
        "ErrImagePull",
        "Evicted",
        "BackoffLimitExceeded",
        "DeadlineExceeded",
        "SuspendedJob",
        "Unhealthy",
    }
)
FIRST_WORDS = ("NAME", "LAST", "POD", "REVISION")
_MAYBE_ROW = lazy_compile(r"\s\d{1,4}/\d{1,4}\s|Ready|Unknown|\sNormal\s|\sWarning\s")
"""How kubectl and helm tables begin (POD: top --containers; REVISION: helm history)."""
HEADERLESS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pods", ("NAME", "READY", "STATUS", "RESTARTS", "AGE")),
    ("pods", ("NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE")),
    ("nodes", ("NAME", "STATUS", "ROLES", "AGE", "VERSION")),
    ("events", ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE")),
    ("events", ("NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE")),
)
_TROUBLE_CELL = lazy_compile(
    r"<unknown>|<pending>|Fail|Err[A-Z(]|Error|BackOff|NotReady|SchedulingDisabled"
)


def may_be_row(stripped: str) -> bool:
    """Cheap test before trying the bare-row readers: a ready count, a node status or an event type."""
    return _MAYBE_ROW.search(stripped) is not None


def headerless(line: str, readings: Sequence[TableReading]) -> Header | None:
    """A header for a row pasted without its table header (a pod, node or event row)."""
    for kind, names in HEADERLESS:
        header = Header(kind, names, None)
        reader = next(
            (reading.row for reading in readings if reading.row and reading.fits(header)), None
        )
        if reader is not None and reader(line, header, "") is not None:
            return header
    return None


def other_row_healthy(line: str, header: Header) -> bool:
    """A row of any other table: no failure word, ready counts complete, endpoints present."""
    words = tokens(line)
    values = loose_cells(line, header)
    if _starting(values):
        words = [
            word
            for word in words
            if word not in ("<pending>", "<unknown>") and not word.startswith("<unknown>/")
        ]
    if any(word in UNHEALTHY_WORDS or _TROUBLE_CELL.search(word) for word in words):
        return False
    if values.get("ENDPOINTS") == "<none>" or any(
        values.get(column, "").startswith("False") for column in CONDITION_COLUMNS
    ):
        return False
    if (
        "ADDRESS" in header.names
        and "HOSTS" in header.names
        and not values.get("ADDRESS", "?").strip()
        and (age_seconds(values.get("AGE", "")) or 0) >= POLICY.starting_grace
    ):
        return False  # an Ingress no controller has taken after minutes: no address
    if _short_of_desired(values) or at_ceiling(values):
        return False
    for column in ("READY", "COMPLETIONS"):
        fraction = READY_FRACTION.match(values.get(column, ""))
        if fraction and fraction.group(1) != fraction.group(2):
            return column == "COMPLETIONS" and "Running" in words
    return True


def _starting(values: dict[str, str]) -> bool:
    """An object under a minute old showing what it shows until its controller first acts: a
    LoadBalancer Service's EXTERNAL-IP <pending> while the cloud creates the balancer (within
    seconds to a minute; `helm install` prints it at age 1s), an HPA's TARGETS <unknown> until
    its first metrics read (every 15 s).  After that, these are what people call stuck."""
    age = age_seconds(values.get("AGE", ""))
    if age is None or age >= POLICY.starting_values_grace:
        return False
    return values.get("EXTERNAL-IP") == "<pending>" or "<unknown>" in values.get("TARGETS", "")


def _short_of_desired(values: dict[str, str]) -> bool:
    """A DaemonSet/ReplicaSet row whose current, ready or available count is below DESIRED."""
    desired = values.get("DESIRED", "")
    if not desired.isdigit():
        return False
    counts = (values.get(column, "") for column in ("CURRENT", "READY", "AVAILABLE"))
    return any(count.isdigit() and int(count) < int(desired) for count in counts)


def parse_table(
    lines: list[str],
    start: int,
    header: Header,
    readings: tuple[TableReading, ...],
    *,
    headerless: bool = False,
) -> TableBlock:
    """The header at `start` and every row after it (rows from `start` when `headerless`), read
    by the table readings that fit the header."""
    shape = f"kubectl get {header.kind}"
    first = start if headerless else start + 1
    fitting = [reading for reading in readings if reading.fits(header)]
    block = TableBlock(
        shape,
        start,
        first,
        quiet=set(range(start, first)),
        first_row=first,
        reading=next((reading.name for reading in fitting if reading.row), ""),
    )
    block.end = _read_rows(block, lines, header, fitting, readings)
    for reading in fitting:
        if reading.finish:
            reading.finish(block, lines[first : block.end], header)
    block.subjects = block.object_subjects + event_subjects(
        [row for _n, row in block.event_rows], shape
    )
    return block.settle()


def _read_rows(
    block: TableBlock,
    lines: list[str],
    header: Header,
    fitting: list[TableReading],
    readings: tuple[TableReading, ...],
) -> int:
    """Read the rows from the block's first on; the line after the last."""
    reader = next((reading.row for reading in fitting if reading.row), None)
    failing = [reading.failing for reading in fitting if reading.failing]
    end = block.first_row
    while end < len(lines) and end - block.start <= MAX_ROWS and _is_row(lines[end], readings):
        row = reader(lines[end], header, block.shape) if reader else None
        if row is None and header.kind != "other":
            break
        _take(block, end, lines[end], row, header, failing)
        end += 1
    return end


def _is_row(line: str, readings: tuple[TableReading, ...]) -> bool:
    """A line that may be a row: not blank, not another header, not a command."""
    stripped = line.lstrip()
    return (
        (stripped[:1].isalnum() or stripped[:1] == "<")
        and len(stripped.split(None, 2)) >= 2
        and read_header(line) is None
        and not is_command(line)
    )


def _take(
    block: TableBlock, number: int, line: str, row: Row, header: Header, failing: list[FailingRow]
) -> None:
    """Keep what one row says: its sections, its subject, its event, or that it fails."""
    if isinstance(row, HealthyRow):
        block.shown.add(row.sections)
        block.quiet.add(number)
        if row.steady_pod:
            block.steady_pods.add(row.steady_pod)
        if row.settled:
            block.settled_rows.append((number, row.settled))
    elif isinstance(row, Subject):
        block.add_subject(row, number)
        if row.healthy:
            block.quiet.add(number)
    elif isinstance(row, event_rows.PastedEvent):
        block.event_rows.append((number, row))
        if event_healthy(row.event):
            block.quiet.add(number)
    elif other_row_healthy(line, header):
        block.quiet.add(number)
    else:
        block.healthy, block.rows_failing = False, True
        subject = next(
            (found for read in failing if (found := read(line, header, block.shape)) is not None),
            None,
        )
        if subject is not None:
            block.add_subject(subject, number)


def headed(readings: tuple[TableReading, ...]) -> Reading:
    """The reading of tables with their header, by the table readings given."""

    def read(at: At) -> TableBlock | None:
        header = read_header(at.line)
        return parse_table(at.lines, at.number, header, readings) if header is not None else None

    return Reading(
        "kubectl get",
        lambda at: at.stripped[0].isupper() and at.stripped.startswith(FIRST_WORDS),
        read,
        frozenset().union(*(reading.yields for reading in readings)),
    )


def bare_rows(readings: tuple[TableReading, ...]) -> Reading:
    """The reading of pod, node and event rows pasted without their header."""

    def read(at: At) -> TableBlock | None:
        header = headerless(at.line, readings)
        return (
            parse_table(at.lines, at.number, header, readings, headerless=True) if header else None
        )

    return Reading(
        "kubectl get (rows without header)",
        lambda at: may_be_row(at.stripped),
        read,
        frozenset().union(*(reading.yields for reading in readings)),
    )
