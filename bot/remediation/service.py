"""Offer remediation buttons and carry out clicks, safely and on the record.

`prepare` stores each offer as a pending action and signs its id into the
button value. `execute` handles a click in this order:

1. verify the signature (a tampered value is refused and audited);
2. load the pending action by id - the only source of names and parameters -
   and re-validate its target; unknown, used or expired -> "expired";
3. authorize: the user is in KUBEMEDIC_ADMINS and the target is inside
   KUBEMEDIC_NAMESPACES; a refusal is audited and does NOT use up the
   button, so an admin can still click it;
4. write the "started" audit row - if it cannot be written, nothing is done;
5. consume the action atomically (of two racing clicks one wins);
6. server-side dry run (dryRun=All); on failure stop, "dry-run-failed";
7. the real call, unless KUBEMEDIC_DRY_RUN; the audit row gets the result.

Where the change is made is `Writes`: this process's writer for the cluster, or (a fleet hub)
the cluster's agent, which may refuse a cluster that has not opted in (step 3) and may act as
the clicker's own Kubernetes identity (the audit row names it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from pydantic import ValidationError

from bot.cluster.errors import ClusterError
from bot.cluster.writer import KubeWriter
from bot.errors import UserFacingError
from bot.remediation.actions import ACTIONS, ActionSpec
from bot.remediation.buttons import PreparedButton, offer_button
from bot.remediation.planning import Offer, allowed
from bot.remediation.targets import Target
from bot.remediation.tokens import BUTTONS, sign, signing_keys, verify
from bot.settings import Settings
from bot.storage.base import Store, StoreUnavailable
from bot.storage.records import AuditOutcome, AuditRecord, PendingAction, new_action_id, utcnow
from responses import messages
from responses.mrkdwn import escape

log = logging.getLogger(__name__)

Status = Literal["done", "dry-run", "failed", "refused", "expired"]
WriterFactory = Callable[[str], KubeWriter]
MAX_CONFIRM = 300
INVALID = messages.BUTTON_INVALID
EXPIRED = messages.BUTTON_EXPIRED
AUDIT_DOWN = messages.AUDIT_DOWN
STORE_DOWN = messages.ACTION_UNREADABLE


class Writes(Protocol):
    """Where a click's change is made (see the module docstring)."""

    async def refusal(self, target: Target, *, user: str) -> str | None:
        """Why `target`'s cluster cannot be changed from here by `user`, else None."""
        ...

    def identity(self, user: str) -> str | None:
        """Who the change acts as for `user`, for the audit (None: the writer's own identity)."""
        ...

    async def perform(
        self, spec: ActionSpec[Any], target: Target, *, dry_run: bool, user: str
    ) -> str:
        """Make the change (or its server-side dry run); a short result. ClusterError, UserFacingError."""
        ...


class LocalWrites:
    """Writes through this process's writer of the target's cluster."""

    def __init__(self, writers: WriterFactory) -> None:
        self._writers = writers

    async def refusal(self, target: Target, *, user: str) -> str | None:
        return None

    def identity(self, user: str) -> str | None:
        return None

    async def perform(
        self, spec: ActionSpec[Any], target: Target, *, dry_run: bool, user: str
    ) -> str:
        return await spec.perform(self._writers(target.cluster), target, dry_run=dry_run)


class RecordedWrites(LocalWrites):
    """A served recording's (`serve --from-*`, `replay`): nothing can be written; every click
    stops at a dry run that says what it would change."""

    reason = "kubemedic answers from a recording, which no click changes"

    def __init__(self) -> None:
        super().__init__(_no_writer)

    async def perform(
        self, spec: ActionSpec[Any], target: Target, *, dry_run: bool, user: str
    ) -> str:
        if not dry_run:
            raise UserFacingError(self.reason)
        return spec.describe(target)


def _no_writer(cluster: str) -> KubeWriter:
    raise UserFacingError(RecordedWrites.reason)


@dataclass(frozen=True)
class Outcome:
    """What a click led to: `text` for the thread (or only the clicker, when ephemeral)."""

    status: Status
    text: str
    ephemeral: bool
    action: PendingAction | None = None
    """The consumed pending action (channel, thread_ts, message_ts) once the click won."""
    kind: str = "unknown"
    """The action kind, when the button was genuine (for metrics)."""


class RemediationService:
    """Stores offers behind signed buttons and performs authorized clicks (see module doc)."""

    def __init__(
        self,
        store: Store,
        writer_factory: WriterFactory | None,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
        writes: Writes | None = None,
    ) -> None:
        self._store = store
        if writes is None:
            assert writer_factory is not None, "a writer factory or `writes`"
            writes = LocalWrites(writer_factory)
        self._writes = writes
        self._dry_only = writes.reason if isinstance(writes, RecordedWrites) else None
        """Why every click stops at its dry run, besides KUBEMEDIC_DRY_RUN (a served recording)."""
        self._settings = settings
        self._clock = clock
        self._key = signing_keys(settings, BUTTONS)

    def unstored(
        self,
        diagnosis_id: str | None,
        offers: list[Offer],
        *,
        channel: str | None,
        thread_ts: str | None,
        user: str | None,
        message_ts: str | None = None,
    ) -> list[tuple[PendingAction, PreparedButton]]:
        """One pending action (its id given, not yet stored) and its button per offer: the caller stores
        the actions before the buttons are shown (the bot does, with the diagnosis: bot.runtime.ledger)."""
        now = self._clock()
        expires = now + timedelta(minutes=self._settings.action_ttl_minutes)
        prepared: list[tuple[PendingAction, PreparedButton]] = []
        for offer in offers:
            spec = ACTIONS[offer.kind]
            text = spec.describe(offer.target)
            if len(escape(text)) > MAX_CONFIRM:
                log.warning("not offering %s: its confirm text would not fit", offer.kind)
                continue
            pending = PendingAction(
                id=new_action_id(),
                kind=offer.kind,
                target=offer.target.model_dump(mode="json"),
                diagnosis_id=diagnosis_id,
                channel=channel,
                thread_ts=thread_ts,
                message_ts=message_ts,
                created_by=user,
                created_at=now,
                expires_at=expires,
            )
            prepared.append(
                (
                    pending,
                    offer_button(offer, value=sign(pending.id, self._key), pending_id=pending.id),
                )
            )
        return prepared

    async def execute(self, value: object, *, user_id: str, channel_id: str | None) -> Outcome:
        """Carry out one click; never raises for expected failures."""
        action = await self._usable(value, user_id=user_id, channel_id=channel_id)
        if isinstance(action, Outcome):
            return action
        spec, target = _parsed(action)
        # the channel check is never skipped: a click that names no channel is refused
        if (
            spec is None
            or target is None
            or not channel_id
            or (action.channel and action.channel != channel_id)
        ):
            await self._refusal(
                user_id,
                action.kind,
                action.target,
                channel_id,
                "stored action invalid or clicked outside its channel",
                action.id,
            )
            return Outcome("refused", INVALID, ephemeral=True, kind=action.kind)
        reason = self._unauthorized(user_id, target) or await self._writes.refusal(
            target, user=user_id
        )
        if reason is not None:
            await self._refusal(user_id, action.kind, action.target, channel_id, reason, action.id)
            return Outcome(
                "refused", messages.click_refused(reason), ephemeral=True, kind=action.kind
            )
        return await self._run(action, spec, target, user_id=user_id, channel_id=channel_id)

    async def _usable(
        self,
        value: object,
        *,
        user_id: str,
        channel_id: str | None,
    ) -> PendingAction | Outcome:
        """The still usable action a signed button names, or what the clicker is told instead."""
        now = self._clock()
        action_id = verify(value, self._key)
        if action_id is None:
            await self._refusal(user_id, "invalid-button", {}, channel_id, "bad button signature")
            return Outcome("refused", INVALID, ephemeral=True)
        try:
            action = await self._store.get_pending_action(action_id)
        except StoreUnavailable:
            return Outcome("refused", STORE_DOWN, ephemeral=True)  # the button stays usable
        if action is None or action.state(now) != "usable":
            kind = action.kind if action is not None else "unknown"
            return Outcome("expired", EXPIRED, ephemeral=True, kind=kind)
        return action

    async def _run(
        self,
        action: PendingAction,
        spec: ActionSpec[Any],
        target: Target,
        *,
        user_id: str,
        channel_id: str | None,
    ) -> Outcome:
        record = AuditRecord(
            user=user_id,
            kind=action.kind,
            target=action.target,
            cluster=target.cluster,
            namespace=target.namespace_scope,
            channel=channel_id or action.channel,
            action_id=action.id,
            outcome="started",
            identity=self._writes.identity(user_id),
        )
        try:
            audit_id = (await self._store.write_audit(record)).id
            consumed = await self._store.consume_pending_action(
                action.id, user=user_id, now=self._clock()
            )
        except StoreUnavailable as exc:
            log.warning("remediation refused, audit log unavailable: %s", exc)
            return Outcome("refused", AUDIT_DOWN, ephemeral=True, kind=action.kind)
        if consumed is None:
            await self._finish(audit_id, "refused", reason="already used or expired")
            return Outcome("expired", EXPIRED, ephemeral=True, kind=action.kind)
        writes = self._writes
        try:
            dry = await writes.perform(spec, target, dry_run=True, user=user_id)
        except (ClusterError, UserFacingError, KeyError) as exc:
            note = await self._finish(audit_id, "dry-run-failed", dry_run_result=str(exc))
            return Outcome(
                "failed",
                f"<@{user_id}> {spec.verb}: the dry run failed in cluster "
                f"`{target.cluster}`: {exc}. Nothing was changed.{note}",
                ephemeral=False,
                action=consumed,
                kind=action.kind,
            )
        dry = dry if self._dry_only else "accepted (dryRun=All): " + dry
        if self._dry_only or self._settings.dry_run:
            note = await self._finish(audit_id, "dry-run-ok", dry_run_result=dry)
            return Outcome(
                "dry-run",
                self._dry_run_text(spec, target, user_id, dry) + note,
                ephemeral=False,
                action=consumed,
                kind=action.kind,
            )
        try:
            result = await writes.perform(spec, target, dry_run=False, user=user_id)
        except (ClusterError, UserFacingError) as exc:
            note = await self._finish(audit_id, "failed", dry_run_result=dry, result=str(exc))
            return Outcome(
                "failed",
                f"<@{user_id}> {spec.verb} failed in cluster "
                f"`{target.cluster}` after a passing dry run: {exc}{note}",
                ephemeral=False,
                action=consumed,
                kind=action.kind,
            )
        note = await self._finish(audit_id, "done", dry_run_result=dry, result=result)
        return Outcome(
            "done",
            f"<@{user_id}>: {result} in cluster `{target.cluster}`.{note}",
            ephemeral=False,
            action=consumed,
            kind=action.kind,
        )

    def _dry_run_text(self, spec: ActionSpec[Any], target: Target, user_id: str, dry: str) -> str:
        """A click that stopped at its dry run: a served recording says what it would change."""
        if self._dry_only:
            return (
                f"<@{user_id}> {spec.verb}: dry run only ({self._dry_only}); nothing was "
                f"changed. It would: {dry}"
            )
        return (
            f"<@{user_id}> {spec.verb} in cluster `{target.cluster}`: the dry run passed; "
            "KUBEMEDIC_DRY_RUN=true, so nothing was changed."
        )

    async def recover(self, value: object, *, user_id: str, channel_id: str | None) -> Outcome:
        """Finish a click whose replica died: never act twice.

        The dead replica's "started" rows for the action become "interrupted".
        If the action was never consumed nothing had been done, so the click
        runs normally; otherwise the change may or may not have been made,
        and the thread is told so instead of acting again.
        """
        action_id = verify(value, self._key)
        if action_id is None:
            return Outcome("refused", INVALID, ephemeral=True)
        try:
            open_rows = await self._store.list_audit(action_id=action_id, outcome="started")
            for row in open_rows:
                await self._store.update_audit(
                    row.id, outcome="interrupted", reason="the replica carrying it out stopped"
                )
            action = await self._store.get_pending_action(action_id)
            finished = await self._store.list_audit(action_id=action_id, limit=1)
        except StoreUnavailable as exc:
            log.warning("cannot recover click on %s: %s", action_id, exc)
            return Outcome("refused", AUDIT_DOWN, ephemeral=True)
        if action is None:
            return Outcome("expired", EXPIRED, ephemeral=True)
        if action.state(self._clock()) == "usable":
            return await self.execute(value, user_id=user_id, channel_id=channel_id)
        if not open_rows and finished and finished[0].outcome == "done":
            return Outcome(
                "done",
                f"<@{user_id}>: {finished[0].result} (reported after a kubemedic restart).",
                ephemeral=False,
                action=action,
                kind=action.kind,
            )
        return Outcome(
            "failed",
            messages.interrupted(user_id, _verb(action.kind)),
            ephemeral=False,
            action=action,
            kind=action.kind,
        )

    async def refuse(
        self, value: object, *, user_id: str, channel_id: str | None, reason: str
    ) -> None:
        """Audit a click refused before it got here (a chat's own check failed): nothing is done."""
        action_id = verify(value, self._key)
        try:
            action = None if action_id is None else await self._store.get_pending_action(action_id)
        except StoreUnavailable:
            action = None
        if action is None:
            await self._refusal(user_id, "invalid-button", {}, channel_id, reason)
        else:
            await self._refusal(user_id, action.kind, action.target, channel_id, reason, action.id)

    def _unauthorized(self, user_id: str, target: Target) -> str | None:
        if user_id not in self._settings.admins:
            return "you are not in KUBEMEDIC_ADMINS"
        if not allowed(target, self._settings):
            scope = target.namespace_scope
            return (
                f"namespace `{scope}` is not in KUBEMEDIC_NAMESPACES"
                if scope
                else "cluster-scoped actions are off while KUBEMEDIC_NAMESPACES is set"
            )
        return None

    async def _refusal(
        self,
        user_id: str,
        kind: str,
        target: dict[str, Any],
        channel: str | None,
        reason: str,
        action_id: str | None = None,
    ) -> None:
        """Audit a refused click (once per window); the refusal stands even if it cannot be."""
        now = self._clock()
        record = AuditRecord(
            user=user_id,
            kind=kind,
            target=target,
            channel=channel,
            cluster=target.get("cluster"),
            namespace=target.get("namespace"),
            action_id=action_id,
            outcome="refused",
            reason=reason,
            created_at=now,
        )
        window = timedelta(minutes=self._settings.refusal_audit_window_minutes)
        try:
            if window:  # once per user, button and reason in the window: clicks cannot flood it
                await self._store.write_refusal_once(record, since=now - window)
            else:
                await self._store.write_audit(record)
        except StoreUnavailable as exc:
            log.warning("refused click not audited (%s): %s", reason, exc)

    async def _finish(
        self,
        audit_id: str,
        outcome: AuditOutcome,
        *,
        result: str | None = None,
        dry_run_result: str | None = None,
        reason: str | None = None,
    ) -> str:
        """Update the audit row; a note for the user when that fails (the "started" row stays)."""
        try:
            await self._store.update_audit(
                audit_id,
                outcome=outcome,
                result=result,
                dry_run_result=dry_run_result,
                reason=reason,
            )
        except (StoreUnavailable, LookupError) as exc:
            log.error("audit row %s not updated to %s: %s", audit_id, outcome, exc)
            return ' (The audit row could not be updated; it still says "started".)'
        return ""


def _parsed(action: PendingAction) -> tuple[ActionSpec[Any] | None, Target | None]:
    spec = ACTIONS.get(action.kind)
    if spec is None:
        return None, None
    try:
        return spec, spec.parse(action.target)
    except ValidationError:
        return spec, None


def _verb(kind: str) -> str:
    """How the action is said ("restart pod"), else its kind."""
    spec = ACTIONS.get(kind)
    return spec.verb if spec is not None else kind
