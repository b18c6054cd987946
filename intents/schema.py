"""The incident catalog's schema.

The catalog is data, not code: one YAML file per entry, validated here with
classes that forbid unknown keys, so a typo in a user's catalog is reported
instead of silently ignored.  Evidence rules and remediation actions are
declared here too; the cluster and Slack layers interpret them.

The classes are plain frozen dataclasses that pydantic validates when YAML is
read (intents.checked): the cached index holds them without pydantic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, make_dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from intents.checked import After, Checked, Strict, as_dict, named_fields
from intents.facts.kind import FactKind, SafeRegex
from intents.facts.kinds import KINDS
from intents.regex_engine import check_regex, regexes_checked, search
from intents.walk_findings import WALK_NAMES, WalkFinding

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


NonEmptyText = Annotated[str, Checked(min_length=1)]
NODE_CONDITION_TEST = r"^[A-Za-z]+(=|!=)(True|False|Unknown)$"


def _safe_regexes(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        check_regex(pattern)
    return patterns


SafeRegexes = Annotated[list[NonEmptyText], After(_safe_regexes)]


@dataclass(frozen=True, kw_only=True)
class AdviceContext(Strict):
    """Where a product-specific fix step or link applies (TiDB, Istio, ingress-nginx...).

    The advice is shown only when at least one of the set facts holds for what
    is diagnosed: the pasted text (or the pod's logs, events and messages)
    matches `text`, a container's image matches `images`, the pod carries one
    of the `labels` values, or a container has one of the `containers` names.
    """

    text: SafeRegex | None = None
    """Regex on the paste, or the pod's logs and events."""
    images: SafeRegex | None = None
    """Regex on a container image of the pod."""
    labels: dict[NonEmptyText, list[NonEmptyText]] = field(default_factory=dict)
    """A pod label with one of the listed values."""
    containers: list[NonEmptyText] = field(default_factory=list)
    """A container's name."""

    def _check(self) -> None:
        if not named_fields(self):
            raise ValueError("context names no fact (text, images, labels or containers)")


def _absolute_http_url(url: str) -> str:
    if not _URL.match(url):
        raise ValueError(f"malformed link {url!r}: expected an absolute http(s) URL")
    return url


@dataclass(frozen=True, kw_only=True)
class Link(Strict):
    """A document behind the entry: an issue, a doc page, a PR."""

    url: Annotated[str, After(_absolute_http_url)]
    title: NonEmptyText
    context: AdviceContext | None = None
    """Shown only where this holds (a product's own documentation)."""


@dataclass(frozen=True, kw_only=True)
class FixStep(Strict):
    """One step of the fix; `command` and `config` hold exact text to copy.

    Placeholders (`<pod>`, `<claim>`, `<taint-key>`...) are filled with the reader's own names
    where the paste or the cluster gives them (bot.diagnosis.naming); any other stays as written.
    """

    text: NonEmptyText
    command: str | None = None
    config: str | None = None
    context: AdviceContext | None = None
    """Shown only where this holds (product-specific advice)."""
    fits: SafeRegex | None = None
    """Regex on what was seen (the paste, or the pod's logs, events and confirming facts): where it
    matches, this step is the one fix the short answer shows (intents.advice.primary_step)."""
    observed: list[NonEmptyText] = field(default_factory=list)
    """Figures shown with this step when it is the fix, each only when every placeholder in it is
    filled ("limit <memory-limit>", "peak <memory-peak> when it was killed")."""
    fixed_names: list[NonEmptyText] = field(default_factory=list)
    """Names in its command or config that a product fixes, the same in every install (a team's
    own controller `frob`): no example value, so `catalog check` and the fill step leave them
    (intents.fix_values)."""


STATES_DOC = """The rule reads what a pasted object shows outright (a unit down, a DaemonSet short of its
pods): when it holds, the paste states the entry as surely as one of its patterns states a
line. It states rather than confirms, and no cluster read checks it."""


def _check_rule(rule: object) -> None:
    if not as_dict(
        rule, exclude=frozenset({"describe", "previous_log", "states"}), exclude_none=True
    ):
        raise ValueError("evidence rule has no predicate besides 'describe'")


def evidence_rule_class(kinds: tuple[FactKind, ...]) -> type:
    """The catalog's evidence rule: `describe`, every field the fact kinds declare, `states`.

    A fact the cluster can show that confirms the entry: every field that is set must hold
    for the rule to match (logical AND); `describe` is the sentence shown when it does."""
    specs: list[tuple[str, Any, Any]] = [("describe", NonEmptyText, field())]
    specs += [
        (spec.name, spec.type, field(default=spec.default, metadata={"doc": spec.doc}))
        for kind in kinds
        for spec in kind.fields
    ]
    specs.append(("states", bool, field(default=False, metadata={"doc": STATES_DOC})))
    namespace = {
        "_check": _check_rule,
        "__doc__": evidence_rule_class.__doc__,
        "__module__": __name__,
    }
    return make_dataclass(
        "EvidenceRule", specs, bases=(Strict,), frozen=True, kw_only=True, namespace=namespace
    )


if TYPE_CHECKING:

    @dataclass(frozen=True, kw_only=True)
    class EvidenceRule(Strict):
        """Its fields come from the fact kinds (intents.facts.kinds): typed there, Any here."""

        describe: str
        previous_log: bool = False
        states: bool = False

        def __getattr__(self, name: str) -> Any: ...
else:
    EvidenceRule = evidence_rule_class(KINDS)


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


@dataclass(frozen=True, kw_only=True)
class OfferWhen(Strict):
    """Facts of the diagnosed object that must all hold for an action to be offered.

    Every field that is set must hold (logical AND); a fact that could not be
    read does not hold, so an uncertain case gets no button.
    """

    pod_reason: str | None = None
    """The pod's status reason is this (e.g. Evicted)."""
    crash_looping: bool | None = None
    """A container of the pod is in CrashLoopBackOff, or restarted and not ready."""
    pod_labels: dict[str, list[NonEmptyText]] = field(default_factory=dict)
    """Each label has one of the listed values."""
    has_owner: bool | None = None
    """The pod has a controller that recreates it."""
    owner_kinds: list[WorkloadKind] = field(default_factory=list)
    """The pod's owner chain has one of these kinds; for target `owner` the first such owner
    is the one acted on."""
    node_conditions: list[Annotated[str, Checked(pattern=NODE_CONDITION_TEST)]] = field(
        default_factory=list
    )
    """Node conditions, e.g. DiskPressure=True or Ready!=True (`!=`: the condition is reported
    with another status)."""
    node_cordoned: bool | None = None
    """The node is (or is not) cordoned."""

    def describe(self) -> str:
        """The facts in one line, as the catalog states them ("pod_reason Evicted, has_owner true")."""
        return ", ".join(f"{key} {_fact(value)}" for key, value in named_fields(self).items())


def _known_kind(kind: str) -> str:
    if kind not in ACTION_KINDS:
        raise ValueError(f"unknown action kind {kind!r}; known: {', '.join(ACTION_KINDS)}")
    return kind


Effect = Literal["fixes", "mitigates"]
"""What an action does to the cause: `fixes` removes it; `mitigates` only eases or tidies up after
it (a restart, a cordon, deleting what is left over). Only `fixes` is offered as a button."""


@dataclass(frozen=True, kw_only=True)
class RemediationAction(Strict):
    """A one-click action and whether it fixes the cause; a button only when it does and the evidence fits."""

    kind: Annotated[str, After(_known_kind)]
    label: Annotated[str, Checked(min_length=1, max_length=75)]
    """The button's text: what clicking it does to the problem ("Recreate the pod ...")."""
    effect: Effect
    target: OfferTarget
    when: OfferWhen = field(default_factory=OfferWhen)
    claim_prefix: str | None = None
    """delete-pvc-and-pod: the pod's only claim, or else its only claim whose name starts with this."""

    def _check(self) -> None:
        allowed = ACTION_TARGETS[self.kind]
        if self.target not in allowed:
            raise ValueError(
                f"{self.kind} cannot target {self.target!r}; allowed: {', '.join(allowed) or 'none'}"
            )
        if self.target == "owner" and not self.when.owner_kinds:
            raise ValueError("target 'owner' needs when.owner_kinds (which workload to act on)")
        if self.kind == "rollout-restart" and not set(self.when.owner_kinds) <= set(
            RESTARTABLE_KINDS
        ):
            raise ValueError(f"rollout-restart acts only on {', '.join(RESTARTABLE_KINDS)}")
        if self.claim_prefix is not None and self.kind != "delete-pvc-and-pod":
            raise ValueError("claim_prefix applies to delete-pvc-and-pod only")


@dataclass(frozen=True, kw_only=True)
class WatchTrigger(Strict):
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
    node_condition: Annotated[str, Checked(pattern=NODE_CONDITION_TEST)] | None = None
    event_reason: str | None = None
    involved_kind: Literal["Job", "Node"] | None = None

    def _check(self) -> None:
        fields = {
            "pod": {"waiting", "last_terminated", "recent", "phase", "pod_reason"},
            "node": {"node_condition"},
            "event": {"event_reason", "involved_kind"},
        }[self.kind]
        named = set(named_fields(self)) - {"kind"}
        if named - fields:
            raise ValueError(f"watch on {self.kind} cannot use {', '.join(sorted(named - fields))}")
        if not named:
            raise ValueError(f"watch on {self.kind} names no state")
        if self.kind == "event" and not (self.event_reason and self.involved_kind):
            raise ValueError("watch on event needs event_reason and involved_kind")
        if self.kind == "pod" and self.recent and not self.last_terminated:
            raise ValueError("watch recent: true needs last_terminated")
        if (
            self.kind == "pod"
            and (self.phase or self.pod_reason)
            and (self.waiting or self.last_terminated)
        ):
            raise ValueError(
                "watch on pod: a phase/pod_reason state and a container state are separate triggers"
            )
        if self.kind == "pod" and self.last_terminated and not (self.waiting or self.recent):
            raise ValueError(
                "watch last_terminated needs waiting (the container is waiting again) or recent: true"
            )

    @property
    def specificity(self) -> int:
        """How many conditions the trigger sets: the most specific fitting trigger wins."""
        return len(named_fields(self)) - 1


_WALK_PLACEHOLDER = re.compile(r"<([a-z][a-z0-9-]*)>")


@dataclass(frozen=True, kw_only=True)
class WalkClaim(Strict):
    """A finding of the suspects walk (intents/walk_findings.py) this entry names, and the one
    fix said with it: a line whose `<placeholders>` (WALK_NAMES) the walk fills with the names
    it read, e.g. `Uncordon the node: kubectl uncordon <node>`."""

    finding: WalkFinding
    fix: NonEmptyText

    def _check(self) -> None:
        if "\n" in self.fix.strip():
            raise ValueError("walk fix: one line")
        unknown = sorted(set(_WALK_PLACEHOLDER.findall(self.fix)) - set(WALK_NAMES))
        if unknown:
            raise ValueError(
                f"walk fix: unknown placeholder(s) {', '.join(unknown)}; "
                f"known: {', '.join(WALK_NAMES)}"
            )


ALERT_NAME = r"^[A-Za-z_:][A-Za-z0-9_:]*$"
LABEL_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
TARGET_LABELS = (
    "namespace",
    "pod",
    "container",
    "node",
    "deployment",
    "statefulset",
    "daemonset",
    "job_name",
    "persistentvolumeclaim",
    "persistentvolume",
    "horizontalpodautoscaler",
    "resourcequota",
    "service",
    "cluster",
)
"""Alert labels kubemedic can turn into an evidence target (kubernetes-mixin label names)."""


def _known_target_labels(target: list[str]) -> list[str]:
    unknown = [name for name in target if name not in TARGET_LABELS]
    if unknown:
        raise ValueError(
            f"unknown target label(s) {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(TARGET_LABELS)}"
        )
    return target


def _safe_label_regexes(labels: dict[str, str]) -> dict[str, str]:
    _safe_regexes(list(labels.values()))
    return labels


@dataclass(frozen=True, kw_only=True)
class AlertMapping(Strict):
    """A Prometheus/Alertmanager alert the entry explains, and where its evidence is.

    `target` lists the label names that pick the object to diagnose (None:
    derived from the standard labels; empty: nothing in the cluster to read).
    `labels` narrows the mapping to alerts whose labels fully match these
    regexes (e.g. KubeContainerWaiting with reason=ImagePullBackOff);
    `priority` breaks a tie when two entries claim the same alert.
    """

    name: Annotated[str, Checked(pattern=ALERT_NAME)]
    target: Annotated[list[str], After(_known_target_labels)] | None = None
    labels: Annotated[
        dict[Annotated[str, Checked(pattern=LABEL_NAME)], str], After(_safe_label_regexes)
    ] = field(default_factory=dict)
    priority: int = 0


_GO_PATH = r"\A\s*+(?P<path>[\w.-]++(?:/[\w.-]++)++)"
_GO_FUNCTION = re.compile(_GO_PATH + r"(?:\(.*\))?\s*+")
_GO_METHOD = re.compile(_GO_PATH + r"\(\*?\w+\)\.[\w.]++(?:\(.*\))?\s*+")


def is_go_stack_frame(line: str) -> bool:
    """A Go stack frame line (`helm.sh/helm/v3/pkg/action.(*Upgrade).Run`): a location, not a
    message. The path is read once (each part possessively), then its last part checked in code:
    `package.Function` (the function holds no dash), or `package.` before `(*Type).Method`."""
    method = _GO_METHOD.fullmatch(line)
    if method is not None and (last := method["path"].rsplit("/", 1)[1]).endswith("."):
        return len(last) >= 2 or _go_function(line)
    return _go_function(line)


def _go_function(line: str) -> bool:
    """`package.Function` ends the path (the function holds no dash)."""
    function = _GO_FUNCTION.fullmatch(line)
    if function is None:
        return False
    last = function["path"].rsplit("/", 1)[1]
    dash = last.rfind("-")
    return "." in last[max(1, dash + 1) : len(last) - 1]


def _distinct(symptoms: list[str]) -> list[str]:
    if len({s.strip().lower() for s in symptoms}) != len(symptoms):
        raise ValueError("symptoms contain duplicates")
    return symptoms


def _no_stack_frames(symptoms: list[str]) -> list[str]:
    frame = next(
        (number for number, symptom in enumerate(symptoms) if is_go_stack_frame(symptom)), None
    )
    if frame is not None:
        raise ValueError(
            f"symptoms[{frame}] is a Go stack frame: read fuzzily it resembles every "
            "frame of the same package; match the function exactly with a pattern"
        )
    return symptoms


@dataclass(frozen=True, kw_only=True)
class CatalogEntry(Strict):
    """One known incident: how it looks, why it happens, how to fix it."""

    id: Annotated[str, Checked(pattern=ENTRY_ID)]
    title: NonEmptyText
    summary: NonEmptyText
    symptoms: Annotated[
        list[NonEmptyText], Checked(min_length=1), After(_distinct), After(_no_stack_frames)
    ]
    patterns: SafeRegexes = field(default_factory=list)
    root_cause: NonEmptyText
    fix: Annotated[list[FixStep], Checked(min_length=1)]
    links: Annotated[list[Link], Checked(min_length=1)]
    sources: Annotated[list[NonEmptyText], Checked(min_length=1)]
    tags: list[NonEmptyText] = field(default_factory=list)
    fallback: bool = False
    """A catch-all that loses ties to any specific entry."""
    excludes: SafeRegexes = field(default_factory=list)
    """Regexes for the healthy opposite of a symptom: a paste line matching one of them is
    never evidence for this entry (e.g. 'NodeHasNoDiskPressure')."""
    requires: SafeRegexes = field(default_factory=list)
    """Regexes of which at least one must occur in the paste for this entry to be answered
    (e.g. 'istio|envoy' for an Istio-only problem); otherwise it stays low."""
    evidence: list[EvidenceRule] = field(default_factory=list)
    remediation: list[RemediationAction] = field(default_factory=list)
    alerts: list[AlertMapping] = field(default_factory=list)
    """Alertmanager alerts this entry explains (kubemedic's alert receiver)."""
    watch: list[WatchTrigger] = field(default_factory=list)
    """Cluster states the opt-in watcher reports as this entry."""
    walk: list[WalkClaim] = field(default_factory=list)
    """Findings of the suspects walk this entry names, each with its one-line fix."""
    symptom: NonEmptyText | None = None
    """Declares the entry a symptom (a state with many possible causes) and names it for the
    answer's chain, e.g. 'Node NotReady'."""
    explains: list[Annotated[str, Checked(pattern=ENTRY_ID)]] = field(default_factory=list)
    """Symptom entries this cause explains: when both are found, this entry leads and the
    symptom's match names it under `because`."""
    outranks: list[Annotated[str, Checked(pattern=ENTRY_ID)]] = field(default_factory=list)
    """Entries this one leads when both are answered at the same strength; both stay separate
    answers (a failing liveness probe restarts the container, a failing readiness probe only
    takes it out of its Service's endpoints)."""
    product: NonEmptyText | None = None
    """The product the entry is about (TiDB, Istio, ingress-nginx...); none for a problem of
    Kubernetes itself. The catalog site lists the entries without one first."""
    pack: str | None = None
    """The catalog pack the entry comes from: set by the loader from its folder, never written
    in the file (intents.loader refuses it there)."""
    team: bool = False
    """From KUBEMEDIC_CATALOG_DIRS (a team's directory or pack), not shipped with kubemedic: set
    by the loader, like `pack`."""

    @property
    def origin(self) -> str | None:
        """Where the answer comes from, when not the core catalog: `pack istio`, `team pack frob`,
        `team catalog` (an entry of a team's plain directory)."""
        if self.pack is not None:
            return f"team pack {self.pack}" if self.team else f"pack {self.pack}"
        return "team catalog" if self.team else None

    def _check(self) -> None:
        """`explains` names other entries once each, `outranks` neither the entry nor one it
        explains; some fix step and link apply everywhere;
        an `excludes` never matches the entry's own symptom; `requires` fits one of them."""
        if self.id in self.explains:
            raise ValueError("explains: an entry cannot explain itself")
        if len(set(self.explains)) != len(self.explains):
            raise ValueError("explains: contains duplicates")
        if self.id in self.outranks or set(self.outranks) & set(self.explains):
            raise ValueError("outranks: names the entry itself or an entry it already explains")
        if all(step.context for step in self.fix):
            raise ValueError("fix: every step has a context; at least one must apply everywhere")
        if all(link.context for link in self.links):
            raise ValueError("links: every link has a context; at least one must apply everywhere")
        if regexes_checked() and (
            problems := guard_problems(self.symptoms, self.excludes, self.requires)
        ):
            raise ValueError("; ".join(problems))


def guard_problems(symptoms: list[str], excludes: list[str], requires: list[str]) -> list[str]:
    """Why an entry's healthy-opposite guards contradict its own symptoms (empty: they fit)."""
    problems = []
    for number, pattern in enumerate(excludes):
        hit = next((n for n, symptom in enumerate(symptoms) if search(pattern, symptom)), None)
        if hit is not None:
            problems.append(
                f"excludes[{number}] {pattern!r} matches the entry's own symptoms[{hit}] "
                "(a healthy opposite must not describe the failure itself)"
            )
    if requires and not any(search(p, symptom) for p in requires for symptom in symptoms):
        problems.append(
            "requires: none of the entry's symptoms contains what it requires, "
            "so the entry could never be answered"
        )
    return problems


Confidence = Literal["high", "medium", "low"]
