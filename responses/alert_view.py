"""What an alert or watcher message shows, transport-neutral, and the words it uses.

The store keeps one message's state per noise key; the Slack adapter turns
that state into an `AlertView` and `responses.alert_blocks` renders it.
`detail` is the JSON the alert and watcher use cases stored when they
explained the problem (see bot/alerting/explaining.py): the alert's texts
or the watcher's detection, the headline cause and the diagnosis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

MUTE_CHOICES: dict[str, str] = {
    "1h": "Mute 1 h",
    "24h": "Mute 24 h",
    "resolved": "Mute until resolved",
}
MUTE_ACTION_PREFIX = "alert_mute_"
ALERT_TICKET = "alert_ticket"
"""An alert or page message's Jira ticket; its value is the message's noise key."""
MUTE_BLOCK_ID = "alert_mute"
MAX_OTHER_SUSPECTS = 3


@dataclass(frozen=True)
class AlertView:
    """One message's current state."""

    key: str
    source: str
    status: Literal["firing", "resolved"]
    title: str
    detail: Mapping[str, Any]
    subjects: int
    restarts: int
    seen: int
    first_seen: datetime
    last_seen: datetime
    resolved_at: datetime | None = None
    mention: str | None = None
    muted_until: datetime | None = None
    mute_until_resolved: bool = False
    muted_by: str | None = None
    now: datetime | None = None

    @property
    def cause(self) -> Mapping[str, Any] | None:
        explanation = self.detail.get("explanation") or {}
        cause = explanation.get("cause")
        return cause if isinstance(cause, Mapping) else None

    @property
    def suspect(self) -> Mapping[str, Any] | None:
        """The cause, when it is the walk's first suspect (it names the object at fault)."""
        cause = self.cause
        return cause if cause is not None and cause.get("object") else None

    @property
    def other_suspects(self) -> list[Mapping[str, Any]]:
        """The walk's other suspects, each with why it ranks below the first."""
        if self.suspect is None:
            return []
        diagnosis = (self.detail.get("explanation") or {}).get("diagnosis") or {}
        others = diagnosis.get("suspects") or []
        return [other for other in others[1 : MAX_OTHER_SUSPECTS + 1] if isinstance(other, Mapping)]

    @property
    def catalog_id(self) -> str | None:
        return str(self.cause["id"]) if self.cause and self.cause.get("id") else None

    @property
    def muted(self) -> bool:
        if self.mute_until_resolved and self.status == "firing":
            return True
        return self.muted_until is not None and self.now is not None and self.muted_until > self.now


def duration(delta: timedelta) -> str:
    """14 min, 2 h 5 min, 3 d 4 h."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


PAGED = ("pagerduty", "opsgenie", "jsm")
"""The sources whose messages are incidents (a page), not alerts."""


def heading(view: AlertView) -> str:
    if view.status == "resolved":
        return f"Resolved: {view.title}"
    if fleet_clusters(view):
        return f"Fleet-wide: {view.title}"
    if view.source in PAGED:
        return view.title  # "PagerDuty incident #1234: ..."
    return f"{'Alert' if view.source == 'alertmanager' else 'Watcher'}: {view.title}"


def incident_link(detail: Mapping[str, Any]) -> tuple[str, str] | None:
    """(label, url) of the incident a message belongs to, when it has an http(s) address."""
    incident = detail.get("incident") or {}
    url = str(incident.get("url") or "")
    if not url.startswith(("https://", "http://")):
        return None
    return str(incident.get("label") or "Incident"), url


def unmapped_line(detail: Mapping[str, Any]) -> str:
    incident = detail.get("incident") or {}
    if incident:
        tool = str(incident.get("label") or "the tool").split(" ")[0]
        return f"No catalog entry explains this incident; it is shown as {tool} sent it."
    return UNMAPPED


def fleet_clusters(view: AlertView) -> Mapping[str, Mapping[str, Any]]:
    """A fleet-wide incident's clusters by name (each `since`, `resolved_at`, `namespace`, `cause`)."""
    clusters = (view.detail.get("fleet") or {}).get("clusters") or {}
    return clusters if isinstance(clusters, Mapping) else {}


def fleet_line(view: AlertView) -> str:
    """ "failing in 2 of 3 clusters: prod, staging · resolved in dev"."""
    clusters = fleet_clusters(view)
    failing = sorted(name for name, state in clusters.items() if not state.get("resolved_at"))
    resolved = sorted(name for name, state in clusters.items() if state.get("resolved_at"))
    if not failing:
        return f"resolved in all {len(clusters)} cluster{'s' if len(clusters) != 1 else ''}: {', '.join(resolved)}"
    line = (
        f"failing in {len(failing)} of {len(clusters)} cluster{'s' if len(clusters) != 1 else ''}: "
        + ", ".join(failing)
    )
    return line + (f" · resolved in {', '.join(resolved)}" if resolved else "")


def cluster_state(name: str, state: Mapping[str, Any], now: datetime | None) -> str:
    """One cluster of a fleet-wide incident: "prod (shop): failing since 10:02, oom-killed confirmed"."""
    where = f" ({state['namespace']})" if state.get("namespace") else ""
    cause = (
        f", `{state['cause']}`{' confirmed' if state.get('confirmed') else ''}"
        if state.get("cause")
        else ""
    )
    since, resolved = _when(state.get("since")), _when(state.get("resolved_at"))
    if resolved is not None:
        took = f" after {duration(resolved - since)}" if since is not None else ""
        return f"{name}{where}: resolved{took}{cause}"
    ago = f" for {duration(now - since)}" if since is not None and now is not None else ""
    return f"{name}{where}: failing{ago}{cause}"


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def state_line(view: AlertView) -> str:
    """ "firing for 12 min · 3 alerts · notified 4 times" / "still failing: 14 restarts, 3 pods"."""
    if fleet_clusters(view):
        return fleet_line(view)
    if view.status == "resolved":
        if view.detail.get("oneshot"):
            return "no new failure for 60 min"
        return f"resolved after {duration((view.resolved_at or view.last_seen) - view.first_seen)}"
    if view.source in PAGED:
        again = f" · {view.seen} events" if view.seen > 1 else ""
        return f"incident open{again}"
    if view.source == "watch":
        things = (
            "node"
            if str((view.detail.get("detection") or {}).get("owner", "")).startswith("node ")
            else "pod"
        )
        count = f"{view.subjects} {things}{'s' if view.subjects != 1 else ''}"
        return (
            f"still failing: {view.restarts} restarts, {count}"
            if view.restarts
            else f"failing: {count}"
        )
    alerts = f"{view.subjects} alert{'s' if view.subjects != 1 else ''} firing"
    again = f" · notified {view.seen} times" if view.seen > 1 else ""
    return alerts + again


def cause_heading(confirmed: bool) -> str:
    return (
        "Cause (confirmed in the cluster)"
        if confirmed
        else "Usually means (not confirmed in the cluster)"
    )


def suspect_heading(cause: Mapping[str, Any]) -> str:
    """ "Most likely: service/checkout: Service has no endpoints" (the walk's first suspect)."""
    indirect = (
        " (indirect evidence: the cluster shows its effects, not the cause)"
        if cause.get("indirect")
        else ""
    )
    return f"Most likely: {cause.get('object')}: {cause.get('title')}{indirect}"


def change_line(cause: Mapping[str, Any]) -> str:
    return f"change {cause.get('resource')}" if cause.get("resource") != cause.get("object") else ""


def other_suspect_line(other: Mapping[str, Any]) -> str:
    """One other suspect: object, cause, catalog id, confidence, and why it ranks lower."""
    return (
        f"{other.get('object')}: {other.get('title')} ({other.get('id')}, {other.get('confidence')}): "
        f"ranks lower: {other.get('lower')}"
    )


OTHER_SUSPECTS = "Other suspects"


def not_confirmed(gap: str | None) -> str:
    return f"Could not read the cluster: {gap}" if gap else "No cluster fact confirmed a cause."


UNMAPPED = "No catalog entry explains this alert; it is shown as Alertmanager sent it."


def rollup_heading(total: int) -> str:
    return (
        f"{total} more alert group{'s' if total != 1 else ''} arrived while this channel already had "
        "a full queue of new messages; they are listed here instead of one message each"
    )


ROLLUP_HINT = (
    "A listed group gets its own message if it changes later. Route noisy alerts elsewhere or "
    "group them (Alertmanager group_by) to keep the channel readable."
)


def rerouted(channel: str, error: str) -> str:
    """The note on an alert posted to the default channel because its routed one refused it."""
    return (
        f"Routed to {channel}, where kubemedic cannot post ({error}): invite the bot there "
        "(`/invite @kubemedic`) or change the routing file. `kubemedic doctor` checks every routed channel."
    )


def muted_line(view: AlertView, when: str) -> str:
    who = f" by <@{view.muted_by}>" if view.muted_by and view.muted_by.isalnum() else ""
    if view.mute_until_resolved and view.status == "firing":
        return f":no_bell: muted until resolved{who}"
    return f":no_bell: muted until {when}{who}"


def note_text(note: Mapping[str, Any]) -> str:
    """A thread note: alerts (or pods) that joined, cleared, or fired again."""
    subjects: Sequence[str] = note.get("subjects") or []
    shown = ", ".join(subjects[:10]) + (
        f" and {len(subjects) - 10} more" if len(subjects) > 10 else ""
    )
    kind = note.get("kind")
    if kind == "incident":
        where = f": {note['url']}" if str(note.get("url") or "").startswith("http") else ""
        return f":rotating_light: {note.get('label')} was opened for this{where}"
    if kind == "firing":
        return f":fire: {len(subjects)} more firing: {shown}"
    if kind == "cleared":
        return f":white_check_mark: resolved: {shown}"
    return f":repeat: firing again: {shown}"


def mute_done(choice: str, until: str) -> str:
    return "Muted until resolved." if choice == "resolved" else f"Muted until {until}."


MUTE_REFUSED = "Only kubemedic admins (KUBEMEDIC_ADMINS) can mute alerts."
MUTE_GONE = "This message is no longer tracked; nothing was muted."
MUTE_UNAVAILABLE = "The database is unavailable; nothing was muted. Try again shortly."
MUTE_ELSEWHERE = "This Mute button belongs to a message in another channel; nothing was muted."
MUTE_ALREADY_RESOLVED = (
    "This alert has already resolved, so there is nothing to mute until it resolves; "
    "if it fires again, its message comes back with the Mute buttons."
)
