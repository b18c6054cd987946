"""What the use cases need from the outside, as small protocols.

`bot.wiring` gives each use case an implementation: the cluster directory
(`bot.cluster.directory`), the remediation use case; the chat's own port is
`bot.answering.surface`. Tests and the next inputs (alerts, the cluster
watcher) can give their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from bot.answering.requests import DiagnoseRequest, Place
from bot.answering.results import DiagnoseResult
from bot.cluster.reader import ClusterReader
from bot.storage.records import PendingAction
from responses.answer_actions import ButtonSpec


class Readers(Protocol):
    """The cluster reader for a kubeconfig context (None: the default one)."""

    def reader(self, context: str | None) -> ClusterReader:
        """BadInput when the context is not allowed."""
        ...


class RemoteDiagnosis(Protocol):
    """Clusters read elsewhere: a fleet hub's agents diagnose pods, namespaces and nodes (bot/fleet)."""

    async def diagnose(self, request: DiagnoseRequest) -> DiagnoseResult:
        """The cluster's answer; a UserFacingError when it cannot be had (unreachable, unknown)."""
        ...


class PostFailed(Exception):
    """The chat refused a message; `error` is its code (e.g. not_in_channel)."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


ClickStatus = Literal["done", "dry-run", "failed", "refused", "expired"]


@dataclass(frozen=True)
class ClickResult:
    """The outcome of one remediation click, as the user should see it."""

    status: ClickStatus
    text: str
    kind: str = "unknown"

    @property
    def private(self) -> bool:
        """Refusals and expired buttons are told only to the clicker."""
        return self.status in ("refused", "expired")


class RemediationPort(Protocol):
    """Offer buttons for a diagnosis; carry out a click."""

    async def offer(
        self, result: DiagnoseResult, *, diagnosis_id: str, place: Place
    ) -> list[tuple[PendingAction, ButtonSpec]]:
        """The pending actions behind the buttons for this diagnosis (not stored yet: the publisher stores
        them with the diagnosis) and their buttons."""
        ...

    async def click(self, value: str, *, user_id: str, channel_id: str) -> ClickResult: ...

    async def recover(self, value: str, *, user_id: str, channel_id: str) -> ClickResult:
        """A click another replica began and did not finish: never acts twice."""
        ...

    async def refuse(self, value: str, *, user_id: str, channel_id: str, reason: str) -> None:
        """Audit a click the chat refused itself (e.g. a dialog submitted as someone else)."""
        ...


class TicketPort(Protocol):
    """A problem's Jira ticket, filed or commented on (bot/incidents/tickets.py); one line each."""

    async def for_diagnosis(self, diagnosis_id: str | None) -> str: ...

    async def for_alert(self, key: str) -> str: ...
