"""App Home: when someone opens the bot's Home tab, publish usage and a link to the catalog."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.runtime.background import Background
from responses.home import home_view

log = logging.getLogger(__name__)


@dataclass(kw_only=True, eq=False)
class HomeListener:
    """Publishes the Home tab (usage, the catalog's link and size) to whoever opens it."""

    background: Background
    client: AsyncWebClient
    catalog_url: str | None
    catalog_entries: int

    def register(self, app: AsyncApp) -> None:
        app.event("app_home_opened")(self.home_opened)

    async def home_opened(self, event: dict[str, Any]) -> None:
        user = event.get("user")
        if event.get("tab") != "home" or not isinstance(user, str):
            return
        self.background.spawn(self.publish_home(user))

    async def publish_home(self, user: str) -> None:
        view = home_view(catalog_url=self.catalog_url, catalog_entries=self.catalog_entries)
        try:
            await self.client.views_publish(user_id=user, view=view)
        except SlackApiError as exc:
            log.warning("views.publish for %s failed: %s", user, exc.response.get("error"))
