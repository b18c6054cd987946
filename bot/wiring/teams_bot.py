"""Teams, the chat adapter of `kubemedic serve --teams`: the same use cases as Slack and Mattermost,
through the Bot Framework. Mentions and personal messages, and clicks on the cards' buttons, come
to POST /teams/messages (tokens checked: bot/teams/auth.py); answers, questions, alert messages
and summaries go out through the Connector (bot/teams/connector.py), every call with retries and a
breaker. Remediation buttons are confirmed on a card sealed to their clicker."""

from __future__ import annotations

from collections.abc import Awaitable

from aiohttp import web

from bot.answering.flow import Told
from bot.errors import BadInput
from bot.outbound.tools import outbound_api
from bot.remediation.sealed_clicks import TEAMS_DOMAIN, SealedClicks
from bot.remediation.tokens import signing_keys
from bot.settings import Settings
from bot.teams.activities import ANSWER_WITHIN, TeamsActivities
from bot.teams.auth import BotFrameworkAuth
from bot.teams.bot_chats import TeamsBotAlertChat, TeamsBotSummaryChat
from bot.teams.connector import BotConnector
from bot.teams.graph import TeamsGraph
from bot.teams.surface import TeamsSurface
from bot.teams.task_modules import TaskModules, Within
from bot.web.server import Route
from bot.wiring.adapter import ChatParts, Core, Wired

TEAMS_CONFIRM = "teams-confirm-state"
NEEDS = "serve --teams needs KUBEMEDIC_TEAMS_APP_ID and KUBEMEDIC_TEAMS_APP_PASSWORD"


def _given(value: str | None) -> str:
    return (value or "").strip()


def teams_credentials(settings: Settings) -> tuple[str, str]:
    """(app id, password), or BadInput naming what is missing."""
    app_id = _given(settings.teams_app_id)
    password = settings.teams_app_password.get_secret_value() if settings.teams_app_password else ""
    needed: list[tuple[str, object]] = [
        ("KUBEMEDIC_TEAMS_APP_ID", app_id),
        ("KUBEMEDIC_TEAMS_APP_PASSWORD", password),
        ("KUBEMEDIC_TEAMS_TENANT_IDS", settings.teams_tenants),
    ]
    if settings.teams_graph:  # Graph's tokens come from the tenant's own endpoint
        needed += [
            ("KUBEMEDIC_TEAMS_TENANT_ID", _given(settings.teams_tenant_id)),
            ("KUBEMEDIC_TEAMS_TEAM_ID", _given(settings.teams_team_id)),
        ]
    missing = [name for name, value in needed if not value]
    if missing:
        raise BadInput(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: {NEEDS}"
        )
    return app_id, password


class TeamsChat:
    """Teams' side of the bot (the Bot Framework bot)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app_id, self._password = teams_credentials(settings)

    @property
    def connector(self) -> BotConnector:
        return self._connector

    def build(self, core: Core) -> ChatParts:
        settings = self.settings
        self._connector = BotConnector(
            outbound_api(settings, "botframework", settings.teams_service_url, {}, core.metrics),
            token_url=settings.teams_token_endpoint,
            app_id=self.app_id,
            password=self._password,
            service_url=settings.teams_service_url,
        )
        self._seals = SealedClicks(
            signing_keys(settings, TEAMS_CONFIRM),
            clock=core.clock,
            domain=TEAMS_DOMAIN,
            chat="Teams",
        )
        self._auth = BotFrameworkAuth(
            outbound_api(settings, "botframework", settings.teams_openid_url, {}, core.metrics),
            openid_url=settings.teams_openid_url,
            app_id=self.app_id,
            tenants=settings.teams_tenants,
        )
        self._surface = TeamsSurface(self._connector)
        graph = teams_graph(settings, self._connector, core)
        return ChatParts(
            surface=self._surface,
            alert_chat=TeamsBotAlertChat(self._connector, graph),
            summary_chat=TeamsBotSummaryChat(self._connector, graph),
            bot_user_id=f"28:{self.app_id}",
            prefix="teams_",
        )

    def listen(self, wired: Wired) -> list[Route]:
        """POST /teams/messages: every activity, messages and clicks alike."""
        activities = TeamsActivities(
            auth=self._auth,
            connector=self._connector,
            inbox=wired.inbox,
            flow=wired.flow,
            seals=self._seals,
            background=wired.core.background,
            body_timeout=self.settings.http_body_timeout_seconds,
            tasks=TaskModules(flow=wired.flow, surface=self._surface, within=within(wired)),
        )
        return [activities.route()]

    def served(self, app: web.Application, wired: Wired) -> None:
        return None


def teams_graph(settings: Settings, connector: BotConnector, core: Core) -> TeamsGraph | None:
    """Microsoft Graph for the channels' history, when `KUBEMEDIC_TEAMS_GRAPH` asks for it."""
    if not settings.teams_graph:
        return None
    api = outbound_api(settings, "graph", settings.teams_graph_api_url, {}, core.metrics)
    return TeamsGraph(api, connector.tokens, team=str(settings.teams_team_id).strip())


def within(wired: Wired) -> Within:
    """A task module's work, answered if done in time (else finished in the background)."""

    def bounded(work: Awaitable[Told]) -> Awaitable[Told | None]:
        return wired.core.background.within(work, ANSWER_WITHIN, what="a Teams task module")

    return bounded
