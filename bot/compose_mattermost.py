"""The composition root of `kubemedic serve --mattermost`: the same use cases, Mattermost's transport.

What differs from `bot.compose` (Slack) is only the transport: the WebSocket for posted messages
and mentions, POST /mattermost/command for `/diagnose`, POST /mattermost/actions and
/mattermost/dialogs for buttons, and Mattermost's adapters of the use cases' ports (answers,
questions, incident summaries, alert messages). Diagnosis, asking, remediation, summaries,
alerts and storage are built exactly as for Slack, and so is a fleet hub (`serve --mattermost
--hub`): its agents, `/diagnose clusters`, their reports and remediation through them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web

from bot.alert_compose import AlertParts, compose_alerts, receiver_off_routes
from bot.answering.admission import Admission
from bot.answering.answers import Answers
from bot.answering.arrivals import Inbox
from bot.answering.remediating import Remediating
from bot.cluster.directory import ClusterDirectory, NoClusters
from bot.compose import _answers, chat_flow, fleet_hub, hub_remediation
from bot.fleet.hub import FleetHub
from bot.mattermost.actions import MattermostActions
from bot.mattermost.callbacks import Callbacks
from bot.mattermost.chats import MattermostAlertChat, MattermostSummaryChat
from bot.mattermost.client import MattermostClient
from bot.mattermost.commands import MattermostCommands
from bot.mattermost.dialog_states import DialogStates
from bot.mattermost.events import MattermostEvents, mention_of
from bot.mattermost.surface import MattermostSurface
from bot.mattermost.websocket import MattermostSocket
from bot.metrics import Metrics
from bot.remediation.tokens import MATTERMOST_CONTEXT, MATTERMOST_DIALOG, signing_keys
from bot.runtime.background import Background
from bot.runtime.clock import Clock, utc_now
from bot.runtime.ledger import Ledger
from bot.runtime.work import WorkQueue
from bot.settings import Settings
from bot.storage.sql import SqlStore
from bot.summary.incidents import IncidentSummaries
from bot.summary.service import SummaryService
from bot.teams.wiring import with_teams_alerts, with_teams_summaries
from bot.web.agent_client import handoff_of
from bot.web.server import READINESS, Route, build_web_app
from intents.matcher import Matcher


@dataclass(frozen=True)
class MattermostBot:
    """The running Mattermost bot's parts."""

    settings: Settings
    store: SqlStore
    metrics: Metrics
    background: Background
    work: WorkQueue
    answers: Answers
    summaries: IncidentSummaries
    client: MattermostClient
    socket: MattermostSocket
    web: web.Application
    alerts: AlertParts | None = None
    fleet: FleetHub | None = None
    """A fleet hub's agents (`serve --mattermost --hub`); the caller runs `fleet.run()`."""


def compose_mattermost(
    settings: Settings,
    *,
    matcher: Matcher,
    store: SqlStore,
    client: MattermostClient,
    bot_user_id: str,
    bot_username: str,
    metrics: Metrics | None = None,
    clock: Clock = utc_now,
    hub: bool = False,
) -> MattermostBot:
    """Build the bot for Mattermost; nothing is started (the caller starts the store and the socket).
    `hub`: a fleet hub, reading no cluster (its agents do)."""
    metrics = metrics or Metrics()
    background = Background(concurrency=settings.background_concurrency)
    ledger = Ledger(store)
    work = WorkQueue(
        store=store,
        background=background,
        metrics=metrics,
        clock=clock,
        ledger=ledger,
        lease_seconds=settings.work_lease_seconds,
        wait=settings.admission_wait_seconds,
        limit=settings.queue_limit,
    )
    admission = Admission(
        work=work,
        metrics=metrics,
        user_per_minute=settings.user_requests_per_minute,
        channel_per_minute=settings.channel_requests_per_minute,
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
    callback_base = settings.mattermost_callback_url or settings.public_url
    callbacks = Callbacks(
        callback_base or "http://kubemedic.invalid", signing_keys(settings, MATTERMOST_CONTEXT)
    )
    states = DialogStates(signing_keys(settings, MATTERMOST_DIALOG), clock=clock)
    surface = MattermostSurface(client, callbacks, states)
    summaries = IncidentSummaries(
        chat=with_teams_summaries(settings, MattermostSummaryChat(client, bot_user_id=bot_user_id)),
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
    answers = _answers(
        settings,
        matcher=matcher,
        store=store,
        metrics=metrics,
        clock=clock,
        clusters=clusters,
        remediation=remediation if callback_base else None,
        summaries=summaries,
        surface=surface,
        ledger=ledger,
        shared=None,
        fleet=fleet,
    )
    alerts = compose_alerts(
        settings,
        store=store,
        matcher=matcher,
        clusters=clusters,
        chat=with_teams_alerts(settings, MattermostAlertChat(client)),
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
    mention = mention_of(bot_username)
    inbox = Inbox(
        flow=flow,
        work=work,
        metrics=metrics,
        admission=admission,
        prefix="mm_",
        unaddressed=lambda text: mention.sub(" ", text),
        clusters=fleet.clusters if fleet is not None else None,
    )
    events = MattermostEvents(
        inbox=inbox,
        summaries=summaries,
        bot_user_id=bot_user_id,
        bot_username=bot_username,
        background=background,
    )
    socket = MattermostSocket(client, events.on_event)
    routes: list[Route] = MattermostActions(
        flow=flow, callbacks=callbacks, client=client, states=states, background=background
    ).routes()
    if settings.mattermost_command_token is not None:
        routes.append(
            MattermostCommands(
                token=settings.mattermost_command_token.get_secret_value(),
                inbox=inbox,
                body_timeout=settings.http_body_timeout_seconds,
            ).route()
        )
    routes += alerts.routes() if alerts is not None else receiver_off_routes(settings)
    routes += fleet.routes() if fleet is not None else []
    web_app = build_web_app(store=store, metrics=metrics, routes=routes)

    async def connected() -> str | None:
        return socket.problem()

    web_app[READINESS].append(connected)
    return MattermostBot(
        settings=settings,
        store=store,
        metrics=metrics,
        background=background,
        work=work,
        answers=answers,
        summaries=summaries,
        client=client,
        socket=socket,
        web=web_app,
        alerts=alerts,
        fleet=fleet,
    )
