"""Builds the Jira tickets use case from the settings (None: Jira is not set up)."""

from __future__ import annotations

from bot.answering.chosen import catalog_entry
from bot.incidents.tickets import Tickets
from bot.outbound.tools import jira_api
from bot.wiring.adapter import Core


def tickets_of(core: Core) -> Tickets | None:
    """One Jira project's tickets, with the configured retries and breakers."""
    jira = jira_api(core.settings, core.metrics)
    if jira is None:
        return None
    matcher = core.matcher
    return Tickets(
        jira, store=core.store, lookup=lambda id: catalog_entry(matcher, id), clock=core.clock
    )
