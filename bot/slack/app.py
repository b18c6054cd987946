"""The Slack transport's app: the Web API client and the bolt app (listeners: `bot.wiring.slack`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import BadInput
from bot.metrics import Metrics
from bot.settings import Settings
from bot.slack.webapi import retry_handlers

RETRIES = 2


def required(settings: Settings, *names: str) -> None:
    """Stop start-up with one line naming the first missing variable."""
    for name in names:
        field = {
            "SLACK_BOT_TOKEN": settings.slack_bot_token,
            "SLACK_SIGNING_SECRET": settings.slack_signing_secret,
            "SLACK_APP_TOKEN": settings.slack_app_token,
        }[name]
        if field is None or not field.get_secret_value().strip():
            raise BadInput(f"{name} is not set; kubemedic serve needs it")


def web_client(settings: Settings, metrics: Metrics | None = None) -> AsyncWebClient:
    """The Web API client: SLACK_API_URL, and retries for 429 (Retry-After), 5xx and connection
    errors; with `metrics`, every call's retries and failures are counted (bolt's per-request
    clients share these handlers)."""
    assert settings.slack_bot_token is not None
    base_url = (
        settings.slack_api_url
        if settings.slack_api_url.endswith("/")
        else settings.slack_api_url + "/"
    )
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=base_url,
        retry_handlers=retry_handlers(metrics, RETRIES),
    )


@asynccontextmanager
async def shared_session(client: AsyncWebClient) -> AsyncIterator[None]:
    """One HTTP session with kept-alive connections for every Slack call while the bot runs.

    Without it slack_sdk opens a session (a new TCP and TLS connection) per
    call; bolt's per-request clients and `bot.slack.surface` take this one.
    """
    session = aiohttp.ClientSession()
    client.session = session
    try:
        yield
    finally:
        client.session = None
        await session.close()


def cached_authorization(client: AsyncWebClient) -> Callable[..., Awaitable[AuthorizeResult]]:
    """One auth.test for the life of the process (bolt's default runs it per request until
    the first answer, so a burst of 200 requests on a cold start made 200 calls)."""
    cache: list[AuthorizeResult] = []
    lock = asyncio.Lock()

    async def authorize(
        enterprise_id: str | None, team_id: str | None, user_id: str | None
    ) -> AuthorizeResult:
        if not cache:
            async with lock:
                if not cache:
                    response = await client.auth_test()
                    cache.append(
                        AuthorizeResult.from_auth_test_response(
                            auth_test_response=response, bot_token=client.token
                        )
                    )
        return cache[0]

    return authorize


def bolt_app(client: AsyncWebClient, *, signing_secret: str | None, socket_mode: bool) -> AsyncApp:
    """The bolt app, without listeners (Socket Mode needs no signing secret).

    Listeners ack, hand their work to the background and return, so bolt
    answers Slack as soon as they return (process_before_response=True)
    without bolt's ack polling, and the work stays tracked for a graceful
    shutdown.
    """
    return AsyncApp(
        client=client,
        authorize=cached_authorization(client),
        signing_secret=signing_secret,
        request_verification_enabled=not socket_mode,
        process_before_response=True,
        raise_error_for_unhandled_request=False,
    )
