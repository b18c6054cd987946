"""The status of custom resources whose controllers report the pod-level cause (Knative, Argo CD,
Flux, cert-manager, database operators), as facts.

A Knative Revision that never becomes ready says why in its `Ready` condition ("Unable to fetch
image"), an Argo CD Application in its sync and health status, a cert-manager Challenge in its
`state` and `reason`, a CloudNativePG Cluster in its `phase`. One table (`CUSTOM_KINDS`) names
each API group's kinds and where its status says what: conditions, state fields and messages.
`resource_status` reads an object (a pasted `-o yaml`, a `describe` read as a tree, a dump, a
recorded folder, the live API) into a `ResourceStatus`; each fact kind of intents.facts.kinds
built with `status_kind` tests one table row's statuses with its own evidence rule fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from intents.facts.kind import FactKind, Facts, Rule, RuleField, SafeRegex, clip, more
from intents.regex_engine import compile_regex


@dataclass(frozen=True)
class CustomKinds:
    """One fact kind's custom resources: their API groups and kinds, and where each says what."""

    fact: str
    """The fact kind's name (and its evidence rule fields' prefix)."""
    product: str
    groups: frozenset[str]
    kinds: frozenset[str]
    states: tuple[tuple[str, str], ...]
    """(label, dotted path under `status`) of each state field: ("sync", "sync.status")."""
    bad_states: str
    """A regex on `label=value`: the states that are a failure ("health=Degraded"); a leading
    `!` makes it the healthy states, every other state being one that is not (a database
    cluster whose phase is not "Cluster in healthy state" is still settling or stuck)."""
    messages: tuple[str, ...] = ()
    """Dotted paths under `status` of messages besides the conditions' own."""
    messages_fail: bool = False
    """A status message is a failure's reason (an ACME Challenge's `reason`) unless a state says
    the resource is done (`valid`, `ready`)."""


CUSTOM_KINDS: tuple[CustomKinds, ...] = (
    CustomKinds(
        "knative",
        "Knative",
        frozenset({"serving.knative.dev"}),
        frozenset({"Service", "Revision", "Configuration", "Route"}),
        (),
        "^$",
    ),
    CustomKinds(
        "argocd",
        "Argo CD",
        frozenset({"argoproj.io"}),
        frozenset({"Application", "ApplicationSet"}),
        (
            ("sync", "sync.status"),
            ("health", "health.status"),
            ("operation", "operationState.phase"),
        ),
        "^(?:sync=(?:OutOfSync|Unknown)|health=(?:Degraded|Missing|Unknown)|operation=(?:Failed|Error))$",
        ("health.message", "operationState.message"),
    ),
    CustomKinds(
        "flux",
        "Flux",
        frozenset(
            {
                "kustomize.toolkit.fluxcd.io",
                "helm.toolkit.fluxcd.io",
                "source.toolkit.fluxcd.io",
                "image.toolkit.fluxcd.io",
                "notification.toolkit.fluxcd.io",
            }
        ),
        frozenset(
            {
                "Kustomization",
                "HelmRelease",
                "GitRepository",
                "HelmRepository",
                "HelmChart",
                "OCIRepository",
                "Bucket",
                "ImageRepository",
                "ImagePolicy",
                "ImageUpdateAutomation",
            }
        ),
        (),
        "^$",
    ),
    CustomKinds(
        "certmanager",
        "cert-manager",
        frozenset({"cert-manager.io", "acme.cert-manager.io"}),
        frozenset(
            {"Certificate", "CertificateRequest", "Issuer", "ClusterIssuer", "Order", "Challenge"}
        ),
        (("state", "state"),),
        "^state=(?:invalid|errored|expired)$",
        ("reason",),
        messages_fail=True,
    ),
    CustomKinds(
        "database_clusters",
        "a database operator",
        frozenset(
            {
                "postgresql.cnpg.io",
                "acid.zalan.do",
                "postgres-operator.crunchydata.com",
                "pxc.percona.com",
                "ps.percona.com",
                "psmdb.percona.com",
                "mongodbcommunity.mongodb.com",
                "k8s.mariadb.com",
                "mysql.oracle.com",
                "pingcap.com",
                "kafka.strimzi.io",
            }
        ),
        frozenset(
            {
                "Cluster",
                "postgresql",
                "PostgresCluster",
                "PerconaXtraDBCluster",
                "PerconaServerMySQL",
                "PerconaServerMongoDB",
                "MongoDBCommunity",
                "MariaDB",
                "InnoDBCluster",
                "TidbCluster",
                "Kafka",
            }
        ),
        (("phase", "phase"), ("state", "state"), ("status", "PostgresClusterStatus")),
        "!(?i)^(?:phase|state|status)=(?:Cluster in healthy state|running|ready|healthy|online|available|succeeded)$",
        ("phaseReason", "message", "messages"),
    ),
)
"""Every custom kind whose status is read as a fact, by fact kind."""


@dataclass(frozen=True)
class StatusCondition:
    """One entry of `status.conditions` (Argo CD's carry no status)."""

    type: str
    status: str = ""
    reason: str = ""
    message: str = ""

    @property
    def state(self) -> str:
        return f"{self.type}={self.status}"

    @property
    def healthy(self) -> bool:
        """True is healthy except for conditions that say a failure (Stalled, Failed...); one
        without a status (Argo CD's ComparisonError, SyncError) is a failure."""
        failing_when_true = self.type in ("Stalled", "Failed", "Degraded", "NotReady") or (
            self.type.endswith("Error") or self.type.endswith("Warning")
        )
        return (self.status == "True") != failing_when_true if self.status else False


@dataclass(frozen=True)
class ResourceStatus:
    """A custom resource's status as its controller reports it."""

    kind: str
    name: str
    namespace: str = ""
    conditions: tuple[StatusCondition, ...] = ()
    states: tuple[tuple[str, str], ...] = ()
    """(label, value) of its state fields: ("sync", "OutOfSync"), ("phase", "Setting up primary")."""
    messages: tuple[str, ...] = ()
    bad_states: str = "^$"
    messages_fail: bool = False

    @property
    def ref(self) -> str:
        return f"{self.kind} {self.namespace + '/' if self.namespace else ''}{self.name}"

    @property
    def failing_states(self) -> tuple[str, ...]:
        healthy_listed = self.bad_states.startswith("!")
        regex = compile_regex(self.bad_states.removeprefix("!"))
        return tuple(
            f"{k}={v}" for k, v in self.states if bool(regex.search(f"{k}={v}")) != healthy_listed
        )

    @property
    def healthy(self) -> bool:
        done = any(value.lower() in ("valid", "ready") for _, value in self.states)
        reported = self.messages_fail and bool(self.messages) and not done
        return all(c.healthy for c in self.conditions) and not self.failing_states and not reported


def custom_kinds_of(api_version: str, kind: str) -> CustomKinds | None:
    """The table row of an object's kind (its group must fit when the apiVersion is known)."""
    group = api_version.rpartition("/")[0]
    for row in CUSTOM_KINDS:
        if kind in row.kinds and (not api_version or group in row.groups):
            return row
    return None


def _at(status: Mapping[str, Any], path: str) -> Any:
    value: Any = status
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_text(item) for item in value)
    if isinstance(value, Mapping):
        return str(value.get("message") or "")
    return "" if value is None else str(value)


def resource_status(obj: Mapping[str, Any]) -> tuple[str, ResourceStatus] | None:
    """(fact kind, its status) of a custom resource the table knows, else None."""
    row = custom_kinds_of(str(obj.get("apiVersion") or ""), str(obj.get("kind") or ""))
    status, meta = obj.get("status"), obj.get("metadata")
    if row is None or not isinstance(status, Mapping):
        return None
    meta = meta if isinstance(meta, Mapping) else {}
    conditions = tuple(
        StatusCondition(
            str(c["type"]),
            str(c.get("status") or ""),
            str(c.get("reason") or ""),
            clip(str(c.get("message") or "")),
        )
        for c in status.get("conditions") or []
        if isinstance(c, Mapping) and c.get("type")
    )
    states = tuple(
        (label, str(value))
        for label, path in row.states
        if (value := _at(status, path)) not in (None, "", [], {})
        and not isinstance(value, Mapping | list)
    )
    messages = tuple(clip(m) for path in row.messages if (m := _text(_at(status, path)).strip()))
    found = ResourceStatus(
        str(obj["kind"]),
        str(meta.get("name") or ""),
        str(meta.get("namespace") or ""),
        conditions,
        states,
        messages,
        row.bad_states,
        row.messages_fail,
    )
    return row.fact, found


def _fits(rule: Rule, prefix: str, status: ResourceStatus) -> str | None:
    """What the status shows that every field the rule sets holds, else None."""

    def get(name: str) -> str | None:
        value: str | None = getattr(rule, f"{prefix}_{name}")
        return value

    if get("kind") is not None and not compile_regex(get("kind")).fullmatch(status.kind):
        return None
    shown: list[str] = []
    if get("state") is not None:
        regex = compile_regex(get("state"))
        state = next((f"{k}={v}" for k, v in status.states if regex.fullmatch(f"{k}={v}")), None)
        if state is None:
            return None
        shown.append(state)
    wants_condition = any(get(n) is not None for n in ("condition", "reason"))
    candidates = _conditions(status, get("condition"), get("reason"))
    if wants_condition and not candidates:
        return None
    texts = _texts(status, candidates if wants_condition else None, get("message"))
    if texts is None:
        return None
    if wants_condition:
        first = candidates[0]
        shown.extend((first.state if first.status else first.type, first.reason))
    shown.append(texts[0] if texts else "")
    return f"{status.ref}: " + " ".join(part for part in shown if part)


def _conditions(
    status: ResourceStatus, condition: str | None, reason: str | None
) -> list[StatusCondition]:
    """The conditions a rule's `condition` and `reason` hold on (unhealthy ones, when it names
    no condition)."""
    found = [c for c in status.conditions if not c.healthy or condition is not None]
    found = _full_matches(found, condition, lambda c: c.state)
    return _full_matches(found, reason, lambda c: c.reason)


def _full_matches(
    conditions: list[StatusCondition], pattern: str | None, text: Callable[[StatusCondition], str]
) -> list[StatusCondition]:
    """The conditions whose `text` the pattern matches whole (all of them, without a pattern)."""
    if pattern is None:
        return conditions
    return [c for c in conditions if compile_regex(pattern).fullmatch(text(c))]


def _texts(
    status: ResourceStatus, candidates: list[StatusCondition] | None, message: str | None
) -> list[str] | None:
    """The messages to quote (the chosen conditions', else every condition's and message), those
    the rule's `message` finds; None when it finds none."""
    if candidates is not None:
        texts = [c.message for c in candidates]
    else:
        texts = [c.message for c in status.conditions] + list(status.messages)
    if message is not None:
        texts = [t for t in texts if compile_regex(message).search(t)]
        if not texts:
            return None
    return texts


def status_kind(row: CustomKinds, place: int) -> FactKind:
    """The fact kind of one table row: `<fact>_kind`, `_condition`, `_reason`, `_state`,
    `_message`, every one that is set holding on the same resource (and condition)."""
    prefix = row.fact

    def check(rule: Rule, facts: Facts) -> str | None:
        for status in more(facts, prefix, ResourceStatus):
            found = _fits(rule, prefix, status)
            if found is not None:
                return found
        return None

    kinds = ", ".join(sorted(row.kinds))
    return FactKind(
        prefix,
        place,
        "PodFacts.more",
        f"The status of {row.product}'s custom resources ({kinds}).",
        check=check,
        fields=(
            RuleField(f"{prefix}_kind", SafeRegex | None, f"The resource's kind ({kinds}), whole."),
            RuleField(
                f"{prefix}_condition",
                SafeRegex | None,
                "`Type=Status` of one of its conditions, whole (`Ready=False`; Argo CD's carry no "
                "status: `ComparisonError=.*`).",
            ),
            RuleField(
                f"{prefix}_reason", SafeRegex | None, "The reason of a failing condition, whole."
            ),
            RuleField(
                f"{prefix}_state",
                SafeRegex | None,
                "`label=value` of a state field, whole: "
                + (", ".join(label for label, _ in row.states) or "none for this kind"),
            ),
            RuleField(
                f"{prefix}_message",
                SafeRegex | None,
                "A regex found in a (failing, or the named) condition's message or a status message.",
            ),
        ),
    )


def row_of(fact: str) -> CustomKinds:
    return next(row for row in CUSTOM_KINDS if row.fact == fact)
