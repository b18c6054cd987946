"""What the hub says about its clusters: refusals of a fleet request, and `/diagnose clusters`.

Plain text (the chat's renderer escapes it where it echoes a name someone typed); times are
said as ages ("12 s ago"), which read the same in every time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from responses.inert import escape

NOT_A_HUB = (
    "this kubemedic is not a fleet hub: it reads its clusters itself (KUBECONFIG, "
    "KUBEMEDIC_CONTEXTS); `/diagnose pod CONTEXT:NS/NAME` picks one"
)
CLUSTERS_BY_COMMAND = "the slash command `/diagnose clusters` lists the clusters this hub reaches"
NOT_OPTED_IN = (
    "its cluster has not opted in to remediation through its agent (on the hub, its token issued "
    "with --remediation; in the cluster, the agent's write Role and KUBEMEDIC_AGENT_REMEDIATION=true: "
    'docs/fleet.md, "Remediation through the agent")'
)
DATABASE_DOWN = "the hub's database is unavailable, so the cluster could not be asked; ask again"
CANNOT_IMPERSONATE = "this agent reads no live cluster, so it cannot act as you"
NO_IDENTITY = (
    "you have no Kubernetes identity on this hub (KUBEMEDIC_IDENTITY_FILE maps chat users to "
    "Kubernetes users; it refuses the others)"
)


def not_opted_in(cluster: str) -> str:
    """A click on a cluster that has not opted in to remediation through its agent."""
    return f"cluster `{cluster}`: {NOT_OPTED_IN}"


def outside_namespaces(namespace: str | None) -> str:
    return (
        f"namespace {namespace} is outside the agent's KUBEMEDIC_NAMESPACES"
        if namespace
        else "cluster-scoped actions are off while the agent's KUBEMEDIC_NAMESPACES is set"
    )


def _known(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "none yet (install an agent: docs/fleet.md)"


def ago(then: datetime, now: datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    if seconds < 172800:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def name_the_cluster(verb: str, names: Sequence[str]) -> str:
    example = {
        "pod": "pod CLUSTER:NAMESPACE/NAME",
        "namespace": "namespace CLUSTER:NAMESPACE",
        "node": "node CLUSTER:NAME",
    }.get(verb, "pod CLUSTER:NAMESPACE/NAME")
    return f"name the cluster: /diagnose {example} (clusters: {_known(names)})"


def unknown_cluster(name: str, names: Sequence[str]) -> str:
    return f"no agent has connected for cluster {name!r}; clusters: {_known(names)}"


def unreachable(cluster: str, last_seen: datetime, now: datetime) -> str:
    return f"cluster {cluster} is unreachable: its agent is not connected (last heard from {ago(last_seen, now)})"


def not_answering(cluster: str, seconds: float) -> str:
    return (
        f"cluster {cluster} is unreachable: its agent took no request within {seconds:g} s; "
        "ask again when it is back (/diagnose clusters shows it)"
    )


def took_too_long(cluster: str, seconds: float) -> str:
    return (
        f"cluster {cluster} did not answer within {seconds:g} s (its agent took the request and did "
        "not come back with an answer); ask again"
    )


def removed(cluster: str) -> str:
    """An ask whose cluster `kubemedic fleet cluster remove` forgot while it waited."""
    said = "was removed from this hub (`kubemedic fleet cluster remove`) while this was being asked"
    return f"cluster {cluster} {said}: nothing will answer it"


def agent_failed(cluster: str, subject: str) -> str:
    return f"the agent of cluster {cluster} could not diagnose {subject}; its log says why"


@dataclass(frozen=True)
class ClusterLine:
    """One agent as `/diagnose clusters` lists it."""

    cluster: str
    version: str
    reachable: bool
    last_seen: datetime
    cannot_read: tuple[str, ...] = ()
    remediation: bool = False
    token: str | None = None
    """What its token says: its key and who proved it, a use from two places (`token_binding`...)."""


def used_from_two_places(
    token_id: str, where: str | None, when: datetime, now: datetime, holder: str | None = None
) -> str:
    """A second connection with a cluster's token was refused: someone else may hold a copy."""
    held = f" (its agent connects from {holder})" if holder else ""
    return (
        f"⚠️ token {token_id} used from two places: a second connection from {where or 'unknown'} "
        f"was refused {ago(when, now)}{held}"
    )


def token_binding(token_id: str, key: str | None, connected_from: str | None) -> str:
    """What a cluster's token is bound to, and where the connection that proved it comes from."""
    if key is None:
        where = f", connected from {connected_from}" if connected_from else ""
        return f"⚠️ token {token_id} is unbound{where}: a copy of it can connect as this agent"
    proven = f", proven from {connected_from}" if connected_from else ""
    return f"🔑 token {token_id} bound to agent key {key[:8]}...{proven}"


def lacking_reads(reads: Sequence[str]) -> str:
    """The reads an agent's RBAC does not grant it, as `/diagnose clusters` says them."""
    shown = ", ".join(reads[:3]) + (", ..." if len(reads) > 3 else "")
    plural = "s" if len(reads) != 1 else ""
    return f"its RBAC lacks {len(reads)} read{plural} kubemedic uses ({shown})"


def clusters_text(
    lines: Sequence[ClusterLine],
    *,
    now: datetime,
    default: str | None = None,
    markdown: bool = False,
) -> str:
    """`/diagnose clusters`: one line per agent, reachable ones first, as Slack's mrkdwn (or, with
    `markdown`, Mattermost's Markdown)."""
    if not lines:
        return "No agent has connected to this hub yet. Install one per cluster: docs/fleet.md"
    bold = "**" if markdown else "*"
    rows = [
        f"{bold}Clusters{bold} ({sum(line.reachable for line in lines)} of {len(lines)} reachable)"
    ]
    for line in sorted(lines, key=lambda line: (not line.reachable, line.cluster)):
        mark = " (this channel's default)" if line.cluster == default else ""
        rows.append(
            f"{'-' if markdown else '•'} `{escape(line.cluster)}`{mark}: {_state(line, now)}"
        )
    return "\n".join(rows)


def _state(line: ClusterLine, now: datetime) -> str:
    """An agent's line after its name: reachable or not, its version, last contact, what it lacks."""
    state = "🟢 connected" if line.reachable else "🔴 unreachable"
    gaps = f"; {escape(lacking_reads(line.cannot_read))}" if line.cannot_read else ""
    writes = "; remediation on" if line.remediation else ""
    token = f"; {escape(line.token)}" if line.token else ""
    return (
        f"{state}, agent {escape(line.version)}, last contact {ago(line.last_seen, now)}"
        f"{gaps}{writes}{token}"
    )
