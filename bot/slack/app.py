"""The composition root of the Slack bot: one AsyncApp wired to its collaborators."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import BadInput
from bot.metrics import Metrics
from bot.settings import Settings
from bot.slack import actions, commands, events, middleware
from bot.slack.clusters import ClusterDirectory
from bot.slack.deps import BotDeps
from bot.slack.webapi import retry_handlers
from bot.slack.work import WorkQueue

RETRIES = 2


def required(settings: Settings, *names: str) -> None:
    """Stop start-up with one line naming the first missing variable."""
    for name in names:
        field = {"SLACK_BOT_TOKEN": settings.slack_bot_token,
                 "SLACK_SIGNING_SECRET": settings.slack_signing_secret,
                 "SLACK_APP_TOKEN": settings.slack_app_token}[name]
        if field is None or not field.get_secret_value().strip():
            raise BadInput(f"{name} is not set; kubemedic serve needs it")


def web_client(settings: Settings, metrics: Metrics | None = None) -> AsyncWebClient:
    """The Web API client: SLACK_API_URL, and retries for 429 (Retry-After), 5xx and connection
    errors; with `metrics`, every call's retries and failures are counted (bolt's per-request
    clients share these handlers)."""
    assert settings.slack_bot_token is not None
    base_url = settings.slack_api_url if settings.slack_api_url.endswith("/") else settings.slack_api_url + "/"
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=base_url,
        retry_handlers=retry_handlers(metrics, RETRIES),
    )


def cached_authorization(client: AsyncWebClient) -> Callable[..., Awaitable[AuthorizeResult]]:
    """One auth.test for the life of the process (bolt's default runs it per request until
    the first answer, so a burst of 200 requests on a cold start made 200 calls)."""
    cache: list[AuthorizeResult] = []
    lock = asyncio.Lock()

    async def authorize(enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
        if not cache:
            async with lock:
                if not cache:
                    response = await client.auth_test()
                    cache.append(AuthorizeResult.from_auth_test_response(
                        auth_test_response=response, bot_token=client.token))
        return cache[0]

    return authorize


def create_app(deps: BotDeps, *, socket_mode: bool = False) -> AsyncApp:
    """The bolt app with every listener registered (Socket Mode needs no signing secret).

    Listeners ack, hand their work to `deps.spawn` and return, so bolt answers
    Slack as soon as they return (process_before_response=True) without
    bolt's ack polling, and the work stays tracked for a graceful shutdown.
    """
    settings = deps.settings
    required(settings, "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if socket_mode else "SLACK_SIGNING_SECRET")
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    client = web_client(settings, deps.metrics)
    if isinstance(deps.clusters, ClusterDirectory):
        deps.clusters.on_api_error = deps.metrics.kube_api_error
    app = AsyncApp(
        client=client,
        authorize=cached_authorization(client),
        signing_secret=secret,
        request_verification_enabled=not socket_mode,
        process_before_response=True,
        raise_error_for_unhandled_request=False,
    )
    deps.work = WorkQueue(deps, client)
    middleware.register(app, deps)
    commands.register(app, deps)
    events.register(app, deps)
    actions.register(app, deps)
    return app
