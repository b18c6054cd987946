"""Builds the alert receiver, the cluster watcher and their noise control from the settings.

`compose_alerts` is called by the composition root (serve, and the tests'
harness) next to the Slack app; it returns None when neither the receiver
(KUBEMEDIC_ALERTMANAGER_TOKEN) nor the watcher (KUBEMEDIC_WATCH) is on.
Every replica serves POST /alertmanager and the Mute buttons; only the
replica holding the lease runs `lead`: the inbox worker, the sync loop and
one watcher per allowed cluster. On a fleet hub the inbox also holds its agents' reports
(bot/fleet/incidents.py), so the alert side runs whenever the hub has a channel for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.alerting.processing import AlertIntake, AlertProcessor
from bot.cluster.directory import ClusterDirectory
from bot.cluster.reader import ClusterReader
from bot.cluster.watching import Watchable
from bot.diagnosis.explaining import Explainer
from bot.diagnosis.pod import Judge
from bot.errors import BadInput
from bot.fleet.hub import FleetHub
from bot.fleet.incidents import FleetReports
from bot.fleet.report_inbox import PREFIX as FLEET_REPORTS
from bot.metrics import Metrics
from bot.noise.budget import ChannelBudget
from bot.noise.gate import NoiseGate
from bot.noise.leader import Leadership
from bot.noise.muting import Muting
from bot.noise.routing import (
    RECEIVER_OFF_FIX,
    Routing,
    RoutingProblems,
    has_channel,
    load_routing,
    receiver_off,
)
from bot.noise.sync import AlertChat, AlertSync
from bot.settings import Settings
from bot.storage.base import StoreUnavailable
from bot.storage.sql import SqlStore
from bot.watching.detectors import Thresholds
from bot.watching.watcher import ClusterWatcher
from bot.web.alertmanager import PATH, Handler, alertmanager_handler, receiver_off_handler
from intents.alert_map import AlertIndex
from intents.matcher import Matcher

log = logging.getLogger(__name__)

INBOX_POLL = 1.0
"""Seconds between looks at the inbox for deliveries other replicas stored."""
RESEND_AFTER = timedelta(seconds=90)
"""The same delivery again after this long is a re-send (repeat_interval), not a copy."""


def receiver_off_routes(settings: Settings) -> list[tuple[str, str, Handler]]:
    """POST /alertmanager while the receiver is off: 401 for a wrong token, else 503 with the reason."""
    reason = receiver_off(settings)
    if reason is None or settings.alertmanager_token is None:
        return []
    text = f"the Alertmanager receiver is off: {reason}; {RECEIVER_OFF_FIX}"
    return [
        (
            "POST",
            PATH,
            receiver_off_handler(token=settings.alertmanager_token.get_secret_value(), reason=text),
        )
    ]


def startup_routing_check(settings: Settings) -> None:
    """At start-up, before the database and Slack: the routing file's every problem named
    (BadInput: exit 2), or one warning when the receiver stays off (see `receiver_off`)."""
    if settings.alertmanager_token is None and not settings.watch:
        return
    reason = receiver_off(settings)
    if reason is not None:
        log.warning("the Alertmanager receiver is off: %s; %s", reason, RECEIVER_OFF_FIX)
        return
    checked_routing(settings)


def checked_routing(settings: Settings) -> Routing:
    """The routing file, validated (BadInput naming every problem: exit 2 at start-up)."""
    try:
        return load_routing(settings.routing_file, fallback_channel=settings.alert_channel)
    except RoutingProblems as exc:
        raise BadInput("routing: " + "; ".join(exc.problems)) from exc


@dataclass
class AlertParts:
    """The alert side of one replica, wired."""

    settings: Settings
    store: SqlStore
    intake: AlertIntake | None
    processor: AlertProcessor
    gate: NoiseGate
    sync: AlertSync
    muting: Muting
    leadership: Leadership
    watchers: Callable[[], list[ClusterWatcher]]
    metrics: Metrics | None = None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    watching: list[ClusterWatcher] = field(default_factory=list)
    """The watchers of the current leadership term (empty while not leading)."""

    def routes(self) -> list[tuple[str, str, Handler]]:
        """POST /alertmanager when the receiver is on."""
        token = self.settings.alertmanager_bearer  # a Secret made from a file ends in a newline
        if self.intake is None or token is None:
            return []
        return [
            (
                "POST",
                PATH,
                alertmanager_handler(
                    self.intake,
                    token=token,
                    on_stored=self.arrived.set,
                    body_timeout=self.settings.http_body_timeout_seconds,
                    metrics=self.metrics,
                ),
            )
        ]

    async def run(self) -> None:
        """Take part in the leader election until cancelled."""
        await self.leadership.run(self.lead)

    async def lead(self) -> None:
        """The leader's work: inbox, Slack sync, watchers."""
        never = asyncio.Event()
        self.watching = self.watchers()
        jobs = [
            self.sync.run(never, self.gate.changed),
            self._inbox(),
            *(watcher.run() for watcher in self.watching),
        ]
        try:
            await asyncio.gather(*jobs)
        finally:
            self.watching = []

    async def _inbox(self) -> None:
        while True:
            self.arrived.clear()
            try:
                await self.processor.drain()
            except StoreUnavailable as exc:
                log.warning("alert inbox skipped: %s", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), timeout=INBOX_POLL)


def compose_alerts(
    settings: Settings,
    *,
    store: SqlStore,
    matcher: Matcher,
    clusters: ClusterDirectory,
    chat: AlertChat,
    clock: Callable[[], datetime],
    holder: str,
    metrics: Metrics | None = None,
    fleet: FleetHub | None = None,
    arrived: asyncio.Event | None = None,
) -> AlertParts | None:
    """The alert side, posting through `chat` (Slack, Mattermost), or None when the receiver and the
    watcher are both off (and, on a fleet hub, there is no channel for its agents' reports).
    `arrived`: set when a delivery or an agent's report is stored (wakes the leader's inbox)."""
    reports_on = fleet is not None and has_channel(settings)
    if (
        settings.alertmanager_token is None and not settings.watch and not reports_on
    ) or receiver_off(settings) is not None:
        return None
    routing = checked_routing(settings)
    entries = {entry.id: entry for entry in matcher.index.entries}

    def reader_for(cluster: str | None) -> ClusterReader:
        return clusters.reader(None) if cluster is None else clusters.reader_named(cluster)

    explainer = Explainer(reader_for=reader_for, judge=Judge(matcher), entries=entries)
    gate = NoiseGate(
        store=store, cooldown=timedelta(minutes=settings.alert_cooldown_minutes), clock=clock
    )
    sync = AlertSync(
        store=store,
        chat=chat,
        budget=ChannelBudget(settings.alert_post_interval_seconds),
        locks=gate.locks,
        edit_interval=settings.alert_edit_interval_seconds,
        clock=clock,
        counted=metrics.alert_messages_counted if metrics else None,
        fallback_channel=routing.default.channel if routing.default else None,
    )
    handlers = {}
    if (
        fleet is not None
    ):  # the agents' reports, stored by whichever replica their agent is connected to
        reports = FleetReports(
            gate=gate,
            store=store,
            routing=routing,
            lookup=fleet.remote.lookup,
            clock=clock,
            window=timedelta(minutes=settings.fleet_incident_window_minutes),
        )
        handlers[FLEET_REPORTS] = reports.handle
    processor = AlertProcessor(
        store=store,
        gate=gate,
        routing=routing,
        index=AlertIndex(entries.values()),
        explainer=explainer,
        unmapped=settings.unmapped_alerts,
        clock=clock,
        handlers=handlers,
    )
    thresholds = Thresholds(
        pending=timedelta(seconds=settings.watch_pending_seconds),
        node=timedelta(seconds=settings.watch_node_seconds),
    )

    def watchers() -> list[ClusterWatcher]:
        if not settings.watch:
            return []
        made = []
        contexts: list[str | None] = [*settings.contexts] or [None]
        for context in contexts:
            source = clusters.reader(context)
            if not isinstance(source, Watchable):
                log.warning("cannot watch %s: its reader has no watch streams", source.cluster_name)
                continue
            made.append(
                ClusterWatcher(
                    source,
                    gate=gate,
                    store=store,
                    routing=routing,
                    explainer=explainer,
                    entries=entries,
                    thresholds=thresholds,
                    namespaces=list(settings.namespaces),
                    clock=clock,
                    context=context,
                    on_restart=metrics.watch_restarted if metrics else None,
                )
            )
        return made

    intake = (
        AlertIntake(store=store, clock=clock, resend_after=RESEND_AFTER)
        if settings.alertmanager_token
        else None
    )
    muting = Muting(
        store=store,
        audit=store,
        admins=settings.admins,
        clock=clock,
        on_muted=gate.changed.set,
        refusal_window=timedelta(minutes=settings.refusal_audit_window_minutes),
    )
    leadership = Leadership(
        store=store, holder=holder, lease_seconds=settings.leader_lease_seconds, clock=clock
    )
    return AlertParts(
        settings,
        store,
        intake,
        processor,
        gate,
        sync,
        muting,
        leadership,
        watchers,
        metrics,
        arrived=arrived or asyncio.Event(),
    )
