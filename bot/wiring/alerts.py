"""Builds the alert receiver, the cluster watcher and their noise control from the settings.

`compose_alerts` is called by the composition root (serve, and the tests'
harness) next to the Slack app; it returns None when neither the receiver
(KUBEMEDIC_ALERTMANAGER_TOKEN) nor the watcher (KUBEMEDIC_WATCH) is on.
Every replica serves POST /alertmanager and the Mute buttons; only the
replica holding the lease runs `lead`: the inbox worker, the sync loop and
one watcher per allowed cluster. On a fleet hub the inbox also holds its agents' reports
(bot/fleet/fleet_threads.py), so the alert side runs whenever the hub has a channel for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.alerting.processing import AlertIntake, AlertProcessor, InboxHandler
from bot.cluster.directory import ClusterDirectory
from bot.cluster.reader import ClusterReader
from bot.cluster.watching import Watchable
from bot.diagnosis.explaining import Explainer
from bot.diagnosis.pod import Judge
from bot.errors import BadInput
from bot.fleet.fleet_threads import FleetReports
from bot.fleet.hub import FleetHub
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
from intents.schema import CatalogEntry

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
    jobs: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    """More of the leader's work (the incident notes, bot/wiring/incidents.py)."""

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
                    text_seconds=self.settings.text_cpu_seconds,
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
            *(job() for job in self.jobs),
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
    incidents: bool = False,
) -> AlertParts | None:
    """The alert side, posting through `chat` (Slack, Mattermost), or None when nothing needs it
    (`_wanted`). `arrived`: set when a delivery, a page or an agent's report is stored (wakes the
    leader's inbox); `incidents`: a page webhook is set up."""
    if not _wanted(settings, hub=fleet is not None, incidents=incidents):
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
    seen = _Seen(settings, store, gate, routing, explainer, entries, clock, metrics)
    return AlertParts(
        settings,
        store,
        seen.intake(),
        seen.processor(fleet),
        gate,
        sync,
        seen.muting(),
        Leadership(
            store=store, holder=holder, lease_seconds=settings.leader_lease_seconds, clock=clock
        ),
        lambda: seen.watchers(clusters),
        metrics,
        arrived=arrived or asyncio.Event(),
    )


def _wanted(settings: Settings, *, hub: bool, incidents: bool) -> bool:
    """The receiver or the watcher is on; or, with a channel to post to, a hub's agents report or
    pages arrive. Never while the receiver is off for want of a channel (`receiver_off`)."""
    if receiver_off(settings) is not None:
        return False
    if settings.alertmanager_token is not None or settings.watch:
        return True
    return (hub or incidents) and has_channel(settings)


@dataclass(frozen=True)
class _Seen:
    """What every alert part shares: the noise gate, the routing, the explanations."""

    settings: Settings
    store: SqlStore
    gate: NoiseGate
    routing: Routing
    explainer: Explainer
    entries: dict[str, CatalogEntry]
    clock: Callable[[], datetime]
    metrics: Metrics | None

    def processor(self, fleet: FleetHub | None) -> AlertProcessor:
        """The inbox's worker: Alertmanager's deliveries, and a hub's agents' reports (stored by
        whichever replica their agent is connected to)."""
        handlers: dict[str, InboxHandler] = {}
        if fleet is not None:
            reports = FleetReports(
                gate=self.gate,
                store=self.store,
                routing=self.routing,
                lookup=fleet.remote.lookup,
                clock=self.clock,
                window=timedelta(minutes=self.settings.fleet_incident_window_minutes),
            )
            handlers[FLEET_REPORTS] = reports.handle
        return AlertProcessor(
            store=self.store,
            gate=self.gate,
            routing=self.routing,
            index=AlertIndex(self.entries.values()),
            explainer=self.explainer,
            unmapped=self.settings.unmapped_alerts,
            clock=self.clock,
            handlers=handlers,
            tickets=self.settings.jira_ready,
        )

    def watchers(self, clusters: ClusterDirectory) -> list[ClusterWatcher]:
        """One watcher per allowed cluster (KUBEMEDIC_WATCH), made when the lease is taken."""
        settings = self.settings
        if not settings.watch:
            return []
        thresholds = Thresholds(
            pending=timedelta(seconds=settings.watch_pending_seconds),
            node=timedelta(seconds=settings.watch_node_seconds),
        )
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
                    gate=self.gate,
                    store=self.store,
                    routing=self.routing,
                    explainer=self.explainer,
                    entries=self.entries,
                    thresholds=thresholds,
                    namespaces=list(settings.namespaces),
                    clock=self.clock,
                    context=context,
                    on_restart=self.metrics.watch_restarted if self.metrics else None,
                )
            )
        return made

    def intake(self) -> AlertIntake | None:
        """Alertmanager's deliveries, stored (None: the receiver is off)."""
        if not self.settings.alertmanager_token:
            return None
        return AlertIntake(store=self.store, clock=self.clock, resend_after=RESEND_AFTER)

    def muting(self) -> Muting:
        """The Mute buttons, checked against the admins and audited."""
        return Muting(
            store=self.store,
            audit=self.store,
            admins=self.settings.admins,
            clock=self.clock,
            on_muted=self.gate.changed.set,
            refusal_window=timedelta(minutes=self.settings.refusal_audit_window_minutes),
        )
