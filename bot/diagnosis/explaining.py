"""Explain an alert or a watcher finding: read its target, confirm a cause, pick the headline.

Right or quiet: a cause the cluster confirms (with the facts that confirm
it) is the headline; otherwise the catalog entry that claims the alert is
shown as what the alert usually means, marked as not confirmed; a text
match the cluster did not confirm is never promoted over it. A Service, a
workload or a namespace is walked (bot/diagnosis/alert_walk.py): a high or
medium first suspect is the headline, with the object it names and its fix. The result is
plain JSON (it is stored with the message and rendered later, by any
replica), in the shape of `kubemedic diagnose --json`.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Self

from bot.cluster.measured import measured
from bot.cluster.reader import ClusterReader, JsonObject
from bot.diagnosis.alert_walk import WALKED, leading_suspect, walk_target
from bot.diagnosis.node import diagnose_node
from bot.diagnosis.pod import Judge, diagnose_pod
from bot.diagnosis.targets import AlertTarget
from bot.diagnosis.workload import WORKLOAD_KINDS, diagnose_claim, diagnose_workload
from bot.errors import BadInput, ClusterUnavailable
from intents.advice import SeenContext, advice_for
from intents.checked import as_dict
from intents.schema import CatalogEntry
from responses.diagnosis import Diagnosis, Finding, Suspect
from responses.json_view import diagnosis_to_dict, entry_fields, finding_to_dict

log = logging.getLogger(__name__)

ReaderFor = Callable[[str | None], ClusterReader]
"""The reader of a cluster named by an alert's `cluster` label (None: the default); BadInput if
kubemedic does not read that cluster."""
DIAGNOSIS_TIMEOUT = 20.0


@dataclass(frozen=True)
class Explanation:
    """What a message says about the cause, as JSON-ready dicts."""

    cause: dict[str, Any] | None
    confirmed: bool
    diagnosis: dict[str, Any] | None = None
    gap: str | None = None
    """Why the cluster could not be read, when it could not."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "cause": self.cause,
            "confirmed": self.confirmed,
            "diagnosis": self.diagnosis,
            "gap": self.gap,
        }


@dataclass(frozen=True)
class Examined:
    """What explaining found, before it is turned into JSON (a fleet agent sends it as ids)."""

    diagnosis: Diagnosis | None
    confirmed: Finding | None
    """The first finding the cluster confirmed (the headline), if any."""
    entry: CatalogEntry | None
    """The entry that claims the alert, shown as unconfirmed when nothing is confirmed."""
    gap: str | None = None
    lead: Suspect | None = None
    """The walk's first suspect when it is high or medium (a Service, workload or namespace)."""

    def explanation(self) -> Explanation:
        diagnosis = diagnosis_to_dict(self.diagnosis) if self.diagnosis is not None else None
        if self.lead is not None:
            return Explanation(
                suspect_cause(self.lead), not self.lead.indirect, diagnosis, self.gap
            )
        if self.confirmed is not None:
            cause: dict[str, Any] | None = finding_to_dict(self.confirmed)
        else:
            cause = unconfirmed_cause(self.entry) if self.entry is not None else None
        return Explanation(cause, self.confirmed is not None, diagnosis, self.gap)


class Explainer:
    """Diagnoses targets with the catalog's judge; one instance for alerts and the watcher."""

    def __init__(
        self,
        *,
        reader_for: ReaderFor,
        judge: Judge,
        entries: Mapping[str, CatalogEntry],
        timeout: float = DIAGNOSIS_TIMEOUT,
    ) -> None:
        self.reader_for = reader_for
        self.judge = judge
        self.entries = entries
        self.timeout = timeout

    def measuring(self, alerts: Sequence[JsonObject]) -> Self:
        """This explainer reading its clusters with `alerts` (an Alertmanager group's firing
        alerts) as measured facts, as a recording's listing is read (bot/cluster/measured.py)."""
        if not alerts:
            return self
        view, reader_for = copy.copy(self), self.reader_for
        view.reader_for = lambda cluster: measured(reader_for(cluster), alerts)
        return view

    async def explain(
        self, target: AlertTarget | None, entry_id: str | None, *, symptom: str = ""
    ) -> Explanation:
        """The headline cause for `target`, falling back to the entry `entry_id` (unconfirmed);
        `symptom` (the alert's summary) ranks the suspects of a walked target."""
        return (await self.examine(target, entry_id, symptom=symptom)).explanation()

    async def examine(
        self, target: AlertTarget | None, entry_id: str | None, *, symptom: str = ""
    ) -> Examined:
        """What `explain` says, as objects: the diagnosis, the confirmed cause, the claiming entry."""
        diagnosis, gap = None, None
        if target is not None:
            try:
                diagnosis = await self._diagnose(target, symptom)
            except (ClusterUnavailable, BadInput) as exc:
                gap = str(exc)
                log.info("cannot read %s for an alert: %s", target, gap)
        entry = self.entries.get(entry_id) if entry_id else None
        return Examined(
            diagnosis, _first_confirmed(diagnosis), entry, gap, leading_suspect(diagnosis)
        )

    async def _diagnose(self, target: AlertTarget, symptom: str) -> Diagnosis:
        reader = self.reader_for(target.cluster)
        judge, timeout = self.judge, self.timeout
        if target.kind == "pod":
            assert target.namespace is not None
            return await diagnose_pod(
                reader, target.namespace, target.name, judge=judge, timeout=timeout
            )
        if target.kind in WALKED:
            return await walk_target(reader, target, judge=judge, symptom=symptom, timeout=timeout)
        if target.kind in WORKLOAD_KINDS:
            assert target.namespace is not None
            return await diagnose_workload(
                reader, target.kind, target.namespace, target.name, judge=judge, timeout=timeout
            )
        if target.kind == "persistentvolumeclaim":
            assert target.namespace is not None
            return await diagnose_claim(
                reader, target.namespace, target.name, judge=judge, timeout=timeout
            )
        return await diagnose_node(reader, target.name, judge=judge, deep_limit=3, timeout=timeout)


def suspect_cause(suspect: Suspect) -> dict[str, Any]:
    """The first suspect as an alert's headline cause: its catalog entry and facts, the object the
    user sees broken, the one to change, the fix in the cluster's names and the chain."""
    return {
        **finding_to_dict(suspect.finding),
        "object": suspect.object,
        "resource": suspect.resource,
        "suspect_fix": suspect.fix,
        "chain": list(suspect.chain),
        "indirect": suspect.indirect,
    }


def _first_confirmed(diagnosis: Diagnosis | None) -> Finding | None:
    if diagnosis is None:
        return None
    for finding in diagnosis.findings:
        if finding.confirmed:
            return finding
    return None


def unconfirmed_cause(claimed: CatalogEntry) -> dict[str, Any]:
    """A cause the cluster did not confirm: the entry's generic advice, marked unconfirmed."""
    entry = advice_for(claimed, SeenContext())  # nothing seen names a product: generic advice only
    return {
        **entry_fields(entry),
        "root_cause": entry.root_cause,
        "confidence": "unconfirmed",
        "fix": [as_dict(step, exclude_none=True) for step in entry.fix],
        "evidence": [],
        "confirmed": False,
    }
