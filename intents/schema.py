"""The incident catalog's schema.

The catalog is data, not code: one YAML file per entry, validated here with
models that forbid unknown keys, so a typo in a user's catalog is reported
instead of silently ignored.  Evidence rules and remediation actions are
declared here too; the cluster and Slack layers interpret them.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from intents.regex_engine import compile_regex, search

ENTRY_ID = r"^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$"

ACTION_KINDS = (
    "delete-pod",
    "rollout-restart",
    "cordon-node",
    "uncordon-node",
    "annotate-debug",
    "delete-pvc-and-pod",
    "scale-deployment",
    "delete-apiservice",
)
"""Remediation kinds the bot knows how to perform; anything else is rejected."""

_URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/\S*)?$")


NonEmptyText = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    # defer_build: the validators are built on the first validation (reading YAML), not at
    # import, so a command whose catalog comes from the index cache never pays for them
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class AdviceContext(_Strict):
    """Where a product-specific fix step or link applies (TiDB, Istio, ingress-nginx...).

    The advice is shown only when at least one of the set facts holds for what
    is diagnosed: the pasted text (or the pod's logs, events and messages)
    matches `text`, a container's image matches `images`, the pod carries one
    of the `labels` values, or a container has one of the `containers` names.
    """

    text: str | None = Field(default=None, description="Regex on the paste, or the pod's logs and events.")
    images: str | None = Field(default=None, description="Regex on a container image of the pod.")
    labels: dict[NonEmptyText, list[NonEmptyText]] = Field(
        default_factory=dict, description="A pod label with one of the listed values.")
    containers: list[NonEmptyText] = Field(default_factory=list, description="A container's name.")

    @field_validator("text", "images")
    @classmethod
    def _safe_regex(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            compile_regex(pattern)
        return pattern

    @model_validator(mode="after")
    def _names_something(self) -> AdviceContext:
        if not self.model_dump(exclude_defaults=True):
            raise ValueError("context names no fact (text, images, labels or containers)")
        return self


class Link(_Strict):
    """A document behind the entry: an issue, a doc page, a PR."""

    url: str
    title: str = Field(min_length=1)
    context: AdviceContext | None = Field(
        default=None, description="Shown only where this holds (a product's own documentation).")

    @field_validator("url")
    @classmethod
    def _absolute_http_url(cls, url: str) -> str:
        if not _URL.match(url):
            raise ValueError(f"malformed link {url!r}: expected an absolute http(s) URL")
        return url


class FixStep(_Strict):
    """One step of the fix; `command` and `config` hold exact text to copy."""

    text: str = Field(min_length=1)
    command: str | None = None
    config: str | None = None
    context: AdviceContext | None = Field(
        default=None, description="Shown only where this holds (product-specific advice).")


class EvidenceRule(_Strict):
    """A fact the cluster can show that confirms the entry.

    Every field that is set must hold for the rule to match (logical AND);
    `describe` is the sentence shown to the user when it does.
    """

    describe: str = Field(min_length=1)
    container_reason: str | None = None
    exit_code: int | None = None
    min_restarts: int | None = None
    pod_phase: str | None = None
    pod_reason: str | None = None
    event_reason: str | None = None
    event_message: str | None = None
    log_pattern: str | None = None
    previous_log: bool = False
    node_condition: str | None = Field(default=None, pattern=r"^[A-Za-z]+=(True|False|Unknown)$")
    node_taint: str | None = None
    pvc_phase: str | None = None
    storageclass_missing: bool | None = None
    owner_kind: str | None = None
    endpoints_empty: bool | None = None
    container_name: str | None = None
    container_message: str | None = Field(
        default=None, description="Regex on a container's waiting/terminated message."
    )
    pod_message: str | None = Field(
        default=None, description="Regex on the pod's status message or a condition message."
    )
    owner_condition_reason: str | None = Field(
        default=None, description="Reason of a condition on an owner (e.g. ProgressDeadlineExceeded)."
    )
    node_pods_full: bool | None = Field(
        default=None, description="The node runs as many pods as its allocatable 'pods'."
    )
    never_scheduled: bool | None = Field(
        default=None, description="Pending for over a minute with no node, no PodScheduled condition and "
        "no scheduling event: no scheduler has acted on the pod.")
    service_port_mismatch: bool | None = Field(
        default=None, description="A Service selecting the pod targets a port (number, name or protocol) "
        "none of the pod's containers declares.")

    @field_validator("event_message", "log_pattern", "container_message", "pod_message")
    @classmethod
    def _safe_regex(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            compile_regex(pattern)
        return pattern

    @model_validator(mode="after")
    def _has_predicate(self) -> EvidenceRule:
        predicates = self.model_dump(exclude={"describe", "previous_log"}, exclude_none=True)
        if not predicates:
            raise ValueError("evidence rule has no predicate besides 'describe'")
        return self


OfferTarget = Literal["pod", "owner", "node", "tidb-discovery-pod", "apiservice-in-text"]
"""What an action acts on: the diagnosed pod, its owning workload, its node (or the diagnosed
node), the TiDB discovery pod of the diagnosed PD pod, or an APIService named in the text that
the cluster shows is not Available."""

ACTION_TARGETS: dict[str, tuple[str, ...]] = {
    "delete-pod": ("pod", "tidb-discovery-pod"),
    "delete-pvc-and-pod": ("pod",),
    "annotate-debug": ("pod",),
    "rollout-restart": ("owner",),
    "cordon-node": ("node",),
    "uncordon-node": ("node",),
    "delete-apiservice": ("apiservice-in-text",),
    "scale-deployment": (),  # the replica count is a human decision: never offered from the catalog
}
"""The targets each action kind may be offered on."""

RESTARTABLE_KINDS = ("Deployment", "StatefulSet", "DaemonSet")
WorkloadKind = Literal["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"]


def _fact(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value).replace("'", "")


class OfferWhen(_Strict):
    """Facts of the diagnosed object that must all hold for an action to be offered.

    Every field that is set must hold (logical AND); a fact that could not be
    read does not hold, so an uncertain case gets no button.
    """

    pod_reason: str | None = Field(default=None, description="The pod's status reason is this (e.g. Evicted).")
    crash_looping: bool | None = Field(
        default=None, description="A container of the pod is in CrashLoopBackOff, or restarted and not ready.")
    pod_labels: dict[str, list[NonEmptyText]] = Field(
        default_factory=dict, description="Each label has one of the listed values.")
    has_owner: bool | None = Field(default=None, description="The pod has a controller that recreates it.")
    owner_kinds: list[WorkloadKind] = Field(
        default_factory=list, description="The pod's owner chain has one of these kinds; for target "
        "`owner` the first such owner is the one acted on.")
    node_conditions: list[Annotated[str, Field(pattern=r"^[A-Za-z]+(=|!=)(True|False|Unknown)$")]] = Field(
        default_factory=list, description="Node conditions, e.g. DiskPressure=True or Ready!=True "
        "(`!=`: the condition is reported with another status).")
    node_cordoned: bool | None = Field(default=None, description="The node is (or is not) cordoned.")

    def describe(self) -> str:
        """The facts in one line, as the catalog states them ("pod_reason Evicted, has_owner true")."""
        named = self.model_dump(exclude_defaults=True)
        return ", ".join(f"{key} {_fact(value)}" for key, value in named.items())


class RemediationAction(_Strict):
    """A one-click fix the bot may offer when the evidence fits."""

    kind: str
    label: str = Field(min_length=1, max_length=75)
    target: OfferTarget
    when: OfferWhen = Field(default_factory=OfferWhen)
    claim_prefix: str | None = Field(
        default=None, description="delete-pvc-and-pod: the pod's only claim, or else its only claim "
        "whose name starts with this.")

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in ACTION_KINDS:
            raise ValueError(f"unknown action kind {kind!r}; known: {', '.join(ACTION_KINDS)}")
        return kind

    @model_validator(mode="after")
    def _fits_its_kind(self) -> RemediationAction:
        allowed = ACTION_TARGETS[self.kind]
        if self.target not in allowed:
            raise ValueError(f"{self.kind} cannot target {self.target!r}; allowed: {', '.join(allowed) or 'none'}")
        if self.target == "owner" and not self.when.owner_kinds:
            raise ValueError("target 'owner' needs when.owner_kinds (which workload to act on)")
        if self.kind == "rollout-restart" and not set(self.when.owner_kinds) <= set(RESTARTABLE_KINDS):
            raise ValueError(f"rollout-restart acts only on {', '.join(RESTARTABLE_KINDS)}")
        if self.claim_prefix is not None and self.kind != "delete-pvc-and-pod":
            raise ValueError("claim_prefix applies to delete-pvc-and-pod only")
        return self


class WatchTrigger(_Strict):
    """A cluster state the opt-in watcher reports as this entry (its state -> entry table).

    `kind: pod`: a container waiting with reason `waiting` (and, if set, whose last
    termination was `last_terminated`); or, with `recent: true`, a container whose
    last termination was `last_terminated` within the watcher's recent window; or a
    pod in `phase` with status reason `pod_reason`.
    `kind: node`: a `node_condition` (DiskPressure=True, Ready!=True) that has lasted
    the watcher's node threshold.
    `kind: event`: a Warning event `event_reason` about an object of `involved_kind`.
    When several triggers fit one object, the one with more conditions wins.
    """

    kind: Literal["pod", "node", "event"]
    waiting: str | None = None
    last_terminated: str | None = None
    recent: bool = False
    phase: str | None = None
    pod_reason: str | None = None
    node_condition: str | None = Field(default=None, pattern=r"^[A-Za-z]+(=|!=)(True|False|Unknown)$")
    event_reason: str | None = None
    involved_kind: Literal["Job", "Node"] | None = None

    @model_validator(mode="after")
    def _fits_its_object(self) -> WatchTrigger:
        fields = {"pod": {"waiting", "last_terminated", "recent", "phase", "pod_reason"},
                  "node": {"node_condition"}, "event": {"event_reason", "involved_kind"}}[self.kind]
        named = set(self.model_dump(exclude_defaults=True)) - {"kind"}
        if named - fields:
            raise ValueError(f"watch on {self.kind} cannot use {', '.join(sorted(named - fields))}")
        if not named:
            raise ValueError(f"watch on {self.kind} names no state")
        if self.kind == "event" and not (self.event_reason and self.involved_kind):
            raise ValueError("watch on event needs event_reason and involved_kind")
        if self.kind == "pod" and self.recent and not self.last_terminated:
            raise ValueError("watch recent: true needs last_terminated")
        if self.kind == "pod" and (self.phase or self.pod_reason) and (self.waiting or self.last_terminated):
            raise ValueError("watch on pod: a phase/pod_reason state and a container state are separate triggers")
        if self.kind == "pod" and self.last_terminated and not (self.waiting or self.recent):
            raise ValueError("watch last_terminated needs waiting (the container is waiting again) or recent: true")
        return self

    @property
    def specificity(self) -> int:
        """How many conditions the trigger sets: the most specific fitting trigger wins."""
        return len(self.model_dump(exclude_defaults=True)) - 1


ALERT_NAME = r"^[A-Za-z_:][A-Za-z0-9_:]*$"
LABEL_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
TARGET_LABELS = (
    "namespace", "pod", "container", "node", "deployment", "statefulset", "daemonset",
    "job_name", "persistentvolumeclaim", "persistentvolume", "horizontalpodautoscaler",
    "resourcequota", "service", "cluster",
)
"""Alert labels kubemedic can turn into an evidence target (kubernetes-mixin label names)."""


class AlertMapping(_Strict):
    """A Prometheus/Alertmanager alert the entry explains, and where its evidence is.

    `target` lists the label names that pick the object to diagnose (None:
    derived from the standard labels; empty: nothing in the cluster to read).
    `labels` narrows the mapping to alerts whose labels fully match these
    regexes (e.g. KubeContainerWaiting with reason=ImagePullBackOff);
    `priority` breaks a tie when two entries claim the same alert.
    """

    name: str = Field(pattern=ALERT_NAME)
    target: list[str] | None = None
    labels: dict[Annotated[str, Field(pattern=LABEL_NAME)], str] = Field(default_factory=dict)
    priority: int = 0

    @field_validator("target")
    @classmethod
    def _known_target_labels(cls, target: list[str] | None) -> list[str] | None:
        unknown = [name for name in target or () if name not in TARGET_LABELS]
        if unknown:
            raise ValueError(f"unknown target label(s) {', '.join(map(repr, unknown))}; "
                             f"known: {', '.join(TARGET_LABELS)}")
        return target

    @field_validator("labels")
    @classmethod
    def _safe_label_regexes(cls, labels: dict[str, str]) -> dict[str, str]:
        for pattern in labels.values():
            compile_regex(pattern)
        return labels



class CatalogEntry(_Strict):
    """One known incident: how it looks, why it happens, how to fix it."""

    id: str = Field(pattern=ENTRY_ID)
    title: NonEmptyText
    summary: NonEmptyText
    symptoms: list[NonEmptyText] = Field(min_length=1)
    patterns: list[NonEmptyText] = Field(default_factory=list)
    root_cause: NonEmptyText
    fix: list[FixStep] = Field(min_length=1)
    links: list[Link] = Field(min_length=1)
    sources: list[NonEmptyText] = Field(min_length=1)
    tags: list[NonEmptyText] = Field(default_factory=list)
    fallback: bool = Field(
        default=False, description="A catch-all that loses ties to any specific entry."
    )
    excludes: list[NonEmptyText] = Field(
        default_factory=list,
        description="Regexes for the healthy opposite of a symptom: a paste line matching one "
        "of them is never evidence for this entry (e.g. 'NodeHasNoDiskPressure').",
    )
    requires: list[NonEmptyText] = Field(
        default_factory=list,
        description="Regexes of which at least one must occur in the paste for this entry to be "
        "answered (e.g. 'istio|envoy' for an Istio-only problem); otherwise it stays low.",
    )
    evidence: list[EvidenceRule] = Field(default_factory=list)
    remediation: list[RemediationAction] = Field(default_factory=list)
    alerts: list[AlertMapping] = Field(
        default_factory=list,
        description="Alertmanager alerts this entry explains (kubemedic's alert receiver).",
    )
    watch: list[WatchTrigger] = Field(
        default_factory=list, description="Cluster states the opt-in watcher reports as this entry.")
    symptom: NonEmptyText | None = Field(
        default=None, description="Declares the entry a symptom (a state with many possible causes) "
        "and names it for the answer's chain, e.g. 'Node NotReady'.")
    explains: list[Annotated[str, Field(pattern=ENTRY_ID)]] = Field(
        default_factory=list, description="Symptom entries this cause explains: when both are found, "
        "this entry leads and the symptom's match names it under `because`.")

    @field_validator("patterns", "excludes", "requires")
    @classmethod
    def _safe_patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            compile_regex(pattern)
        return patterns

    @field_validator("symptoms")
    @classmethod
    def _distinct_symptoms(cls, symptoms: list[str]) -> list[str]:
        seen = {s.strip().lower() for s in symptoms}
        if len(seen) != len(symptoms):
            raise ValueError("symptoms contain duplicates")
        return symptoms

    @model_validator(mode="after")
    def _declarations_fit(self) -> CatalogEntry:
        """`explains` names other entries once each; some fix step and link apply everywhere."""
        if self.id in self.explains:
            raise ValueError("explains: an entry cannot explain itself")
        if len(set(self.explains)) != len(self.explains):
            raise ValueError("explains: contains duplicates")
        if all(step.context for step in self.fix):
            raise ValueError("fix: every step has a context; at least one must apply everywhere")
        if all(link.context for link in self.links):
            raise ValueError("links: every link has a context; at least one must apply everywhere")
        return self

    @model_validator(mode="after")
    def _guards_fit_symptoms(self) -> CatalogEntry:
        """An `excludes` never matches the entry's own symptom; `requires` fits one of them."""
        problems = guard_problems(self.symptoms, self.excludes, self.requires)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def guard_problems(symptoms: list[str], excludes: list[str], requires: list[str]) -> list[str]:
    """Why an entry's healthy-opposite guards contradict its own symptoms (empty: they fit)."""
    problems = []
    for number, pattern in enumerate(excludes):
        hit = next((n for n, symptom in enumerate(symptoms) if search(pattern, symptom)), None)
        if hit is not None:
            problems.append(f"excludes[{number}] {pattern!r} matches the entry's own symptoms[{hit}] "
                            "(a healthy opposite must not describe the failure itself)")
    if requires and not any(search(p, symptom) for p in requires for symptom in symptoms):
        problems.append("requires: none of the entry's symptoms contains what it requires, "
                        "so the entry could never be answered")
    return problems


Confidence = Literal["high", "medium", "low"]
