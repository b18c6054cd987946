"""The Mute button: silence one alert or watcher message for 1 h, 24 h or until it resolves.

The button carries only the message's key and the choice, as a small JSON
value validated here; nothing in it is trusted until the clicker is found
among KUBEMEDIC_ADMINS and the click comes from the message's own channel. The
mute is stored on the message's row (so every replica honours it: the leader's
sync loop reads it before posting). Every allowed click writes an audit row; a
refused one is audited once per user, message and reason in the refusal window,
so clicks cannot flood the audit log. "Until resolved" applies to the current
firing only: on a message that has already resolved it mutes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.storage.alert_base import AlertStore
from bot.storage.base import StoreUnavailable
from bot.storage.records import AuditOutcome, AuditRecord
from responses import alert_view as words

log = logging.getLogger(__name__)

DURATIONS = {"1h": timedelta(hours=1), "24h": timedelta(hours=24)}
MAX_VALUE = 600


class MuteButton(BaseModel):
    """The button's value: {"k": key, "d": "1h" | "24h" | "resolved"}."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    k: str = Field(min_length=1, max_length=255)
    d: Literal["1h", "24h", "resolved"]


class Audit(Protocol):
    async def write_audit(self, record: AuditRecord) -> AuditRecord: ...
    async def write_refusal_once(self, record: AuditRecord, *, since: datetime) -> bool: ...


@dataclass(frozen=True)
class MuteResult:
    """What the clicker is told (privately)."""

    done: bool
    text: str


class Muting:
    """Check, store and audit one Mute click."""

    def __init__(
        self,
        *,
        store: AlertStore,
        audit: Audit,
        admins: Sequence[str],
        clock: Callable[[], datetime],
        on_muted: Callable[[], None] | None = None,
        refusal_window: timedelta = timedelta(minutes=10),
    ) -> None:
        self.refusal_window = refusal_window
        self.store = store
        self.audit = audit
        self.admins = frozenset(admins)
        self.clock = clock
        self.on_muted = on_muted

    async def click(self, value: str, *, user: str, channel: str) -> MuteResult:
        try:
            button = MuteButton.model_validate(json.loads(value[:MAX_VALUE]))
        except (ValueError, ValidationError):
            return MuteResult(False, words.MUTE_GONE)
        try:
            result = await self._refusal(button, user=user, channel=channel) or await self._mute(
                button, user=user, channel=channel
            )
        except StoreUnavailable as exc:
            log.warning("mute not stored: %s", exc)
            return MuteResult(False, words.MUTE_UNAVAILABLE)
        if result.done and self.on_muted is not None:
            self.on_muted()
        return result

    async def _refusal(self, button: MuteButton, *, user: str, channel: str) -> MuteResult | None:
        """Why this click mutes nothing (audited when it is refused), or None."""
        if user not in self.admins:
            await self._refused(user, button, channel, "not in KUBEMEDIC_ADMINS")
            return MuteResult(False, words.MUTE_REFUSED)
        thread = await self.store.get_thread(button.k)
        if thread is None:
            return MuteResult(False, words.MUTE_GONE)
        if not channel or channel != thread.channel:
            await self._refused(user, button, channel, "clicked outside the message's channel")
            return MuteResult(False, words.MUTE_ELSEWHERE)
        if button.d == "resolved" and thread.status != "firing":
            return MuteResult(False, words.MUTE_ALREADY_RESOLVED)
        return None

    async def _mute(self, button: MuteButton, *, user: str, channel: str) -> MuteResult:
        until = self.clock() + DURATIONS[button.d] if button.d in DURATIONS else None
        thread = await self.store.set_mute(
            button.k, until=until, until_resolved=button.d == "resolved", by=user
        )
        if thread is None:
            return MuteResult(False, words.MUTE_GONE)
        if button.d == "resolved" and thread.status != "firing":  # it resolved meanwhile
            await self.store.clear_mute_until_resolved(button.k)
            return MuteResult(False, words.MUTE_ALREADY_RESOLVED)
        await self._audit(user, button, channel, "done", None)
        return MuteResult(
            True, words.mute_done(button.d, until.strftime("%H:%M UTC") if until else "")
        )

    async def _refused(self, user: str, button: MuteButton, channel: str, reason: str) -> None:
        """Audit a refused click once per user, message and reason in the refusal window."""
        if not self.refusal_window:
            await self._audit(user, button, channel, "refused", reason)
            return
        now = self.clock()
        record = _record(user, button, channel or None, "refused", reason, now)
        record = replace(record, action_id=_action_id(button.k))
        await self.audit.write_refusal_once(record, since=now - self.refusal_window)

    async def _audit(
        self, user: str, button: MuteButton, channel: str, outcome: AuditOutcome, reason: str | None
    ) -> None:
        await self.audit.write_audit(_record(user, button, channel, outcome, reason, self.clock()))


def _record(
    user: str,
    button: MuteButton,
    channel: str | None,
    outcome: AuditOutcome,
    reason: str | None,
    now: datetime,
) -> AuditRecord:
    """The audit record of a Mute click."""
    return AuditRecord(
        user=user,
        kind="mute",
        target={"key": button.k, "for": button.d},
        channel=channel,
        outcome=outcome,
        reason=reason,
        created_at=now,
        updated_at=now,
    )


def _action_id(key: str) -> str:
    """What a refused Mute click is deduplicated by: its message (a short digest of the key)."""
    return "mute-" + hashlib.sha256(key.encode()).hexdigest()[:24]
