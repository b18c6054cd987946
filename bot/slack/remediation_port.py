"""What the Slack layer needs from remediation (implemented by bot.remediation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from bot.slack.flows import Result
from responses.block_kit import ButtonSpec

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

    async def buttons(self, result: Result, *, diagnosis_id: str, channel: str,
                      thread_ts: str | None, user: str | None) -> list[ButtonSpec]: ...

    async def click(self, value: str, *, user_id: str, channel_id: str) -> ClickResult: ...

    async def recover(self, value: str, *, user_id: str, channel_id: str) -> ClickResult:
        """A click another replica began and did not finish: never acts twice."""
        ...
