"""Explain an alert or a watcher finding: ask its question, confirm a cause, pick the headline.

Right or quiet: a cause the cluster confirms (with the facts that confirm it) is the headline;
otherwise the catalog entry that claims the alert is shown as what the alert usually means,
marked as not confirmed; a text match the cluster did not confirm is never promoted over it. A
high or medium first suspect (a walked Service, workload or namespace, or a pod's culprit) is
the headline, with the object it names and its fix. The diagnosis is the one every door gets
for the same question (bot/diagnosis/question.py). The cause is a `Headline` built as the chat's
answer is built (responses/answer_build.py), stored with the message (responses/alert_detail.py)
and rendered later, by any replica, in every door's format.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Self

from bot.cluster.measured import measured
from bot.cluster.reader import ClusterReader, JsonObject
from bot.diagnosis.pod import Judge
from bot.diagnosis.question import Effort, Question, answer, leading_suspect
from bot.diagnosis.targets import Focus
from bot.errors import BadInput, ClusterUnavailable
from intents.schema import CatalogEntry
from responses.alert_detail import Explanation
from responses.answer_build import headline
from responses.diagnosis import Diagnosis, Finding, Suspect
from responses.json_view import diagnosis_to_dict

log = logging.getLogger(__name__)

ReaderFor = Callable[[str | None], ClusterReader]
"""The reader of a cluster named by an alert's `cluster` label (None: the default); BadInput if
kubemedic does not read that cluster."""
DIAGNOSIS_TIMEOUT = 20.0


@dataclass(frozen=True)
class Examined:
    """What explaining found, before it is written into a message (a fleet agent sends it as ids)."""

    diagnosis: Diagnosis | None
    confirmed: Finding | None
    """The first finding the cluster confirmed (the headline), if any."""
    entry: CatalogEntry | None
    """The entry that claims the alert, shown as unconfirmed when nothing is confirmed."""
    gap: str | None = None
    lead: Suspect | None = None
    """The walk's first suspect when it is high or medium (a Service, workload, a pod's culprit)."""

    @classmethod
    def of(
        cls, diagnosis: Diagnosis | None, entry: CatalogEntry | None, gap: str | None = None
    ) -> Examined:
        """The headline's parts of `diagnosis` (a hub rebuilds an agent's the same way)."""
        return cls(diagnosis, _first_confirmed(diagnosis), entry, gap, leading_suspect(diagnosis))

    def explanation(self) -> Explanation:
        diagnosis = diagnosis_to_dict(self.diagnosis) if self.diagnosis is not None else None
        cause = headline(self.diagnosis, lead=self.lead, confirmed=self.confirmed, entry=self.entry)
        confirmed = cause is not None and cause.confirmed
        return Explanation(cause=cause, confirmed=confirmed, diagnosis=diagnosis, gap=self.gap)


@dataclass(kw_only=True, eq=False)
class Explainer:
    """Diagnoses targets with the catalog's judge; one instance for alerts and the watcher."""

    reader_for: ReaderFor
    judge: Judge
    entries: Mapping[str, CatalogEntry]
    timeout: float = DIAGNOSIS_TIMEOUT

    def measuring(self, alerts: Sequence[JsonObject]) -> Self:
        """This explainer reading its clusters with `alerts` (an Alertmanager group's firing
        alerts) as measured facts, as a recording's listing is read (bot/cluster/measured.py)."""
        if not alerts:
            return self
        view, reader_for = copy.copy(self), self.reader_for
        view.reader_for = lambda cluster: measured(reader_for(cluster), alerts)
        return view

    async def explain(self, focus: Focus | None, entry_id: str | None) -> Explanation:
        """The headline cause for `focus`, falling back to the entry `entry_id` (unconfirmed)."""
        return (await self.examine(focus, entry_id)).explanation()

    async def examine(self, focus: Focus | None, entry_id: str | None) -> Examined:
        """What `explain` says, as objects: the diagnosis, the confirmed cause, the claiming entry."""
        diagnosis, gap = None, None
        if focus is not None:
            try:
                question = Question(self.reader_for(focus.cluster), focus)
                effort = Effort(self.judge, timeout=self.timeout)
                diagnosis = (await answer(question, effort)).diagnosis
            except (ClusterUnavailable, BadInput) as exc:
                gap = str(exc)
                log.info("cannot read %s for an alert: %s", focus, gap)
        return Examined.of(diagnosis, self.entries.get(entry_id) if entry_id else None, gap)


def _first_confirmed(diagnosis: Diagnosis | None) -> Finding | None:
    if diagnosis is None:
        return None
    for finding in diagnosis.findings:
        if finding.confirmed:
            return finding
    return None
