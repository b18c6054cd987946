"""The alert use case: turn a stored Alertmanager delivery into the state of its one message.

Transport-free: the HTTP route stores deliveries (`AlertIntake`), the
leader replica works the inbox here, and the noise gate and sync loop do
the rest. A group seen for the first time is explained (its most important
alert that the catalog claims is diagnosed through its target) before it
is merged, so the first post already carries the diagnosis; later
deliveries of the group only change counts, add thread notes or resolve
it. Heartbeats (Watchdog, InfoInhibitor) never get a message.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from pydantic import ValidationError

from bot.alerting.grouping import SEVERITY_ORDER, delivery_id, group_noise_key, group_state
from bot.alerting.payload import Alert, Notification
from bot.cluster.measured import alert_fact
from bot.diagnosis.explaining import Explainer
from bot.diagnosis.targets import Focus, target_of
from bot.diagnosis.workload import WORKLOAD_KINDS
from bot.noise.gate import Gate
from bot.noise.merging import Signal
from bot.noise.routing import Facts, Routing, Source
from bot.runtime.budget import TEXT_CPU_SECONDS, off_loop
from bot.runtime.group_commit import GroupCommit
from bot.storage.alert_base import AlertStore
from bot.storage.alert_records import InboxItem
from intents.alert_map import AlertClaim, AlertIndex
from responses.alert_detail import AlertDetail, AlertTexts, Explanation, OtherAlert
from responses.redaction import already_redacted

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
MAX_OTHERS = 10
MAX_SYMPTOM = 1000
"""Characters of the alert's name and summary the walk reads as its symptom."""
MAX_MEASURED = 200
"""Firing alerts of one group handed to the walk as measured facts."""
Unmapped = Literal["post", "skip"]
InboxHandler = Callable[[dict[str, Any]], Awaitable[str]]
"""Processes one stored inbox payload that is not an Alertmanager delivery; what happened."""


class Intake(Protocol):
    """What the receiver hands a delivery (read off the event loop) to before it answers: True
    when stored (False: a copy of one just stored); StoreUnavailable."""

    async def receive(self, notification: Notification) -> bool: ...


class AlertIntake:
    """What the receiver does before answering 200: parse, then store durably (once).

    Deliveries arriving together (a storm flushes many groups at once) are
    stored in one transaction, so they wait for one commit instead of queueing
    for SQLite's write lock one by one.
    """

    def __init__(
        self, *, store: AlertStore, clock: Callable[[], datetime], resend_after: timedelta
    ) -> None:
        self.store = store
        self.clock = clock
        self.resend_after = resend_after
        self._storing: GroupCommit[InboxItem, bool] = GroupCommit(self._store_batch)

    async def receive(self, notification: Notification) -> bool:
        """Store the delivery; False when it is a copy of one just stored. StoreUnavailable."""
        item = InboxItem(
            id=delivery_id(notification),
            group_key=notification.group_key,
            # every text of it was redacted as it was read: the store binds it as it is
            payload=already_redacted(notification.model_dump(mode="json", by_alias=True)),
            received_at=self.clock(),
        )
        return await self._storing.submit(item)

    async def _store_batch(self, batch: list[InboxItem]) -> list[bool]:
        return await self.store.accept_alerts(batch, resend_after=self.resend_after)


@dataclass(kw_only=True, eq=False)
class AlertProcessor:
    """Works the inbox oldest first (leader replica only)."""

    store: AlertStore | None
    gate: Gate
    routing: Routing
    index: AlertIndex
    explainer: Explainer
    unmapped: Unmapped
    clock: Callable[[], datetime]
    handlers: dict[str, InboxHandler] = field(default_factory=dict)
    """Other inbox items by the prefix of their id (`fleet`: an agent's report, on a hub)."""
    tickets: bool = False
    """Jira is set up: messages offer "Open ticket"."""

    async def drain(self) -> int:
        """Process every waiting delivery; how many were processed (a fleet agent has no inbox:
        its receiver processes each delivery as it comes, bot/fleet/agent_alerts.py)."""
        assert self.store is not None, "an inbox needs a store"
        done = 0
        while items := await self.store.pending_alerts():
            for item in items:
                await self._one(item)
                done += 1
        return done

    async def _one(self, item: InboxItem) -> None:
        assert self.store is not None
        attempts = await self.store.count_alert_attempt(item.id)
        handler = self.handlers.get(item.id.partition(":")[0])
        try:
            if handler is not None:
                outcome = await handler(item.payload)
            else:
                outcome = await self.process(Notification.model_validate(item.payload))
        except ValidationError as exc:
            await self.store.finish_alert(
                item.id, now=self.clock(), error=f"unreadable payload: {exc}"
            )
            return
        except Exception as exc:
            log.exception("alert group %s failed (attempt %d)", item.group_key, attempts)
            if attempts >= MAX_ATTEMPTS:
                await self.store.finish_alert(item.id, now=self.clock(), error=str(exc)[:500])
            return
        log.info("alert group %s: %s", item.group_key, outcome)
        await self.store.finish_alert(item.id, now=self.clock())

    async def process(self, notification: Notification) -> str:
        """Merge one delivery into its group's message; what happened."""
        state = group_state(notification)
        pool = state.firing or state.resolved
        if not pool:
            return "ignored (heartbeat only)"
        lead, claims = await off_loop(TEXT_CPU_SECONDS, self._lead, pool)  # labels matched
        claim = claims[lead.key]
        if claim is None and self.unmapped == "skip":
            return "skipped (no catalog entry explains it)"
        facts = _facts(lead, claim)
        refusal = self.routing.refusal(facts)
        destination = self.routing.destination(facts)
        if refusal is not None or destination is None:
            return f"not posted ({refusal or 'no channel'})"
        signal = Signal(
            key=group_noise_key(notification.group_key),
            source="alertmanager",
            title=_describe(lead),
            destination=destination,
            at=self.clock(),
            firing=state.firing_keys,
            complete=True,
            notes=True,
            names=_names(notification),
            facts=facts,
        )
        async with self.gate.locks.hold(signal.key):
            detail = None
            if await self.gate.needs_detail(signal):
                detail = await self._detail(notification, lead, claim, claims)
            return await self.gate.observe(signal, detail=detail)

    def _lead(self, pool: Sequence[Alert]) -> tuple[Alert, dict[str, AlertClaim | None]]:
        """The alert that leads the message (explained by the catalog first, then the most
        important), and each alert's catalog claim."""
        claims = {alert.key: self.index.claim_for(alert.name, alert.labels) for alert in pool}
        return min(pool, key=lambda alert: (claims[alert.key] is None, _importance(alert))), claims

    async def _detail(
        self,
        notification: Notification,
        lead: Alert,
        claim: AlertClaim | None,
        claims: dict[str, AlertClaim | None],
    ) -> dict[str, Any]:
        """What an Alertmanager group's message shows (its one writer)."""
        summary = lead.annotations.get("summary") or notification.common_annotations.get("summary")
        firing = [a for a in notification.alerts if a.status == "firing" and not claims.get(a.key)]
        target, explanation = await explain_alert(
            self.explainer, lead.name, lead.labels, claim, summary=summary, firing=firing
        )
        texts = AlertTexts(
            name=lead.name,
            severity=lead.labels.get("severity"),
            summary=_annotation(notification, lead, "summary"),
            description=_annotation(notification, lead, "description", "message"),
            runbook_url=_annotation(notification, lead, "runbook_url"),
            generator_url=lead.generator_url,
            external_url=notification.external_url,
            starts_at=lead.starts_at.isoformat(),
            cluster=lead.labels.get("cluster"),
        )
        return AlertDetail(
            kind="alert" if claim else "unmapped",
            alert=texts,
            target=str(target) if target else None,
            explanation=explanation,
            others=_others(notification, lead, claims),
            tickets=self.tickets,
        ).stored()


def _names(notification: Notification) -> dict[str, str]:
    """How a thread note shows each alert of the group."""
    return {alert.key: _describe(alert) for alert in notification.relevant}


def _annotation(notification: Notification, lead: Alert, *names: str) -> str | None:
    """The alert's own annotation, else the group's common one (a valid payload may carry
    runbook_url, summary and description only in commonAnnotations)."""
    for source in (lead.annotations, notification.common_annotations):
        found = next((source[name] for name in names if source.get(name)), None)
        if found:
            return found
    return None


def _others(
    notification: Notification,
    lead: Alert,
    claims: dict[str, AlertClaim | None],
) -> tuple[OtherAlert, ...]:
    """The group's other alerts, as a message lists them."""
    return tuple(
        OtherAlert(name=alert.name, what=_describe(alert), catalog_id=_claimed(claims, alert))
        for alert in notification.relevant
        if alert.key != lead.key
    )[:MAX_OTHERS]


def _claimed(claims: dict[str, AlertClaim | None], alert: Alert) -> str | None:
    claim = claims.get(alert.key)
    return claim.entry_id if claim is not None else None


def _importance(alert: Alert) -> tuple[int, str, str]:
    return (
        SEVERITY_ORDER.get(alert.labels.get("severity", "none").lower(), 5),
        alert.name,
        alert.key,
    )


def _facts(alert: Alert, claim: AlertClaim | None) -> Facts:
    return alert_facts("alertmanager", alert.name, alert.labels, claim)


def alert_facts(
    source: Source, name: str, labels: Mapping[str, str], claim: AlertClaim | None
) -> Facts:
    """What routing reads from an alert (or a page that carries one): its labels, name and entry."""
    reasons = tuple(reason for reason in (name, claim.entry_id if claim else None) if reason)
    target = target_of(labels, claim.mapping.target if claim else None)
    workload = (
        f"{target.kind} {target.name}"
        if target is not None and target.kind in WORKLOAD_KINDS
        else None
    )
    return Facts(
        source,
        cluster=labels.get("cluster"),
        namespace=labels.get("namespace"),
        catalog_id=claim.entry_id if claim else None,
        severity=labels.get("severity"),
        reasons=reasons,
        labels=labels,
        workload=workload,
    )


async def explain_alert(
    explainer: Explainer,
    name: str,
    labels: Mapping[str, str],
    claim: AlertClaim | None,
    *,
    summary: str | None,
    firing: Sequence[Alert] = (),
) -> tuple[Focus | None, Explanation]:
    """The alert's focus (from its labels, or its entry's) and what explaining it found; the
    alert's name and summary are the symptom a walk ranks suspects by, and the group's `firing`
    alerts no entry claims (a team's latency or error rules) what it measured."""
    focus = target_of(labels, claim.mapping.target if claim else None)
    symptom = " ".join(part for part in (name, summary) if part)
    if focus is not None:
        focus = replace(focus, symptom=symptom[:MAX_SYMPTOM])
    measured = [alert_fact(a.labels, a.annotations, a.starts_at) for a in firing[:MAX_MEASURED]]
    explanation = await explainer.measuring(measured).explain(
        focus, claim.entry_id if claim else None
    )
    return focus, explanation


def _describe(alert: Alert) -> str:
    """How an alert is named in a thread note: its name and target labels."""
    where = target_of(alert.labels, None)
    return f"{alert.name} ({where})" if where else alert.name
