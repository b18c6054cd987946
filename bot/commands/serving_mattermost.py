"""`kubemedic serve --mattermost`: build the bot with Mattermost's adapter, serve, stop gracefully.

Start-up order as for Slack: the catalog and the routing file (every problem named before
anything connects), the database, then the bot account (GET /users/me: a rejected token stops
start-up with exit 2, an unreachable server is retried, then exit 1). The WebSocket connects in
the background and /readyz fails until it is up. The HTTP server (PORT) takes the slash command,
clicks, dialogs, /alertmanager and the probes.
"""

from __future__ import annotations

import asyncio
import logging

from bot.commands.serve_runtime import (
    STARTUP_BACKOFF,
    open_store,
    run_until_stopped,
    serving_knowledge,
    start_http,
)
from bot.errors import BadInput, ServiceUnavailable
from bot.mattermost.client import MattermostClient, MattermostError
from bot.metrics import Metrics
from bot.remediation.tokens import refuse_weak_keys
from bot.settings import Settings
from bot.wiring.alerts import startup_routing_check
from bot.wiring.mattermost import MattermostChat
from bot.wiring.root import compose

log = logging.getLogger(__name__)

NEEDS = "serve --mattermost needs KUBEMEDIC_MATTERMOST_URL and KUBEMEDIC_MATTERMOST_TOKEN"


def check_mattermost_settings(settings: Settings) -> tuple[str, str]:
    """(URL, token), or BadInput naming what is missing."""
    missing = [
        name
        for name, value in (
            ("KUBEMEDIC_MATTERMOST_URL", settings.mattermost_url),
            ("KUBEMEDIC_MATTERMOST_TOKEN", settings.mattermost_token),
        )
        if not value
    ]
    if missing or settings.mattermost_url is None or settings.mattermost_token is None:
        raise BadInput(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: {NEEDS}"
        )
    return settings.mattermost_url, settings.mattermost_token.get_secret_value()


async def prove_account(client: MattermostClient) -> dict[str, object]:
    """GET /users/me before serving: the bot account. Exit 2 on a rejected token, 1 when unreachable."""
    for delay in (*STARTUP_BACKOFF, None):
        try:
            return await client.me()
        except MattermostError as exc:
            if not exc.transient:
                raise BadInput(
                    f"Mattermost rejected KUBEMEDIC_MATTERMOST_TOKEN: {exc.error}"
                ) from exc
            if delay is None:
                raise ServiceUnavailable(
                    f"cannot reach Mattermost at {client.base_url}: {exc}"
                ) from exc
            log.warning(
                "cannot reach Mattermost at %s (%s); retrying in %.0f s",
                client.base_url,
                exc,
                delay,
            )
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


async def serve_mattermost(settings: Settings, *, port: int, hub: bool = False) -> None:
    url, token = check_mattermost_settings(settings)
    refuse_weak_keys(settings)
    knowledge = serving_knowledge(settings)
    startup_routing_check(settings)
    store, settings = await open_store(settings)
    client = MattermostClient(url, token)
    try:
        me = await prove_account(client)
    except BaseException:
        await client.close()
        await store.close()
        raise
    chat = MattermostChat(
        settings,
        client=client,
        bot_user_id=str(me["id"]),
        bot_username=str(me.get("username") or ""),
    )
    bot = compose(
        settings,
        chat=chat,
        matcher=knowledge.matcher,
        store=store,
        metrics=Metrics(),
        hub=hub,
    )
    runner = await start_http(bot.web, settings, port=port)
    chat.socket.start()
    log.info(
        "kubemedic serving Mattermost at %s as @%s on port %d%s",
        url,
        me.get("username"),
        port,
        " (fleet hub)" if hub else "",
    )
    await run_until_stopped(
        bot, settings=settings, store=store, runner=runner, connection=chat.socket
    )
    await client.close()
    await store.close()
