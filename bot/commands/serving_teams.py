"""`kubemedic serve --teams`: build the bot with Teams' adapter (the Bot Framework), serve, stop.

Start-up order as for the other chats: the bot's credentials and signing key (a missing one stops
start-up with exit 2), the catalog and the routing file, the database. The HTTP server (PORT) takes
the Bot Framework's activities at POST /teams/messages, /alertmanager, the incident webhooks and
the probes; nothing connects out until there is something to say.
"""

from __future__ import annotations

import logging

from bot.commands.serve_runtime import open_store, run_until_stopped, serving_knowledge, start_http
from bot.metrics import Metrics
from bot.remediation.tokens import refuse_weak_keys
from bot.settings import Settings
from bot.wiring.alerts import startup_routing_check
from bot.wiring.root import compose
from bot.wiring.teams_bot import TeamsChat, teams_credentials

log = logging.getLogger(__name__)


async def serve_teams(settings: Settings, *, port: int, hub: bool = False) -> None:
    teams_credentials(settings)  # a missing one stops start-up before the database is opened
    refuse_weak_keys(settings)
    knowledge = serving_knowledge(settings)
    startup_routing_check(settings)
    store, settings = await open_store(settings)
    chat = TeamsChat(settings)  # signs with the key open_store found (configured or stored)
    bot = compose(
        settings, chat=chat, matcher=knowledge.matcher, store=store, metrics=Metrics(), hub=hub
    )
    runner = await start_http(bot.web, settings, port=port)
    log.info(
        "kubemedic serving Teams as app %s on port %d%s",
        chat.app_id,
        port,
        " (fleet hub)" if hub else "",
    )
    await run_until_stopped(bot, settings=settings, store=store, runner=runner, connection=None)
    await store.close()
