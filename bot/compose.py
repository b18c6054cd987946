"""The composition root: `compose(settings)` builds the whole running bot, once.

Every part gets what it needs in its constructor; nothing is filled in
later and nothing looks its collaborators up. `kubemedic serve` and the
tests' harness both build the bot here, so the tests run exactly what
production runs. Start-up order (catalog, database, Slack identity) and the
lifecycle (serving, draining) stay with `serve`.

    inputs (Slack listeners, the Alertmanager receiver, the cluster watcher)
        -> use cases (bot.answering) -> diagnosis / summary / remediation
        -> evidence -> cluster ;  storage and runtime underneath
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.alert_compose import AlertParts, compose_alerts, receiver_off_routes
from bot.answering.admission import Admission
from bot.answering.answers import Answers
from bot.answering.arrivals import Inbox
from bot.answering.asking import Asking
from bot.answering.choice_clicks import ChoiceStore, ClickChecks
from bot.answering.choosing import Choosing
from bot.answering.chosen import catalog_entry
from bot.answering.details import DetailsLookup
from bot.answering.diagnosing import Diagnoser
from bot.answering.direct import DirectAsks
from bot.answering.examples import TeamExamples
from bot.answering.feedback import Feedback
from bot.answering.flow import ChatFlow
from bot.answering.handoff import Handoff
from bot.answering.object_finder import ObjectFinder
from bot.answering.picking import Picking
from bot.answering.ports import RemediationPort
from bot.answering.publishing import Publisher
from bot.answering.ratelimit import ChannelRateLimiter
from bot.answering.remediating import Remediating
from bot.answering.requests import Place
from bot.answering.results import Posted
from bot.answering.surface import ChatPoster, ChatSurface
from bot.answering.unmatched import UnmatchedPastes
from bot.catalog_search import CatalogSearch, add_search_route
from bot.catalog_site import CatalogPages, add_catalog_routes, public_catalog_url
from bot.cluster.directory import ClusterDirectory, NoClusters
from bot.fleet.hub import FleetHub
from bot.fleet.identities import load_identities
from bot.fleet.report_inbox import ReportInbox
from bot.fleet.timing import FleetTiming
from bot.fleet.writes import FleetRemediating
from bot.metrics import Metrics
from bot.noise.muting import Muting
from bot.noise.routing import has_channel
from bot.runtime.background import Background
from bot.runtime.clock import Clock, utc_now
from bot.runtime.coalescing import Coalescer
from bot.runtime.ledger import Ledger
from bot.runtime.shared_buckets import SharedBuckets
from bot.runtime.slots import Slots
from bot.runtime.work import WorkQueue
from bot.settings import Settings
from bot.slack import commands, events, middleware
from bot.slack.alert_chat import SlackAlertChat
from bot.slack.app import bolt_app, required, web_client
from bot.slack.clicks import ClickListeners
from bot.slack.doctor import SlackDoctor
from bot.slack.home import HomeListener
from bot.slack.server import slack_route
from bot.slack.summary_chat import SlackSummaryChat
from bot.slack.surface import SlackSurface
from bot.storage.base import Store
from bot.storage.sql import SqlStore
from bot.summary.incidents import IncidentSummaries
from bot.summary.service import SummaryService
from bot.teams.wiring import with_teams_alerts, with_teams_summaries
from bot.web.agent_client import handoff_of
from bot.web.server import build_web_app
from intents.matcher import Matcher


@dataclass(frozen=True)
class Kubemedic:
    """The running bot's parts, as `compose` wired them."""

    settings: Settings
    store: Store
    metrics: Metrics
    clock: Clock
    background: Background
    work: WorkQueue
    clusters: ClusterDirectory
    answers: Answers
    remediation: RemediationPort | None
    summaries: IncidentSummaries
    client: AsyncWebClient
    bolt: AsyncApp
    web: web.Application
    """The HTTP server: /slack/events (HTTP mode), /alertmanager, /healthz, /readyz, /metrics."""
    alerts: AlertParts | None = None
    """The Alertmanager receiver and the watcher (None when both are off); `serve` runs `alerts.run()`."""
    fleet: FleetHub | None = None
    """A fleet hub's agents (`serve --hub`); `serve` runs `fleet.run()`."""


def compose(
    settings: Settings,
    *,
    matcher: Matcher,
    store: SqlStore | None = None,
    bot_user_id: str | None = None,
    socket_mode: bool = False,
    metrics: Metrics | None = None,
    client: AsyncWebClient | None = None,
    clock: Clock = utc_now,
    shared: SharedBuckets | None = None,
    slots: Slots | None = None,
    hub: bool = False,
) -> Kubemedic:
    """Build the bot; nothing is started or connected (the store is started by the caller).

    `hub`: a fleet hub (`serve --hub`): it reads no cluster; its agents do (bot/fleet).

    `shared`, `slots`: the budgets and the queue slots the worker processes of this replica share
    (None: one process).
    """
    required(
        settings, "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if socket_mode else "SLACK_SIGNING_SECRET"
    )
    metrics = metrics or Metrics()
    store = store or SqlStore(settings.database_url)
    client = client or web_client(settings, metrics)
    background = Background(concurrency=settings.background_concurrency)
    ledger = Ledger(store)  # every request's writes, one transaction per batch
    work = WorkQueue(
        store=store,
        background=background,
        metrics=metrics,
        clock=clock,
        ledger=ledger,
        lease_seconds=settings.work_lease_seconds,
        wait=settings.admission_wait_seconds,
        limit=settings.queue_limit,
        slots=slots,
    )  # the replica's whole limit, whichever worker
    admission = Admission(
        work=work,
        metrics=metrics,
        user_per_minute=settings.user_requests_per_minute,
        channel_per_minute=settings.channel_requests_per_minute,
        shared=shared,
    )
    clusters = (NoClusters if hub else ClusterDirectory)(
        settings, on_api_error=metrics.kube_api_error
    )
    arrived = asyncio.Event()  # an Alertmanager delivery or an agent's report was stored
    fleet = (
        fleet_hub(
            settings,
            store=store,
            clock=clock,
            matcher=matcher,
            metrics=metrics,
            replica=work.owner,
            on_report=arrived.set,
        )
        if hub
        else None
    )
    remediation = (
        hub_remediation(settings, store=store, metrics=metrics, clock=clock, fleet=fleet)
        if fleet
        else Remediating(
            store=store, clusters=clusters, settings=settings, metrics=metrics, clock=clock
        )
    )
    summaries = IncidentSummaries(
        chat=with_teams_summaries(settings, SlackSummaryChat(client, bot_user_id=bot_user_id)),
        service=SummaryService(
            store=store,
            matcher=matcher,
            clock=clock,
            background=background,
            bot_user_id=bot_user_id,
            channel_prefix=settings.incident_channel_prefix,
            debounce=settings.summary_debounce_seconds,
        ),
    )
    surface = SlackSurface(client)
    answers = _answers(
        settings,
        matcher=matcher,
        store=store,
        metrics=metrics,
        clock=clock,
        clusters=clusters,
        remediation=remediation,
        summaries=summaries,
        surface=surface,
        ledger=ledger,
        shared=shared,
        fleet=fleet,
    )
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    )
    bolt = bolt_app(client, signing_secret=secret, socket_mode=socket_mode)
    alerts = compose_alerts(
        settings,
        store=store,
        matcher=matcher,
        clusters=clusters,
        chat=with_teams_alerts(settings, SlackAlertChat(client)),
        clock=clock,
        holder=work.owner,
        metrics=metrics,
        fleet=fleet,
        arrived=arrived,
    )
    flow = chat_flow(
        settings,
        surface=surface,
        store=store,
        answers=answers,
        clusters=clusters,
        metrics=metrics,
        clock=clock,
        summaries=summaries,
        remediation=remediation,
        handoff=handoff_of(settings, metrics=metrics, background=background),
        muting=alerts.muting if alerts is not None else None,
    )
    inbox = Inbox(
        flow=flow,
        work=work,
        metrics=metrics,
        admission=admission,
        unaddressed=events.unaddressed,
        clusters=fleet.clusters if fleet is not None else None,
    )
    event_listeners = events.EventListeners(
        inbox=inbox, summaries=summaries, background=background, bot_user_id=bot_user_id
    )
    middleware.register(
        bolt,
        ledger=ledger,
        metrics=metrics,
        clock=clock,
        stored_as_work=event_listeners.stored_as_work,
    )
    commands.CommandListeners(
        inbox=inbox, doctor=SlackDoctor(settings=settings, background=background, client=client)
    ).register(bolt)
    event_listeners.register(bolt)
    ClickListeners(flow=flow, work=work, background=background).register(bolt)
    HomeListener(
        background=background,
        client=client,
        catalog_url=public_catalog_url(settings),
        catalog_entries=len(matcher.index.entries) if matcher is not None else 0,
    ).register(bolt)
    routes = (
        []
        if socket_mode or secret is None
        else [
            slack_route(
                bolt,
                signing_secret=secret,
                metrics=metrics,
                body_timeout=settings.http_body_timeout_seconds,
                clock=clock,
            )
        ]
    )
    routes += (
        alerts.routes() if alerts is not None else receiver_off_routes(settings)
    )  # in Socket Mode too
    routes += fleet.routes() if fleet is not None else []
    web_app = build_web_app(store=store, metrics=metrics, routes=routes)
    if settings.catalog_site:
        add_search_route(
            web_app,
            CatalogSearch(
                matcher,
                per_minute=settings.catalog_searches_per_minute,
                body_timeout=settings.http_body_timeout_seconds,
                shared=shared,
            ),
        )
        add_catalog_routes(web_app, CatalogPages(settings, store))
    return Kubemedic(
        settings=settings,
        store=store,
        metrics=metrics,
        clock=clock,
        background=background,
        work=work,
        clusters=clusters,
        answers=answers,
        remediation=remediation,
        summaries=summaries,
        client=client,
        bolt=bolt,
        web=web_app,
        alerts=alerts,
        fleet=fleet,
    )


def _answers(
    settings: Settings,
    *,
    matcher: Matcher,
    store: SqlStore,
    metrics: Metrics,
    clock: Clock,
    clusters: ClusterDirectory,
    remediation: RemediationPort | None,
    summaries: IncidentSummaries,
    surface: ChatPoster,
    ledger: Ledger,
    shared: SharedBuckets | None,
    fleet: FleetHub | None = None,
) -> Answers:
    """The diagnose use case, publishing through `surface` and noting answers in incident summaries."""

    async def noted_in_summary(place: Place, posted: Posted) -> None:
        await summaries.on_diagnosis(
            channel=place.channel,
            ts=posted.ts,
            diagnosis_id=posted.diagnosis_id,
            thread_ts=place.thread_ts,
        )

    publisher = Publisher(
        store=store,
        surface=surface,
        metrics=metrics,
        clock=clock,
        repeat_window_minutes=settings.repeat_window_minutes,
        remediation=remediation,
        ledger=ledger,
    )
    diagnoser = Diagnoser(
        matcher=matcher,
        readers=clusters,
        metrics=metrics,
        examples=TeamExamples(store),
        coalescer=Coalescer(ttl=settings.result_cache_seconds, clock=lambda: clock().timestamp()),
        remote=fleet.remote if fleet is not None else None,
    )
    return Answers(
        diagnoser=diagnoser,
        publisher=publisher,
        limiter=ChannelRateLimiter(
            settings.channel_replies_per_minute, shared=shared, name="replies"
        ),
        metrics=metrics,
        after_post=noted_in_summary,
        route=fleet.with_default_cluster if fleet is not None else None,
        unmatched=UnmatchedPastes(store=store, clock=clock, metrics=metrics),
    )


def chat_flow(
    settings: Settings,
    *,
    surface: ChatSurface,
    store: ChoiceStore,
    answers: Answers,
    clusters: ClusterDirectory,
    metrics: Metrics,
    clock: Clock,
    summaries: IncidentSummaries,
    remediation: RemediationPort | None,
    handoff: Handoff,
    muting: Muting | None,
) -> ChatFlow:
    """The interaction flow of one chat: its asks and every button, against the chat's surface."""
    objects = ObjectFinder(
        readers=clusters, contexts=settings.contexts, namespaces=settings.namespaces
    )
    asking = Asking(store=store, surface=surface, clock=clock, metrics=metrics)
    checks = ClickChecks(
        store=store,
        clock=clock,
        admins=settings.admins,
        refusal_window_minutes=settings.refusal_audit_window_minutes,
    )
    feedback = Feedback(store=store, clock=clock, admins=settings.admins)
    return ChatFlow(
        surface=surface,
        direct=DirectAsks(answers=answers, asking=asking, handoff=handoff, objects=objects),
        choosing=Choosing(
            store=store, checks=checks, answers=answers, metrics=metrics, admins=settings.admins
        ),
        picking=Picking(
            store=store,
            checks=checks,
            diagnoser=answers.diagnoser,
            feedback=feedback,
            metrics=metrics,
        ),
        details=DetailsLookup(store=store),
        feedback=feedback,
        summaries=summaries,
        clock=clock,
        remediation=remediation,
        muting=muting,
    )


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
