"""What an agent does for one `Ask`: diagnose, or carry out a remediation, as whom it is told.

A diagnosis reads the agent's cluster as `kubemedic diagnose` does; with an identity in the
request (the hub's per-user mapping) every read impersonates that person, so the answer holds
only what their own RBAC lets them see. When the cluster opted in to remediation
(KUBEMEDIC_AGENT_REMEDIATION, with the agent's narrow write Role) the answer also carries the
buttons its facts support, and a `remediate` ask is carried out here: the action must be on the
allowlist, its target valid and inside this agent's KUBEMEDIC_NAMESPACES, the dry run or the
change made with the UID preconditions of the target, as the clicker when an identity is given.
The hub does the rest (confirmation, authorization, expiry, audit). A cluster that has not
opted in refuses every remediation, whatever the hub asks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bot.answering.chosen import catalog_entry
from bot.answering.diagnosing import Diagnoser, OneReader
from bot.answering.requests import DiagnoseRequest
from bot.answering.results import DiagnoseResult
from bot.cluster.errors import ClusterError
from bot.cluster.gateway import KubeGateway
from bot.cluster.identity import Impersonation
from bot.cluster.reader import ClusterReader
from bot.cluster.writer import KubeWriter
from bot.errors import UserFacingError
from bot.fleet.wire import Answer, Ask, WireAction, WireIdentity, WireOffer, WireRequest, to_wire
from bot.remediation.actions import ACTIONS, ActionSpec
from bot.remediation.planning import allowed, offers
from bot.settings import Settings
from intents.matcher import Matcher
from intents.schema import CatalogEntry
from responses import fleet_messages as say
from responses.redaction import redact_clipped

log = logging.getLogger(__name__)

Readers = Callable[[], ClusterReader]
"""The agent's own reader of its cluster."""


def impersonation(identity: WireIdentity | None) -> Impersonation | None:
    return Impersonation(identity.user, identity.groups) if identity is not None else None


@dataclass(kw_only=True, eq=False)
class AgentWork:
    """Answers one ask at a time (see the module docstring)."""

    matcher: Matcher
    reader: Readers
    settings: Settings
    timeout: float
    fleet_name: Callable[[], str | None] = lambda: None
    """The cluster's name in the fleet (the hub's welcome says it), for what the asker reads."""

    @property
    def remediation(self) -> bool:
        """This cluster opted in to remediation through its agent."""
        return self.settings.agent_remediation

    def _reader(self, identity: WireIdentity | None) -> ClusterReader:
        """The agent's reader, impersonating `identity` when one is given."""
        reader, who = self.reader(), impersonation(identity)
        if who is None:
            return reader
        if not isinstance(reader, KubeGateway):
            raise UserFacingError(say.CANNOT_IMPERSONATE)
        return reader.impersonating(who)

    async def answer(self, ask: Ask) -> Answer:
        """The answer to one ask (an expected failure as its one line)."""
        wanted = ask.request
        try:
            if wanted.verb == "remediate":
                return await self._remediate(ask, wanted.action, self._reader(wanted.identity))
            reader = self._reader(wanted.identity)
            request = DiagnoseRequest(wanted.verb, namespace=wanted.namespace, name=wanted.name)
            result = await Diagnoser(
                matcher=self.matcher, readers=OneReader(reader), timeout=self.timeout
            ).diagnose(request)
        except UserFacingError as exc:
            return Answer(
                id=ask.id,
                outcome="refused",
                reason=redact_clipped(self._said(exc.reason, wanted), 400),
            )
        except Exception:
            log.exception("ask %s (%s) failed", ask.id, wanted.verb)
            return Answer(id=ask.id, outcome="failed")
        wire = to_wire(result.diagnosis, lookup=self._lookup)
        return Answer(
            id=ask.id,
            outcome="diagnosis",
            diagnosis=wire,
            offers=await self._offers(result, reader),
        )

    def _said(self, reason: str, wanted: WireRequest) -> str:
        """A refusal as the asker should read it: the cluster under its fleet name, and whom it was
        read as (their own RBAC may be why)."""
        name, own = self.fleet_name(), self.reader().cluster_name
        if name and own != name:
            reason = reason.replace(f"in cluster {own}", f"in cluster {name}")
        return (
            f"{reason} (read as Kubernetes user {wanted.identity.user})"
            if wanted.identity
            else reason
        )

    def _lookup(self, entry_id: str) -> CatalogEntry | None:
        return catalog_entry(self.matcher, entry_id)

    async def _offers(self, result: DiagnoseResult, reader: ClusterReader) -> tuple[WireOffer, ...]:
        """The buttons this diagnosis supports here (none unless the cluster opted in)."""
        if not self.remediation:
            return ()
        try:
            offered = await offers(
                result.diagnosis, result.facts, settings=self.settings, reader=reader
            )
        except ClusterError as exc:
            log.info("no remediation offers for %s: %s", result.diagnosis.subject, exc)
            return ()
        return tuple(
            WireOffer(
                kind=offer.kind,
                target=offer.target.model_dump(mode="json"),
                catalog_id=offer.catalog_id,
            )
            for offer in offered[:16]
        )

    def _allowed(
        self, action: WireAction | None, reader: ClusterReader
    ) -> tuple[ActionSpec[Any], Any] | str:
        """The action's spec and target when this agent may carry it out; else why not."""
        if not self.remediation:
            return say.NOT_OPTED_IN
        spec = ACTIONS.get(action.kind) if action is not None else None
        if action is None or spec is None:
            return "not an action kubemedic can carry out"
        try:
            target = spec.parse(action.target)
        except ValidationError:
            return "the action's target is not valid"
        if not allowed(target, self.settings):
            return say.outside_namespaces(target.namespace_scope)
        if not isinstance(reader, KubeGateway):
            return say.NOT_OPTED_IN
        return spec, target

    async def _remediate(
        self, ask: Ask, action: WireAction | None, reader: ClusterReader
    ) -> Answer:
        allowed_here = self._allowed(action, reader)
        if isinstance(allowed_here, str):
            return Answer(id=ask.id, outcome="refused", reason=allowed_here)
        assert action is not None and isinstance(reader, KubeGateway)
        spec, target = allowed_here
        writer = KubeWriter.sharing(reader)
        try:
            result = await spec.perform(writer, target, dry_run=action.dry_run)
        except ClusterError as exc:
            return Answer(id=ask.id, outcome="failed", reason=redact_clipped(str(exc), 600))
        finally:
            writer.close()
        log.info(
            "remediation %s on %s done (dry run: %s, as %s)",
            action.kind,
            target.model_dump(mode="json"),
            action.dry_run,
            ask.request.identity.user if ask.request.identity else "the agent",
        )
        return Answer(id=ask.id, outcome="done", result=redact_clipped(result, 600))
