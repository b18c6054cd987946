"""A fleet hub (`serve --hub`): it reads no cluster; its agents do, answer for it and carry
out its buttons (bot/fleet). The root asks here for the hub's side instead of the clusters'."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.answering.chosen import catalog_entry
from bot.answering.ports import RemediationPort
from bot.answering.remediating import Remediating
from bot.cluster.directory import ClusterDirectory, Connector, NoClusters
from bot.cluster.recording import RecordedClusters, served_recording
from bot.fleet.hub import FleetHub
from bot.fleet.identities import load_identities
from bot.fleet.report_inbox import ReportInbox
from bot.fleet.timing import FleetTiming
from bot.fleet.writes import FleetRemediating
from bot.metrics import Metrics
from bot.noise.routing import has_channel
from bot.remediation.service import RecordedWrites
from bot.runtime.clock import Clock
from bot.settings import Settings
from bot.storage.sql import SqlStore
from intents.matcher import Matcher


def fleet_hub(
    settings: Settings,
    *,
    store: SqlStore,
    clock: Clock,
    matcher: Matcher,
    metrics: Metrics,
    replica: str,
    on_report: Callable[[], None] = lambda: None,
) -> FleetHub:
    """The hub's side of the fleet: its agents diagnose with the ids of this hub's catalog; their
    reports go to the alert inbox when the hub has a channel for them (`on_report` wakes it)."""
    timing = FleetTiming(
        accept_seconds=settings.fleet_accept_seconds, answer_seconds=settings.fleet_answer_seconds
    )
    reports = ReportInbox(store if has_channel(settings) else None, on_stored=on_report)
    return FleetHub(
        store=store,
        replica=replica,
        clock=clock,
        lookup=lambda id: catalog_entry(matcher, id),
        timing=timing,
        channel_clusters=settings.channel_clusters,
        on_refused=metrics.fleet_refused.inc,
        reports=reports,
        identities=load_identities(settings.identity_file),
    )


def hub_remediation(
    settings: Settings, *, store: SqlStore, metrics: Metrics, clock: Clock, fleet: FleetHub
) -> FleetRemediating:
    """A hub's buttons: offered from its agents' facts, carried out by its agents."""
    return FleetRemediating(
        store=store, settings=settings, metrics=metrics, clock=clock, remote=fleet.remote
    )


@dataclass(frozen=True)
class ClusterSide:
    """Where the bot reads clusters and carries out buttons: the clusters of its kubeconfig, or,
    on a fleet hub, its agents (`fleet`), or a served recording (`recorded`: what every answer
    says it is read from)."""

    clusters: ClusterDirectory
    remediation: RemediationPort
    fleet: FleetHub | None = None

    @property
    def recorded(self) -> str | None:
        clusters = self.clusters
        return clusters.described if isinstance(clusters, RecordedClusters) else None


def cluster_side(
    settings: Settings,
    *,
    store: SqlStore,
    clock: Clock,
    matcher: Matcher,
    metrics: Metrics,
    replica: str,
    hub: bool,
    on_report: Callable[[], None],
    connector: Connector | None = None,
) -> ClusterSide:
    """The clusters' side for a bot (`hub`: a fleet hub's, through its agents; `connector`: how a
    context's reader is made, None: the kubeconfig's; a served recording's, KUBEMEDIC_FROM_DUMP or
    KUBEMEDIC_FROM_OUTPUTS: read by every answer, written by no click)."""
    recorded = served_recording(settings)
    clusters = (
        (NoClusters if hub else ClusterDirectory)(
            settings, connector=connector, on_api_error=metrics.kube_api_error
        )
        if recorded is None
        else RecordedClusters(settings, recorded)
    )
    if not hub:
        return ClusterSide(
            clusters,
            Remediating(
                store=store,
                clusters=clusters,
                settings=settings,
                metrics=metrics,
                clock=clock,
                writes=RecordedWrites() if recorded is not None else None,
            ),
        )
    fleet = fleet_hub(
        settings,
        store=store,
        clock=clock,
        matcher=matcher,
        metrics=metrics,
        replica=replica,
        on_report=on_report,
    )
    remediation = hub_remediation(settings, store=store, metrics=metrics, clock=clock, fleet=fleet)
    return ClusterSide(clusters, remediation, fleet)
