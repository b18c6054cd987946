"""Clicks that must change nothing (or stop safely): tampered or invalid buttons, no audit
log, KUBEMEDIC_DRY_RUN, and cluster errors on the dry run or the real call."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta
from pathlib import Path

from bot.diagnosis.pod import Judge
from bot.remediation.tokens import BUTTONS, sign, signing_keys
from bot.runtime import signing_key
from bot.storage.records import PendingAction
from tests.remediation.clicks import REJECTED, buttons_for, service
from tests.remediation.conftest import ADMIN, CLUSTER, Clock, Kube, settings, sqlite_store
from tests.standins.kube_api import Fault, KubeStandIn


async def test_tampered_values_are_refused(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        [button] = await buttons_for(kube, judge, svc, "out_of_pods", REJECTED)
        other = await store.create_pending_action(
            PendingAction(
                kind="delete-pod",
                target={"cluster": CLUSTER, "namespace": "default", "name": "x"},
                expires_at=clock.now + timedelta(minutes=30),
            )
        )
        action_id, signature = button.value.split(".")
        flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
        foreign = sign(
            action_id, signing_keys(settings(KUBEMEDIC_SIGNING_KEY=signing_key.generate()), BUTTONS)
        )
        for value in (
            f"{other.id}.{signature}",
            f"{action_id}.{flipped}",
            foreign,
            "garbage",
            "",
            "x" * 5000,
            f"{action_id}.{signature}.extra",
            None,
            42,
            f"{action_id}/../{signature}",
            f"{REJECTED}.{signature}",
        ):
            outcome = await svc.execute(value, user_id=ADMIN, channel_id="C1")
            assert (outcome.status, outcome.ephemeral) == ("refused", True), value
        assert kube.writes() == []
        rows = await store.list_audit()
        # audited once per user, button and reason in KUBEMEDIC_REFUSAL_AUDIT_WINDOW_MINUTES
        assert [(r.outcome, r.reason) for r in rows] == [("refused", "bad button signature")]
        assert (await svc.execute(button.value, user_id=ADMIN, channel_id="C1")).status == "done"


async def test_invalid_stored_actions_are_refused(kube: Kube, clock: Clock, tmp_path: Path) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        key = signing_keys(settings(), BUTTONS)
        for kind, target in (
            ("exec-shell", {"cluster": CLUSTER, "name": "x"}),
            ("delete-pod", {"cluster": CLUSTER, "namespace": "default", "name": "../etc"}),
            ("delete-pod", {"cluster": CLUSTER, "name": "no-namespace"}),
            (
                "delete-pod",
                {"cluster": CLUSTER, "namespace": "default", "name": "ok", "verb": "patch"},
            ),
        ):
            bad = await store.create_pending_action(
                PendingAction(
                    kind=kind, target=target, expires_at=clock.now + timedelta(minutes=30)
                )
            )
            outcome = await svc.execute(sign(bad.id, key), user_id=ADMIN, channel_id=None)
            assert outcome.status == "refused", (kind, target)
        assert kube.writes() == []


async def test_click_from_another_channel_is_refused(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        [button] = await buttons_for(kube, judge, svc, "out_of_pods", REJECTED)
        outcome = await svc.execute(button.value, user_id=ADMIN, channel_id="C-ELSEWHERE")
        assert outcome.status == "refused" and kube.writes() == []


async def test_no_audit_log_means_no_change(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path, timeout=0.3, lock_timeout=0.3) as store:
        svc = service(store, kube, clock)
        [button] = await buttons_for(kube, judge, svc, "out_of_pods", REJECTED)
        lock = sqlite3.connect(tmp_path / "db" / "kubemedic.db", isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")  # another writer holds the lock: reads work, writes wait
        try:
            outcome = await svc.execute(button.value, user_id=ADMIN, channel_id="C1")
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        assert (outcome.status, outcome.ephemeral) == ("refused", True)
        assert "Cannot write the audit log, so nothing was changed" in outcome.text
        assert kube.writes() == [] and await store.list_audit() == []
        # the button was not used up: once the database is back, it works
        assert (await svc.execute(button.value, user_id=ADMIN, channel_id="C1")).status == "done"


async def test_kubemedic_dry_run_only_dry_runs(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock, KUBEMEDIC_DRY_RUN="true")
        buttons = await buttons_for(kube, judge, svc, "tikv_cluster_id_mismatch", "basic-tikv-1")
        for button in buttons:
            outcome = await svc.execute(button.value, user_id=ADMIN, channel_id="C1")
            assert outcome.status == "dry-run" and "nothing was changed" in outcome.text
        assert kube.writes() and all(r.dry_run for r in kube.writes())
        assert kube.standin.get_object("Pod", "tidb", "basic-tikv-1") is not None
        assert {r.outcome for r in await store.list_audit()} == {"dry-run-ok"}


class RealCallFault(Fault):
    """A failure only for the real request, not its dry run (e.g. etcd timing out)."""

    standin: KubeStandIn | None = None

    def matches(self, method: str, path: str) -> bool:
        assert self.standin is not None
        return super().matches(method, path) and not self.standin.requests[-1].dry_run


async def test_cluster_error_on_the_real_call_is_reported_and_audited(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        [button] = await buttons_for(kube, judge, svc, "out_of_pods", REJECTED)
        fault = RealCallFault(
            "DELETE", re.compile("/pods/"), 500, message="etcdserver: request timed out"
        )
        fault.standin = kube.standin
        kube.standin._faults.append(fault)
        outcome = await svc.execute(button.value, user_id=ADMIN, channel_id="C1")
        assert outcome.status == "failed" and not outcome.ephemeral
        assert "etcdserver: request timed out" in outcome.text
        [row] = await store.list_audit()
        assert row.outcome == "failed" and row.result and "etcdserver" in row.result
        assert row.dry_run_result == f"accepted (dryRun=All): pod default/{REJECTED} deleted"
        assert kube.standin.get_object("Pod", "default", REJECTED) is not None


async def test_failed_dry_run_stops_before_the_real_call(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        [button] = await buttons_for(kube, judge, svc, "out_of_pods", REJECTED)
        kube.standin.fail("DELETE", "/pods/", 403)
        outcome = await svc.execute(button.value, user_id=ADMIN, channel_id="C1")
        assert outcome.status == "failed" and "dry run failed" in outcome.text
        assert [r.dry_run for r in kube.writes()] == [True]
        [row] = await store.list_audit()
        assert row.outcome == "dry-run-failed" and row.dry_run_result
