"""The configured tools' API clients, made the same way for the bot and for `kubemedic doctor`:
each with the configured retries and breakers, None when its key is not set."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.metrics import Metrics
from bot.outbound.http import OutboundApi, RetryPolicy
from bot.outbound.jira import JiraApi, jira_headers
from bot.outbound.jsm import JsmApi
from bot.outbound.opsgenie import OpsgenieApi, opsgenie_headers
from bot.outbound.pagerduty import PagerDutyApi, pagerduty_headers
from bot.settings import Settings

Clock = Callable[[], float]
"""What a breaker's cooldown is measured on: the bot's clock, in seconds."""


def secret(value: object) -> str | None:
    """A configured secret's text; None when unset or blank."""
    getter = getattr(value, "get_secret_value", None)
    return (getter() or None) if getter is not None else None


def webhook_secrets(settings: Settings) -> dict[str, str]:
    """Each tool whose webhook secret is set (its route is on): the secret."""
    given = {
        "pagerduty": secret(settings.pagerduty_webhook_secret),
        "opsgenie": secret(settings.opsgenie_webhook_secret),
        "jsm": secret(settings.jsm_webhook_secret),
    }
    return {tool: value for tool, value in given.items() if value}


def outbound_api(
    settings: Settings,
    tool: str,
    base_url: str,
    headers: dict[str, str],
    metrics: Metrics | None,
    clock: Clock = time.monotonic,
) -> OutboundApi:
    """One tool's API with the configured retries and breakers."""
    return OutboundApi(
        tool,
        base_url,
        headers=headers,
        policy=RetryPolicy(attempts=settings.outbound_attempts),
        breaker_failures=settings.outbound_breaker_failures,
        breaker_seconds=settings.outbound_breaker_seconds,
        metrics=metrics,
        clock=clock,
    )


def pagerduty_api(settings: Settings, metrics: Metrics | None, clock: Clock) -> PagerDutyApi | None:
    token = secret(settings.pagerduty_token)
    if not token:
        return None
    headers = pagerduty_headers(token, settings.pagerduty_from)
    return PagerDutyApi(
        outbound_api(settings, "pagerduty", settings.pagerduty_api_url, headers, metrics, clock)
    )


def opsgenie_api(settings: Settings, metrics: Metrics | None, clock: Clock) -> OpsgenieApi | None:
    key = secret(settings.opsgenie_api_key)
    if not key:
        return None
    headers = opsgenie_headers(key)
    return OpsgenieApi(
        outbound_api(settings, "opsgenie", settings.opsgenie_api_url, headers, metrics, clock)
    )


def jsm_api(settings: Settings, metrics: Metrics | None, clock: Clock) -> JsmApi | None:
    """Jira Service Management's alerts: an Atlassian account's email and API token (basic auth,
    as Jira Cloud takes them), or an OAuth access token alone."""
    token = secret(settings.jsm_api_token)
    if not token or settings.jsm_api_url is None:
        return None
    headers = jira_headers(token, settings.jsm_email)
    return JsmApi(outbound_api(settings, "jsm", settings.jsm_api_url, headers, metrics, clock))


def jira_api(settings: Settings, metrics: Metrics | None) -> JiraApi | None:
    token = secret(settings.jira_token)
    if not settings.jira_ready or not token or settings.jira_url is None:
        return None
    headers = jira_headers(token, settings.jira_email)
    api = outbound_api(
        settings, "jira", settings.jira_api_url or settings.jira_url, headers, metrics
    )
    return JiraApi(
        api,
        version=settings.jira_api_version,
        project=(settings.jira_project or "").strip(),
        issue_type=settings.jira_issue_type,
        site=settings.jira_url,
    )
