"""Remediation through the agents: a hub's buttons, carried out in the cluster by its agent.

The hub keeps every safeguard of a single-cluster install (bot/remediation/service.py): the
signed button, the stored pending action and its expiry, KUBEMEDIC_ADMINS and
KUBEMEDIC_NAMESPACES, the "started" audit row before anything happens, the dry run first. What
changes is where the write happens: `FleetWrites` sends the dry run, then the change, to the
cluster's agent as requests routed like a diagnosis (bot/fleet/remote.py), acting as the
clicker's own Kubernetes identity when the hub maps one (the audit row names it). A cluster
that has not opted in is refused at the click, audited and told: the opt-in is the hub's record,
set when the cluster's token was issued (`--remediation`), never an agent's claim; its agent
refuses too unless its own narrow write Role and KUBEMEDIC_AGENT_REMEDIATION are there. Buttons are offered only
for opted-in clusters, from the agent's facts, checked again against the hub's catalog (the
action must fix the entry's cause there too) and the hub's namespaces.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from pydantic import ValidationError

from bot.answering.remediating import Remediating
from bot.answering.requests import Place
from bot.answering.results import DiagnoseResult, RemoteOffer, digest
from bot.cluster.directory import NoClusters
from bot.cluster.errors import ClusterError
from bot.errors import BadInput, UserFacingError
from bot.fleet.remote import RemoteDiagnoser
from bot.fleet.wire import WireAction
from bot.logs import REQUEST_ID
from bot.metrics import Metrics
from bot.remediation.actions import ACTIONS, ActionSpec
from bot.remediation.planning import Offer, allowed, fixing
from bot.remediation.targets import Target
from bot.runtime.clock import Clock
from bot.settings import Settings
from bot.storage.base import Store
from bot.storage.fleet_base import FleetStore
from bot.storage.records import PendingAction
from responses import fleet_messages as say
from responses.answer_actions import ButtonSpec

log = logging.getLogger(__name__)


async def opted_in(store: FleetStore, cluster: str) -> bool:
    """The cluster opted in to remediation through its agent: the hub's record, set when its valid
    token was issued (`fleet token issue CLUSTER --remediation`), never what an agent says."""
    return any(
        token.cluster == cluster and token.remediation and token.revoked_at is None
        for token in await store.list_tokens()
    )


class FleetWrites:
    """`Writes` through the target cluster's agent (see the module docstring)."""

    def __init__(self, remote: RemoteDiagnoser) -> None:
        self.remote = remote

    async def refusal(self, target: Target, *, user: str) -> str | None:
        parts = self.remote.parts
        agent = await parts.store.get_agent(target.cluster)
        if agent is None:
            return f"cluster `{target.cluster}` has no agent on this hub"
        if not await opted_in(parts.store, target.cluster) or (
            agent.connected and not agent.remediation  # its agent declines (no write Role)
        ):
            return say.not_opted_in(target.cluster)
        if not parts.timing.may_return(agent, parts.clock()):
            return say.unreachable(agent.cluster, agent.last_seen, parts.clock())
        try:
            self.remote.identity(user)
        except UserFacingError as exc:
            return exc.reason
        return None

    def identity(self, user: str) -> str | None:
        try:
            who = self.remote.identity(user)
        except UserFacingError:
            return None
        return str(who) if who is not None else None

    async def perform(
        self, spec: ActionSpec[Any], target: Target, *, dry_run: bool, user: str
    ) -> str:
        action = WireAction(kind=spec.kind, target=target.model_dump(mode="json"), dry_run=dry_run)
        id = digest(
            REQUEST_ID.get() or uuid.uuid4().hex,
            "remediate",
            str(dry_run),
            action.model_dump_json(),
        )
        answer = await self.remote.ask(
            target.cluster,
            "remediate",
            id,
            namespace=target.namespace_scope,
            name=getattr(target, "name", None),
            who=self.remote.identity(user),
            action=action,
        )
        if answer.outcome == "done":
            return answer.result
        if answer.outcome == "refused":
            raise BadInput(answer.reason or say.NOT_OPTED_IN)
        raise ClusterError(
            answer.reason
            or f"the agent of cluster {target.cluster} could not carry it out; its log says why"
        )


class FleetRemediating(Remediating):
    """The hub's `RemediationPort`: the agents' offers, carried out by the agents."""

    def __init__(
        self,
        *,
        store: Store,
        settings: Settings,
        metrics: Metrics,
        clock: Clock,
        remote: RemoteDiagnoser,
    ) -> None:
        super().__init__(
            store=store,
            clusters=NoClusters(settings),
            settings=settings,
            metrics=metrics,
            clock=clock,
            writes=FleetWrites(remote),
        )
        self.remote = remote

    async def offer(
        self, result: DiagnoseResult, *, diagnosis_id: str, place: Place
    ) -> list[tuple[PendingAction, ButtonSpec]]:
        cluster = result.context
        if not result.offers or cluster is None:
            return []
        if not await opted_in(self.remote.parts.store, cluster):
            return []
        checked = [
            offer
            for offer in (self._checked(offered, cluster) for offered in result.offers)
            if offer
        ]
        prepared = self._service.unstored(
            diagnosis_id, checked, channel=place.channel, thread_ts=place.thread_ts, user=place.user
        )
        return [(pending, button.spec()) for pending, button in prepared]

    def _checked(self, offered: RemoteOffer, cluster: str) -> Offer | None:
        """The agent's offer as the hub would make it, or None: an allowlisted kind with a valid target in
        this cluster, an action the hub's catalog lists as fixing the entry, inside KUBEMEDIC_NAMESPACES."""
        spec, entry = ACTIONS.get(offered.kind), self.remote.lookup(offered.catalog_id)
        action = (
            next((a for a in fixing(entry) if a.kind == offered.kind), None)
            if entry is not None
            else None
        )
        if spec is None or action is None:
            return None
        try:
            target = spec.parse({**offered.target, "cluster": cluster})
        except ValidationError:
            log.info("agent of %s offered an invalid %s target", cluster, offered.kind)
            return None
        return (
            Offer(offered.kind, action.label, target, offered.catalog_id)
            if allowed(target, self._settings)
            else None
        )
