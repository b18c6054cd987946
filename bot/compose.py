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

from dataclasses import dataclass

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.alert_compose import AlertParts, compose_alerts, receiver_off_routes
from bot.answering.admission import Admission
from bot.answering.answers import Answers
from bot.answering.details import DetailsLookup
from bot.answering.diagnosing import Diagnoser
from bot.answering.examples import TeamExamples
from bot.answering.feedback import Feedback
from bot.answering.handoff import Handoff
from bot.answering.ports import Poster, RemediationPort
from bot.answering.publishing import Publisher
from bot.answering.ratelimit import ChannelRateLimiter
from bot.answering.remediating import Remediating
from bot.answering.requests import Place
from bot.answering.results import Posted
from bot.answering.unmatched import UnmatchedPastes
from bot.catalog_search import CatalogSearch, add_search_route
from bot.catalog_site import CatalogPages, add_catalog_routes, public_catalog_url
from bot.cluster.directory import ClusterDirectory
from bot.metrics import Metrics
from bot.runtime.background import Background
from bot.runtime.clock import Clock, utc_now
from bot.runtime.coalescing import Coalescer
from bot.runtime.ledger import Ledger
from bot.runtime.shared_buckets import SharedBuckets
from bot.runtime.slots import Slots
from bot.runtime.work import WorkQueue
from bot.settings import Settings
from bot.slack import actions, commands, events, middleware
from bot.slack.alert_chat import SlackAlertChat
from bot.slack.app import bolt_app, required, web_client
from bot.slack.ask_wiring import register_asking
from bot.slack.details import DetailsListener
from bot.slack.doctor import SlackDoctor
from bot.slack.handoff import agent_of
from bot.slack.home import HomeListener
from bot.slack.posting import SlackPoster
from bot.slack.server import slack_route
from bot.slack.summary_chat import SlackSummaryChat
from bot.storage.base import Store
from bot.storage.sql import SqlStore
from bot.summary.incidents import IncidentSummaries
from bot.summary.service import SummaryService
from bot.teams.wiring import with_teams_alerts, with_teams_summaries
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


def compose(settings: Settings, *, matcher: Matcher, store: SqlStore | None = None, bot_user_id: str | None = None,
            socket_mode: bool = False, metrics: Metrics | None = None, client: AsyncWebClient | None = None,
            clock: Clock = utc_now, shared: SharedBuckets | None = None, slots: Slots | None = None) -> Kubemedic:
    """Build the bot; nothing is started or connected (the store is started by the caller).

    `shared`, `slots`: the budgets and the queue slots the worker processes of this replica share
    (None: one process).
    """
    required(settings, "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if socket_mode else "SLACK_SIGNING_SECRET")
    metrics = metrics or Metrics()
    store = store or SqlStore(settings.database_url)
    client = client or web_client(settings, metrics)
    background = Background(concurrency=settings.background_concurrency)
    ledger = Ledger(store)  # every request's writes, one transaction per batch
    work = WorkQueue(store=store, background=background, metrics=metrics, clock=clock, ledger=ledger,
                     lease_seconds=settings.work_lease_seconds, wait=settings.admission_wait_seconds,
                     limit=settings.queue_limit, slots=slots)  # the replica's whole limit, whichever worker
    admission = Admission(work=work, metrics=metrics, user_per_minute=settings.user_requests_per_minute,
                          channel_per_minute=settings.channel_requests_per_minute, shared=shared)
    clusters = ClusterDirectory(settings, on_api_error=metrics.kube_api_error)
    remediation = Remediating(store=store, clusters=clusters, settings=settings, metrics=metrics, clock=clock)
    summaries = IncidentSummaries(chat=with_teams_summaries(settings, SlackSummaryChat(client, bot_user_id=bot_user_id)),
                                  service=SummaryService(
        store=store, matcher=matcher, clock=clock, background=background, bot_user_id=bot_user_id,
        channel_prefix=settings.incident_channel_prefix, debounce=settings.summary_debounce_seconds))
    answers = _answers(settings, matcher=matcher, store=store, metrics=metrics, clock=clock, clusters=clusters,
                       remediation=remediation, summaries=summaries, poster=SlackPoster(client), ledger=ledger,
                       shared=shared)
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    bolt = bolt_app(client, signing_secret=secret, socket_mode=socket_mode)
    handoff = Handoff(agent=agent_of(settings), timeout=settings.handoff_timeout_seconds, metrics=metrics)
    direct = register_asking(bolt, settings=settings, store=store, answers=answers, handoff=handoff, readers=clusters,
                             client=client, background=background, clock=clock, metrics=metrics)
    event_listeners = events.EventListeners(work=work, answers=answers, summaries=summaries, background=background,
                                            metrics=metrics, client=client, bot_user_id=bot_user_id,
                                            direct=direct, admission=admission)
    middleware.register(bolt, ledger=ledger, metrics=metrics, clock=clock,
                        stored_as_work=event_listeners.stored_as_work)
    commands.CommandListeners(work=work, summaries=summaries, admission=admission, client=client,
                              direct=direct, doctor=SlackDoctor(settings=settings, background=background, client=client)).register(bolt)
    event_listeners.register(bolt)
    DetailsListener(lookup=DetailsLookup(store=store), background=background, client=client).register(bolt)
    actions.ButtonListeners(work=work, remediation=remediation, feedback=Feedback(store=store, clock=clock),
                            summaries=summaries, background=background, client=client, clock=clock).register(bolt)
    HomeListener(background=background, client=client, catalog_url=public_catalog_url(settings),
                 catalog_entries=len(matcher.index.entries) if matcher is not None else 0).register(bolt)
    alerts = compose_alerts(settings, store=store, matcher=matcher, clusters=clusters, chat=with_teams_alerts(settings, SlackAlertChat(client)),
                            clock=clock,
                            holder=work.owner, metrics=metrics)
    if alerts is not None:
        alerts.register_buttons(bolt, spawn=background.spawn, client=client)
    routes = [] if socket_mode or secret is None else [slack_route(
        bolt, signing_secret=secret, metrics=metrics, body_timeout=settings.http_body_timeout_seconds,
        clock=clock)]
    routes += alerts.routes() if alerts is not None else receiver_off_routes(settings)  # in Socket Mode too
    web_app = build_web_app(store=store, metrics=metrics, routes=routes)
    if settings.catalog_site:
        add_search_route(web_app, CatalogSearch(matcher, per_minute=settings.catalog_searches_per_minute,
                                                body_timeout=settings.http_body_timeout_seconds, shared=shared))
        add_catalog_routes(web_app, CatalogPages(settings, store))
    return Kubemedic(settings=settings, store=store, metrics=metrics, clock=clock, background=background,
                     work=work, clusters=clusters, answers=answers, remediation=remediation,
                     summaries=summaries, client=client, bolt=bolt, web=web_app, alerts=alerts)


def _answers(settings: Settings, *, matcher: Matcher, store: SqlStore, metrics: Metrics, clock: Clock,
             clusters: ClusterDirectory, remediation: RemediationPort | None, summaries: IncidentSummaries,
             poster: Poster, ledger: Ledger, shared: SharedBuckets | None) -> Answers:
    """The diagnose use case, publishing through `poster` and noting answers in incident summaries."""

    async def noted_in_summary(place: Place, posted: Posted) -> None:
        await summaries.on_diagnosis(channel=place.channel, ts=posted.ts, diagnosis_id=posted.diagnosis_id,
                                     thread_ts=place.thread_ts)

    publisher = Publisher(store=store, poster=poster, metrics=metrics, clock=clock,
                          repeat_window_minutes=settings.repeat_window_minutes, remediation=remediation,
                          ledger=ledger)
    diagnoser = Diagnoser(matcher=matcher, readers=clusters, metrics=metrics, examples=TeamExamples(store),
                          coalescer=Coalescer(ttl=settings.result_cache_seconds, clock=lambda: clock().timestamp()))
    return Answers(diagnoser=diagnoser, publisher=publisher,
                   limiter=ChannelRateLimiter(settings.channel_replies_per_minute, shared=shared, name="replies"),
                   metrics=metrics, after_post=noted_in_summary,
                   unmatched=UnmatchedPastes(store=store, clock=clock, metrics=metrics))
