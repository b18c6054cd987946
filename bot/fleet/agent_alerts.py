"""The agent's own watcher and Alertmanager receiver, forwarding to the hub.

The same `ClusterWatcher` and `AlertProcessor` as a single-cluster kubemedic, diagnosing in
the agent's own cluster; their gate is the `Forwarder`, so each signal goes up as a report
(bot/fleet/forwarding.py) and the hub posts it to the channel its routing file picks. The
agent keeps no database: an Alertmanager delivery is processed as it arrives and answered
200 only once the hub stored its reports (503 otherwise, so Alertmanager sends it again).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from datetime import datetime, timedelta

from bot.alerting.payload import Notification
from bot.alerting.processing import AlertProcessor, Unmapped
from bot.cluster.reader import ClusterReader
from bot.cluster.watching import Watchable
from bot.diagnosis.pod import Judge
from bot.fleet.forwarding import FORWARD_ALL, Forwarder, WireExplainer
from bot.fleet.wire_diagnosis import Lookup
from bot.storage.base import StoreUnavailable
from bot.watching.detectors import Thresholds
from bot.watching.watcher import ClusterWatcher
from intents.alert_map import AlertIndex
from intents.schema import CatalogEntry

DELIVERED_SECONDS = 10.0
"""How long a delivery waits for the hub to store its reports before Alertmanager is told 503."""


@dataclass(eq=False)
class AgentIntake:
    """The agent receiver's `Intake`: process the delivery, then wait for the hub to store it."""

    processor: AlertProcessor
    forwarder: Forwarder
    _: KW_ONLY
    connected: Callable[[], bool]
    timeout: float = DELIVERED_SECONDS

    async def receive(self, notification: Notification) -> bool:
        with self.forwarder.capturing() as reports:
            await self.processor.process(notification)
        waited = (
            self.timeout if self.connected() else 0.0
        )  # no hub now: Alertmanager is told at once
        if not await self.forwarder.delivered(reports, timeout=waited):
            raise StoreUnavailable(
                "the hub has not stored this delivery yet (it is kept and sent when the hub "
                "is back); Alertmanager sends it again"
            )
        return True


def agent_explainer(
    reader: Callable[[], ClusterReader],
    *,
    entries: dict[str, CatalogEntry],
    judge: Judge,
    lookup: Lookup,
) -> WireExplainer:
    """Diagnoses what the alerts and the watcher name in the agent's own cluster, whatever an
    alert's `cluster` label says (the agent reads one cluster: its own)."""
    return WireExplainer(
        lookup=lookup, reader_for=lambda _cluster: reader(), judge=judge, entries=entries
    )


def agent_processor(
    forwarder: Forwarder,
    explainer: WireExplainer,
    *,
    entries: dict[str, CatalogEntry],
    unmapped: Unmapped,
    clock: Callable[[], datetime],
) -> AlertProcessor:
    return AlertProcessor(
        store=None,
        gate=forwarder,
        routing=FORWARD_ALL,
        index=AlertIndex(entries.values()),
        explainer=explainer,
        unmapped=unmapped,
        clock=clock,
    )


def agent_watcher(
    source: Watchable,
    forwarder: Forwarder,
    explainer: WireExplainer,
    *,
    entries: dict[str, CatalogEntry],
    namespaces: list[str],
    pending: float,
    node: float,
    clock: Callable[[], datetime],
) -> ClusterWatcher:
    thresholds = Thresholds(pending=timedelta(seconds=pending), node=timedelta(seconds=node))
    return ClusterWatcher(
        source,
        gate=forwarder,
        store=None,
        routing=FORWARD_ALL,
        explainer=explainer,
        entries=entries,
        thresholds=thresholds,
        namespaces=namespaces,
        clock=clock,
        on_synced=forwarder.synced,
    )
