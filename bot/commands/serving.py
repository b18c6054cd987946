"""Serving: build the bot with `compose`, serve it, and stop gracefully (see `serve_cmd`).

Kept apart from the command's parser so the other commands start without
importing the Slack, HTTP and database libraries.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands.serve_runtime import (
    STARTUP_BACKOFF,
    Worker,
    open_store,
    run_until_stopped,
    serving_knowledge,
    start_http,
)
from bot.errors import BadInput, ServiceUnavailable
from bot.knowledge import Knowledge
from bot.metrics import Metrics
from bot.remediation.tokens import refuse_weak_keys
from bot.settings import Settings, SlackMode
from bot.slack.app import shared_session, web_client
from bot.storage.sql import SqlStore
from bot.web.server import READINESS
from bot.wiring.alerts import startup_routing_check
from bot.wiring.root import Kubemedic, compose
from bot.wiring.slack import SlackChat

if TYPE_CHECKING:
    from bot.slack.socket_mode import SocketConnection

log = logging.getLogger(__name__)


async def prove_token(client: AsyncWebClient, api_url: str) -> str | None:
    """auth.test before serving: the bot's user id. A rejected token stops start-up
    (exit 2); an unreachable Slack is retried with back-off, then exit 1."""
    for delay in (*STARTUP_BACKOFF, None):
        try:
            identity = await client.auth_test()
            return identity.get("user_id")
        except SlackApiError as exc:
            raise BadInput(f"Slack rejected SLACK_BOT_TOKEN: {exc.response.get('error')}") from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            if delay is None:
                raise ServiceUnavailable(f"cannot reach Slack at {api_url}: {exc}") from exc
            log.warning("cannot reach Slack at %s (%s); retrying in %.0f s", api_url, exc, delay)
            await asyncio.sleep(delay)
    return None


SOCKET_NEEDS = "Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN"
HTTP_NEEDS = "HTTP mode needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"


def check_slack_settings(settings: Settings, *, http: bool) -> None:
    """BadInput naming what is missing and what each mode needs, so the fix is clear whichever
    mode was meant: Socket Mode is chosen when SLACK_APP_TOKEN is set and --http is not given."""
    mode = settings.slack_mode(http=http)
    given = {
        "SLACK_BOT_TOKEN": settings.slack_bot_token,
        "SLACK_APP_TOKEN": settings.slack_app_token,
        "SLACK_SIGNING_SECRET": settings.slack_signing_secret,
    }
    needed = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if mode.socket else "SLACK_SIGNING_SECRET")
    missing = [name for name in needed if given[name] is None]
    if not missing:
        return
    if mode.socket:
        why = f"{SOCKET_NEEDS} (chosen because SLACK_APP_TOKEN is set)"
    elif http:
        why = f"{HTTP_NEEDS} (serve --http)"
    else:
        why = f"{HTTP_NEEDS} (chosen because SLACK_APP_TOKEN is not set); {SOCKET_NEEDS}"
    raise BadInput(f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: {why}")


async def serve(
    settings: Settings, *, http: bool, port: int, worker: Worker | None = None, hub: bool = False
) -> None:
    """Start in order (catalog, database, Slack identity), serve until SIGTERM, then stop gracefully.

    `worker`: this process is one of several in the replica (bot/commands/workers.py).
    """
    mode = settings.slack_mode(http=http)
    check_slack_settings(settings, http=http)
    refuse_weak_keys(settings)
    knowledge = (
        worker.knowledge if worker else serving_knowledge(settings)
    )  # before database, Slack
    startup_routing_check(settings)  # the routing file's every problem named, also before them
    store, settings = await open_store(settings)
    metrics = Metrics()
    client = web_client(settings, metrics)
    async with shared_session(client):
        await _serve(
            settings,
            port=port,
            mode=mode,
            knowledge=knowledge,
            store=store,
            metrics=metrics,
            client=client,
            worker=worker,
            hub=hub,
        )


async def _serve(
    settings: Settings,
    *,
    port: int,
    mode: SlackMode,
    knowledge: Knowledge,
    store: SqlStore,
    metrics: Metrics,
    client: AsyncWebClient,
    worker: Worker | None,
    hub: bool = False,
) -> None:
    try:
        bot_user_id = await prove_token(client, settings.slack_api_url)
    except BaseException:
        await store.close()
        raise
    bot = compose(
        settings,
        chat=SlackChat(settings, bot_user_id=bot_user_id, socket_mode=mode.socket, client=client),
        matcher=knowledge.matcher,
        store=store,
        metrics=metrics,
        shared=worker.shared if worker else None,
        slots=worker.slots.of_worker(worker.index) if worker else None,
        hub=hub,
    )
    runner = await start_http(bot.web, settings, port=port, reuse_port=worker is not None)
    socket = _socket_mode(bot, settings) if mode.socket else None
    log.info("kubemedic serving (%s%s) on port %d", mode, ", fleet hub" if hub else "", port)
    if worker is not None:
        worker.started()
    await run_until_stopped(bot, settings=settings, store=store, runner=runner, connection=socket)
    await store.close()


def _socket_mode(bot: Kubemedic[SlackChat], settings: Settings) -> SocketConnection:
    """Connect to Slack in the background; /readyz fails while the connection is down."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.slack.socket_mode import SocketConnection

    assert settings.slack_app_token is not None
    handler = AsyncSocketModeHandler(
        bot.chat.bolt, settings.slack_app_token.get_secret_value(), web_client=bot.chat.client
    )
    connection = SocketConnection(handler)
    bot.web[READINESS].append(connection.problem)
    connection.start()
    return connection
