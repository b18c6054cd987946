"""Plain records of the incident tables: each page's incident and the note written back to it.

An `IncidentRecord` is one incident (a PagerDuty incident, an Opsgenie alert): the chat thread it
is shown in, whether it still fires, and the note kubemedic keeps on it. `version` counts what the
note should say (it changes when the incident resolves); `posted_version` is what the tool shows.
`posting_at` is set while a note's creation is in doubt (sent, answer not stored): it is looked
for on the incident before it is sent again, so a restart neither loses nor doubles it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

IncidentStatus = Literal["firing", "resolved"]


@dataclass(frozen=True, kw_only=True)
class IncidentRecord:
    """One incident and its note."""

    key: str
    tool: str
    target: str
    thread_key: str
    label: str
    url: str | None = None
    status: IncidentStatus = "firing"
    version: int = 1
    posted_version: int = 0
    note_id: str | None = None
    posting_at: datetime | None = None
    attempts: int = 0
    next_try_at: datetime | None = None
    error: str | None = None
    gave_up: bool = False
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class NoteFailure:
    """A try that did not get through: why, when to try again (None: never), whether it is given
    up, and whether the tool may have taken it after all (`in_doubt`: look before writing again)."""

    error: str
    next_try_at: datetime | None
    gave_up: bool = False
    in_doubt: bool = False


@dataclass(frozen=True, kw_only=True)
class TicketRecord:
    """The Jira issue of one problem (`fingerprint`: a digest of what makes it that problem)."""

    fingerprint: str
    problem: str
    issue_key: str | None = None
    url: str | None = None
    filing_at: datetime | None = None
    """Set while an issue is being filed or commented on (a claim), and after a filing in doubt."""
    comments: int = 0
    created_at: datetime
    updated_at: datetime
