"""A row of a pasted `kubectl get` table whose kind has no facts of its own: healthy or not.

Pods, nodes, claims, volumes, events, workloads and quotas are judged by their facts
(bot.diagnosis.paste_subjects). Any other row (a Service, a Job, an Ingress, a custom resource,
`helm list`, `kubectl top`) is judged by what it prints: a deployment at 3/3, a job at 1/1 and a
release "deployed" say nothing is wrong and are never read as an error; a failure word, a ready
count short of its total, no endpoints, a condition column False, an HPA at its ceiling say
something is. Two of these are facts the rules read: the condition columns custom resources
print (`OwnerFacts.condition_states`, "Programmed=False") and an HPA at its maximum while a
metric stands above its target (`OwnerFacts.at_max_replicas`).
"""

from __future__ import annotations

from bot.cluster.outputs.ages import age_seconds
from bot.cluster.outputs.table import Header, loose_cells
from bot.diagnosis.paste_model import Subject
from intents.facts.model import OwnerFacts, PodFacts
from intents.lazy_re import lazy_compile
from intents.policy import POLICY

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
_TROUBLE_CELL = lazy_compile(
    r"<unknown>|<pending>|Fail|Err[A-Z(]|Error|BackOff|NotReady|SchedulingDisabled"
)
_FRACTION = lazy_compile(r"^(\d{1,6})/(\d{1,6})$")
CONDITION_COLUMNS = (
    "AVAILABLE",
    "READY",
    "PROGRAMMED",
    "ACCEPTED",
    "SYNCED",
    "HEALTHY",
    "RECONCILED",
    "RESOLVEDREFS",
    "ESTABLISHED",
    "VALID",
)
_CONDITION_TYPES = {"RESOLVEDREFS": "ResolvedRefs"}
_KIND_BY_COLUMNS = (
    (frozenset({"CONTROLLER", "ACCEPTED"}), "GatewayClass"),
    (frozenset({"PROGRAMMED"}), "Gateway"),
)
"""Kinds whose `get` columns name them: Gateway API's printer columns."""
HPA_COLUMNS = frozenset({"REFERENCE", "TARGETS", "MAXPODS", "REPLICAS"})
_TARGET = lazy_compile(
    r"(?<!\d)(\d+(?:\.\d+)?)([a-zA-Z%]{0,3}) ?/ ?(\d+(?:\.\d+)?)([a-zA-Z%]{0,3})"
)
"""One `current/target` pair of the TARGETS column, each with its unit (%, m, Mi, k...)."""


def row_healthy(line: str, header: Header) -> bool:
    """No failure word, ready counts complete, endpoints present, no condition column False, an
    Ingress taken by a controller, an HPA below its ceiling."""
    values = loose_cells(line, header)
    words = line.split()
    if _starting(values):
        words = [w for w in words if w not in ("<pending>", "<unknown>")]
        words = [w for w in words if not w.startswith("<unknown>/")]
    if any(word in UNHEALTHY_WORDS or _TROUBLE_CELL.search(word) for word in words):
        return False
    if values.get("ENDPOINTS") == "<none>" or any(
        values.get(column, "").startswith("False") for column in CONDITION_COLUMNS
    ):
        return False
    if _no_address(values, header) or _short_of_desired(values) or at_ceiling(values):
        return False
    for column in ("READY", "COMPLETIONS"):
        fraction = _FRACTION.match(values.get(column, ""))
        if fraction and fraction.group(1) != fraction.group(2):
            return column == "COMPLETIONS" and "Running" in words
    return True


def _no_address(values: dict[str, str], header: Header) -> bool:
    """An Ingress no controller has taken after minutes: no address."""
    return (
        "ADDRESS" in header.names
        and "HOSTS" in header.names
        and not values.get("ADDRESS", "?").strip()
        and (age_seconds(values.get("AGE", "")) or 0) >= POLICY.starting_grace
    )


def _starting(values: dict[str, str]) -> bool:
    """An object under a minute old showing what it shows until its controller first acts: a
    LoadBalancer Service's EXTERNAL-IP <pending> while the cloud creates the balancer, an HPA's
    TARGETS <unknown> until its first metrics read. After that, these are what people call stuck."""
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


def at_ceiling(values: dict[str, str]) -> bool:
    """An HPA row at MAXPODS replicas with a metric above its target (same unit on both sides)."""
    replicas, most = values.get("REPLICAS", ""), values.get("MAXPODS", "")
    if not (replicas.isdigit() and most.isdigit()) or int(replicas) < int(most):
        return False
    return any(
        current_unit == target_unit and float(current) > float(target)
        for current, current_unit, target, target_unit in _TARGET.findall(values.get("TARGETS", ""))
    )


def _false_conditions(values: dict[str, str]) -> tuple[str, ...]:
    """`Type=False` (or Unknown) of each condition column the row shows so."""
    return tuple(
        f"{_CONDITION_TYPES.get(column, column.title())}={values[column]}"
        for column in CONDITION_COLUMNS
        if values.get(column) in ("False", "Unknown")
    )


def row_subject(line: str, header: Header, shape: str) -> Subject | None:
    """What a failing row states as facts: an HPA at its ceiling, or the conditions its columns
    show False or Unknown (None: neither)."""
    values = loose_cells(line, header)
    namespace, name = values.get("NAMESPACE", ""), values.get("NAME", "").strip()
    if header.has(HPA_COLUMNS) and at_ceiling(values):
        name = name or "hpa"
        owner = OwnerFacts("HorizontalPodAutoscaler", name, at_max_replicas=True)
        targets = values.get("TARGETS", "").strip()
        label = f"row hpa {name} ({values.get('REPLICAS')} replicas, targets {targets})"
    else:
        states = _false_conditions(values)
        if not states:
            return None
        names = set(header.names)
        kind = next((kind for columns, kind in _KIND_BY_COLUMNS if columns <= names), "")
        owner = OwnerFacts(kind or "Object", name, condition_states=states)
        label = f"row {kind} {name or 'object'}".replace("  ", " ")
    facts = PodFacts(namespace=namespace, name=name, owners=[owner])
    return Subject(label, shape, facts, set(), False)
