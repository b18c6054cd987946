"""The hub's fleet parts on one replica and the times they keep.

Time is what the fleet is about: an asker hears within `accept_seconds` (under Slack's
3 s) that a cluster is unreachable when no agent took the request - unless its agent is on its
way (`coming`: its replica is draining, up to `moving_seconds`; or it just came back, for a
window of its own); a request an agent
took is waited for up to `answer_seconds`, across the agent dropping and coming back;
a replica looks for requests it should push every `poll_seconds` (at once when the
request or the agent is its own); an agent not heard from for `stale_seconds` counts as
gone, whatever its row says (its replica may have died holding it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.fleet.links import Links
from bot.fleet.report_inbox import ReportInbox
from bot.runtime.clock import Clock
from bot.runtime.log_budget import LogBudget
from bot.storage.fleet_base import FleetStore
from bot.storage.fleet_records import AgentRecord


@dataclass(frozen=True)
class FleetTiming:
    """Seconds the hub waits for what (see the module docstring)."""

    accept_seconds: float = 2.5
    answer_seconds: float = 60.0
    poll_seconds: float = 0.2
    lease_seconds: float = 6.0
    seen_seconds: float = 5.0
    """How often the holder replica records that its agents are still there."""
    ping_seconds: float = 10.0
    """WebSocket ping interval; a peer that misses a pong is closed."""
    revocation_seconds: float = 5.0
    """How often revoked tokens are looked for: an open connection of one is closed within this
    and one dispatcher turn (5-6 s)."""
    moving_seconds: float = 10.0
    """A draining replica's agents get this long to dial another replica before their asks stop
    waiting for them (they come back in 0.5-3 s after a good connection)."""

    @property
    def stale_seconds(self) -> float:
        return 3 * self.seen_seconds

    def reachable(self, agent: AgentRecord, now: datetime) -> bool:
        return agent.connected and (now - agent.last_seen).total_seconds() <= self.stale_seconds

    def coming(self, agent: AgentRecord, request_at: datetime, now: datetime) -> bool:
        """Its agent is on its way to take a request made at `request_at`: it is moving from a draining
        replica, or it came back after the request was made and has had less than `accept_seconds`."""
        back = agent.connected and agent.connected_at > request_at
        fresh = back and (now - agent.connected_at).total_seconds() < self.accept_seconds
        return agent.moving(now) or fresh

    def may_return(self, agent: AgentRecord, now: datetime) -> bool:
        """Connected, or it dropped moments ago (a hub replica restarting: it is dialling another) -
        worth `accept_seconds` of waiting; gone longer, the asker is told at once."""
        return (now - agent.last_seen).total_seconds() <= self.stale_seconds


class Waiters:
    """Wakes an asker on this replica at once when its request's answer arrives here."""

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {}

    def event(self, request_id: str) -> asyncio.Event:
        return self._events.setdefault(request_id, asyncio.Event())

    def done(self, request_id: str) -> None:
        self._events.pop(request_id, None)

    def wake(self, request_id: str) -> None:
        event = self._events.get(request_id)
        if event is not None:
            event.set()


@dataclass
class FleetParts:
    """What the socket handler, the dispatcher and the remote diagnoser of one replica share."""

    store: FleetStore
    replica: str
    clock: Clock
    timing: FleetTiming = field(default_factory=FleetTiming)
    links: Links = field(default_factory=Links)
    waiters: Waiters = field(default_factory=Waiters)
    on_refused: Callable[[], None] = lambda: None
    """Counts a refused agent connection (the metrics)."""
    reports: ReportInbox = field(default_factory=lambda: ReportInbox(None))
    """Where agents' reports are stored (None store: the hub posts no alerts)."""
    draining: bool = False
    """From SIGTERM on: no agent is welcomed here (they dial a replica that stays)."""
    refusals: LogBudget = field(
        default_factory=lambda: LogBudget(logging.getLogger("bot.fleet.hub_door"))
    )
    """The warnings of refused connections, at most one a minute."""

    def metrics_refused(self) -> None:
        self.on_refused()

    def answered(self, request_id: str) -> None:
        self.waiters.wake(request_id)
