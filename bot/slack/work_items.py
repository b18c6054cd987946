"""The durable work each Slack listener stores before its ack, as typed payloads.

A work item is stored as JSON (see `bot.runtime.work`) and may be run by
another replica, so each kind is a small model: the listener builds it from
Slack's request, the handler validates it back. Keys are stable: a replica
of the next release takes over items stored by this one.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict


class SlackWork(BaseModel):
    """One kind of stored Slack request."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    kind: ClassVar[str]

    def payload(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)

    @classmethod
    def of(cls, payload: dict[str, Any]) -> Self:
        return cls.model_validate(payload)


class CommandWork(SlackWork):
    """A `/diagnose` command; answered through its response_url."""

    kind: ClassVar[str] = "command"
    text: str | None = None
    channel_id: str
    channel_name: str | None = None
    user_id: str | None = None
    response_url: str | None = None


class MessageWork(SlackWork):
    """A message event (a pasted error) or an @mention; answered in its thread."""

    type: str | None = None
    subtype: str | None = None
    text: str | None = None
    channel: str
    ts: str | None = None
    thread_ts: str | None = None
    user: str | None = None

    @property
    def thread(self) -> str | None:
        return self.thread_ts or self.ts


class PasteWork(MessageWork):
    kind: ClassVar[str] = "paste"


class MentionWork(MessageWork):
    kind: ClassVar[str] = "mention"


class DirectMessageWork(MessageWork):
    """A direct message to the bot (a direct ask, like a mention)."""

    kind: ClassVar[str] = "dm"


class ClickWork(SlackWork):
    """A remediation button click; its outcome replaces the button row."""

    kind: ClassVar[str] = "click"
    signed_button: str
    """The button's value as Slack sent it (minted and signed by the bot; kept unredacted)."""
    user_id: str
    channel: str
    ts: str
    thread_ts: str | None = None
    text: str | None = None
    blocks: list[dict[str, Any]] = []
    response_url: str | None = None
