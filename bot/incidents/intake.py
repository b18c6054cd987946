"""What the incident routes do before they answer: check the page, read its details, store it.

A page is accepted once, and only once kubemedic knows what it is about:
- an event older than `max_age`, or than the time its tool documents it retries a page it could
  not deliver (PagerDuty: 48 h), or from the future, is refused as a replay, and so is an event
  whose id was stored before (409; ids are kept that long); a late page is diagnosed, and its
  note says how late;
- PagerDuty's webhook carries no custom details: they are read from its REST API first (two tries,
  no long wait); when PagerDuty's API cannot answer now the webhook gets 503 and PagerDuty sends it
  again later, so a page is never stored half-known;
- a page naming a cluster kubemedic does not read is refused (422), saying which ones it reads;
- then it is stored in the alert inbox (the leader diagnoses it) and the answer is 202: every
  text of it redacted, each custom detail cut at `DETAIL_CHARS` saying so, on a worker thread
  within the text CPU budget (the store binds it as it is, on the event loop).
Every refusal is one line (`Refused`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.incidents.mapping import mapped
from bot.incidents.pages import Page
from bot.outbound.http import OutboundFailed
from bot.outbound.pagerduty import PagerDutyApi
from bot.runtime.budget import TEXT_CPU_SECONDS, off_loop
from bot.storage.alert_records import InboxItem
from bot.storage.incident_base import IncidentStore
from bot.storage.retention import PAGES_RETRIED_FOR
from responses.redaction import already_redacted, redact_json

DETAIL_CHARS = 8_000
"""Characters of one text of a page (a custom detail, its title, its description) kept."""
FUTURE = timedelta(minutes=5)
"""Clock skew allowed to an event's time."""
ClusterCheck = Callable[[str], Awaitable[str | None]]
"""Why kubemedic cannot diagnose in the cluster a page names (None: it can)."""
DetailsReader = Callable[[Page], Awaitable[dict[str, Any] | None]]


class Refused(Exception):
    """A page not accepted: the HTTP status and one line saying why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class IncidentIntake:
    """`receive(page)`: True when stored; Refused; StoreUnavailable."""

    def __init__(
        self,
        *,
        store: IncidentStore,
        clock: Callable[[], datetime],
        fields: Mapping[str, str],
        max_age: timedelta,
        clusters: ClusterCheck,
        details: Mapping[str, DetailsReader] | None = None,
        text_seconds: float = TEXT_CPU_SECONDS,
    ) -> None:
        self.store = store
        self.clock = clock
        self.fields = dict(fields)
        self.max_age = max_age
        self.clusters = clusters
        self.details = dict(details or {})
        self.text_seconds = text_seconds
        """CPU seconds reading a page's body, and again its texts, may take."""

    async def receive(self, page: Page) -> bool:
        now = self.clock()
        self._in_time(page, now)
        page = await off_loop(self.text_seconds, _as_stored, await self._with_details(page))
        page = page.model_copy(update={"received_at": now})
        cluster = mapped(page, self.fields).labels.get("cluster")
        if cluster is not None:
            reason = await self.clusters(cluster)
            if reason is not None:
                raise Refused(422, f"{page.named} names cluster {cluster!r}: {reason}")
        item = InboxItem(
            id=page.inbox_id,
            group_key=page.key,
            payload=already_redacted(page.model_dump(mode="json")),  # `_as_stored`: bound as is
            received_at=now,
        )
        if not await self.store.accept_page(item):
            raise Refused(
                409,
                f"already received: {page.label} event {page.event_id} "
                "(a replayed webhook is not processed twice)",
            )
        return True

    def _in_time(self, page: Page, now: datetime) -> None:
        occurred = page.occurred_at
        occurred = occurred if occurred.tzinfo else occurred.replace(tzinfo=UTC)
        window = max(self.max_age, PAGES_RETRIED_FOR.get(page.tool, self.max_age))
        if occurred < now - window:
            raise Refused(
                400,
                f"{page.label} event {page.event_id} occurred at {occurred.isoformat()}, more than "
                f"{int(window.total_seconds() // 60)} min ago: refused as a replay",
            )
        if occurred > now + FUTURE:
            raise Refused(
                400,
                f"{page.label} event {page.event_id} occurred in the future ({occurred.isoformat()})",
            )

    async def _with_details(self, page: Page) -> Page:
        reader = self.details.get(page.tool)
        if page.details is not None or reader is None:
            return page
        try:
            details = await reader(page)
        except OutboundFailed as exc:
            if exc.transient:
                raise Refused(
                    503,
                    f"cannot read {page.named}'s details from {page.label} now ({exc.reason}); "
                    "send it again later",
                ) from exc
            return page  # the tool said no (a token without read access): diagnose what it says
        return page.model_copy(update={"details": details})


def _as_stored(page: Page) -> Page:
    """The page with every text redacted and cut at DETAIL_CHARS (its custom details too)."""
    return Page.model_validate(redact_json(page.model_dump(mode="json"), DETAIL_CHARS))


def pagerduty_details(api: PagerDutyApi) -> DetailsReader:
    """The custom details of a PagerDuty incident: those of its first alert that has any."""

    async def read(page: Page) -> dict[str, Any] | None:
        for alert in await api.alerts(page.target, hurry=True):
            details = (alert.get("body") or {}).get("details")
            if isinstance(details, dict) and details:
                return details
        return None

    return read
