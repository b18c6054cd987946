"""A pasted error checked against the connected cluster: the match, then confirming evidence.

A paste names its pod (a describe's Name and Namespace, an event's `pod/NAME`, a typed
`kubectl logs NAME -n NS`) or its workload; the names are the paste's own reading's
(bot/diagnosis/paste.py `read_names`). With a cluster connected, that one pod is read, with its
events and owners only (or a workload, its selector's least healthy pod), within the door's
timeout, off the event loop as every gateway read is. What the pod shows now judges the
paste's candidates:

- it fails now: the catalog's evidence rules that hold on it confirm their entries (the fact
  shown, where it was read), and an entry whose rules read what the pod shows and none holds
  is contradicted: dropped, never offered (intents/decision/present_rules.py);
- it runs, every container ready since after its failures were last seen (and after the
  paste's moment, when given), for longer than they used to recur: it got past them
  (bot/evidence/history.py `judged_past`, from the facts' `recovery`), and no answer is high for a
  failure that is over. So too when it restarted within the hour (`classify` says
  "Restarting (N)"): a pod that recovered on a real node always has;
- it runs and nothing read says when it failed, or it has not run long enough to tell a
  recovery from the moment between two crashes: nothing is judged (an app may log an error
  and stay ready), neither confirmed nor contradicted by a state it is not in now;
- not found (deleted, another cluster, a name from a doc), refused or too slow: unknown is not
  absent; the answer stays the text's, and says (with its details) what was not read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.cluster import seen
from bot.cluster.caching import CachingReader
from bot.cluster.errors import ClusterError, NotFound
from bot.cluster.moments import judged_at
from bot.cluster.reader import ClusterReader, JsonObject
from bot.diagnosis.naming import Names
from bot.diagnosis.paste_evidence import refuted
from bot.diagnosis.workload import label_selector
from bot.evidence.common import failure_reason
from bot.evidence.health import classify
from bot.evidence.history import Past, judged_past
from bot.evidence.pods import pod_facts
from bot.evidence.registry import COLLECTORS
from bot.evidence.rules import confirm
from bot.evidence.runner import gather_pod_facts
from intents.facts.model import PodFacts
from intents.findings import ClusterNow, Confirmation
from intents.schema import CatalogEntry

READ = {what: COLLECTORS[what] for what in ("events", "owners")}
"""What is read beside the pod: its events (and its claims' and owner's), its owner chain."""
LOGS = {"logs": COLLECTORS["logs"]}
"""Read too when a candidate's evidence is what the pod logs (an app's stated cause)."""
SHOWN = frozenset(
    {seen.PHASE, seen.POD_MESSAGES, seen.CONTAINER_STATES, seen.EXIT_CODES, seen.CONTAINER_MESSAGES}
)
"""What a pod read from a cluster shows whole (bot/cluster/seen.py); its events when read."""
MAX_NAMESPACES = 5
"""Allowed namespaces looked in for a pod the paste names without one."""
MAX_WORKLOAD_PODS = 50


@dataclass(frozen=True)
class Connected:
    """The cluster a door reads, and the namespaces it may read (empty: all)."""

    reader: ClusterReader
    namespaces: frozenset[str] = frozenset()

    def may_read(self, namespace: str) -> bool:
        return not self.namespaces or namespace in self.namespaces


@dataclass(frozen=True)
class Checked:
    """What the cluster said of the paste's object: one line for the answer, and what it
    changes (its confirmations, and what it shows now for the decision)."""

    said: str
    confirmations: dict[str, Confirmation] = field(default_factory=dict)
    now: ClusterNow | None = None

    @property
    def changes(self) -> bool:
        return bool(self.confirmations) or self.now is not None


def _reads_logs(entry: CatalogEntry) -> bool:
    return any(rule.log_pattern or rule.app_cause for rule in entry.evidence)


class _Unchecked(Exception):
    """The paste's object could not be located; its message is the answer's line."""


async def check_paste(
    cluster: Connected,
    names: Names,
    entries: Sequence[CatalogEntry],
    *,
    at: datetime | None = None,
    timeout: float,
) -> Checked | None:
    """The cluster's word on `entries` (the paste's candidates) for the pod or workload `names`
    gives; None when the paste names neither."""
    if not names.get("pod") and not (names.get("deployment") and names.get("namespace")):
        return None
    reader = CachingReader(cluster.reader)
    try:
        async with asyncio.timeout(timeout):
            namespace, pod = await _located(cluster, reader, names)
            read = {**READ, **LOGS} if any(map(_reads_logs, entries)) else READ
            facts = await gather_pod_facts(reader, namespace, pod, collectors=read, timeout=timeout)
    except _Unchecked as exc:
        return Checked(str(exc))
    except NotFound:
        return Checked(not_found(_asked(names), reader.cluster_name))
    except (ClusterError, TimeoutError) as exc:
        reason = (
            failure_reason(exc)
            if isinstance(exc, ClusterError)
            else f"timed out after {timeout:g}s"
        )
        return Checked(unreadable(_asked(names), reader.cluster_name, reason))
    as_of = judged_at(cluster.reader)
    # off the event loop: the entries' log rules read up to the pod's log tails
    return await asyncio.to_thread(
        judged, facts, entries, cluster=reader.cluster_name, at=at, as_of=as_of
    )


def judged(
    facts: PodFacts,
    entries: Sequence[CatalogEntry],
    *,
    cluster: str,
    at: datetime | None,
    as_of: datetime,
) -> Checked:
    """What the pod's present says of each candidate entry."""
    health = classify(facts)
    read = f"pod {facts.ref} in cluster {cluster}: {health.status}"
    if facts.recovery is not None:  # ready now, even if restarted within the hour ("Restarting")
        since = facts.recovery.since
        after = at is None or since > at
        past = judged_past(facts.recovery, facts.events, as_of, facts.name) if after else Past()
        if past.over:
            return Checked(f"{read}; {past.over}", now=ClusterNow(read, over=past.over))
        if past.soon:  # past them now, too lately to tell a recovery from a pause: not said high
            return Checked(
                f"{still_ready(read)}; {past.soon}", now=ClusterNow(read, soon=past.soon)
            )
        return Checked(still_ready(read))  # between two crashes, or past them: not told
    if health.healthy:
        return Checked(still_ready(read))
    where = f"cluster {cluster}: pod {facts.ref}"
    confirmations = {}
    for entry in entries:
        found = confirm(entry, facts)
        if found:
            evidence = tuple(f"{fact} ({where})" for fact in found.evidence)
            confirmations[entry.id] = Confirmation(evidence, found.direct, found.strength)
    shown = [SHOWN | ({seen.EVENTS, seen.POD_EVENTS} if _events_read(facts) else set())]
    contradicted = frozenset(
        entry.id
        for entry in entries
        if entry.id not in confirmations and refuted(entry, shown, None)
    )
    said = failing(read, sorted(confirmations), sorted(contradicted))
    now = ClusterNow(read, refuted=contradicted) if contradicted else None
    return Checked(said, confirmations, now)


def merged(
    pasted: dict[str, Confirmation], read: dict[str, Confirmation]
) -> dict[str, Confirmation]:
    """The paste's confirmations with the cluster's added (both facts kept for an entry both confirm)."""
    out = dict(pasted)
    for entry_id, found in read.items():
        had = out.get(entry_id, Confirmation())
        out[entry_id] = Confirmation(
            (*had.evidence, *found.evidence),
            had.direct or found.direct,
            max(had.strength, found.strength),
            had.subjects | found.subjects,
        )
    return out


async def _located(cluster: Connected, reader: ClusterReader, names: Names) -> tuple[str, str]:
    """(namespace, pod) of the paste's pod, or of its workload's least healthy pod."""
    pod, namespace = names.get("pod"), names.get("namespace")
    if namespace is not None and not cluster.may_read(namespace):
        raise _Unchecked(outside(namespace))
    if pod is None:
        assert namespace is not None
        return namespace, await _workload_pod(reader, namespace, str(names.get("deployment")))
    if namespace is not None:
        return namespace, pod
    if cluster.namespaces:
        for allowed in sorted(cluster.namespaces)[:MAX_NAMESPACES]:
            try:
                await reader.get("pods", pod, allowed)
            except NotFound:
                continue
            return allowed, pod
        raise NotFound(pod)
    found = await reader.list("pods", None, field_selector=f"metadata.name={pod}", limit=2)
    spaces = [str((item.get("metadata") or {}).get("namespace") or "") for item in found]
    if len(spaces) > 1:
        raise _Unchecked(ambiguous(pod, reader.cluster_name))
    if not spaces:
        raise NotFound(pod)
    return spaces[0], pod


async def _workload_pod(reader: ClusterReader, namespace: str, name: str) -> str:
    """The Deployment's least healthy pod (NotFound: no Deployment, or no pod of it)."""
    deployment = await reader.get("deployments", name, namespace)
    selector = label_selector((deployment.get("spec") or {}).get("selector"))
    pods = (
        await reader.list("pods", namespace, label_selector=selector, limit=MAX_WORKLOAD_PODS)
        if selector
        else []
    )
    if not pods:
        raise NotFound(name)
    worst = min(pods, key=lambda pod: (classify(pod_facts(pod)).severity, _name(pod)))
    return _name(worst)


def _name(obj: JsonObject) -> str:
    return str((obj.get("metadata") or {}).get("name", ""))


def _asked(names: Names) -> str:
    pod, namespace = names.get("pod"), names.get("namespace")
    if pod is None:
        return f"deployment {namespace}/{names.get('deployment')}"
    return f"pod {namespace}/{pod}" if namespace else f"pod {pod}"


def _events_read(facts: PodFacts) -> bool:
    return not any(gap.startswith(f"could not read {READ['events'].what}") for gap in facts.gaps)


# ---------------------------------------------------------------- what the answer says


def still_ready(read: str) -> str:
    return f"{read}, every container ready now; nothing read says when the pasted failure was"


def failing(read: str, confirmed: list[str], contradicted: list[str]) -> str:
    said = [read]
    if confirmed:
        said.append(f"it confirms {', '.join(confirmed)}")
    if contradicted:
        said.append(f"it contradicts {', '.join(contradicted)} (dropped)")
    return "; ".join(said)


TEXT_ALONE = "answered from the pasted text alone"


def not_found(asked: str, cluster: str) -> str:
    return f"{asked} not found in cluster {cluster}: {TEXT_ALONE}"


def unreadable(asked: str, cluster: str, reason: str) -> str:
    return f"could not check {asked} in cluster {cluster}: {reason}; {TEXT_ALONE}"


def outside(namespace: str) -> str:
    return f"not checked: kubemedic may not read namespace {namespace}; {TEXT_ALONE}"


def ambiguous(pod: str, cluster: str) -> str:
    return f"not checked: pods named {pod} are in several namespaces of {cluster}; {TEXT_ALONE}"
