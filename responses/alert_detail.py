"""What a message about an alert, a page, a watcher finding or a fleet report shows: one model.

Each source writes it in one place (an Alertmanager group: bot/alerting/processing.py; a page:
bot/incidents/processing.py; the watcher: bot/watching/watcher.py; the hub's own alarm:
bot/fleet/alarms.py; an agent's report, rebuilt by the hub: bot/fleet/fleet_threads.py); it is
stored with the message as JSON (`stored`) and read back (`read`) by every chat's renderer, the
incident tools' note and the Jira ticket. Its cause is a `Headline` (responses/answer_view.py),
built as the chat's answer is built, so every door says the same cause and first fix step.

"Incident" means three things in kubemedic, named apart here: an incident *channel*'s summary
(bot/summary), a *fleet thread* that gathers one failure from several clusters (`fleet`), and
a *page*: a PagerDuty incident or an Opsgenie alert (`page`, bot/incidents).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from responses.answer_view import Headline

log = logging.getLogger(__name__)

Kind = Literal["alert", "unmapped", "watch"]


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class AlertTexts(_Part):
    """The alert's own texts (Alertmanager's, or a page's labels and annotations)."""

    name: str = ""
    severity: str | None = None
    summary: str | None = None
    description: str | None = None
    runbook_url: str | None = None
    generator_url: str | None = None
    external_url: str | None = None
    starts_at: str | None = None
    cluster: str | None = None


class Detected(_Part):
    """What the watcher saw: the problem, its reason, the owning workload, the first subject."""

    problem: str
    reason: str
    owner: str
    first: str
    message: str = ""


class PageLink(_Part):
    """The page a message belongs to: a PagerDuty incident, an Opsgenie alert."""

    key: str
    tool: str
    label: str
    url: str | None = None
    title: str = ""
    late_minutes: int | None = None
    """How long after it occurred kubemedic took it, when that is late (the tool sent it again)."""


class OtherAlert(_Part):
    """Another alert of the group."""

    name: str
    what: str
    catalog_id: str | None = None


class Explanation(_Part):
    """The cause the message leads with, and the diagnosis it comes from."""

    cause: Headline | None = None
    confirmed: bool = False
    diagnosis: dict[str, Any] | None = None
    """The diagnosis in the shape of `kubemedic diagnose --json`."""
    gap: str | None = None
    """Why the cluster could not be read, when it could not."""
    wire: dict[str, Any] | None = None
    """On a fleet agent: the explanation as it leaves the cluster, ids only (bot/fleet/reports.py)."""


class ClusterState(_Part):
    """One cluster of a fleet thread: failing since, or resolved at; its namespace and cause."""

    since: str | None = None
    resolved_at: str | None = None
    namespace: str | None = None
    cause: str | None = None
    confirmed: bool = False


class FleetRoll(_Part):
    """A fleet thread's roll call: every cluster that took part, by name."""

    clusters: dict[str, ClusterState] = Field(default_factory=dict)


class Rerouted(_Part):
    """The routed channel refused the post: where it went instead, and why."""

    channel: str
    error: str


class AlertDetail(_Part):
    """Everything a message shows besides its counts (see the module docstring)."""

    kind: Kind = "alert"
    cluster: str | None = None
    oneshot: bool = False
    """A Job's failure: it resolves after an hour without another, not when a pod recovers."""
    alert: AlertTexts | None = None
    detection: Detected | None = None
    target: str | None = None
    explanation: Explanation = Field(default_factory=Explanation)
    others: tuple[OtherAlert, ...] = ()
    page: PageLink | None = None
    tickets: bool = False
    """Jira is set up: the message offers "Open ticket"."""
    fleet: FleetRoll | None = None
    """A fleet thread's roll call (None: not a fleet thread)."""
    rerouted: Rerouted | None = None

    @property
    def cause(self) -> Headline | None:
        return self.explanation.cause

    def stored(self) -> dict[str, Any]:
        """As the store keeps it (JSON)."""
        return self.model_dump(mode="json", exclude_defaults=True)

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> AlertDetail:
        """The stored detail; one written by an older kubemedic keeps what still reads."""
        if "incident" in data and "page" not in data:  # as kubemedic stored a page before
            data = {**data, "page": data["incident"]}
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            log.info("a stored message's detail reads in part: %s", exc.errors()[:1])
        kept = {key: value for key, value in data.items() if key != "explanation"}
        try:
            return cls.model_validate(kept)
        except ValidationError:
            return cls()
