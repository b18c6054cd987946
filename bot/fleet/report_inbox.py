"""Where a hub replica puts an agent's report before it tells the agent `Noted`: the alert inbox.

The report is stored as an inbox item of the agent's cluster (the cluster its token names,
never one the report gives) in the same durable inbox as Alertmanager's deliveries, so the
replica that leads the alert work processes it (bot/fleet/fleet_threads.py), whichever replica the
agent is connected to, and a replica that dies after storing it loses nothing. The item's id
keeps the agent's order (its run and sequence number); the same report sent twice (a lost
`Noted`) is stored once. A hub with no alert channel notes and drops reports, saying so once.
The hub's own alarm of a token used from two places (bot/fleet/alarms.py) goes the same way.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.fleet.reports import Report, Synced
from bot.storage.alert_base import AlertStore
from bot.storage.alert_records import InboxItem
from bot.storage.base import StoreUnavailable

log = logging.getLogger(__name__)

PREFIX = "fleet"
"""The inbox ids of agents' reports start `fleet:` (the alert processor hands them to the fleet)."""
RESEND_AFTER = timedelta(hours=1)
"""A report id seen again within this long is a copy, not a new report."""
NO_CHANNEL = (
    "agents report what their watcher and Alertmanager find, but this hub has no channel to post "
    "it to: set KUBEMEDIC_ALERT_CHANNEL or a routing file (their reports are dropped meanwhile)"
)


def inbox_id(cluster: str, report_id: str) -> str:
    """Sorts in the agent's order; unique per cluster (at most 6 + 40 + 9 characters)."""
    return f"{PREFIX}:{report_id}:{hashlib.sha256(cluster.encode()).hexdigest()[:8]}"


class ReportInbox:
    """Stores agents' reports for the alert leader (see the module docstring)."""

    def __init__(
        self, store: AlertStore | None, *, on_stored: Callable[[], None] = lambda: None
    ) -> None:
        self.store = store
        self.on_stored = on_stored
        self._warned = False

    async def alarm(self, cluster: str, alarm: dict[str, Any], *, now: datetime) -> None:
        """Store a token-copied alarm (bot/fleet/alarms.py) for the alert leader to post; the same
        token, reason and address again within an hour is stored once. Logged when it cannot be."""
        log.warning(
            "agent token %s of %s used from two places: refused %s (%s)",
            alarm["token_id"],
            cluster,
            alarm["refused_from"],
            alarm["reason"],
        )
        if self.store is None:
            return
        said = f"{alarm['token_id']}|{alarm['refused_from']}|{alarm['reason']}"
        item = InboxItem(
            id=inbox_id(cluster, f"alarm.{hashlib.sha256(said.encode()).hexdigest()[:32]}"),
            group_key=f"{PREFIX}:{cluster}",
            payload={"cluster": cluster, "alarm": alarm},
            received_at=now,
        )
        try:
            await self.store.accept_alerts([item], resend_after=RESEND_AFTER)
        except StoreUnavailable as exc:
            log.warning("the alarm of token %s was not stored: %s", alarm["token_id"], exc)
            return
        self.on_stored()

    async def take(self, cluster: str, message: Report | Synced, *, now: datetime) -> bool:
        """Store `message` as `cluster`'s; False when it could not be (the agent sends it again)."""
        if self.store is None:
            if not self._warned:
                log.warning(NO_CHANNEL)
                self._warned = True
            return True
        item = InboxItem(
            id=inbox_id(cluster, message.id),
            group_key=f"{PREFIX}:{cluster}",
            payload={"cluster": cluster, "report": message.model_dump(mode="json")},
            received_at=now,
        )
        try:
            await self.store.accept_alerts([item], resend_after=RESEND_AFTER)
        except StoreUnavailable as exc:
            log.warning("report %s of %s not stored: %s", message.id, cluster, exc)
            return False
        self.on_stored()
        return True
