"""The transport-neutral incident summary that the Block Kit and text renderers draw.

It lives here, below the bot, because `responses/` renders it and must not
import `bot/`. It holds only what a reader joining an incident late needs:
the status, what broke (catalog ids), where, what was done about it and by whom.
Texts in it are raw (not yet redacted or escaped); renderers make them safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Status = Literal["ongoing", "mitigated"]
TimelineKind = Literal["error", "diagnosis", "remediation", "fix", "feedback", "note"]


@dataclass(frozen=True)
class FixLink:
    """A link to a catalog entry's fix documentation."""

    url: str
    title: str


@dataclass(frozen=True)
class IncidentItem:
    """One catalog entry seen in the channel, with how often and when."""

    catalog_id: str
    title: str
    confidence: str
    first_seen: datetime
    last_seen: datetime
    messages: int
    links: tuple[FixLink, ...] = ()
    helpful: int = 0
    not_this: int = 0


@dataclass(frozen=True)
class TimelineItem:
    """A key moment: first error, a diagnosis, a remediation and its result, feedback, a note."""

    when: datetime
    kind: TimelineKind
    text: str
    who: str | None = None


@dataclass(frozen=True)
class TeamAction:
    """A fix someone wrote in the channel: who, when, and what (their words or the command they ran)."""

    when: datetime
    who: str | None
    what: str


@dataclass(frozen=True)
class Person:
    """Someone who wrote in the channel: since when, how much, how many of it were fixes."""

    user: str
    first: datetime
    messages: int
    fixes: int = 0


@dataclass(frozen=True)
class Resources:
    """Clusters, namespaces, pods and nodes mentioned or diagnosed (sorted, bounded)."""

    clusters: tuple[str, ...] = ()
    namespaces: tuple[str, ...] = ()
    pods: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.clusters or self.namespaces or self.pods or self.nodes)


@dataclass(frozen=True)
class Summary:
    """What happened in one incident channel, as of `updated`."""

    channel: str
    status: Status
    updated: datetime
    started: datetime | None = None
    last_activity: datetime | None = None
    mitigated_at: datetime | None = None
    messages: int = 0
    incidents: tuple[IncidentItem, ...] = ()
    resources: Resources = Resources()
    timeline: tuple[TimelineItem, ...] = ()
    """The latest key moments, oldest first; `timeline_total` counts those left out too."""
    timeline_total: int = 0
    partial: bool = False
    """True when the channel history could not be read completely (rate limits, bounds)."""
    people: Mapping[str, str] = field(default_factory=dict)
    """Display names of user ids, when known."""
    actions: tuple[TeamAction, ...] = ()
    """The fixes people wrote in the channel, oldest first (the latest MAX_ACTIONS)."""
    involved: tuple[Person, ...] = ()
    """Everyone who wrote in the channel, in the order they first did."""

    def name_of(self, who: str | None) -> str | None:
        return None if who is None else self.people.get(who, who)

    @property
    def duration_end(self) -> datetime:
        """Where the "how long" of the status line ends."""
        if self.status == "mitigated" and self.mitigated_at is not None:
            return self.mitigated_at
        return self.updated
