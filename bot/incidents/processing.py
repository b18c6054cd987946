"""The leader's work on a stored page: diagnose it like an alert, show it in the chat, record it.

A page becomes a signal of the noise gate, one message per incident: the first event of an
incident is diagnosed (its labels pick the target and the catalog entry that claims its alert,
the cluster is read or walked, exactly as for an Alertmanager group) and posted; acknowledging
it changes nothing more; resolving it edits the message. An incident Alertmanager raised (its
dedup key is the hash of an Alertmanager group kubemedic already shows) is not posted again: the
group's message gets a note with the incident's link instead. Then the incident is recorded, so
the notes loop (notes.py) writes the diagnosis back to it.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any, Protocol

from bot.alerting.processing import AlertProcessor, alert_facts, explain_alert
from bot.incidents.mapping import Mapped, mapped
from bot.incidents.pages import PREFIXES, Page, http_url
from bot.noise.gate import NoiseGate
from bot.noise.merging import Signal
from bot.storage.alert_base import AlertStore
from bot.storage.incident_base import IncidentStore
from bot.storage.incident_records import IncidentRecord
from intents.alert_map import AlertClaim
from responses.alert_detail import AlertDetail, AlertTexts, PageLink

LATE = timedelta(minutes=10)
"""A page taken this long after it occurred says so in its note (the tool sent it again)."""


class Store(AlertStore, IncidentStore, Protocol):
    """The alert threads and the incident records (`SqlStore` is both)."""


class IncidentPages:
    """`handle(payload)`: one stored page (the alert inbox's `pd:` and `og:` items)."""

    def __init__(
        self,
        alerts: AlertProcessor,
        *,
        store: Store,
        gate: NoiseGate,
        fields: Mapping[str, str],
        on_recorded: Callable[[], None] = lambda: None,
    ) -> None:
        self.alerts = alerts
        """Alertmanager's deliveries' processing: its routing, claims, explanations and clock."""
        self.store, self.gate, self.fields = store, gate, dict(fields)
        self.on_recorded = on_recorded
        """Wakes the notes loop."""

    async def handle(self, payload: dict[str, Any]) -> str:
        page = Page.model_validate(payload)
        seen = mapped(page, self.fields)
        linked = await self._alertmanager_thread(page)
        thread_key: str | None = linked
        if linked is not None:
            outcome = await self._link(page, linked)
        else:
            thread_key, outcome = await self._own_thread(page, seen)
        if thread_key is not None:
            await self._record(page, thread_key)
        return f"{page.named}: {outcome}"

    async def _own_thread(self, page: Page, seen: Mapped) -> tuple[str | None, str]:
        """Merge the page into its own message; (its key, what happened), key None: not shown."""
        claim = self._claim(seen)
        if claim is None and self.alerts.unmapped == "skip":
            return None, "skipped (no catalog entry explains it)"
        facts = alert_facts(page.tool, seen.labels.get("alertname", ""), seen.labels, claim)
        refusal = self.alerts.routing.refusal(facts)
        destination = self.alerts.routing.destination(facts)
        if refusal is not None or destination is None:
            return None, f"not posted ({refusal or 'no channel'})"
        signal = Signal(
            key=f"{PREFIXES[page.tool]}:{page.target}",
            source=page.tool,
            title=_title(page),
            destination=destination,
            at=self.alerts.clock(),
            firing=frozenset() if page.happened == "resolved" else frozenset({page.key}),
            complete=True,
            names={page.key: page.named},
            facts=facts,
        )
        async with self.gate.locks.hold(signal.key):
            detail = None
            if await self.gate.needs_detail(signal):
                detail = await self._detail(page, seen, claim)
            outcome = await self.gate.observe(signal, detail=detail)
        return (None if outcome == "ignored" else signal.key), outcome

    async def _alertmanager_thread(self, page: Page) -> str | None:
        """The message of the Alertmanager group that raised this incident, if kubemedic shows one
        (Alertmanager's dedup key is the SHA-256 of the group key, as hex)."""
        dedup = (page.dedup_key or "").lower()
        if len(dedup) != 64 or not set(dedup) <= set(string.hexdigits.lower()):
            return None
        key = group_noise_key_of_hash(dedup)
        return key if await self.store.get_thread(key) is not None else None

    async def _link(self, page: Page, key: str) -> str:
        """The group's message gets the page's link (once), in its detail and its thread."""
        async with self.gate.locks.hold(key):
            thread = await self.store.get_thread(key)
            detail = AlertDetail.read(thread.detail) if thread is not None else None
            if thread is None or detail is None or (detail.page and detail.page.key == page.key):
                return "linked to the Alertmanager group's message"
            link = page_link(page)
            await self.store.put_thread(
                replace(
                    thread,
                    detail={**thread.detail, "page": link.model_dump(mode="json")},
                    notes=[*thread.notes, {"kind": "page", **link.model_dump(mode="json")}],
                    version=thread.version + 1,
                )
            )
        self.gate.changed.set()
        return "linked to the Alertmanager group's message"

    async def _record(self, page: Page, thread_key: str) -> None:
        now = self.alerts.clock()
        await self.store.record_incident(
            IncidentRecord(
                key=page.key,
                tool=page.tool,
                target=page.target,
                thread_key=thread_key,
                label=page.named,
                url=page.url,
                status="resolved" if page.happened == "resolved" else "firing",
                created_at=now,
                updated_at=now,
            )
        )
        self.on_recorded()

    def _claim(self, seen: Mapped) -> AlertClaim | None:
        name = seen.labels.get("alertname")
        return self.alerts.index.claim_for(name, seen.labels) if name else None

    async def _detail(self, page: Page, seen: Mapped, claim: AlertClaim | None) -> dict[str, Any]:
        """What a page's message shows, in the shape of an alert's (its one writer)."""
        labels, notes = seen.labels, seen.annotations
        target, explanation = await explain_alert(
            self.alerts.explainer,
            labels.get("alertname", ""),
            labels,
            claim,
            summary=notes.get("summary") or page.title,
        )
        texts = AlertTexts(
            name=labels.get("alertname") or page.title,
            severity=labels.get("severity"),
            summary=notes.get("summary") or page.title,
            description=notes.get("description"),
            runbook_url=http_url(notes.get("runbook_url")),
            starts_at=page.occurred_at.isoformat(),
            cluster=labels.get("cluster"),
        )
        return AlertDetail(
            kind="alert" if claim else "unmapped",
            alert=texts,
            target=str(target) if target else None,
            explanation=explanation,
            page=page_link(page),
            tickets=self.alerts.tickets,
        ).stored()


def group_noise_key_of_hash(digest: str) -> str:
    """`group_noise_key(group_key)` when only the group key's SHA-256 (hex) is known."""
    return "am:" + digest[:40]


def page_link(page: Page) -> PageLink:
    """How a message names the page it belongs to (and how late it came, when it did)."""
    late = (page.received_at - page.occurred_at) if page.received_at else timedelta()
    return PageLink(
        key=page.key,
        tool=page.tool,
        label=page.named,
        url=page.url,
        title=str(page.title)[:300],
        late_minutes=int(late.total_seconds() // 60) if late > LATE else None,
    )


def _title(page: Page) -> str:
    return f"{page.named}: {page.title}"[:300]
