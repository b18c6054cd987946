"""`kubemedic serve [--http] [--port N]`: run the Slack bot.

Socket Mode when SLACK_APP_TOKEN is set and --http is not given, otherwise
HTTP mode (POST /slack/events).  /healthz, /readyz and /metrics are served
on PORT in both modes.  SIGTERM/SIGINT stop accepting new requests, let
in-flight work finish (bounded), hand what is left to the other replicas,
then close the database. While serving, the work queue renews this
replica's leases and takes over work from replicas that died.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

import aiohttp
from aiohttp import web
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, BadInput, ServiceUnavailable
from bot.knowledge import load_knowledge, refuse_if_strict
from bot.settings import Settings
from bot.slack.app import create_app, required
from bot.slack.clusters import ClusterDirectory
from bot.slack.deps import BotDeps
from bot.slack.server import build_web_app
from bot.storage.base import StoreError
from bot.storage.sql import SqlStore

log = logging.getLogger(__name__)

DRAIN_SECONDS = 20.0
STARTUP_BACKOFF = (1.0, 2.0)
"""Seconds between auth.test attempts at start-up while Slack cannot be reached."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="run the Slack bot")
    parser.add_argument("--http", action="store_true", help="HTTP mode even when SLACK_APP_TOKEN is set")
    parser.add_argument("--port", type=int, default=None, metavar="N", help="HTTP port (default: PORT or 3000)")


def build_remediation(deps: BotDeps) -> object | None:
    """The remediation service, when this installation has it."""
    try:
        from bot.slack.remediation_adapter import adapter_for
    except ImportError:
        return None
    return adapter_for(deps)


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


async def serve(settings: Settings, *, http: bool, port: int) -> None:
    socket_mode = settings.slack_app_token is not None and not http
    required(settings, "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if socket_mode else "SLACK_SIGNING_SECRET")
    knowledge = load_knowledge(settings)
    refuse_if_strict(settings, knowledge)  # before the database or Slack is contacted
    for problem in knowledge.problems:
        log.warning("catalog: %s", problem)
    if knowledge.problems:
        log.warning("serving without the broken catalog entries (%d problem(s)); "
                    "KUBEMEDIC_CATALOG_STRICT=true refuses to start instead", len(knowledge.problems))
    store = SqlStore(settings.database_url)
    try:
        await store.start()
    except StoreError as exc:
        raise ServiceUnavailable(f"cannot open the database: {exc}") from exc
    deps = BotDeps(settings, knowledge.matcher, store, ClusterDirectory(settings))
    deps.remediation = build_remediation(deps)
    bolt = create_app(deps, socket_mode=socket_mode)
    try:
        deps.bot_user_id = await prove_token(bolt.client, settings.slack_api_url)
    except BaseException:
        await store.close()
        raise
    runner = web.AppRunner(build_web_app(deps, None if socket_mode else bolt), handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", port).start()
    handler = None
    if socket_mode:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        assert settings.slack_app_token is not None
        handler = AsyncSocketModeHandler(bolt, settings.slack_app_token.get_secret_value(), web_client=bolt.client)
        await handler.connect_async()
    log.info("kubemedic serving (%s) on port %d", "Socket Mode" if socket_mode else "HTTP", port)
    stop = asyncio.Event()
    assert deps.work is not None
    sweeping = asyncio.get_running_loop().create_task(deps.work.run(stop))
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    log.info("shutting down: finishing in-flight work")
    if handler is not None:
        await handler.disconnect_async()
    await runner.shutdown()
    await sweeping
    await deps.drain(DRAIN_SECONDS)
    await deps.work.release()
    await runner.cleanup()
    await store.close()


SWITCH_INTERVAL = 0.001
"""Seconds between GIL hand-offs (Python's default is 0.005): the event loop, which
acks Slack, gets the interpreter back sooner from threads parsing API responses."""


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    port = args.port if args.port is not None else settings.port
    sys.setswitchinterval(SWITCH_INTERVAL)
    asyncio.run(serve(settings, http=args.http, port=port))
    return EXIT_OK
