"""`kubectl get pods` rows as typed facts.

A row is cut at the header's column offsets (exact when the paste kept its spacing), else read
as tokens in column order (Slack collapsed the spacing).  The STATUS column is the reason kubectl
shows for the pod (CrashLoopBackOff, OOMKilled, Init:Error, Evicted, ...); it becomes one
container state, named ROW_CONTAINER because the row does not say which container it is
(answers call it "the pod's container").  Running n/n and Completed rows are healthy and keep
no facts, only the sections they show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.paste import health
from bot.paste.model import CONTAINERS, EXIT_CODES, PHASE, Subject
from bot.paste.table_model import Header, HealthyRow, Row, TableBlock, TableReading, row_cells
from bot.paste.text import age_seconds, is_age
from intents.facts.model import ROW_CONTAINER, ContainerFacts, PodFacts
from intents.lazy_re import lazy_compile
from intents.policy import POLICY
from intents.reasons import POD_FAILED, TERMINATED, WAITING

READY = lazy_compile(r"^(\d{1,4})/(\d{1,4})$")
_EXIT = lazy_compile(r"^(?:ExitCode|Signal):(\d{1,4})$")
NAME = lazy_compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,300}$")
HEALTHY_SECTIONS = frozenset({PHASE, CONTAINERS})


def short_name(value: str) -> str:
    """`pod/web-1` (kubectl get all) -> `web-1`."""
    return value.rsplit("/", 1)[-1]


def healthy(row: dict[str, str]) -> bool:
    """Running n/n (n > 0) or Completed, and no restart within the last hour."""
    status = row.get("STATUS", "")
    if not NAME.match(short_name(row.get("NAME", ""))):
        return False
    ready = READY.match(row.get("READY", ""))
    restarts = row.get("RESTARTS", "").split(" ")
    recent = (
        len(restarts) > 1 and (age_seconds(restarts[1].strip("(")) or 0) < POLICY.recent_restart
    )
    return (
        status == "Completed"
        or (status == "Running" and ready is not None and ready.group(1) == ready.group(2) != "0")
    ) and not recent


def cells_of(words: list[str], *, namespaced: bool) -> dict[str, str] | None:
    """Token-mode cells of a `get pods` row."""
    at = 1 if namespaced else 0
    if len(words) < at + 5 or not READY.match(words[at + 1]) or not words[at + 3].isdigit():
        return None
    row = {
        "NAME": words[at],
        "READY": words[at + 1],
        "STATUS": words[at + 2],
        "RESTARTS": words[at + 3],
    }
    at += 4
    if at + 1 < len(words) and words[at].startswith("(") and words[at + 1] == "ago)":
        row["RESTARTS"] += f" {words[at]} ago)"
        at += 2
    if at >= len(words) or not is_age(words[at]):
        return None
    row["AGE"] = words[at]
    if namespaced:
        row["NAMESPACE"] = words[0]
    if at + 2 < len(words):
        row["IP"], row["NODE"] = words[at + 1], words[at + 2]
    return row


def phase_and_container(
    status: str, restarts: int
) -> tuple[str, str | None, ContainerFacts | None]:
    """The pod phase, pod reason and the one container state a STATUS word stands for."""
    init = status.startswith("Init:")
    reason = status.removeprefix("Init:")
    exit_match = _EXIT.match(reason)
    if init and READY.match(reason):
        return "Pending", None, ContainerFacts(ROW_CONTAINER, init=True, state="running")
    if reason in WAITING:
        phase = "Running" if reason == "CrashLoopBackOff" and not init else "Pending"
        return (
            phase,
            None,
            ContainerFacts(
                ROW_CONTAINER, init=init, restarts=restarts, state="waiting", reason=reason
            ),
        )
    if reason in TERMINATED or exit_match:
        code = int(exit_match.group(1)) if exit_match else (0 if reason == "Completed" else None)
        phase = "Succeeded" if reason == "Completed" else ("Pending" if init else "Failed")
        return (
            phase,
            None,
            ContainerFacts(
                ROW_CONTAINER,
                init=init,
                restarts=restarts,
                state="terminated",
                reason=None if exit_match else reason,
                exit_code=code,
            ),
        )
    if reason in POD_FAILED:
        return "Failed", reason, None
    if reason in ("Running", "Terminating"):
        return "Running", None, None
    if reason in ("Pending", "SchedulingGated"):
        return "Pending", None if reason == "Pending" else reason, None
    return "Unknown", reason, None


def pod_subject(row: dict[str, str], shape: str) -> Subject | None:
    """A pod from one `get pods` row; None when the row does not read as one."""
    name, ready = short_name(row.get("NAME", "")), READY.match(row.get("READY", ""))
    restarts_cell = row.get("RESTARTS", "").split(" ")
    if not NAME.match(name) or not ready or not restarts_cell[0].isdigit():
        return None
    restarts, status = int(restarts_cell[0]), row.get("STATUS", "")
    up, total = int(ready.group(1)), int(ready.group(2))
    phase, reason, special = phase_and_container(status, restarts)
    containers = (
        [
            ContainerFacts(
                ROW_CONTAINER,
                ready=number < up,
                state="running",
                restarts=restarts if number == 0 else 0,
            )
            for number in range(total)
        ]
        if phase == "Running" and special is None
        else []
    )
    if special is not None:
        containers = [special]
    facts = PodFacts(
        namespace=row.get("NAMESPACE", ""),
        name=name,
        phase=phase,
        reason=reason,
        node_name=row.get("NODE"),
        containers=containers,
    )
    label = f"pod {facts.ref}" if facts.namespace else f"pod {name}"
    seen = {PHASE, CONTAINERS} | (
        {EXIT_CODES} if special and special.exit_code is not None else set()
    )
    restarted = age_seconds(restarts_cell[1].strip("(")) if len(restarts_cell) > 1 else None
    is_healthy = health.pod_healthy(facts, age=age_seconds(row.get("AGE", "")))
    if status == "Terminating" or (phase == "Succeeded"):
        is_healthy = True
    if restarted is not None and restarted < POLICY.recent_restart:
        is_healthy = False
    # the row shows the current state only: how a restarted container last ended (OOMKilled,
    # Error) is not in it, so it contradicts no rule about that
    backoff = (
        special is not None and special.state == "waiting" and special.reason == "CrashLoopBackOff"
    )
    return Subject(
        label,
        shape,
        facts,
        seen,
        is_healthy,
        hidden=frozenset({CONTAINERS} if backoff or restarts else ()),
    )


def unready_running(row: dict[str, str]) -> bool:
    """A row Running, never restarted, with a container not ready past any start: only a failing
    readiness probe keeps a running container unready (one without a probe is ready once
    started; a failing startup or liveness probe restarts it)."""
    ready, age = READY.match(row.get("READY", "")), age_seconds(row.get("AGE", ""))
    if row.get("STATUS") != "Running" or ready is None or row.get("RESTARTS") != "0" or age is None:
        return False
    return int(ready.group(1)) < int(ready.group(2)) and age >= POLICY.starting_grace


_INIT_PROGRESS = lazy_compile(r"Init:\d+/\d+")


def init_stuck(row: dict[str, str]) -> bool:
    """A row whose init containers run and never finish: STATUS `Init:N/M`, never restarted, past
    any start.  An init container that waits on a dependency forever keeps the pod there
    without failing: the row alone shows it."""
    status, age = row.get("STATUS", ""), age_seconds(row.get("AGE", ""))
    return (
        bool(_INIT_PROGRESS.fullmatch(status))
        and row.get("RESTARTS") == "0"
        and age is not None
        and age >= POLICY.starting_grace
    )


def crash_looping(subject: Subject) -> bool:
    """A pod whose app container is in CrashLoopBackOff (what other pods' init containers may wait on)."""
    return isinstance(subject.facts, PodFacts) and any(
        not container.init and container.reason == "CrashLoopBackOff"
        for container in subject.facts.containers
    )


def read_row(line: str, header: Header, shape: str) -> Row:
    """One row: a healthy row (its sections), or the pod it shows."""
    values = row_cells(line, header, lambda words: cells_of(words, namespaced=header.namespaced))
    if not values:
        return None
    if healthy(values):
        steady = (
            values.get("NAME")
            if values.get("RESTARTS") == "0" and values.get("STATUS") == "Running"
            else None
        )
        sections = HEALTHY_SECTIONS
        if values.get("RESTARTS", "0").split(" ")[0] not in ("0", ""):
            # a restarted container's last end (OOMKilled, Error) is not in the row: it refutes no rule about it
            sections = sections - {CONTAINERS}
        return HealthyRow(sections, steady, steady)
    subject = pod_subject(values, shape)
    if subject is None or not isinstance(subject.facts, PodFacts):
        return subject
    facts = subject.facts
    if unready_running(values):
        facts.containers = [replace(c, running_unready=not c.ready) for c in facts.containers]
    if init_stuck(values):
        facts.containers = [replace(c, init_stalled=c.init) for c in facts.containers]
        # the row shows an init container running, not what it waits for: no rule about how
        # containers fail is refuted by it
        subject.hidden |= {CONTAINERS}
    return subject


def finish(block: TableBlock, rows: Sequence[str], header: Header) -> None:
    """What the rows say together: a restarted row hides the others' container sections, pods
    stuck in Init beside a crash loop wait on it."""
    subjects = block.object_subjects
    if _some_row_restarted(subjects, block.shown):
        # the steady rows say nothing of how the restarted ones last ended
        block.shown = {sections - {CONTAINERS} for sections in block.shown}
    _init_waits_on_a_crash(subjects)


def _some_row_restarted(subjects: list[Subject], shown: set[frozenset[str]]) -> bool:
    """A pod row of the table restarted: its container's last end is not in the table."""
    return any(CONTAINERS in subject.hidden for subject in subjects) or any(
        PHASE in sections and CONTAINERS not in sections for sections in shown
    )


def _init_waits_on_a_crash(subjects: list[Subject]) -> None:
    """Pods stuck in Init beside a pod crash-looping in the same listing are most likely waiting on
    it (a driver deployer on its CSI plugin, an app on its database): the loop is the problem."""
    if not any(crash_looping(subject) for subject in subjects):
        return
    for subject in subjects:
        if isinstance(subject.facts, PodFacts):
            subject.facts.containers = [
                replace(c, init_stalled=False) for c in subject.facts.containers
            ]


PODS = TableReading(
    "get pods",
    lambda header: header.kind == "pods",
    frozenset({"PodFacts.phase", "PodFacts.reason", "PodFacts.node_name", "PodFacts.containers"}),
    row=read_row,
    finish=finish,
    columns=("NOMINATED NODE", "READINESS GATES"),
)
