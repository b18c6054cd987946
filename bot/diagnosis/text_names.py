"""The names a pasted text gives, read from the formats Kubernetes itself prints them in.

An event or an error names its object by kind ("pod/web-0", `persistentvolumeclaim
"data-0" not found`, "exceeded quota: compute", `Failed to pull image "..."`,
"untolerated taint {team: data}"), and a command the reader typed names theirs
(`kubectl describe pvc data-0 -n db`). Each kind is read only from the forms that say
that kind, so a claim is never taken for a pod. A kind the text names with two
different values is left unknown: choosing one would be a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from bot.diagnosis.amounts import node_room, pod_requests, request_names
from bot.diagnosis.argocd_names import argocd_names
from bot.diagnosis.issuer_names import issuer_names
from bot.diagnosis.naming import (
    Names,
    image_names,
    names_of,
    owner_names,
    pod_workload,
    valid,
)
from bot.diagnosis.paste_model import Subject
from bot.diagnosis.probe_names import probe_names
from bot.diagnosis.request_names import (
    app_cause_names,
    helm_names,
    lookup_names,
    rbac_names,
    service_names,
    storage_class_names,
    workload_in_describe,
)
from intents.facts.model import NodeFacts, PodFacts

MAX_TEXT = 200_000
_NAME = r"[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?"
_QUOTED = r'"([^"\s]{1,253})"'
_KUBECTL = r"(?:(?<![A-Za-z0-9_.-])|(?<=microk8s\.))kubectl\b"
"""A command the reader typed (after a prompt, a backtick or words in any script; MicroK8s's own)."""
_POD_WORD = r"(?:pod|pods|po)"
_PROSE_AFTER_LOGS = (
    r"(?:gives?|gave|shows?|showed|says?|said|returns?|returned|prints?|printed|provides?"
    r"|provided|tells?|told|reports?|reported|is|was|are|were|output|outputs|only|just|doesn"
    r"|don|didn|fails?|failed|and|but|of|for|from)"
)
"""Words people write after "kubectl logs" in a sentence ("kubectl logs gives this:"): no pod."""
_CLAIM_WORD = r"(?:pvc|pvcs|persistentvolumeclaim|persistentvolumeclaims)"
_NOT_SUBRESOURCE = r"(?!(?:log|status|exec|eviction|binding|portforward|proxy|attach|ephemeralcontainers|resize|scale|finalize)\b)"  # noqa: E501
"""`pods/log`, `persistentvolumeclaims/status`: a subresource in an RBAC message, not an object's name."""

FORMS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, key, re.compile(pattern, flags))
    for kind, key, pattern, flags in (
        # the object column of `kubectl get events` and kubectl's own "kind/name" output
        ("pod", "pod", rf"(?<![\w/.-])pods?/{_NOT_SUBRESOURCE}({_NAME})\b(?![/.-])", 0),
        ("claim", "pvc/", rf"(?<![\w/.-])pvc/{_NOT_SUBRESOURCE}({_NAME})\b(?![/.-])", 0),
        (
            "claim",
            "volumeclaim",
            rf"(?<![\w/.-])persistentvolumeclaims?/{_NOT_SUBRESOURCE}({_NAME})\b(?![/.-])",
            0,
        ),
        ("node", "node", rf"(?<![\w/.-])nodes?/{_NOT_SUBRESOURCE}({_NAME})\b(?![/.-])", 0),
        # API errors and controller messages: pods "web-0" not found, PersistentVolumeClaim "data-0"
        ("pod", "pod", rf"\b[Pp]ods? {_QUOTED}", 0),
        (
            "claim",
            "volumeclaim",
            rf"\b(?:[Pp]ersistent[Vv]olume[Cc]laims?|persistentvolumeclaims?) {_QUOTED}",
            0,
        ),
        ("node", "node", rf"\b[Nn]odes? {_QUOTED}", 0),
        ("namespace", "namespace", rf"\bnamespaces? {_QUOTED}", 0),
        ("quota", "resourcequota", rf"\bresourcequotas? {_QUOTED}", 0),
        ("quota", "quota:", rf"\b(?:exceeded|failed) quota: ({_NAME})\b", 0),
        ("image", "image", rf"\b[Ii]mage {_QUOTED}", 0),
        ("container", "container", rf"\b[Cc]ontainer {_QUOTED}", 0),
        # the kubelet: "Back-off restarting failed container app in pod web-0_shop(uid)"
        ("container", "failed container", rf"\bfailed container ({_NAME}) in pod ", 0),
        # `kubectl describe pod`: its own fields
        ("namespace", "namespace:", rf"^Namespace:[ \t]+({_NAME})[ \t]*$", re.MULTILINE),
        ("node", "node:", rf"^Node:[ \t]+({_NAME})/", re.MULTILINE),
        ("image", "image:", r"^[ \t]+Image:[ \t]+(\S{1,300})[ \t]*$", re.MULTILINE),
        ("claim", "claimname:", rf"^[ \t]+ClaimName:[ \t]+({_NAME})[ \t]*$", re.MULTILINE),
        # `kubectl describe pvc`: the pod that mounts the claim
        ("pod", "used by:", rf"^Used By:[ \t]+({_NAME})[ \t]*$", re.MULTILINE),
    )
)
"""(kind, a word the lowercased text must hold, pattern whose first group is the value). Only forms
that state the kind. Each is read on the lines that hold its word, one line at a time (spaces and tabs
around a field, never newlines), so a paste costs about the lines that mention a kind."""
_ARGS = r"[^\n|;&]{0,200}?"
COMMANDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(_KUBECTL + _ARGS + pattern))
    for kind, pattern in (
        (
            "pod",
            rf"\b(?:describe|get|delete|logs|exec|edit)[ \t]+{_POD_WORD}[ \t]+({_NAME})\b(?![/.-])",
        ),
        # `kubectl logs NAME` names a pod without the word (its flags before it)
        (
            "pod",
            (
                rf"\blogs[ \t]+(?:(?:-p|--previous|-f|--follow|--tail=\d+|(?:-n|-c|--namespace"
                rf"|--container)[ \t=]+{_NAME})[ \t]+)*(?!{_PROSE_AFTER_LOGS}\b)({_NAME})\b(?![/.:-])"
            ),
        ),
        (
            "claim",
            rf"\b(?:describe|get|delete|edit|patch)[ \t]+{_CLAIM_WORD}[ \t]+({_NAME})\b(?![/.-])",
        ),
        ("node", rf"\b(?:describe|get|edit|delete)[ \t]+(?:nodes?|no)[ \t]+({_NAME})\b(?![/.-])"),
        ("node", rf"\b(?:cordon|uncordon|drain)[ \t]+({_NAME})\b(?![/.-])"),
        ("namespace", rf"[ \t](?:-n[ \t]*|--namespace[= ])({_NAME})\b"),
    )
)
"""Commands the reader typed, read on the lines that hold `kubectl` (at most MAX_COMMAND_LINE characters each)."""
MAX_COMMAND_LINE = 1000
MAX_COMMAND_LINES = 200
_ASSIGNED = re.compile(rf"\bSuccessfully assigned ({_NAME})/({_NAME}) to ({_NAME})\b")
_TAINT = re.compile(
    r"\b(?:untolerated taint\(?s?\)?|had taints?) \{([^{}:\s]{1,253}): ?([^{}\s]{0,63})\}"
)
_NODE_TAINT = re.compile(
    r"^Taints:[ \t]+([^\s=:]{1,253})(?:=([^\s:]{0,63}))?:(NoSchedule|PreferNoSchedule|NoExecute)[ \t]*$",
    re.MULTILINE,
)
_KERNEL_USAGE = re.compile(r"\bmemory: usage (\d{1,12})kB, limit (\d{1,12})kB")
_ANON_RSS = re.compile(r"\banon-rss:(\d{1,12})kB")
_LIMITS = re.compile(
    r"^[ \t]+Limits:[ \t]*\n(?:[ \t]+(?!memory:)\S{1,60}:[ \t]+\S{1,60}[ \t]*\n){0,4}"
    r"[ \t]+memory:[ \t]+(\S{1,30})[ \t]*$",
    re.MULTILINE,
)
_REGISTRY_URL = re.compile(r"\bhttps?://((?:[a-z0-9-]++\.)+[a-z0-9-]++(?::\d{1,5})?)/v2/")


def _mebi(kib: int) -> str:
    return f"{kib / 1048576:.1f}Gi" if kib >= 1048576 else f"{max(1, round(kib / 1024))}Mi"


def _kib(quantity: str) -> float:
    number, unit = re.match(r"([\d.]++)(\D*)", quantity).groups()  # type: ignore[union-attr]
    return float(number) * {"Gi": 1048576, "Mi": 1024, "Ki": 1}.get(unit, 1)


LINE_READERS: tuple[tuple[str, Callable[[str], Iterator[tuple[str, str]]]], ...] = (
    ("cannot", rbac_names),
    ("storage", storage_class_names),
    ("lookup ", lookup_names),
    ("getaddrinfo", lookup_names),
    ("unknownhost", lookup_names),
    ("resolve host", lookup_names),
    (".svc", service_names),
    ("helm", helm_names),
    (" pending-", helm_names),  # a `helm list` row of a stuck release
)
"""A word a line must hold, and the reader of the names an error about a request gives there
(bot.diagnosis.request_names)."""
Pairs = Iterable[tuple[str, str]]


MATCH_READERS: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], Pairs]], ...] = (
    ("successfully assigned", _ASSIGNED, lambda m: zip(("namespace", "pod", "node"), m.groups())),
    ("taint", _TAINT, lambda m: [("taint", f"{m[1]}={m[2]}:")]),
    ("taints:", _NODE_TAINT, lambda m: [("taint", f"{m[1]}={m[2] or ''}:{m[3]}")]),
    (
        "memory: usage",
        _KERNEL_USAGE,
        lambda m: [("memory-peak", _mebi(int(m[1]))), ("memory-limit", _mebi(int(m[2])))],
    ),
    ("anon-rss", _ANON_RSS, lambda m: [("memory-peak", _mebi(int(m[1])))]),
    ("/v2/", _REGISTRY_URL, lambda m: [("registry", m[1])]),
)
"""A word a line must hold, a message's pattern, and the (kind, value) pairs of its match: the
pod a scheduler assigned, the taints a scheduler message or a node's `Taints:` names (as
"key=value:effect"), the memory figures of the kernel's OOM lines, a registry's URL."""


def _found(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value) for every name the text states."""
    lines = text.splitlines()
    lowered = [line.lower() for line in lines]

    def having(key: str) -> Iterator[str]:
        return (line for line, low in zip(lines, lowered, strict=True) if key in low)

    for kind, key, pattern in FORMS:
        yield from (
            (kind, match.group(1)) for line in having(key) for match in pattern.finditer(line)
        )
    typed = [line[:MAX_COMMAND_LINE] for line in having("kubectl")][:MAX_COMMAND_LINES]
    for kind, pattern in COMMANDS:
        yield from (
            (kind + TYPED, match.group(1)) for line in typed for match in pattern.finditer(line)
        )
    for word, pattern, pairs in MATCH_READERS:
        yield from (
            pair for line in having(word) for m in pattern.finditer(line) for pair in pairs(m)
        )
    for word, read in LINE_READERS:
        yield from (pair for line in having(word) for pair in read(line))
    yield from app_cause_names(text)
    yield from probe_names(text)
    yield from issuer_names(text)
    yield from argocd_names(text)
    yield from workload_in_describe(lines)
    if any("limits:" in low for low in lowered):  # a describe's Limits spans lines
        yield from (("memory-limit", match.group(1)) for match in _LIMITS.finditer(text))


TYPED = "@typed"
"""Marks a value read from a command the reader typed (`kubectl logs NAME`)."""


def stated(text: str, recorded: Iterable[tuple[str, str]] = ()) -> dict[str, set[str]]:
    """Every valid value the text states, by kind ("taint" as "key=value:effect"); for a kind
    its recorded objects hold as a field (`recorded`, bot.diagnosis.paste_names), theirs. A kind the
    cluster's own messages name keeps their values: a command typed beside them (`kubectl logs`
    of another pod, looked at for clues) names what the reader looked at, not what failed."""
    values: dict[str, set[str]] = defaultdict(set)
    typed: dict[str, set[str]] = defaultdict(set)
    for kind, value in _found(text[:MAX_TEXT]):
        base = kind.removesuffix(TYPED)
        if base == "taint" or valid(base, value):
            (typed if kind.endswith(TYPED) else values)[base].add(value)
    for kind, given in typed.items():
        if not values.get(kind):
            values[kind] = given
    fields: dict[str, set[str]] = defaultdict(set)
    for kind, value in recorded:
        if valid(kind, value):
            fields[kind].add(value)
    return {**values, **fields}  # what an object holds outranks what a message says of it


SYSTEM_TAINTS = (
    "node-role.kubernetes.io/",
    "node.kubernetes.io/",
    "node.cloudprovider.kubernetes.io/",
)
"""Taints Kubernetes sets itself (a control-plane node, a node not ready): beside a taint a person
set (`dedicated: gpu`), the pod is meant to tolerate that one."""
CONTROL_PLANE_TAINTS = ("node-role.kubernetes.io/control-plane=", "node-role.kubernetes.io/master=")
"""The control plane's own taint (as `stated` writes it): never a value a fix puts in an app's
toleration (another role's, an rke2 etcd or an OpenShift infra node's, may be meant for it)."""


def names_in_text(text: str, recorded: Iterable[tuple[str, str]] = ()) -> Names:
    """The names the text (and its `recorded` objects' fields) states once each (a kind named
    with two values stays unknown; of several memory peaks, the highest; of several taints, the
    one Kubernetes did not set, and never the control plane's own)."""
    found = stated(text, recorded)
    values = {kind: next(iter(given)) for kind, given in found.items() if len(given) == 1}
    if found.get("memory-peak"):
        values["memory-peak"] = max(found["memory-peak"], key=_kib)
    values.pop("taint", None)
    names = Names.of(**{kind.replace("-", "_"): value for kind, value in values.items()})
    names = names | _taint_names(found.get("taint", set()))
    return names | image_names(names.get("image"))


def _taint_names(taints: set[str]) -> Names:
    """The key, value and effect of the one taint a person set, else of the one that is not the
    control plane's own (tolerating that is never an app's fix: it fills nothing)."""
    own = [taint for taint in taints if not taint.startswith(SYSTEM_TAINTS)]
    other = [taint for taint in taints if not taint.startswith(CONTROL_PLANE_TAINTS)]
    chosen = own if len(own) == 1 else other
    if len(chosen) != 1:
        return Names()
    pair, _, effect = chosen[0].rpartition(":")
    key, _, value = pair.partition("=")
    return Names.of(taint_key=key, taint_value=value, taint_effect=effect or None)


SUBJECT_KINDS = {
    "pod": "pod",
    "node": "node",
    "persistentvolumeclaim": "claim",
    "resourcequota": "quota",
}
"""The first word of a pasted object's label (bot.diagnosis.paste_subjects) -> the kind of name it is."""


def _subject_names(subject: Subject) -> Names:
    kind = SUBJECT_KINDS.get(subject.label.split(" ", 1)[0].lower())
    facts = subject.facts
    if (
        kind == "pod"
        and isinstance(facts, PodFacts)
        or kind == "node"
        and isinstance(facts, NodeFacts)
    ):
        return names_of(facts)
    if kind in ("claim", "quota") and isinstance(
        facts, PodFacts
    ):  # a claim's facts ride in a PodFacts
        return Names.of(**{kind: facts.name, "namespace": facts.namespace or None})
    return Names()


def paste_names(
    unhealthy: list[Subject],
    text: str,
    shown: Iterable[Subject] = (),
    recorded: Iterable[tuple[str, str]] = (),
) -> Names:
    """The names a paste gives: its one failing pod, node, claim or quota (each under its own kind;
    two of a kind name neither), then what its text states, then the amounts computed from it
    (the pod's requests, the room on the nodes it `shown`)."""
    by_kind: dict[str, dict[str, Names]] = defaultdict(dict)
    for subject in unhealthy:
        kind = SUBJECT_KINDS.get(subject.label.split(" ", 1)[0].lower())
        names = _subject_names(subject)
        if kind is not None and names.get(kind):
            by_kind[kind][str(names.get(kind))] = names
    names = Names()
    for found in by_kind.values():
        if len(found) == 1:
            names = names | next(iter(found.values()))
    nodes = [subject.facts for subject in shown if isinstance(subject.facts, NodeFacts)]
    named = names | names_in_text(text, recorded)
    return named | pod_workload(named.get("pod")) | pod_requests(text) | node_room(nodes)


def names_of_paste(text: str) -> Names:
    """The names a whole paste gives (what `kubemedic match` fills its fix commands with)."""
    from bot.diagnosis.paste_read import read_pasted

    reading = read_pasted(text)
    subjects = reading.subjects
    unhealthy = [subject for subject in subjects if not subject.healthy]
    return paste_names(unhealthy, text, subjects, reading.recorded_names())


def _pod_messages(facts: PodFacts) -> list[str]:
    """The pod's message, then its containers' current and last."""
    return [
        facts.message or "",
        *(c.message or "" for c in facts.containers),
        *(c.last_message or "" for c in facts.containers),
    ]


def facts_text(facts: PodFacts | NodeFacts) -> str:
    """The messages a cluster read holds (events, the pod's and its containers'), where its
    scheduling taint, quota, image or kernel OOM lines are said."""
    messages = [f"{event.reason}: {event.message}" for event in facts.events]
    if isinstance(facts, PodFacts):
        messages += _pod_messages(facts)
    return "\n".join(message for message in messages if message)


def facts_names(facts: PodFacts | NodeFacts | None) -> Names:
    """The names a cluster read gives: the object's own, then what its messages state."""
    if facts is None:
        return Names()
    owner = owner_names(facts) if isinstance(facts, PodFacts) else Names()
    requests = request_names(facts) if isinstance(facts, PodFacts) else Names()
    return names_of(facts) | owner | requests | names_in_text(facts_text(facts))
