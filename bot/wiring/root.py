"""The composition root: `compose(settings, chat=adapter)` builds the whole running bot, once.

Every part gets what it needs in its constructor; nothing is filled in later and nothing looks
its collaborators up. `kubemedic serve` (Slack or Mattermost, a hub or not) and the tests'
harnesses all build the bot here, so the tests run exactly what production runs; the chat's
side comes from its adapter (bot/wiring/adapter.py). Start-up order (catalog, database, the
chat's identity) and the lifecycle (serving, draining) stay with `serve`.

    inputs (a chat's listeners, the Alertmanager receiver, the cluster watcher)
        -> use cases (bot.answering) -> diagnosis / summary / remediation
        -> evidence -> cluster ;  storage and runtime underneath
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Generic, TypeVar

from aiohttp import web

from bot.answering.admission import Admission
from bot.answering.answers import Answers
from bot.answering.arrivals import Inbox
from bot.answering.ports import RemediationPort
from bot.cluster.directory import ClusterDirectory, Connector
from bot.fleet.hub import FleetHub
from bot.metrics import Metrics
from bot.runtime.background import Background
from bot.runtime.clock import Clock, utc_now
from bot.runtime.ledger import Ledger
from bot.runtime.shared_buckets import SharedBuckets
from bot.runtime.slots import Slots
from bot.runtime.work import WorkQueue
from bot.settings import Settings
from bot.storage.sql import SqlStore
from bot.summary.incidents import IncidentSummaries
from bot.summary.service import SummaryService
from bot.web.server import build_web_app
from bot.wiring.adapter import ChatAdapter, ChatParts, Core, Wired
from bot.wiring.alerts import AlertParts, compose_alerts, receiver_off_routes
from bot.wiring.hub import ClusterSide, cluster_side
from bot.wiring.incidents import compose_incidents, incidents_on
from bot.wiring.parts import answers_of, chat_flow
from bot.wiring.recording import recorded_parts
from bot.wiring.teams import with_teams
from intents.matcher import Matcher

C = TypeVar("C", bound=ChatAdapter)


@dataclass(frozen=True)
class Kubemedic(Generic[C]):
    """The running bot's parts, as `compose` wired them; `chat`: its chat's adapter."""

    settings: Settings
    store: SqlStore
    metrics: Metrics
    clock: Clock
    background: Background
    work: WorkQueue
    clusters: ClusterDirectory
    answers: Answers
    remediation: RemediationPort | None
    summaries: IncidentSummaries
    chat: C
    web: web.Application
    """The HTTP server: the chat's routes, /alertmanager, /healthz, /readyz, /metrics."""
    alerts: AlertParts | None = None
    """The Alertmanager receiver and the watcher (None when both are off); `serve` runs `alerts.run()`."""
    fleet: FleetHub | None = None
    """A fleet hub's agents (`serve --hub`); `serve` runs `fleet.run()`."""


def compose(
    settings: Settings,
    *,
    chat: C,
    matcher: Matcher,
    store: SqlStore | None = None,
    metrics: Metrics | None = None,
    clock: Clock = utc_now,
    shared: SharedBuckets | None = None,
    slots: Slots | None = None,
    hub: bool = False,
    connector: Connector | None = None,
) -> Kubemedic[C]:
    """Build the bot for `chat`; nothing is started or connected (the caller starts the store).
    `hub`: a fleet hub (`serve --hub`), reading no cluster (its agents do, bot/fleet); `connector`:
    makes a context's reader (None: the kubeconfig's); `shared`, `slots`: the budgets and queue
    slots this replica's worker processes share (None: one process)."""
    background = Background(concurrency=settings.background_concurrency)
    store = store or SqlStore(settings.database_url)
    core = Core(settings, store, metrics or Metrics(), clock, background, matcher, shared)
    parts = with_teams(settings, chat.build(core))
    ledger = Ledger(store)  # every request's writes, one transaction per batch
    work = _work(core, ledger, slots)
    arrived = asyncio.Event()  # an Alertmanager delivery or an agent's report was stored
    side = cluster_side(
        settings,
        store=store,
        clock=clock,
        matcher=matcher,
        metrics=core.metrics,
        replica=work.owner,
        hub=hub,
        on_report=arrived.set,
        connector=connector,
    )
    summaries = _summaries(core, parts := recorded_parts(parts, side.recorded))  # says so
    alerts = compose_alerts(
        settings,
        store=store,
        matcher=matcher,
        clusters=side.clusters,
        chat=parts.alert_chat,
        clock=clock,
        holder=work.owner,
        metrics=core.metrics,
        fleet=side.fleet,
        arrived=arrived,
        incidents=incidents_on(settings),
    )
    wired = _wired(core, parts, side, work, summaries, ledger, alerts)
    routes = chat.listen(wired)
    routes += alerts.routes() if alerts is not None else receiver_off_routes(settings)
    routes += compose_incidents(core, side, alerts=alerts, chat=parts.alert_chat)
    routes += side.fleet.routes() if side.fleet is not None else []
    web_app = build_web_app(store=store, metrics=core.metrics, routes=routes)
    chat.served(web_app, wired)
    return Kubemedic(
        settings, store, core.metrics, clock, background, work, side.clusters, wired.answers,
        side.remediation, summaries, chat, web_app, alerts, side.fleet,
    )  # fmt: skip


def _work(core: Core, ledger: Ledger, slots: Slots | None) -> WorkQueue:
    """The replica's durable work queue: its whole limit, whichever worker takes a request."""
    settings = core.settings
    return WorkQueue(
        store=core.store,
        background=core.background,
        metrics=core.metrics,
        clock=core.clock,
        ledger=ledger,
        lease_seconds=settings.work_lease_seconds,
        wait=settings.admission_wait_seconds,
        limit=settings.queue_limit,
        slots=slots,
    )


def _summaries(core: Core, parts: ChatParts) -> IncidentSummaries:
    """Incident channels' summaries, posted through the chat's summary chat."""
    settings = core.settings
    return IncidentSummaries(
        chat=parts.summary_chat,
        service=SummaryService(
            store=core.store,
            matcher=core.matcher,
            clock=core.clock,
            background=core.background,
            bot_user_id=parts.bot_user_id,
            channel_prefix=settings.incident_channel_prefix,
            debounce=settings.summary_debounce_seconds,
        ),
    )


def _wired(
    core: Core,
    parts: ChatParts,
    side: ClusterSide,
    work: WorkQueue,
    summaries: IncidentSummaries,
    ledger: Ledger,
    alerts: AlertParts | None,
) -> Wired:
    """The diagnose use case (with buttons only where the chat can call them back), the chat's
    flow (its asks and buttons) and the inbox its listeners hand requests to."""
    settings = core.settings
    remediation = side.remediation if parts.buttons else None
    answers = answers_of(
        core,
        side,
        surface=parts.surface,
        remediation=remediation,
        summaries=summaries,
        ledger=ledger,
    )
    muting = alerts.muting if alerts is not None else None
    flow = chat_flow(
        core, side, surface=parts.surface, answers=answers, summaries=summaries, muting=muting
    )
    admission = Admission(
        work=work,
        metrics=core.metrics,
        user_per_minute=settings.user_requests_per_minute,
        channel_per_minute=settings.channel_requests_per_minute,
        shared=core.shared,
    )
    inbox = Inbox(
        flow=flow,
        work=work,
        metrics=core.metrics,
        admission=admission,
        prefix=parts.prefix,
        unaddressed=parts.unaddressed,
        clusters=side.fleet.clusters if side.fleet is not None else None,
        text_seconds=settings.text_cpu_seconds,
    )
    return Wired(core, answers, flow, inbox, work, summaries, ledger)
