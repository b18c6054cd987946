"""Builds the incident side: the page routes, their intake, the pages' processing and the notes.

`compose_incidents` is called by the composition root after the alert side (the pages share its
inbox, its noise gate, its routing, its explanations and its leader): it registers the pages'
handlers in the alert inbox, the notes loop among the leader's jobs, and returns the routes. With
neither webhook secret set it returns nothing; with one set but no channel to post to, the route
answers 503 naming the fix (as the Alertmanager receiver does), so a page is never taken and lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from aiohttp import web

from bot.cluster.directory import ClusterDirectory
from bot.errors import BadInput, ClusterUnavailable, UserFacingError
from bot.fleet.hub import FleetHub
from bot.incidents.intake import ClusterCheck, DetailsReader, IncidentIntake, pagerduty_details
from bot.incidents.notes import IncidentNotes, NoteTool
from bot.incidents.pages import PREFIXES
from bot.incidents.processing import IncidentPages
from bot.metrics import Metrics
from bot.noise.chat import AlertChat
from bot.noise.routing import has_channel
from bot.outbound.pagerduty import PagerDutyApi
from bot.outbound.tools import jsm_api, opsgenie_api, pagerduty_api, webhook_secrets
from bot.settings import Settings
from bot.storage.sql import SqlStore
from bot.web.incidents import PATHS, opsgenie_route, pagerduty_route
from bot.web.server import Route
from bot.wiring.adapter import Core
from bot.wiring.alerts import AlertParts
from bot.wiring.hub import ClusterSide
from bot.wiring.recording import recorded_tools

log = logging.getLogger(__name__)

NO_CHANNEL = (
    "incident messages have no channel: set KUBEMEDIC_ALERT_CHANNEL (or a routing file with a "
    "default); `kubemedic doctor` checks it"
)


def incidents_on(settings: Settings) -> bool:
    """A webhook secret is set: pages may arrive."""
    return bool(webhook_secrets(settings))


def note_tools(
    settings: Settings, metrics: Metrics, clock: Callable[[], datetime]
) -> dict[str, NoteTool]:
    """The tools with an API key: where notes are written (their breakers on the bot's clock)."""

    def seconds() -> float:
        return clock().timestamp()

    made: dict[str, NoteTool | None] = {
        "pagerduty": pagerduty_api(settings, metrics, seconds),
        "opsgenie": opsgenie_api(settings, metrics, seconds),
        "jsm": jsm_api(settings, metrics, seconds),
    }
    return {tool: api for tool, api in made.items() if api is not None}


def compose_incidents(
    core: Core, side: ClusterSide, *, alerts: AlertParts | None, chat: AlertChat
) -> list[Route]:
    """The incident routes (and, on `alerts`, the pages' handlers and the notes loop)."""
    settings, store, metrics = core.settings, core.store, core.metrics
    if not incidents_on(settings):
        return []
    if alerts is None or not has_channel(settings):
        log.warning("incident webhooks are off: %s", NO_CHANNEL)
        return _off_routes(settings)
    made = note_tools(settings, metrics, core.clock)
    tools = recorded_tools(made, side.recorded)  # a recording's notes say so
    poke = asyncio.Event()
    processor = alerts.processor
    pages = IncidentPages(
        processor,
        store=store,
        gate=alerts.gate,
        fields=settings.incident_fields,
        on_recorded=poke.set,
    )
    for prefix in PREFIXES.values():
        processor.handlers[prefix] = pages.handle
    notes = IncidentNotes(
        store=store,
        tools=tools,
        links=chat,
        clock=core.clock,
        link_wait=settings.incident_note_wait_seconds,
        metrics=metrics,
    )
    alerts.jobs.append(lambda: notes.run(poke))
    intake = IncidentIntake(
        store=store,
        clock=core.clock,
        fields=settings.incident_fields,
        max_age=timedelta(minutes=settings.incident_max_age_minutes),
        clusters=cluster_check(settings, store=store, clusters=side.clusters, fleet=side.fleet),
        details=_details(made),
        text_seconds=settings.text_cpu_seconds,
    )
    return _routes(settings, intake, alerts, core.clock, metrics)


def _details(tools: dict[str, NoteTool]) -> dict[str, DetailsReader]:
    pagerduty = tools.get("pagerduty")
    return (
        {"pagerduty": pagerduty_details(pagerduty)} if isinstance(pagerduty, PagerDutyApi) else {}
    )


def _routes(
    settings: Settings,
    intake: IncidentIntake,
    alerts: AlertParts,
    clock: Callable[[], datetime],
    metrics: Metrics,
) -> list[Route]:
    timeout = settings.http_body_timeout_seconds
    wake = alerts.arrived.set
    routes: list[Route] = []
    secrets = webhook_secrets(settings)
    if "pagerduty" in secrets:
        routes.append(
            pagerduty_route(
                intake,
                secret=secrets["pagerduty"],
                body_timeout=timeout,
                metrics=metrics,
                on_stored=wake,
            )
        )
    for tool in ("opsgenie", "jsm"):
        if tool in secrets:
            routes.append(
                opsgenie_route(
                    intake,
                    secret=secrets[tool],
                    body_timeout=timeout,
                    clock=clock,
                    metrics=metrics,
                    on_stored=wake,
                    tool=tool,
                )
            )
    return routes


def _off_routes(settings: Settings) -> list[Route]:
    """The routes while incidents have nowhere to go: 503 and the fix (the tool sends it again)."""

    async def off(_: web.Request) -> web.Response:
        return web.Response(status=503, text=f"{NO_CHANNEL}\n")

    paths = [PATHS[tool] for tool in webhook_secrets(settings)]
    return [("POST", path, off) for path in paths]


def cluster_check(
    settings: Settings, *, store: SqlStore, clusters: ClusterDirectory, fleet: FleetHub | None
) -> ClusterCheck:
    """Whether kubemedic diagnoses in the cluster a page names: an allowed context (or the default
    cluster), or, on a fleet hub, a cluster whose agent has connected."""

    async def through_agents(name: str) -> str | None:
        known = sorted(agent.cluster for agent in await store.list_agents())
        if name in known:
            return None
        return f"no agent of that cluster has connected (known: {', '.join(known) or 'none'})"

    async def local(name: str) -> str | None:
        try:
            clusters.reader_named(name)
        except BadInput:
            return f"kubemedic does not read it (it reads: {', '.join(_local_names(settings, clusters))})"
        except ClusterUnavailable:  # the default cluster unreadable now: the diagnosis says so
            return None
        return None

    return through_agents if fleet is not None else local


def _local_names(settings: Settings, clusters: ClusterDirectory) -> list[str]:
    names = list(settings.contexts)
    try:
        names.insert(0, clusters.reader(None).cluster_name)
    except UserFacingError as exc:  # no default cluster: only the allowed contexts
        log.info("no default cluster to name: %s", exc)
    return list(dict.fromkeys(names)) or ["none"]
