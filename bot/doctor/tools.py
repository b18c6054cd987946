"""Doctor's checks of the incident tools: each configured one answers a read-only call, and no
note is failing.

PagerDuty lists one incident (`GET /incidents?limit=1`), Opsgenie one alert (`GET
/v2/alerts?limit=1`), Jira Service Management one alert (`GET /v1/alerts?size=1`), Jira reads
the project (`GET /rest/api/{2|3}/project/{KEY}`): a wrong key, a key without read access or a
project that does not exist fails here, in the tool's words, with the fix, before a page or a
ticket needs it. Nothing is written. A webhook without a channel to post to fails too. The
database says whether notes are failing now (with the last error) or were given up.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from bot.noise.routing import has_channel
from bot.outbound.http import OutboundFailed
from bot.outbound.tools import (
    jira_api,
    jsm_api,
    opsgenie_api,
    pagerduty_api,
    secret,
    webhook_secrets,
)
from bot.settings import Settings
from bot.storage.base import StoreError
from bot.storage.sql import SqlStore
from responses.doctor import Check

FIXES = {
    "PagerDuty": "set KUBEMEDIC_PAGERDUTY_TOKEN to a REST API key that can read and write incidents "
    "(docs/pagerduty.md)",
    "Opsgenie": "set KUBEMEDIC_OPSGENIE_API_KEY to an API integration's key with Read and Create and "
    "Update access (docs/opsgenie.md)",
    "Jira Service Management": "set KUBEMEDIC_JSM_API_URL to https://api.atlassian.com/jsm/ops/api/"
    "<your site's cloud id>, and KUBEMEDIC_JSM_API_TOKEN (with KUBEMEDIC_JSM_EMAIL) to an API "
    "token of an account that can see and update the alerts (docs/opsgenie.md)",
    "Jira": "check KUBEMEDIC_JIRA_URL, KUBEMEDIC_JIRA_TOKEN (and KUBEMEDIC_JIRA_EMAIL on Cloud) and that "
    "KUBEMEDIC_JIRA_PROJECT exists and the account can browse it (docs/jira.md)",
}


async def tool_checks(settings: Settings) -> list[Check]:
    """One line per configured tool, then one about the notes (nothing when none is set up)."""
    checks = [_webhook(settings)] if _webhooks(settings) else []
    calls: list[tuple[str, Callable[[], Awaitable[str]] | None]] = [
        ("PagerDuty", _check_of(pagerduty_api(settings, None, time.monotonic))),
        ("Opsgenie", _check_of(opsgenie_api(settings, None, time.monotonic))),
        ("Jira Service Management", _jsm_check(settings)),
        ("Jira", _check_of(jira_api(settings, None))),
    ]
    for name, call in calls:
        if call is not None:
            checks.append(await _read(name, call))
    if _webhooks(settings):
        checks.append(await _notes(settings))
    return checks


def _webhooks(settings: Settings) -> bool:
    return bool(webhook_secrets(settings))


def _jsm_check(settings: Settings) -> Callable[[], Awaitable[str]] | None:
    """JSM's read, or (its token set without the URL that names the site) a failing one."""
    if secret(settings.jsm_api_token) and settings.jsm_api_url is None:

        async def unset() -> str:
            raise OutboundFailed("jsm", "check", "KUBEMEDIC_JSM_API_URL is not set")

        return unset
    return _check_of(jsm_api(settings, None, time.monotonic))


def _check_of(api: object) -> Callable[[], Awaitable[str]] | None:
    return getattr(api, "check", None) if api is not None else None


def _webhook(settings: Settings) -> Check:
    if has_channel(settings):
        return Check("Incident webhooks", "ok", "pages are posted where alerts go")
    return Check(
        "Incident webhooks",
        "fail",
        "a page webhook secret is set but incident messages have no channel",
        "set KUBEMEDIC_ALERT_CHANNEL (or a routing file with a default)",
    )


async def _read(name: str, call: Callable[[], Awaitable[str]]) -> Check:
    try:
        return Check(name, "ok", await call())
    except OutboundFailed as exc:
        return Check(name, "fail", exc.reason, FIXES[name])


async def _notes(settings: Settings) -> Check:
    store = SqlStore(settings.database_url)
    try:
        troubles = await store.note_troubles()
    except StoreError as exc:
        return Check("Incident notes", "info", f"not read: {exc}")
    finally:
        await store.close()
    if not troubles:
        return Check("Incident notes", "ok", "none failing")
    shown = "; ".join(
        f"{tool}: {failing} failing, {given_up} given up (last: {error[:160]})"
        for tool, (failing, given_up, error) in sorted(troubles.items())
    )
    return Check(
        "Incident notes", "fail", shown, "fix what the last error names; failing notes are retried"
    )
