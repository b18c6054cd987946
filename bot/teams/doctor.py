"""Doctor's check of the Teams bot (`doctor --teams`): its credentials get a token, and the Bot
Framework's keys can be read (what every activity is checked against); it says whether channel
history comes from Microsoft Graph (and gets a Graph token) or is not read. Nothing is sent."""

from __future__ import annotations

from bot.outbound.http import OutboundFailed
from bot.outbound.tools import outbound_api
from bot.settings import Settings
from bot.teams.auth import BotFrameworkAuth, Unauthorized
from bot.teams.connector import BotConnector
from bot.teams.graph import SCOPE as GRAPH
from responses.doctor import Check

NAME = "Teams bot"


async def teams_bot_check(settings: Settings) -> Check:
    app_id = (settings.teams_app_id or "").strip()
    password = settings.teams_app_password.get_secret_value() if settings.teams_app_password else ""
    if not app_id or not password:
        return Check(
            NAME,
            "fail",
            "KUBEMEDIC_TEAMS_APP_ID and KUBEMEDIC_TEAMS_APP_PASSWORD must both be set",
            "register an Azure Bot and set its app id and client secret (docs/teams.md)",
        )
    if not settings.teams_tenants:
        return Check(
            NAME,
            "fail",
            "no tenant is answered: KUBEMEDIC_TEAMS_TENANT_IDS is not set",
            "set KUBEMEDIC_TEAMS_TENANT_IDS to your Microsoft 365 tenant id (docs/teams.md)",
        )
    connector = BotConnector(
        outbound_api(settings, "botframework", settings.teams_service_url, {}, None),
        token_url=settings.teams_token_endpoint,
        app_id=app_id,
        password=password,
        service_url=settings.teams_service_url,
    )
    auth = BotFrameworkAuth(
        outbound_api(settings, "botframework", settings.teams_openid_url, {}, None),
        openid_url=settings.teams_openid_url,
        app_id=app_id,
    )
    try:
        await connector.token()
    except OutboundFailed as exc:
        return Check(
            NAME,
            "fail",
            f"no token for app {app_id}: {exc.reason}",
            "check the app id, its client secret and KUBEMEDIC_TEAMS_TENANT_ID",
        )
    try:
        keys = await auth.keys()
    except Unauthorized as exc:
        return Check(
            NAME,
            "fail",
            str(exc),
            "let the pod reach login.botframework.com (KUBEMEDIC_TEAMS_OPENID_URL)",
        )
    history = await _history(settings, connector)
    if history.status != "ok":
        return history
    return Check(
        NAME,
        "ok",
        f"app {app_id} gets tokens; {keys} Bot Framework signing keys read; answers tenant "
        f"{', '.join(settings.teams_tenants)} only; {history.detail}",
    )


async def _history(settings: Settings, connector: BotConnector) -> Check:
    """Which history the bot reads: Microsoft Graph's (a token got), or none."""
    if not settings.teams_graph:
        return Check(
            NAME,
            "ok",
            "channel history not read (KUBEMEDIC_TEAMS_GRAPH unset): summaries from what the bot "
            "saw, a post in doubt after a crash posted again",
        )
    team, tenant = settings.teams_team_id or "", settings.teams_tenant_id or ""
    if not team.strip() or not tenant.strip():
        return Check(
            NAME,
            "fail",
            "KUBEMEDIC_TEAMS_GRAPH needs KUBEMEDIC_TEAMS_TENANT_ID and KUBEMEDIC_TEAMS_TEAM_ID",
            "set the tenant's id and the team's id (its Microsoft 365 group id; docs/teams.md)",
        )
    try:
        await connector.tokens.get(GRAPH)
    except OutboundFailed as exc:
        return Check(
            NAME,
            "fail",
            f"no Microsoft Graph token for tenant {tenant}: {exc.reason}",
            "grant the app ChannelMessage.Read.Group (RSC) or ChannelMessage.Read.All",
        )
    return Check(
        NAME,
        "ok",
        f"channel history from Microsoft Graph (team {team}): summaries and posts in doubt",
    )
