"""Label and field selector parsing/matching with kube-apiserver semantics.

Parse errors raise :class:`SelectorError`, which the server turns into a
400 ``BadRequest`` Status with the same wording the real apiserver uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class SelectorError(ValueError):
    """Invalid selector; the message is returned verbatim in a 400 Status."""


# --------------------------------------------------------------------------- labels


@dataclass(frozen=True)
class LabelRequirement:
    """One term of a label selector, e.g. ``app in (a,b)``."""

    key: str
    op: str  # "=", "!=", "in", "notin", "exists", "!"
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, str]) -> bool:
        """Return True when ``labels`` satisfies this requirement."""
        has = self.key in labels
        val = labels.get(self.key)
        if self.op == "exists":
            return has
        if self.op == "!":
            return not has
        if self.op in ("=", "in"):
            return has and val in self.values
        # "!=" and "notin" match objects lacking the key, like the real server
        return not has or val not in self.values


_KEY_RE = re.compile(
    r"^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"
)


def _split_top(selector: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in selector:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def _check_key(key: str, term: str) -> str:
    if not _KEY_RE.match(key):
        raise SelectorError(
            f'unable to parse requirement: invalid label key "{key}": '
            f"name part must consist of alphanumeric characters, '-', '_' or '.'"
        )
    return key


def parse_label_selector(selector: str | None) -> list[LabelRequirement]:
    """Parse a label selector string (equality and set-based syntax)."""
    reqs: list[LabelRequirement] = []
    for term in _split_top(selector or ""):
        m = re.match(r"^(\S+)\s+(in|notin)\s*\((.*)\)$", term)
        if m:
            values = tuple(v.strip() for v in m.group(3).split(",") if v.strip())
            if not values:
                raise SelectorError(
                    f"unable to parse requirement: for '{m.group(2)}', "
                    f"'notin' operators, values set can't be empty"
                )
            reqs.append(LabelRequirement(_check_key(m.group(1), term), m.group(2), values))
            continue
        m = re.match(r"^([^=!\s]+)\s*(==|=|!=)\s*([^=!\s]*)$", term)
        if m:
            op = "!=" if m.group(2) == "!=" else "="
            reqs.append(LabelRequirement(_check_key(m.group(1), term), op, (m.group(3),)))
            continue
        m = re.match(r"^!\s*([^=!\s()]+)$", term)
        if m:
            reqs.append(LabelRequirement(_check_key(m.group(1), term), "!"))
            continue
        if re.match(r"^[^=!\s()<>]+$", term):
            reqs.append(LabelRequirement(_check_key(term, term), "exists"))
            continue
        raise SelectorError(
            f"unable to parse requirement: found '{term}', expected: !, identifier, or 'end of string'"
        )
    return reqs


def label_matcher(selector: str | None) -> Callable[[dict[str, Any]], bool]:
    """Return a predicate over objects for a label selector string."""
    reqs = parse_label_selector(selector)

    def match(obj: dict[str, Any]) -> bool:
        labels = (obj.get("metadata") or {}).get("labels") or {}
        return all(r.matches(labels) for r in reqs)

    return match


# --------------------------------------------------------------------------- fields

_META = ("metadata.name", "metadata.namespace")
_REF = ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")

#: Field selectors each resource supports on a real apiserver (others -> 400).
SUPPORTED_FIELDS: dict[str, tuple[str, ...]] = {
    "pods": _META
    + (
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.schedulerName",
        "spec.serviceAccountName",
        "spec.hostNetwork",
        "status.phase",
        "status.podIP",
        "status.podIPs",
        "status.nominatedNodeName",
    ),
    "events": _META
    + tuple(f"involvedObject.{f}" for f in _REF)
    + ("reason", "reportingComponent", "source", "type"),
    "events.k8s.io/events": _META
    + tuple(f"regarding.{f}" for f in _REF)
    + ("reason", "reportingController", "type"),
    "nodes": _META + ("spec.unschedulable",),
    "namespaces": _META + ("status.phase",),
    "persistentvolumeclaims": _META,
    "persistentvolumes": _META,
    "replicasets": _META + ("status.replicas",),
    "jobs": _META + ("status.successful",),
}


def _field_value(obj: dict[str, Any], path: str) -> str:
    """Resolve a dotted field path to the string form the apiserver compares."""
    if path == "source":  # core events: source is source.component
        cur: Any = (obj.get("source") or {}).get("component", "")
    elif path == "status.podIPs":
        cur = ",".join(ip.get("ip", "") for ip in (obj.get("status") or {}).get("podIPs") or [])
    else:
        cur = obj
        for part in path.split("."):
            cur = cur.get(part) if isinstance(cur, dict) else None
            if cur is None:
                break
    if cur is None:
        return "false" if path in ("spec.unschedulable", "spec.hostNetwork") else ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


def field_matcher(selector: str | None, resource_key: str) -> Callable[[dict[str, Any]], bool]:
    """Return a predicate for a field selector; ``resource_key`` is the plural
    (``events.k8s.io/events`` for the new events API)."""
    supported = SUPPORTED_FIELDS.get(resource_key, _META)
    terms: list[tuple[str, bool, str]] = []
    for raw in (selector or "").split(","):
        term = raw.strip()
        if not term:
            continue
        m = re.match(r"^([^=!]+?)\s*(==|=|!=)\s*(.*)$", term)
        if not m:
            raise SelectorError(f"invalid selector: '{selector}'; can't understand '{term}'")
        field, op, value = m.group(1).strip(), m.group(2), m.group(3).strip()
        if field not in supported:
            raise SelectorError(f"field label not supported: {field}")
        terms.append((field, op != "!=", value))

    def match(obj: dict[str, Any]) -> bool:
        return all((_field_value(obj, f) == v) == eq for f, eq, v in terms)

    return match
