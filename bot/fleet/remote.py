"""The hub's diagnoses: a request for a cluster becomes a row its agent answers.

`RemoteDiagnoser.diagnose` is what the hub's `Diagnoser` calls for a pod, namespace or node
(bot/answering/diagnosing.py, the `remote` port). It never waits in silence:

- no agent ever connected for the cluster: a one-line refusal naming the known clusters;
- the agent is gone (not heard from for a while): "unreachable" at once; one that dropped moments
  ago (its hub replica restarting) gets `accept_seconds` to come back and take the request;
- nobody took the request within `accept_seconds`: the row is expired (no agent will run it
  later) and the asker is told the cluster is unreachable - within Slack's 3 s;
- an agent took it and dropped: the row went back to pending, and the agent gets it again when
  it reconnects; past `answer_seconds` the asker is told it was not answered, never left waiting;
- its cluster is removed meanwhile (`kubemedic fleet cluster remove` deletes its requests): the
  asker is told so at once;
- the database restarts meanwhile: every read and write is tried again while it is down
  (bot/fleet/storing.py), and the `accept_seconds` an agent has to take the request count from
  when the database answers again, so the asker is told only what is really lost.

The row's id comes from the asking work item (`bot.logs.REQUEST_ID`), so a replica that takes
over the work of a replica killed mid-request finds the same row, and its answer. With per-user
identity (bot/fleet/identities.py) the row says whom the agent reads as; a remediation is a row
too (`ask`, used by bot/fleet/writes.py), the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

from pydantic import ValidationError

from bot.answering.requests import DiagnoseRequest
from bot.answering.results import DiagnoseResult, RemoteOffer, digest
from bot.cluster.identity import Impersonation
from bot.errors import BadInput, ClusterUnavailable
from bot.fleet.identities import Identities
from bot.fleet.storing import STORE_SECONDS, store_retrying
from bot.fleet.timing import FleetParts
from bot.fleet.wire import Answer, Lookup, WireAction, WireIdentity, from_wire
from bot.logs import REQUEST_ID
from bot.storage.base import StoreUnavailable
from bot.storage.fleet_records import FleetRequest
from responses import fleet_messages as say

log = logging.getLogger(__name__)
T = TypeVar("T")


def request_id(request: DiagnoseRequest, cluster: str) -> str:
    """Stable for one ask (the work item's id, kept across a take-over), unique otherwise."""
    ask = REQUEST_ID.get() or uuid.uuid4().hex
    return digest(ask, cluster, request.verb, request.namespace, request.name)


class RemoteDiagnoser:
    """Diagnoses through the agents (see the module docstring)."""

    def __init__(
        self, parts: FleetParts, *, lookup: Lookup, identities: Identities | None = None
    ) -> None:
        self.parts = parts
        self.lookup = lookup
        self.identities = identities

    def identity(self, chat_user: str | None) -> Impersonation | None:
        """Whom `chat_user`'s requests act as (None: the agent's own identity); BadInput when refused."""
        return self.identities.of(chat_user) if self.identities is not None else None

    async def diagnose(self, request: DiagnoseRequest) -> DiagnoseResult:
        who = self.identity(request.asker)
        cluster = await self._cluster(request.context, request.verb)
        answer = await self.ask(
            cluster,
            request.verb,
            request_id(request, cluster),
            namespace=request.namespace,
            name=request.name,
            who=who,
        )
        return self._result(request, cluster, answer)

    async def ask(
        self,
        cluster: str,
        verb: str,
        id: str,
        *,
        namespace: str | None = None,
        name: str | None = None,
        who: Impersonation | None = None,
        action: WireAction | None = None,
    ) -> Answer:
        """Open the request row (or find it: a taken-over ask) and wait for its agent's answer."""
        parts, now = self.parts, self.parts.clock()
        identity = WireIdentity(user=who.user, groups=who.groups) if who is not None else None
        params = {
            "identity": identity.model_dump() if identity else None,
            "action": action.model_dump(mode="json") if action else None,
        }
        request = FleetRequest(
            id=id,
            cluster=cluster,
            verb=verb,
            namespace=namespace,
            name=name,
            state="pending",
            created_at=now,
            updated_at=now,
            params=params,
        )
        row = await self._stored(lambda: parts.store.open_request(request))
        parts.links.changed.set()  # this replica's dispatcher looks at once (its agent may be here)
        return await self._wait(row)

    async def _stored(self, use: Callable[[], Awaitable[T]]) -> T:
        """`use()` of the database, through a restart; the asker is told if it stays down."""
        try:
            return await store_retrying(self.parts, use)
        except StoreUnavailable as exc:
            raise ClusterUnavailable(say.DATABASE_DOWN) from exc

    async def _cluster(self, context: str | None, verb: str) -> str:
        """The cluster asked about, with a live agent; else a one-line refusal."""
        agents = await self._stored(self.parts.store.list_agents)
        names = [agent.cluster for agent in agents]
        if context is None:
            raise BadInput(say.name_the_cluster(verb, names))
        agent = next((agent for agent in agents if agent.cluster == context), None)
        if agent is None:
            raise BadInput(say.unknown_cluster(context, names))
        if not self.parts.timing.may_return(agent, self.parts.clock()):
            raise ClusterUnavailable(
                say.unreachable(agent.cluster, agent.last_seen, self.parts.clock())
            )
        return agent.cluster

    async def _wait(self, row: FleetRequest) -> Answer:
        """The agent's answer, or ClusterUnavailable saying why there is none."""
        parts = self.parts
        started = time.monotonic()
        clear: float | None = started
        """Since when the database has answered (None: it does not, now)."""
        event = parts.waiters.event(row.id)
        try:
            while True:
                if row.state == "done" and row.answer is not None:
                    return _answer(row)
                if row.state == "expired":
                    raise ClusterUnavailable(
                        say.not_answering(row.cluster, parts.timing.accept_seconds)
                    )
                try:
                    if clear is not None:
                        await self._give_up_when_due(row, started=started, clear=clear)
                    event.clear()
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(parts.timing.poll_seconds):
                            await event.wait()
                    found = (await parts.store.get_requests([row.id])).get(row.id)
                    if found is None:  # `fleet cluster remove` took it: no agent will answer
                        raise ClusterUnavailable(say.removed(row.cluster))
                    row, clear = found, clear if clear is not None else time.monotonic()
                except StoreUnavailable as exc:
                    clear = None
                    self._still_down(started, exc)
        finally:
            parts.waiters.done(row.id)

    async def _give_up_when_due(self, row: FleetRequest, *, started: float, clear: float) -> None:
        """Expire the request (and say why) when no agent took it within `accept_seconds` of the
        database answering, or it was not answered within `answer_seconds`."""
        timing, now = self.parts.timing, time.monotonic()
        if row.accepted_at is None and now - clear >= timing.accept_seconds:
            if not await self._coming(row):
                await self._give_up(row, leaving=("pending", "sent"))
        elif now - started >= timing.answer_seconds:
            await self._give_up(row, leaving=("pending", "sent", "accepted"), accepted=True)

    async def _coming(self, row: FleetRequest) -> bool:
        """The request's agent is on its way (moving from a draining replica, or just back)."""
        agent = await self.parts.store.get_agent(row.cluster)
        return agent is not None and self.parts.timing.coming(
            agent, row.created_at, self.parts.clock()
        )

    def _still_down(self, started: float, exc: StoreUnavailable) -> None:
        """ClusterUnavailable once the database has been down past the answer's time and then some."""
        if time.monotonic() - started >= self.parts.timing.answer_seconds + STORE_SECONDS:
            raise ClusterUnavailable(say.DATABASE_DOWN) from exc

    async def _give_up(
        self, row: FleetRequest, *, leaving: tuple[str, ...], accepted: bool = False
    ) -> None:
        """Expire the request so no agent runs it later, and say why; if it moved on meanwhile (taken,
        answered), keep waiting."""
        moved = await self.parts.store.move_request(
            row.id,
            cluster=row.cluster,
            leaving=leaving,  # type: ignore[arg-type]
            to="expired",
            now=self.parts.clock(),
        )
        if not moved:
            return
        timing = self.parts.timing
        if accepted:
            raise ClusterUnavailable(say.took_too_long(row.cluster, timing.answer_seconds))
        raise ClusterUnavailable(say.not_answering(row.cluster, timing.accept_seconds))

    def _result(self, request: DiagnoseRequest, cluster: str, answer: Answer) -> DiagnoseResult:
        if answer.outcome in ("refused", "failed") or answer.diagnosis is None:
            why = answer.reason[:300] or say.agent_failed(cluster, request.subject)
            raise BadInput(why) if answer.outcome == "refused" else ClusterUnavailable(why)
        diagnosis = from_wire(answer.diagnosis, lookup=self.lookup, cluster=cluster)
        top = diagnosis.findings[0].match.id if diagnosis.findings else "none"
        target = "node" if request.verb == "node" else request.namespace
        fingerprint = digest(cluster, target, request.name or "*", top)
        offers = tuple(
            RemoteOffer(offer.kind, offer.target, offer.catalog_id) for offer in answer.offers
        )
        return DiagnoseResult(diagnosis, fingerprint, context=cluster, offers=offers)


def _answer(row: FleetRequest) -> Answer:
    try:
        return Answer.model_validate(row.answer)
    except ValidationError as exc:
        log.warning("stored answer of request %s is invalid: %s", row.id, exc.errors()[:1])
        return Answer(id=row.id, outcome="failed")
