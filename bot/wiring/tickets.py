"""Builds the Jira tickets use case from the settings (None: Jira is not set up)."""

from __future__ import annotations

from bot.answering.chosen import catalog_entry
from bot.incidents.tickets import Tickets
from bot.outbound.jira import JiraApi, jira_headers
from bot.wiring.adapter import Core
from bot.wiring.incidents import outbound_api


def tickets_of(core: Core) -> Tickets | None:
    """One Jira project's tickets, with the configured retries and breakers."""
    settings = core.settings
    if not settings.jira_ready or settings.jira_url is None or settings.jira_token is None:
        return None
    headers = jira_headers(settings.jira_token.get_secret_value(), settings.jira_email)
    base = settings.jira_api_url or settings.jira_url
    api = outbound_api(settings, "jira", base, headers, core.metrics)
    jira = JiraApi(
        api,
        version=settings.jira_api_version,
        project=(settings.jira_project or "").strip(),
        issue_type=settings.jira_issue_type,
        site=settings.jira_url,
    )
    matcher = core.matcher
    return Tickets(
        jira, store=core.store, lookup=lambda id: catalog_entry(matcher, id), clock=core.clock
    )
