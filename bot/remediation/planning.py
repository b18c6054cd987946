"""Which remediation buttons a diagnosis gets, if any.

An action is offered only when (1) the catalog entry of the diagnosis' top
finding (its `answer`) lists it as fixing the cause (`effect: fixes`; an action
that only mitigates, such as restarting an OOMKilled workload, is never a
button: the answer says what to change instead), (2) the facts its `when` names hold
(`conditions`) and its target can be pinned in the cluster (`planners`),
and (3) the target is inside KUBEMEDIC_NAMESPACES. Further confirmed findings add only the
non-destructive `annotate-debug`; everything else comes from the top finding.

Scope rules:
- With KUBEMEDIC_NAMESPACES set, cluster-scoped actions (cordon/uncordon a
  node, delete an APIService) are never offered: a namespace allowlist means
  the bot may not touch what lies outside every namespace.
- A pasted-text diagnosis has no cluster facts, so it is offered nothing that
  needs a name it cannot verify. Only `delete-apiservice` can apply, and only
  when a reader is given and the cluster confirms the APIService named in the
  text exists and is not Available.
- At most one offer per action kind (Slack routes buttons by action_id).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pydantic import ValidationError

from bot.cluster.errors import ClusterError
from bot.cluster.reader import ClusterReader
from bot.evidence.nodes import parse_node
from bot.evidence.owners import owner_chain
from bot.evidence.pods import pod_facts
from bot.remediation.actions import ACTIONS
from bot.remediation.planners import Context, planned_target
from bot.remediation.targets import Target
from bot.settings import Settings
from intents.facts.model import NodeFacts, PodFacts
from intents.findings import Finding
from intents.schema import CatalogEntry, RemediationAction
from responses.diagnosis import Diagnosis

log = logging.getLogger(__name__)

SECONDARY_KINDS = frozenset({"annotate-debug"})
MAX_TEXT = 256 * 1024


@dataclass(frozen=True)
class Offer:
    """One button to offer: the action kind, its label and the verified target."""

    kind: str
    label: str
    target: Target
    catalog_id: str

    @property
    def confirm_text(self) -> str:
        """Exactly what will change, as the confirm dialog states it."""
        return ACTIONS[self.kind].describe(self.target)


def allowed(target: Target, settings: Settings) -> bool:
    """Inside KUBEMEDIC_NAMESPACES (empty = all); cluster-scoped only when it is empty."""
    if not settings.namespaces:
        return True
    return target.namespace_scope is not None and target.namespace_scope in settings.namespaces


def fixing(entry: CatalogEntry) -> list[RemediationAction]:
    """The entry's actions that fix the cause: the only ones ever offered as buttons."""
    return [action for action in entry.remediation if action.effect == "fixes"]


async def read_facts(subject: str, reader: ClusterReader) -> PodFacts | NodeFacts | None:
    """The facts planners need for "pod NS/NAME" or "node NAME", read live; None if unreadable."""
    kind, _, ref = subject.partition(" ")
    try:
        if kind == "node" and ref:
            return parse_node(await reader.get("nodes", ref))
        namespace, _, name = ref.partition("/")
        if kind == "pod" and namespace and name:
            facts = pod_facts(await reader.get("pods", name, namespace))
            if facts.owner_refs:
                facts.owners = await owner_chain(
                    reader, namespace, facts.owner_refs[0], labels=facts.labels
                )
            if facts.node_name:
                facts.node = parse_node(await reader.get("nodes", facts.node_name))
            return facts
    except ClusterError as exc:
        log.info("no remediation offers for %s: %s", subject, exc)
    return None


def _text(diagnosis: Diagnosis, pod: PodFacts | None, pasted: str | None) -> str:
    parts = [pasted] + [
        line.line for finding in diagnosis.findings for line in finding.match.matched
    ]
    for container in pod.containers if pod else ():
        parts += [container.current_log, container.previous_log]
    return "\n".join(part for part in parts if part)[:MAX_TEXT]


async def offers(
    diagnosis: Diagnosis,
    facts: PodFacts | NodeFacts | None,
    *,
    settings: Settings,
    reader: ClusterReader | None = None,
    text: str | None = None,
) -> list[Offer]:
    """The buttons for this diagnosis, best first.

    `facts` are the PodFacts/NodeFacts the diagnosis was made from; when None
    and a `reader` of the diagnosis' cluster is given, the few facts needed
    are read live. `text` is the pasted message, for pasted diagnoses.
    """
    top, candidates = diagnosis.answer, _candidates(diagnosis)
    cluster = diagnosis.cluster or _reader_cluster(reader)
    if top is None or cluster is None or not candidates:
        return []
    pod, node = await _pod_and_node(diagnosis, facts, reader)
    joined = _text(diagnosis, pod, text)
    chosen: dict[str, Offer] = {}
    for finding in candidates:
        context = Context(cluster, finding.match.id, pod, node, reader, joined)
        for action in _actions(finding, primary=finding is top):
            if action.kind not in chosen and (
                offer := await _offer(context, action, settings, subject=diagnosis.subject)
            ):
                chosen[action.kind] = offer
    return list(chosen.values())


def _reader_cluster(reader: ClusterReader | None) -> str | None:
    return reader.cluster_name if reader is not None else None


async def _pod_and_node(
    diagnosis: Diagnosis, facts: PodFacts | NodeFacts | None, reader: ClusterReader | None
) -> tuple[PodFacts | None, NodeFacts | None]:
    """The pod and node the diagnosis is about, read live when no facts came with it."""
    if facts is None and reader is not None and diagnosis.cluster is not None:
        facts = await read_facts(diagnosis.subject, reader)
    if isinstance(facts, PodFacts):
        return facts, facts.node
    return None, facts


def _candidates(diagnosis: Diagnosis) -> list[Finding]:
    """The answer and the other findings confirmed at medium or high confidence; none when
    none of them has a fix."""
    found = [
        f
        for f in diagnosis.findings
        if f is diagnosis.answer or (f.confirmed and f.match.confidence != "low")
    ]
    return found if any(fixing(f.match.entry) for f in found) else []


def _actions(finding: Finding, *, primary: bool) -> list[RemediationAction]:
    """The finding's fixes; a further finding offers only the secondary kinds."""
    return [
        action
        for action in fixing(finding.match.entry)
        if primary or action.kind in SECONDARY_KINDS
    ]


async def _offer(
    context: Context,
    action: RemediationAction,
    settings: Settings,
    *,
    subject: str,
) -> Offer | None:
    """The action's button, if its target can be planned and is allowed here."""
    try:
        target = await planned_target(context, action)
    except (ClusterError, ValidationError) as exc:
        log.info("no %s offer for %s: %s", action.kind, subject, exc)
        return None
    if target is None or not allowed(target, settings):
        return None
    return Offer(action.kind, action.label, target, context.entry_id)
