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

from bot.cluster.outputs.ages import age_seconds
from bot.cluster.outputs.row_pods import phase_and_container as row_status
from bot.cluster.outputs.row_pods import pod_from_row
from bot.cluster.outputs.table import Header, split_row
from bot.evidence import health
from bot.evidence.pods import container_facts, pod_facts
from bot.paste.model import CONTAINERS, EXIT_CODES, PHASE, Subject
from bot.paste.table_model import HealthyRow, Row, TableBlock, TableReading
from intents.facts.model import ContainerFacts, PodFacts
from intents.lazy_re import lazy_compile
from intents.policy import POLICY

READY = lazy_compile(r"^(\d{1,4})/(\d{1,4})$")
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


def phase_and_container(status: str) -> tuple[str, str | None, ContainerFacts | None]:
    """The pod's phase and reason, and the one container a STATUS word says (as a row reads it)."""
    phase, reason, special = row_status(status, 0)
    if special is None:
        return phase, reason, None
    init = bool(special.pop("init"))
    return phase, reason, container_facts(special, init=init)


def pod_subject(row: dict[str, str], shape: str) -> Subject | None:
    """A pod from one `get pods` row (read by the one table reader, judged by the paste's
    rules); None when the row does not read as one."""
    obj = pod_from_row({**row, "NAME": short_name(row.get("NAME", ""))})
    if obj is None:
        return None
    facts = pod_facts(obj)
    facts.containers = [replace(c, last_finished=None) for c in facts.containers]
    label = f"pod {facts.ref}" if facts.namespace else f"pod {facts.name}"
    exit_codes = any(c.exit_code is not None for c in facts.containers)
    seen = {PHASE, CONTAINERS} | ({EXIT_CODES} if exit_codes else set())
    restarts_cell = row.get("RESTARTS", "").split(" ")
    restarted = age_seconds(restarts_cell[1].strip("(")) if len(restarts_cell) > 1 else None
    is_healthy = health.pod_healthy(facts, age=age_seconds(row.get("AGE", "")))
    if row.get("STATUS") == "Terminating" or facts.phase == "Succeeded":
        is_healthy = True
    if restarted is not None and restarted < POLICY.recent_restart:
        is_healthy = False
    # the row shows the current state only: how a restarted container last ended (OOMKilled,
    # Error) is not in it, so it contradicts no rule about that
    backoff = any(c.reason == "CrashLoopBackOff" and c.state == "waiting" for c in facts.containers)
    restarts = restarts_cell[0] not in ("0", "")
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
    values = split_row(line, header)
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
)
