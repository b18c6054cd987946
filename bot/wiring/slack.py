"""Slack, the chat adapter of `kubemedic serve`: the Web API client and the bolt app, Block Kit
surfaces for answers, alerts and incident summaries, and the listeners (commands, events,
clicks, the Home tab) behind POST /slack/events (HTTP mode) or Socket Mode. With
KUBEMEDIC_CATALOG_SITE, the catalog site and its search are served beside them."""

from __future__ import annotations

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.catalog_search import CatalogSearch, add_search_route
from bot.catalog_site import CatalogPages, add_catalog_routes, public_catalog_url
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
from bot.web.server import Route
from bot.wiring.adapter import ChatParts, Core, Wired


class SlackChat:
    """Slack's side of the bot. `client`: a Web API client of the caller's (None: one is made,
    counting its calls in the bot's metrics); `socket_mode`: no HTTP route for Slack's
    requests, Socket Mode brings them (`serve` connects it with `bolt` and `client`)."""

    def __init__(
        self,
        settings: Settings,
        *,
        bot_user_id: str | None = None,
        socket_mode: bool = False,
        client: AsyncWebClient | None = None,
    ) -> None:
        required(
            settings,
            "SLACK_BOT_TOKEN",
            "SLACK_APP_TOKEN" if socket_mode else "SLACK_SIGNING_SECRET",
        )
        self.settings, self.bot_user_id, self.socket_mode = settings, bot_user_id, socket_mode
        self._client = client
        secret = settings.slack_signing_secret
        self.signing_secret = secret.get_secret_value() if secret else None

    @property
    def client(self) -> AsyncWebClient:
        assert self._client is not None, "built by compose"
        return self._client

    @property
    def bolt(self) -> AsyncApp:
        return self._bolt

    def build(self, core: Core) -> ChatParts:
        self._client = self._client or web_client(self.settings, core.metrics)
        self._bolt = bolt_app(
            self._client, signing_secret=self.signing_secret, socket_mode=self.socket_mode
        )
        return ChatParts(
            surface=SlackSurface(self._client),
            alert_chat=SlackAlertChat(self._client),
            summary_chat=SlackSummaryChat(self._client, bot_user_id=self.bot_user_id),
            bot_user_id=self.bot_user_id,
            unaddressed=events.unaddressed,
        )

    def listen(self, wired: Wired) -> list[Route]:
        """The listeners, registered on the bolt app; the HTTP route for Slack's requests."""
        core, bolt = wired.core, self._bolt
        event_listeners = events.EventListeners(
            inbox=wired.inbox,
            summaries=wired.summaries,
            background=core.background,
            bot_user_id=self.bot_user_id,
        )
        middleware.register(
            bolt,
            ledger=wired.ledger,
            metrics=core.metrics,
            clock=core.clock,
            stored_as_work=event_listeners.stored_as_work,
        )
        doctor = SlackDoctor(settings=self.settings, background=core.background, client=self.client)
        commands.CommandListeners(inbox=wired.inbox, doctor=doctor).register(bolt)
        event_listeners.register(bolt)
        ClickListeners(flow=wired.flow, work=wired.work, background=core.background).register(bolt)
        HomeListener(
            background=core.background,
            client=self.client,
            catalog_url=public_catalog_url(self.settings),
            catalog_entries=len(core.matcher.index.entries) if core.matcher is not None else 0,
        ).register(bolt)
        if self.socket_mode or self.signing_secret is None:
            return []
        return [
            slack_route(
                bolt,
                signing_secret=self.signing_secret,
                metrics=core.metrics,
                body_timeout=self.settings.http_body_timeout_seconds,
                clock=core.clock,
            )
        ]

    def served(self, app: web.Application, wired: Wired) -> None:
        """The catalog site and its search, when KUBEMEDIC_CATALOG_SITE is on."""
        if not self.settings.catalog_site:
            return
        search = CatalogSearch(
            wired.core.matcher,
            per_minute=self.settings.catalog_searches_per_minute,
            body_timeout=self.settings.http_body_timeout_seconds,
            shared=wired.core.shared,
        )
        add_search_route(app, search)
        add_catalog_routes(app, CatalogPages(self.settings, wired.core.store))
