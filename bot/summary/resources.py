"""Kubernetes names mentioned in chat: clusters, namespaces, pods, nodes.

People write `kubectl -n tidb get pod tikv-0`, paste events ("Successfully
assigned web/api-7d9f to node-3") and say "pod/api-1 on node worker-2".
Each pattern is linear (bounded character classes, no nested quantifiers)
because it runs on every recorded message. A name must carry a digit or a
hyphen where plain English would otherwise match ("the pod is down").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from responses.summary import Resources

MAX_PER_KIND = 50
_NAME = r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?"
_DNS = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_MARKED = r"(?=[a-z0-9.-]{0,252}[-0-9])"  # the name holds a digit or a hyphen

_POD_NS = re.compile(rf"\b(?:pods?|assigned)[\s/]+\"?({_DNS})/({_NAME})\b")
_POD = re.compile(rf"\bpods?(?:/|\s+\"?)({_MARKED}{_NAME})\b")
_NODE = re.compile(rf"\bnodes?(?:/|[:=]\s?|\s+\"?)({_MARKED}{_NAME})\b")
_ASSIGNED_NODE = re.compile(rf"\bassigned\s+{_DNS}/{_NAME}\s+to\s+({_NAME})\b")
_NAMESPACE = re.compile(
    rf"(?:\s-n\s?|--namespace[=\s]|\bnamespace[:=]\s?\"?|\bnamespace\s\")({_DNS})\b"
)
_CLUSTER = re.compile(
    r"(?:--context[=\s]|\b(?:cluster|context)[:=]\s?\"?)([A-Za-z0-9][\w.-]{0,62})"
)


@dataclass
class ResourceSets:
    """Names found so far, each kind bounded to `MAX_PER_KIND`."""

    clusters: set[str] = field(default_factory=set)
    namespaces: set[str] = field(default_factory=set)
    pods: set[str] = field(default_factory=set)
    nodes: set[str] = field(default_factory=set)

    def add(self, kind: set[str], name: str) -> None:
        if len(kind) < MAX_PER_KIND and name:
            kind.add(name)

    def scan(self, text: str) -> None:
        """Add every name mentioned in one (already capped) message."""
        lowered = text.lower()
        for namespace, pod in _POD_NS.findall(lowered):
            self.add(self.namespaces, namespace)
            self.add(self.pods, f"{namespace}/{pod}")
        for pod in _POD.findall(lowered):
            if "/" not in pod and not any(p.endswith("/" + pod) for p in self.pods):
                self.add(self.pods, pod)
        named = (
            (self.nodes, _NODE, lowered),
            (self.nodes, _ASSIGNED_NODE, lowered),
            (self.namespaces, _NAMESPACE, lowered),
            (self.clusters, _CLUSTER, text),
        )
        for kind, pattern, where in named:
            for name in pattern.findall(where):
                self.add(kind, name)

    def freeze(self) -> Resources:
        pods = {p for p in self.pods if "/" in p or not any(q.endswith("/" + p) for q in self.pods)}
        return Resources(
            tuple(sorted(self.clusters)),
            tuple(sorted(self.namespaces)),
            tuple(sorted(pods)),
            tuple(sorted(self.nodes)),
        )
