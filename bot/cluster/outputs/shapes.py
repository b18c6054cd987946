"""Small value shapes kubectl prints the same way in tables and describe: labels, selectors,
ports, access modes, quantities with their fraction (`pods: 2/2`)."""

from __future__ import annotations

import re
from typing import Any

from bot.cluster.outputs.table import none_if_unset

ACCESS_MODES = {
    "RWO": "ReadWriteOnce",
    "ROX": "ReadOnlyMany",
    "RWX": "ReadWriteMany",
    "RWOP": "ReadWriteOncePod",
}
_SET_TERM = re.compile(r"^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$")
_PORT = re.compile(r"^(\d{1,5})(?::(\d{1,5}))?/([A-Z]{2,5})$")
_TERMS = re.compile(r",(?![^(]*\))")
_FRACTION = re.compile(r"^\s*(\d+)/(\d+)\s*$")


def labels(text: str | None) -> dict[str, str]:
    """`a=b,c=d` (or one pair per line, joined by the caller) as a dict; `<none>` is empty."""
    value = none_if_unset(text)
    out: dict[str, str] = {}
    for part in (value or "").split(","):
        key, eq, val = part.strip().partition("=")
        if eq and key:
            out[key] = val
    return out


def selector(text: str | None) -> dict[str, Any] | None:
    """A LabelSelector from kubectl's selector text (`app=x,tier in (a,b)`); None for `<none>`."""
    value = none_if_unset(text)
    if value is None:
        return None
    match_labels: dict[str, str] = {}
    expressions: list[dict[str, Any]] = []
    for term in (t.strip() for t in _TERMS.split(value) if t.strip()):
        if (expression := _expression(term)) is not None:
            expressions.append(expression)
        else:
            key, val = term.split("=", 1)
            match_labels[key.strip()] = val.strip().lstrip("=")
    out: dict[str, Any] = {"matchLabels": match_labels} if match_labels else {}
    if expressions:
        out["matchExpressions"] = expressions
    return out


def _expression(term: str) -> dict[str, Any] | None:
    """A set-based selector term as a matchExpression; None for a `key=value` term."""
    if m := _SET_TERM.match(term):
        values = [v.strip() for v in m[3].split(",") if v.strip()]
        return {"key": m[1], "operator": "In" if m[2] == "in" else "NotIn", "values": values}
    if "!=" in term:
        key, val = term.split("!=", 1)
        return {"key": key, "operator": "NotIn", "values": [val]}
    if "=" in term:
        return None
    if term.startswith("!"):
        return {"key": term[1:], "operator": "DoesNotExist"}
    return {"key": term, "operator": "Exists"}


def service_ports(text: str | None) -> list[dict[str, Any]]:
    """A Service table's PORT(S): `80:30080/TCP,443/TCP` -> port, nodePort, protocol."""
    ports: list[dict[str, Any]] = []
    for part in (none_if_unset(text) or "").split(","):
        if m := _PORT.match(part.strip()):
            port: dict[str, Any] = {"port": int(m[1]), "protocol": m[3]}
            if m[2]:
                port["nodePort"] = int(m[2])
            ports.append(port)
    return ports


def access_modes(text: str | None) -> list[str]:
    return [
        ACCESS_MODES.get(m.strip(), m.strip())
        for m in (none_if_unset(text) or "").split(",")
        if m.strip()
    ]


def fraction(text: str) -> tuple[int, int] | None:
    """`1/3` -> (1, 3)."""
    m = _FRACTION.match(text)
    return (int(m[1]), int(m[2])) if m else None


def used_hard(text: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """A quota table cell `pods: 2/2, requests.cpu: 500m/1` -> (used, hard)."""
    used: dict[str, str] = {}
    hard: dict[str, str] = {}
    for part in (none_if_unset(text) or "").split(","):
        key, _, value = part.strip().partition(":")
        left, slash, right = value.strip().partition("/")
        if key and slash:
            used[key.strip()], hard[key.strip()] = left.strip(), right.strip()
    return used, hard


def number(text: str | None) -> int | None:
    value = none_if_unset(text)
    return int(value) if value is not None and value.isdigit() else None


def port_value(text: str) -> int | str:
    """A port as the API holds it: an int, or a port name."""
    return int(text) if text.isdigit() else text
