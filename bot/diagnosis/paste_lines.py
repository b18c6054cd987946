"""Which lines of a pasted `kubectl describe` say nothing of a failure: kept from the matcher.

A describe the one reader read (bot/cluster/outputs/describe.py) is mostly configuration: names,
labels, images' ids, mounts, volumes, tolerations, a node's capacity and addresses. Only its
states (a container waiting or terminated, a Message, a condition in the wrong state, a pressure
taint, a failing event) are text worth matching; every other line of an unhealthy describe is
quiet, as is every line of a healthy one. Event rows are judged by their own event (`events`:
line -> healthy); a message continued over lines goes with its row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.cluster.outputs.scan import keyed
from bot.evidence.health import PRESSURE_TAINTS
from intents.lazy_re import lazy_compile

LISTINGS = frozenset(
    {
        "Labels",
        "Annotations",
        "IPs",
        "Limits",
        "Requests",
        "Environment",
        "Environment Variables from",
        "Mounts",
        "Volumes",
        "Tolerations",
        "Node-Selectors",
        "Readiness Gates",
        "Topology Spread Constraints",
    }
)
"""Sections whose following lines are configuration, not state."""
BOILERPLATE = LISTINGS | {
    "Name",
    "Namespace",
    "Priority",
    "Priority Class Name",
    "Runtime Class Name",
    "Service Account",
    "Node",
    "Start Time",
    "IP",
    "Controlled By",
    "Container ID",
    "Image ID",
    "Port",
    "Host Port",
    "Ports",
    "Host Ports",
    "QoS Class",
    "SeccompProfile",
    "Started",
    "Finished",
    "Conditions",
    "Type",
    "Init Containers",
    "Containers",
    "Events",
    "Volume Claims",
    "NominatedNodeName",
}
"""Keys whose line is configuration or a heading (quiet whatever its value)."""
HEALTHY_VALUES = frozenset(
    {
        ("Ready", "True"),
        ("Restart Count", "0"),
        ("Status", "Running"),
        ("Status", "Succeeded"),
        ("State", "Running"),
    }
)
HEALTHY_WHEN_FALSE = frozenset(
    {
        "ReplicaFailure",
        "Failed",
        "Suspended",
        "FailureTarget",
        # a Namespace being deleted reports each step that is stuck as True
        "NamespaceDeletionDiscoveryFailure",
        "NamespaceDeletionGroupVersionParsingFailure",
        "NamespaceDeletionContentFailure",
        "NamespaceContentRemaining",
        "NamespaceFinalizersRemaining",
    }
)
"""Conditions that are healthy when False; every other condition is healthy when True."""
_SECTIONS = {
    "Containers": "containers",
    "Init Containers": "containers",
    "Conditions": "conditions",
    "Events": "events",
    "Volumes": "volumes",
}
_CONTAINER_NAME = lazy_compile(r"^[a-z0-9][a-z0-9.-]{0,62}:$")
_CONDITION = lazy_compile(r"^([A-Z][A-Za-z]{1,60})\s+(True|False|Unknown)(?:\s|$)")
_DASHES = lazy_compile(r"^-{2,}(?:\s+-{2,})+$")
_TAINT = lazy_compile(r"^(?:Taints:\s+)?([A-Za-z0-9][\w./-]{0,253})(?:=[^:\s]{0,63})?:[A-Z]\w+$")


def healthy_condition(kind: str, status: str, *, node: bool = False) -> bool:
    """A node's Ready is healthy True and its pressures False; other kinds' conditions True,
    but those that name a failure (HEALTHY_WHEN_FALSE)."""
    if node:
        return status == ("True" if kind == "Ready" else "False")
    return (status == "False") == (kind in HEALTHY_WHEN_FALSE)


@dataclass
class _Pod:
    """Where a describe (of a pod or any kind printed like one) stands while read line by line."""

    section: str = "top"
    listing: bool = False
    message: bool = False
    event: bool = True
    """The verdict of the last event row (its message may go on over the next lines)."""


def describe_quiet(
    lines: Sequence[str],
    start: int,
    stop: int,
    events: Mapping[int, bool],
    *,
    node: bool = False,
    alone: bool = False,
) -> set[int]:
    """The quiet lines of the describe in lines [start, stop) (`alone`: its Events only)."""
    quiet: set[int] = set()
    state = _Pod("events" if alone else "top")
    for number in range(start, stop):
        raw = lines[number]
        if not raw.strip():
            continue
        loud = _node_line(raw, state, events, number) if node else _line(raw, state, events, number)
        if not loud:
            quiet.add(number)
    return quiet


def _events_line(stripped: str, state: _Pod, events: Mapping[int, bool], number: int) -> bool:
    if number in events:
        state.event = events[number]
        return not state.event
    if stripped.startswith(("Type ", "Type\t")) or _DASHES.match(stripped):
        return False
    return not state.event


def _line(raw: str, state: _Pod, events: Mapping[int, bool], number: int) -> bool:
    """Read one line; True when it is loud (text worth matching)."""
    stripped = raw.strip()
    pair = keyed(stripped)
    if state.section == "events" and (pair is None or pair[0] != "Events"):
        return _events_line(stripped, state, events, number)
    if pair is not None and state.section == "volumes" and raw[:1] in (" ", "\t"):
        return False  # a volume's own keys (Type, Name, Optional...): not the pod's
    if pair is not None:
        return _keyed(state, *pair)
    if state.section == "containers" and _CONTAINER_NAME.match(stripped):
        state.listing = state.message = False
        return False
    condition = _CONDITION.match(stripped) if state.section == "conditions" else None
    if condition is not None:
        return not healthy_condition(condition.group(1), condition.group(2))
    if state.message:
        return True
    return not (state.listing or _DASHES.match(stripped) or state.section == "volumes")


def _keyed(state: _Pod, key: str, value: str) -> bool:
    state.message, state.listing = key == "Message", key in LISTINGS
    if key in _SECTIONS:
        state.section = _SECTIONS[key]
        state.listing = key == "Volumes"
    elif key in ("State", "Last State") and state.section != "containers":
        state.section = "containers"
    return not (key in BOILERPLATE or state.listing or (key, value) in HEALTHY_VALUES)


def _node_line(raw: str, state: _Pod, events: Mapping[int, bool], number: int) -> bool:
    """A describe node's line: loud only as a condition in the wrong state, a pressure taint or
    a failing event."""
    stripped = raw.strip()
    pair = keyed(stripped)
    if state.section == "events" and (pair is None or pair[0] != "Events"):
        return _events_line(stripped, state, events, number)
    condition = _CONDITION.match(stripped) if state.section == "conditions" else None
    if condition is not None:
        return not healthy_condition(condition.group(1), condition.group(2), node=True)
    if pair is not None:
        state.section = {"Conditions": "conditions", "Taints": "taints", "Events": "events"}.get(
            pair[0], "node"
        )
    if state.section == "taints" and (taint := _TAINT.match(stripped)) is not None:
        return taint.group(1) in PRESSURE_TAINTS
    return False
