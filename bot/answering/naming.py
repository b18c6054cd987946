"""A direct question that names a cluster object: find it, so it is diagnosed as /diagnose would.

"checkout-7d9f keeps restarting in shop" names a pod (or its Deployment) that exists: reading
it beats matching the sentence. Only short questions are read this way (a pasted log names
pods too, and is matched as a paste). Words that look like object names are checked like all
input (RFC 1123) before any request; only allowed contexts and namespaces are read
(KUBEMEDIC_CONTEXTS, KUBEMEDIC_NAMESPACES): a namespace the question names, else the
allowlist, else an exact pod name across namespaces. A Deployment, StatefulSet, DaemonSet or
Job is diagnosed through its least healthy pod. Reads that fail are skipped: this only ever
adds an answer.

A Service or Deployment named in prose with its kind ("the checkout service in shop returns
503s", "deployment payments in prod keeps failing") is walked instead (bot.diagnosis.suspects):
the question becomes the symptom, and the answer leads with the object most likely at fault.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.candidates import Candidate
from bot.answering.requests import DiagnoseRequest
from bot.cluster.names import check_name, check_namespace
from bot.cluster.reader import JsonObject
from bot.errors import BadInput
from bot.evidence.health import classify
from bot.evidence.pods import pod_facts
from intents.tokens import STOPWORDS

MAX_QUESTION_CHARS = 300
MAX_QUESTION_LINES = 3
MAX_NAMES = 4
"""Words read as possible object names, at most (each costs a few requests)."""
MAX_NAMESPACES = 3
MAX_CONTEXTS = 3
MAX_PODS = 2000
FIND_SECONDS = 5.0
_WORD = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")
_NAMESPACE = re.compile(
    r"\b(?:in|namespace|ns|-n|--namespace)[ =:]+([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\b"
)
_SLASHED = re.compile(
    r"\b([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)/([a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)\b"
)
_OWNERS = {
    "ReplicaSet": "deployment",
    "StatefulSet": "statefulset",
    "DaemonSet": "daemonset",
    "Job": "job",
}
SEPARATOR = "|"
_NAME = r"([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)"
_KINDS = {
    "service": "service",
    "svc": "service",
    "deployment": "deployment",
    "deploy": "deployment",
}
_KIND_FIRST = re.compile(rf"(?<![\w./-])(service|svc|deployment|deploy)(?:/| +){_NAME}(?![\w./-])")
_KIND_AFTER = re.compile(rf"(?<![\w./-]){_NAME} +(service|svc|deployment)\b")
_NOT_NAMES = frozenset(
    {
        "get",
        "describe",
        "delete",
        "edit",
        "patch",
        "apply",
        "create",
        "expose",
        "rollout",
        "restart",
        "scale",
        "kubectl",
        "headless",
        "new",
        "old",
        "my",
        "our",
        "your",
        "their",
        "every",
        "each",
        "some",
        "any",
        "one",
        "whole",
        "that",
        "which",
    }
)
"""Words before or after "service" that are not its name ("get service x", "our service")."""
WALKED = ("service", "deployment")
"""What a question names to be walked rather than diagnosed through a pod."""


@dataclass(frozen=True)
class Named:
    """An object the question names: a pod (or a workload's pod) or a node, in one context."""

    verb: str
    """pod, node, service or deployment."""
    context: str | None
    namespace: str | None
    name: str
    said: str
    """What the answer says about it."""
    symptom: str = ""
    """For a Service or Deployment: the question, as the walk's symptom."""

    @property
    def ref(self) -> str:
        return SEPARATOR.join((self.verb, self.context or "", self.namespace or "", self.name))

    def candidate(self) -> Candidate:
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        cluster = f" (context {self.context})" if self.context else ""
        return Candidate(
            id=self.ref, title=f"{self.verb} {where}{cluster}", line="", why=self.said, score=1.0
        )

    def request(self) -> DiagnoseRequest:
        if self.verb == "pod":
            return DiagnoseRequest(
                "pod",
                namespace=self.namespace,
                name=self.name,
                context=self.context,
                said=self.said,
            )
        if self.verb == "service":
            return DiagnoseRequest(
                "service",
                namespace=self.namespace,
                name=self.name,
                context=self.context,
                said=self.said,
                symptom=self.symptom,
            )
        if self.verb == "deployment":  # no Service in front of it: its namespace, from its name
            return DiagnoseRequest(
                "namespace",
                namespace=self.namespace,
                context=self.context,
                said=self.said,
                symptom=self.symptom or f"deployment {self.name}",
            )
        return DiagnoseRequest("node", name=self.name, context=self.context, said=self.said)


def request_of(candidate: Candidate) -> DiagnoseRequest:
    """The diagnosis a "which one?" button stands for; BadInput for anything not made here."""
    verb, context, namespace, name = (candidate.id.split(SEPARATOR) + ["", "", "", ""])[:4]
    if verb not in ("pod", "node", *WALKED):
        raise BadInput("that choice names no pod, node, Service or Deployment")
    check_name(name, what=verb)
    if verb != "node":
        check_namespace(namespace)
    return Named(
        verb, context or None, namespace or None, name, candidate.why, symptom=f"{verb} {name}"
    ).request()


def is_question(text: str) -> bool:
    stripped = text.strip()
    return 0 < len(stripped) <= MAX_QUESTION_CHARS and stripped.count("\n") < MAX_QUESTION_LINES


def _valid(word: str, *, namespace: bool = False) -> bool:
    try:
        check_namespace(word) if namespace else check_name(word, what="object")
    except BadInput:
        return False
    return True


def _pairs_in(lowered: str) -> list[tuple[str, str]]:
    """The valid NAMESPACE/NAME pairs of a question."""
    return [
        (m.group(1), m.group(2))
        for m in _SLASHED.finditer(lowered)
        if _valid(m.group(1), namespace=True) and _valid(m.group(2))
    ]


def names_in(text: str) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """(namespaces named, words that may be names, NAMESPACE/NAME pairs) in a question."""
    lowered = text.lower()
    namespaces = [
        m.group(1) for m in _NAMESPACE.finditer(lowered) if _valid(m.group(1), namespace=True)
    ]
    pairs = _pairs_in(lowered)
    words = [
        w
        for w in dict.fromkeys(_WORD.findall(lowered))
        if w not in STOPWORDS and w not in namespaces and len(w) > 2 and _valid(w)
    ]
    return namespaces, words, pairs


def kinds_in(text: str) -> list[tuple[str, str]]:
    """(service|deployment, name) a question names with its kind: "the checkout service",
    "deployment payments", "svc/cart". Stop words and names kubectl would refuse are left out."""
    lowered = text.lower()
    found = [(_KINDS[m.group(1)], m.group(2)) for m in _KIND_FIRST.finditer(lowered)]
    found += [(_KINDS[m.group(2)], m.group(1)) for m in _KIND_AFTER.finditer(lowered)]
    return [
        (kind, name)
        for kind, name in dict.fromkeys(found)
        if name not in STOPWORDS
        and name not in _KINDS
        and name not in _NOT_NAMES
        and len(name) > 1
        and _valid(name)
    ]


def named_like(word: str) -> bool:
    """Worth a request of its own: a dash or a digit, as generated and versioned names have."""
    return "-" in word or any(ch.isdigit() for ch in word)


def owner_name(pod: JsonObject) -> tuple[str, str] | None:
    """(kind, name) of the workload that owns the pod (a ReplicaSet's Deployment by its name)."""
    for owner in (pod.get("metadata") or {}).get("ownerReferences") or []:
        kind = _OWNERS.get(str(owner.get("kind")))
        if kind is None:
            continue
        name = str(owner.get("name", ""))
        return kind, _deployment_name(pod, name) if kind == "deployment" else name
    return None


def _deployment_name(pod: JsonObject, replica_set: str) -> str:
    """A ReplicaSet's name without its pod-template-hash: its Deployment's."""
    hash_label = ((pod.get("metadata") or {}).get("labels") or {}).get("pod-template-hash")
    if hash_label and replica_set.endswith(f"-{hash_label}"):
        return replica_set[: -len(hash_label) - 1]
    return replica_set


def least_healthy(pods: Sequence[JsonObject]) -> JsonObject:
    return min(
        pods,
        key=lambda pod: (
            classify(pod_facts(pod)).severity,
            str((pod.get("metadata") or {}).get("name")),
        ),
    )


def pod_name(pod: JsonObject) -> str:
    return str((pod.get("metadata") or {}).get("name", ""))
