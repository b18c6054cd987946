"""Clicks end to end: signed button -> stored action -> authorize -> audit -> dry run -> real call.

The cluster is the API stand-in behind the real client, the store the real
SqlStore on SQLite. `Recorder` only watches the store's audit calls (to see
the "started" row land before any cluster write); it changes nothing.
"""

from __future__ import annotations

import asyncio
import copy
import re
import uuid
from datetime import timedelta
from pathlib import Path

from bot.cluster.writer import RESTARTED_AT
from bot.diagnosis.pod import Judge
from tests.remediation.clicks import EXPIRED, REJECTED, Recorder, buttons_for, real_writes, service
from tests.remediation.conftest import (
    ADMIN,
    CLUSTER,
    Clock,
    Kube,
    pod_offers,
    sqlite_store,
    stored_buttons,
)
from tests.standins import kube_scenarios as ks


async def test_prepare_stores_the_action_and_signs_only_its_id(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        [button] = await buttons_for(kube, judge, svc, "out_of_pods", REJECTED)
        assert re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}", button.value)
        assert button.value.split(".")[0] == button.pending_id and REJECTED not in button.value
        spec = button.spec()
        assert spec.action_id == "remediate:delete-pod" and spec.style == "danger"
        assert spec.confirm is not None and f"`default/{REJECTED}`" in spec.confirm.text
        stored = await store.get_pending_action(button.pending_id)
        assert stored is not None and stored.target["name"] == REJECTED
        assert (stored.channel, stored.thread_ts, stored.diagnosis_id) == ("C1", "111.1", "diag-1")
        assert stored.expires_at == clock.now + timedelta(minutes=30)
    assert kube.writes() == []


async def test_admin_click_dry_runs_then_acts_and_audits(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        recorder = Recorder(store, kube.standin)
        svc = service(recorder, kube, clock)
        buttons = await buttons_for(kube, judge, svc, "tikv_cluster_id_mismatch", "basic-tikv-1")
        fix = next(b for b in buttons if b.kind == "delete-pvc-and-pod")
        outcome = await svc.execute(fix.value, user_id=ADMIN, channel_id="C1")
        assert outcome.status == "done" and not outcome.ephemeral
        assert outcome.action is not None and outcome.action.thread_ts == "111.1"
        assert "PVC tidb/tikv-basic-tikv-1 and pod tidb/basic-tikv-1 deleted" in outcome.text
        writes = [(r.method, r.path.rsplit("/", 2)[-2], r.dry_run) for r in kube.writes()]
        assert writes == [
            ("DELETE", "persistentvolumeclaims", True),
            ("DELETE", "pods", True),
            ("DELETE", "persistentvolumeclaims", False),
            ("DELETE", "pods", False),
        ]
        assert kube.standin.get_object("Pod", "tidb", "basic-tikv-1") is None
        assert recorder.audit == [("started", 0), ("done", 4)]
        [row] = await store.list_audit()
        assert (row.user, row.kind, row.cluster, row.namespace, row.outcome) == (
            ADMIN,
            "delete-pvc-and-pod",
            CLUSTER,
            "tidb",
            "done",
        )
        assert row.dry_run_result and row.result and row.action_id == fix.pending_id


async def test_non_admin_changes_nothing_and_does_not_use_up_the_button(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        [button] = await buttons_for(kube, judge, svc, "out_of_pods", REJECTED)
        refused = await svc.execute(button.value, user_id="UINTRUDER", channel_id="C1")
        assert refused.status == "refused" and refused.ephemeral
        assert "KUBEMEDIC_ADMINS" in refused.text and kube.writes() == []
        [row] = await store.list_audit()
        assert (row.user, row.outcome, row.kind) == ("UINTRUDER", "refused", "delete-pod")
        assert row.reason and "KUBEMEDIC_ADMINS" in row.reason
        done = await svc.execute(button.value, user_id=ADMIN, channel_id="C1")
        assert done.status == "done" and real_writes(kube) == [
            ("DELETE", f"/api/v1/namespaces/default/pods/{REJECTED}")
        ]


async def test_target_outside_namespaces_at_click_time_is_refused(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        [button] = await buttons_for(
            kube, judge, service(store, kube, clock), "out_of_pods", REJECTED
        )
        narrowed = service(store, kube, clock, KUBEMEDIC_NAMESPACES="shop")
        outcome = await narrowed.execute(button.value, user_id=ADMIN, channel_id="C1")
        assert outcome.status == "refused"
        assert "`default` is not in KUBEMEDIC_NAMESPACES" in outcome.text
        assert kube.writes() == [] and (await store.list_audit())[0].outcome == "refused"


async def test_second_click_is_expired_and_writes_once(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        [button] = await buttons_for(kube, judge, svc, "out_of_pods", REJECTED)
        assert (await svc.execute(button.value, user_id=ADMIN, channel_id="C1")).status == "done"
        again = await svc.execute(button.value, user_id=ADMIN, channel_id="C1")
        assert (again.status, again.text, again.ephemeral) == ("expired", EXPIRED, True)
        assert len(real_writes(kube)) == 1


async def test_racing_clicks_act_once(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        [button] = await buttons_for(kube, judge, svc, "out_of_pods", REJECTED)
        results = await asyncio.gather(
            *(svc.execute(button.value, user_id=ADMIN, channel_id="C1") for _ in range(3))
        )
        assert sorted(r.status for r in results) == ["done", "expired", "expired"]
        assert len(real_writes(kube)) == 1


async def test_button_expires_after_the_ttl(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock, KUBEMEDIC_ACTION_TTL_MINUTES=5)
        [button] = await buttons_for(kube, judge, svc, "out_of_pods", REJECTED)
        clock.advance(minutes=5, seconds=1)
        outcome = await svc.execute(button.value, user_id=ADMIN, channel_id="C1")
        assert (outcome.status, outcome.text) == ("expired", EXPIRED)
        assert kube.writes() == []


async def test_a_pod_recreated_under_the_same_name_is_not_deleted(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        [button] = await buttons_for(kube, judge, svc, "out_of_pods", REJECTED)
        diagnosed = kube.standin.get_object("Pod", "default", REJECTED)
        assert diagnosed is not None
        replacement = copy.deepcopy(diagnosed)  # a new pod with the same name, e.g. from a Job
        replacement["metadata"]["uid"] = str(uuid.uuid4())
        kube.standin.remove("Pod", "default", REJECTED)
        kube.standin.add(replacement)
        outcome = await svc.execute(button.value, user_id=ADMIN, channel_id="C1")
        assert outcome.status == "failed" and "Nothing was changed" in outcome.text
        assert "changed since kubemedic read it" in outcome.text
        assert real_writes(kube) == []
        assert kube.standin.get_object("Pod", "default", REJECTED) is not None
        [row] = await store.list_audit()
        assert row.outcome == "dry-run-failed"


def _recreate(kube: Kube, kind: str, namespace: str, name: str) -> str:
    """Delete the object and create another under its name (a new UID), as a controller or a
    person would between the offer and the click; the new UID."""
    diagnosed = kube.standin.get_object(kind, namespace, name)
    assert diagnosed is not None
    again = copy.deepcopy(diagnosed)
    again["metadata"]["uid"] = str(uuid.uuid4())
    kube.standin.remove(kind, namespace, name)
    kube.standin.add(again)
    return str(again["metadata"]["uid"])


async def test_a_pvc_recreated_under_the_same_name_is_not_deleted(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    """Issue 51: the delete-pod-and-PVC button names the claim's UID, as delete-pod names the pod's."""
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        buttons = await buttons_for(kube, judge, svc, "tikv_cluster_id_mismatch", "basic-tikv-1")
        fix = next(b for b in buttons if b.kind == "delete-pvc-and-pod")
        new_uid = _recreate(kube, "PersistentVolumeClaim", "tidb", "tikv-basic-tikv-1")
        outcome = await svc.execute(fix.value, user_id=ADMIN, channel_id="C1")
        assert outcome.status == "failed" and "Nothing was changed" in outcome.text
        assert "changed since kubemedic read it" in outcome.text
        assert real_writes(kube) == []
        survivor = kube.standin.get_object("PersistentVolumeClaim", "tidb", "tikv-basic-tikv-1")
        assert survivor is not None and survivor["metadata"]["uid"] == new_uid
        assert "deletionTimestamp" not in survivor["metadata"]
        assert kube.standin.get_object("Pod", "tidb", "basic-tikv-1") is not None


async def test_a_deployment_recreated_under_the_same_name_is_not_restarted(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    """Issue 51: rollout-restart names the workload's UID in its patch; a recreated Deployment
    (another UID) is refused by the API server (422) and keeps its template. (The built-in catalog
    never offers a restart for an OOM kill, it does not fix it; a team's catalog may declare one.)"""
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        scenario = ks.oom_killed_deployment(kube.standin)
        found = await pod_offers(
            kube, judge, scenario.namespace, str(scenario.pod), declared_fixes=True
        )
        [restart] = [b for b in await stored_buttons(svc, found) if b.kind == "rollout-restart"]
        _recreate(kube, "Deployment", "shop", "checkout")
        outcome = await svc.execute(restart.value, user_id=ADMIN, channel_id="C1")
        assert outcome.status == "failed" and "Nothing was changed" in outcome.text
        assert "recreated under the same name" in outcome.text
        assert real_writes(kube) == []
        template = kube.standin.get_object("Deployment", "shop", "checkout")["spec"]["template"]  # type: ignore[index]
        assert RESTARTED_AT not in (template.get("metadata") or {}).get("annotations", {})


async def test_the_same_deployment_is_restarted_with_its_uid_named(
    kube: Kube, judge: Judge, clock: Clock, tmp_path: Path
) -> None:
    async with sqlite_store(tmp_path) as store:
        svc = service(store, kube, clock)
        scenario = ks.oom_killed_deployment(kube.standin)
        found = await pod_offers(
            kube, judge, scenario.namespace, str(scenario.pod), declared_fixes=True
        )
        [restart] = [b for b in await stored_buttons(svc, found) if b.kind == "rollout-restart"]
        outcome = await svc.execute(restart.value, user_id=ADMIN, channel_id="C1")
        assert outcome.status == "done", outcome.text
        deployment = kube.standin.get_object("Deployment", "shop", "checkout")
        assert (
            deployment is not None
            and RESTARTED_AT in deployment["spec"]["template"]["metadata"]["annotations"]
        )
        patches = [r for r in kube.writes() if r.method == "PATCH"]
        assert [r.dry_run for r in patches] == [True, False]
        assert all(
            (r.body or {}).get("metadata", {}).get("uid") == deployment["metadata"]["uid"]
            for r in patches
        )
