"""`kubectl get nodes` rows: each node's Ready condition and whether it is cordoned.

A Ready row is healthy and keeps no facts (only the section it shows, and its name for a later
snapshot: bot.paste.readings.latest_rows); so is a control-plane node Ready,SchedulingDisabled, which
many installers (kubeasz, kops, kubespray) leave cordoned on purpose.
"""

from __future__ import annotations

from bot.cluster.outputs.table import Header, split_row
from bot.evidence import health
from bot.paste.model import Subject, condition_section
from bot.paste.readings.get_pods import NAME, short_name
from bot.paste.table_model import HealthyRow, Row, TableReading
from intents.facts.model import NodeCondition, NodeFacts
from intents.lazy_re import lazy_compile

HEALTHY_SECTIONS = frozenset({condition_section("Ready")})
_CONTROL_PLANE_ROLE = lazy_compile(r"\b(?:master|control-plane)\b")


def healthy(row: dict[str, str]) -> bool:
    status = row.get("STATUS", "")
    if not NAME.match(short_name(row.get("NAME", ""))):
        return False
    return status == "Ready" or (
        status == "Ready,SchedulingDisabled"
        and _CONTROL_PLANE_ROLE.search(row.get("ROLES", "")) is not None
    )


def node_subject(row: dict[str, str], shape: str) -> Subject | None:
    """A node from one row: its Ready condition and whether it is cordoned."""
    name, status = short_name(row.get("NAME", "")), row.get("STATUS", "").split(",")
    ready = {"Ready": "True", "NotReady": "False", "Unknown": "Unknown"}.get(status[0])
    if not NAME.match(name) or ready is None:
        return None
    facts = NodeFacts(
        name=name,
        conditions=[NodeCondition("Ready", ready)],
        unschedulable="SchedulingDisabled" in status,
    )
    return Subject(
        f"node {name}", shape, facts, {condition_section("Ready")}, health.node_healthy(facts)
    )


def read_row(line: str, header: Header, shape: str) -> Row:
    values = split_row(line, header)
    if not values:
        return None
    if healthy(values):
        return HealthyRow(HEALTHY_SECTIONS, None, values.get("NAME"))
    return node_subject(values, shape)


NODES = TableReading(
    "get nodes",
    lambda header: header.kind == "nodes",
    frozenset({"NodeFacts.conditions", "NodeFacts.unschedulable"}),
    row=read_row,
)
