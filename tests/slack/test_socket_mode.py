"""Socket Mode's connection as /readyz sees it: down until the socket says hello, and a first
connection that failed is retried with a fresh URL (slack_sdk alone retries the first URL for
ever, and Slack expires its ticket).

The real bolt app and slack_sdk's Socket Mode client against the Slack stand-in, whose
apps.connections.open hands out a URL that is no websocket first, then its own websocket.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.app import bolt_app
from bot.slack.socket_mode import SocketConnection
from tests.slack.harness import BOT_TOKEN
from tests.standins.slack_api import SlackStandIn, running_slack_standin
from tests.waiting import PATIENCE

APP_TOKEN = "xapp-1-socket-test"


async def eventually(
    check: Callable[[], Awaitable[bool]], what: str, timeout: float = PATIENCE
) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, f"{what}: not after {timeout:.0f} s"
        await asyncio.sleep(0.1)


async def test_readiness_waits_for_the_socket_and_a_failed_first_url_is_replaced(
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack = SlackStandIn(bot_token=BOT_TOKEN, app_token=APP_TOKEN)
    async with running_slack_standin(slack):
        slack.socket_url = f"{slack.url}/api/not-a-socket".replace("http://", "ws://")
        client = AsyncWebClient(token=BOT_TOKEN, base_url=slack.api_url)
        handler = AsyncSocketModeHandler(
            bolt_app(client, signing_secret=None, socket_mode=True),
            APP_TOKEN,
            web_client=client,
            ping_interval=1,
        )  # a retry each second (10 s in serve)
        connection = SocketConnection(handler, refresh=1.0)
        connection.start()
        try:

            async def refused() -> bool:
                return (
                    len(slack.calls_to("apps.connections.open")) >= 1
                    and await connection.problem() is not None
                )

            await eventually(refused, "a first URL handed out")
            problem = await connection.problem()
            assert problem is not None and problem.startswith(
                "Slack Socket Mode connection not connected yet for "
            )
            assert "its socket host 127.0.0.1 cannot be reached" in problem

            slack.socket_url = None  # from now on the stand-in's own websocket, which says hello

            async def ready() -> bool:
                return await connection.problem() is None

            await eventually(ready, "connected with a fresh URL")
        finally:
            await connection.stop()
    assert len(slack.calls_to("apps.connections.open")) >= 2
    assert slack.sockets == 1
    # each failed attempt in one line with its reason, not a traceback every ping interval
    failed = [record for record in caplog.records if "cannot connect" in record.getMessage()]
    assert failed and all(
        record.exc_info is None and "\n" not in record.getMessage() for record in failed
    )
    assert failed[0].getMessage().startswith("Slack Socket Mode: cannot connect (")
    assert not [record for record in caplog.records if record.exc_info]
