"""What an alert or watcher message shows, transport-neutral, and the words it uses.

The store keeps one message's state per noise key; the sync loop turns that state into an
`AlertView` and each chat's renderer draws it (`responses.alert_blocks` for Slack). `detail` is
what the source wrote when it explained the problem (responses/alert_detail.py): the alert's
texts or the watcher's detection, the headline cause and the diagnosis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from responses.alert_detail import AlertDetail, ClusterState
from responses.answer_view import Headline, Step, SuspectLine, suspect_heading

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
    detail: AlertDetail
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
    def cause(self) -> Headline | None:
        return self.detail.cause

    @property
    def suspect(self) -> SuspectLine | None:
        """The walk's first suspect, when it leads (it names the object at fault)."""
        return self.cause.suspect if self.cause is not None else None

    @property
    def other_suspects(self) -> list[Mapping[str, Any]]:
        """The walk's other suspects, each with why it ranks below the first."""
        if self.suspect is None:
            return []
        others = (self.detail.explanation.diagnosis or {}).get("suspects") or []
        return [other for other in others[1 : MAX_OTHER_SUSPECTS + 1] if isinstance(other, Mapping)]

    @property
    def catalog_id(self) -> str | None:
        return self.cause.id if self.cause is not None else None

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


def page_link(detail: AlertDetail) -> tuple[str, str] | None:
    """(label, url) of the page a message belongs to, when it has an http(s) address."""
    page = detail.page
    if page is None or not str(page.url or "").startswith(("https://", "http://")):
        return None
    return page.label or "Incident", str(page.url)


def unmapped_line(detail: AlertDetail) -> str:
    if detail.page is not None:
        tool = (detail.page.label or "the tool").split(" ")[0]
        return f"No catalog entry explains this incident; it is shown as {tool} sent it."
    return UNMAPPED


def fleet_clusters(view: AlertView) -> Mapping[str, ClusterState]:
    """A fleet thread's clusters by name (empty: not a fleet thread)."""
    return view.detail.fleet.clusters if view.detail.fleet is not None else {}


def fleet_line(view: AlertView) -> str:
    """ "failing in 2 of 3 clusters: prod, staging · resolved in dev"."""
    clusters = fleet_clusters(view)
    failing = sorted(name for name, state in clusters.items() if not state.resolved_at)
    resolved = sorted(name for name, state in clusters.items() if state.resolved_at)
    if not failing:
        return f"resolved in all {len(clusters)} cluster{'s' if len(clusters) != 1 else ''}: {', '.join(resolved)}"
    line = (
        f"failing in {len(failing)} of {len(clusters)} cluster{'s' if len(clusters) != 1 else ''}: "
        + ", ".join(failing)
    )
    return line + (f" · resolved in {', '.join(resolved)}" if resolved else "")


def cluster_state(name: str, state: ClusterState, now: datetime | None) -> str:
    """One cluster of a fleet thread: "prod (shop): failing since 10:02, oom-killed confirmed"."""
    where = f" ({state.namespace})" if state.namespace else ""
    cause = f", `{state.cause}`{' confirmed' if state.confirmed else ''}" if state.cause else ""
    since, resolved = _when(state.since), _when(state.resolved_at)
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
        if view.detail.oneshot:
            return "no new failure for 60 min"
        return f"resolved after {duration((view.resolved_at or view.last_seen) - view.first_seen)}"
    if view.source in PAGED:
        again = f" · {view.seen} events" if view.seen > 1 else ""
        return f"incident open{again}"
    if view.source == "watch":
        detection = view.detail.detection
        things = "node" if detection is not None and detection.owner.startswith("node ") else "pod"
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


def change_line(suspect: SuspectLine) -> str:
    return f"change {suspect.resource}" if suspect.resource != suspect.object else ""


FACTS_SHOWN = 5
STEPS_SHOWN = 3


@dataclass(frozen=True)
class CauseShown:
    """The cause part of a message in words, each chat marking it up its own way: the first
    suspect (object, cause, its one fix, the others with why they rank lower), or the cause, its
    root cause, facts and first fix steps (the one that fits this case first)."""

    heading: str
    id: str
    change: str = ""
    root_cause: str = ""
    facts: tuple[str, ...] = ()
    unsure: str = ""
    """Why nothing is confirmed, when no fact is shown."""
    steps: tuple[Step, ...] = ()
    others: tuple[str, ...] = ()


def cause_shown(view: AlertView) -> CauseShown | None:
    cause = view.cause
    if cause is None:
        return None
    facts = cause.details.facts[:FACTS_SHOWN]
    if cause.suspect is not None:
        others = tuple(other_suspect_line(other) for other in view.other_suspects)
        heading = suspect_heading(cause.suspect)
        return CauseShown(
            heading, cause.id, change_line(cause.suspect), "", facts, "", cause.steps, others
        )
    unsure = "" if facts or cause.confirmed else not_confirmed(view.detail.explanation.gap)
    heading = f"{cause_heading(cause.confirmed)}: {cause.problem.title}"
    steps = cause.steps[:STEPS_SHOWN]
    return CauseShown(heading, cause.id, "", cause.details.root_cause, facts, unsure, steps)


def step_line(step: Step) -> str:
    """A fix step in one line: its words and its command ("Raise the limit (kubectl set ...)")."""
    text = " ".join(step.text.split())
    return f"{text} ({' '.join(step.command.split())})" if step.command else text


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
    if kind in ("page", "incident"):  # "incident": as an older kubemedic wrote it
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
