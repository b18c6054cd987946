"""Jira tickets by fingerprint: one issue per problem, filed from chat, commented on when it recurs.

A problem is the alert's fingerprint (its message's noise key: an Alertmanager group, a page),
or a diagnosis's catalog id plus the object it is about (cluster, subject). `/diagnose ...
--ticket` and the Ticket buttons (on answers and alert messages) come here. The problem's open
issue gets a comment with the new diagnosis; without one, an issue is filed, labelled with the
problem's digest. Its key is recorded; filing is claimed first (one filer per problem at a time,
across replicas) and an issue whose filing was in doubt (Jira's answer lost) is found again by
its label before another is filed: a problem never gets two open issues from kubemedic. Every outcome is one
line for the chat; Jira's refusals (a project that does not exist) in its own words.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.noise.chat import view_of
from bot.outbound.http import OutboundFailed
from bot.outbound.jira import JiraApi
from bot.storage.alert_base import AlertStore
from bot.storage.base import Store as ChatStore
from bot.storage.incident_base import IncidentStore
from intents.schema import CatalogEntry
from responses import ticket_text as say
from responses.alert_detail import AlertTexts
from responses.alert_view import page_link
from responses.answer_build import stored_headline
from responses.answer_view import Headline, Problem, ProblemDetails, details_from_dict
from responses.ticket_text import TicketDraft, adf_description, ticket_draft, wiki_description

log = logging.getLogger(__name__)

STALE = timedelta(minutes=2)
"""A claim older than this is taken over (its filer died mid-way)."""
Lookup = Callable[[str], CatalogEntry | None]


class Store(ChatStore, AlertStore, IncidentStore, Protocol):
    """Diagnoses, alert threads and tickets (`SqlStore` is all three)."""


def _where(target: str, alert: AlertTexts) -> str:
    """What a ticket is about: the target, and the alert's cluster when it names one."""
    return f"{target}" + (f" in cluster {alert.cluster}" if alert.cluster else "")


class Tickets:
    """The ticket port of the chat flow (bot/answering/ports.py `TicketPort`)."""

    def __init__(
        self, jira: JiraApi, *, store: Store, lookup: Lookup, clock: Callable[[], datetime]
    ) -> None:
        self.jira, self.store, self.lookup, self.clock = jira, store, lookup, clock

    async def for_diagnosis(self, diagnosis_id: str | None) -> str:
        """The ticket of an answer's first cause (catalog id plus the object diagnosed): the cause
        and first fix step its chat card showed."""
        record = await self.store.get_diagnosis(diagnosis_id) if diagnosis_id else None
        cause = _stored_cause(record.body, self.lookup) if record is not None else None
        if record is None or cause is None:
            return say.NOTHING_TO_FILE
        cluster = record.cluster or str(record.body.get("cluster") or "")
        where = f"{record.subject}" + (f" in cluster {cluster}" if cluster else "")
        problem = f"{cluster}|{record.subject}|{_answer_id(record.body, cause)}"
        return await self.file(problem, ticket_draft(cause, where=where))

    async def for_alert(self, key: str) -> str:
        """The ticket of an alert or page message (its fingerprint: the message's key)."""
        thread = await self.store.get_thread(key)
        if thread is None:
            return say.NOTHING_TO_FILE
        view = view_of(thread, self.clock())
        alert = view.detail.alert or AlertTexts()
        runbook = ("Runbook", alert.runbook_url) if alert.runbook_url else None
        links = [pair for pair in (page_link(view.detail), runbook) if pair is not None]
        where = _where(view.detail.target or alert.name or thread.title, alert)
        cause = view.cause or _no_entry(thread.title)
        return await self.file(key, ticket_draft(cause, where=where, links=links))

    async def file(self, problem: str, draft: TicketDraft) -> str:
        """Comment on the problem's open issue, or file one; the line that says which."""
        fingerprint = hashlib.sha256(problem.encode()).hexdigest()[:32]
        label = f"kubemedic-{fingerprint[:16]}"
        if not await self.store.claim_ticket(
            fingerprint, problem[:1000], now=self.clock(), stale=STALE
        ):
            return say.BEING_FILED
        try:
            return await self._file(fingerprint, label, draft)
        except OutboundFailed as exc:
            log.warning("ticket not filed: %s", exc)
            return say.jira_failed(exc.reason, refused=not exc.transient, in_doubt=exc.in_doubt)
        finally:  # a filing in doubt is found again by its label before another is filed
            await self.store.release_ticket(fingerprint)

    async def _file(self, fingerprint: str, label: str, draft: TicketDraft) -> str:
        record = await self.store.get_ticket(fingerprint)
        known = record.issue_key if record is not None else None
        key = known if known and await self.jira.is_open(known) else None
        key = key or await self.jira.find_open(label)
        now = self.clock()
        if key is not None:
            await self.jira.comment(key, self._body(draft, heading="Seen again"))
            url = self.jira.browse(key)
            await self.store.ticket_commented(fingerprint, key=key, url=url, now=now)
            return say.commented(key, url)
        issue = await self.jira.create(draft.summary, self._body(draft), ["kubemedic", label])
        await self.store.ticket_filed(fingerprint, key=issue.key, url=issue.url, now=now)
        return say.opened(issue.key, issue.url)

    def _body(self, draft: TicketDraft, *, heading: str = "kubemedic diagnosis") -> Any:
        if self.jira.version == "3":
            return adf_description(draft, heading=heading)
        return wiki_description(draft, heading=heading)


def _answer_of(body: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The stored diagnosis's answer (else its first finding), as its JSON match."""
    matches = [m for m in body.get("matches") or [] if isinstance(m, Mapping)]
    answer = body.get("answer")
    return next((m for m in matches if m.get("id") == answer), matches[0] if matches else None)


def _answer_id(body: Mapping[str, Any], cause: Headline) -> str:
    """The id that names the problem (its answer's, as before a suspect led the ticket)."""
    match = _answer_of(body)
    return str(match.get("id")) if match is not None else cause.id


def _stored_cause(body: Mapping[str, Any], lookup: Lookup) -> Headline | None:
    """What the answer's chat card led with, from its stored details."""
    match = _answer_of(body)
    details = details_from_dict(dict(body.get("details") or {}))
    suspect = details.suspects[0] if details.suspects else None
    return stored_headline(
        details,
        confidence=str((match or {}).get("confidence") or ""),
        confirmed=bool((match or {}).get("confirmed")),
        entry=lookup(suspect.id) if suspect is not None else None,
    )


def _no_entry(title: str) -> Headline:
    """A message no catalog entry explains: its title alone."""
    return Headline(
        Problem("no catalog entry", title, "low", 0.0, why=""),
        ProblemDetails("no catalog entry", title, ""),
        False,
    )
