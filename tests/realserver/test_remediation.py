"""Remediation against the real API server, as the bot's own ServiceAccount.

The API server's audit log is the witness: each action's requests arrive
dry run (`dryRun=All`) first, then for real, and pod deletes carry the
diagnosed pod's UID as a precondition. A pod recreated under the same name
between offer and click is refused by the server (409) and survives; under
the read-only role the server refuses the action (403) and nothing changes;
with the remediation component's role every action succeeds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from bot.cluster.kubeconfig import connect
from bot.cluster.writer import RESTARTED_AT, KubeWriter
from bot.remediation.planning import Offer
from bot.remediation.service import Outcome, RemediationService
from bot.remediation.targets import (
    ApiServiceTarget,
    NodeTarget,
    PodTarget,
    PvcAndPodTarget,
    ScaleTarget,
    Target,
    WorkloadTarget,
)
from bot.settings import Settings
from tests.realserver import lab as scenarios
from tests.realserver.api import Api
from tests.realserver.conftest import Identities
from tests.realserver.identities import Identity
from tests.realserver.lab import Lab
from tests.realserver.server import AuditLog
from tests.remediation.conftest import ADMIN, settings, sqlite_store, stored_buttons
from tests.slack.harness import ADMIN as SLACK_ADMIN
from tests.slack.harness import Bot, block_text, running_bot
from tests.standins import kube_objects as ko

CLUSTER = "realserver"
CHANNEL = "C0GENERAL1"
SLOW = 30.0
"""Seconds to wait for the bot's Slack calls (the machine is shared)."""


@dataclass(frozen=True)
class Write:
    """One write request the bot made, as the API server's audit log recorded it."""

    verb: str
    resource: str
    name: str
    dry_run: bool
    code: int
    uid: str | None


def writes(audit: AuditLog, identity: Identity, since: int, *, expect: int) -> list[Write]:
    """The identity's write requests since `since` (waiting until `expect` are logged)."""

    def mine(events: list[dict[str, Any]]) -> list[Write]:
        found = []
        for event in events:
            if event.get("user", {}).get("username") != identity.user:
                continue
            if event["verb"] not in ("create", "update", "patch", "delete"):
                continue
            ref = event["objectRef"]
            query = parse_qs(urlparse(event["requestURI"]).query)
            body = event.get("requestObject") or {}
            resource = ref["resource"] + (
                f"/{ref['subresource']}" if ref.get("subresource") else ""
            )
            # as the server reads it: a delete with an options body takes dryRun from the body
            dry = (
                "All" in (body.get("dryRun") or [])
                if event["verb"] == "delete" and body
                else query.get("dryRun") == ["All"]
            )
            found.append(
                Write(
                    event["verb"],
                    resource,
                    ref.get("name", ""),
                    dry,
                    event["responseStatus"]["code"],
                    (body.get("preconditions") or {}).get("uid"),
                )
            )
        return found

    return mine(audit.wait_for(lambda events: len(mine(events)) >= expect, since=since))


def assert_dry_run_first(made: list[Write]) -> None:
    """Every request was sent dry run first, then for real, in the same order."""
    half = len(made) // 2
    assert half and len(made) == 2 * half, made
    dry, real = made[:half], made[half:]
    assert all(w.dry_run for w in dry) and not any(w.dry_run for w in real), made
    assert [(w.verb, w.resource, w.name, w.uid) for w in dry] == [
        (w.verb, w.resource, w.name, w.uid) for w in real
    ]
    assert all(200 <= w.code < 300 for w in made), made


# ---------------------------------------------------------------- through Slack


async def _diagnose(bot: Bot, namespace: str, pod: str) -> Any:
    await bot.send(bot.requests.slash_command(f"pod {namespace}/{pod}", channel_id=CHANNEL))
    [posted] = await bot.slack.wait_for("chat.postMessage", timeout=SLOW)
    return posted


async def _click(bot: Bot, posted: Any) -> str:
    """Click the remediation button as an admin; the outcome posted in the thread."""
    await bot.send(bot.requests.click(posted, "remediate", user_id=SLACK_ADMIN))
    await bot.slack.wait_for("chat.update", timeout=SLOW)
    text: str = bot.slack.calls_to("chat.postMessage")[-1].params["text"]
    return text


async def test_a_click_dry_runs_then_deletes_exactly_the_diagnosed_pod(
    tmp_path: Path, lab: Lab, admin: Api, identities: Identities, audit: AuditLog
) -> None:
    found = scenarios.out_of_pods(lab)
    async with running_bot(tmp_path, kubeconfig=identities.remediation.kubeconfig) as bot:
        posted = await _diagnose(bot, found.namespace, found.pod)
        assert "too-many-pods" in block_text(posted.blocks)
        mark = audit.mark()
        text = await _click(bot, posted)
    assert f"pod {found.namespace}/{found.pod} deleted" in text
    assert admin.find("Pod", found.pod, found.namespace) is None
    made = writes(audit, identities.remediation, mark, expect=2)
    assert_dry_run_first(made)
    assert made[0] == Write("delete", "pods", found.pod, True, 200, found.uid)


async def test_a_pod_recreated_after_the_offer_is_refused_and_survives(
    tmp_path: Path, lab: Lab, admin: Api, identities: Identities, audit: AuditLog
) -> None:
    found = scenarios.out_of_pods(lab)
    async with running_bot(tmp_path, kubeconfig=identities.remediation.kubeconfig) as bot:
        posted = await _diagnose(bot, found.namespace, found.pod)
        # between offer and click it was replaced: same name, new UID
        admin.delete_now("Pod", found.pod, found.namespace)
        again = lab.pod(
            ko.rejected_pod(name=found.pod, namespace=lab.namespace, node_name=found.node)
        )
        assert again["metadata"]["uid"] != found.uid
        mark = audit.mark()
        text = await _click(bot, posted)
    assert "dry run failed" in text and "(409)" in text and "Nothing was changed" in text
    survivor = admin.get("Pod", found.pod, found.namespace)
    assert survivor["metadata"]["uid"] == again["metadata"]["uid"]
    assert "deletionTimestamp" not in survivor["metadata"]
    assert writes(audit, identities.remediation, mark, expect=1) == [
        Write("delete", "pods", found.pod, True, 409, found.uid)
    ]


async def test_under_the_read_only_role_the_click_is_refused_by_rbac(
    tmp_path: Path, lab: Lab, admin: Api, identities: Identities, audit: AuditLog
) -> None:
    found = scenarios.out_of_pods(lab)
    async with running_bot(tmp_path, kubeconfig=identities.read.kubeconfig) as bot:
        posted = await _diagnose(bot, found.namespace, found.pod)
        mark = audit.mark()
        text = await _click(bot, posted)
    assert "dry run failed" in text and "forbidden" in text and "Nothing was changed" in text
    assert 'cannot delete resource "pods"' in text
    assert admin.get("Pod", found.pod, found.namespace)["metadata"]["uid"] == found.uid
    # refused before its body was read: the audit log has no options (uid) for it
    assert writes(audit, identities.read, mark, expect=1) == [
        Write("delete", "pods", found.pod, True, 403, None)
    ]


# ---------------------------------------------------------------- every action kind

Check = Callable[[Api], None]


def _pod_gone(lab: Lab, name: str) -> Check:
    def check(admin: Api) -> None:
        pod = admin.find("Pod", name, lab.namespace)
        # no kubelet confirms a graceful delete: a running pod stays, marked for deletion
        assert pod is None or "deletionTimestamp" in pod["metadata"]

    return check


def delete_pod(lab: Lab) -> tuple[Target, Check]:
    found = scenarios.evicted(lab)
    target = PodTarget(cluster=CLUSTER, namespace=found.namespace, name=found.pod, uid=found.uid)
    return target, lambda admin: _equal(admin.find("Pod", found.pod, found.namespace), None)


def delete_pvc_and_pod(lab: Lab) -> tuple[Target, Check]:
    found = scenarios.tikv_cluster_id_mismatch(lab)
    claim = f"tikv-{found.pod}"
    claim_uid = lab.api.get("PersistentVolumeClaim", claim, found.namespace)["metadata"]["uid"]
    target = PvcAndPodTarget(
        cluster=CLUSTER,
        namespace=found.namespace,
        name=found.pod,
        owner="StatefulSet/basic-tikv",
        pvc=claim,
        uid=found.uid,
        pvc_uid=claim_uid,
    )

    def check(admin: Api) -> None:
        pvc = admin.find("PersistentVolumeClaim", claim, found.namespace)
        assert pvc is None or "deletionTimestamp" in pvc["metadata"]  # pvc-protection holds it
        _pod_gone(lab, found.pod)(admin)

    return target, check


def annotate_debug(lab: Lab) -> tuple[Target, Check]:
    found = scenarios.tikv_cluster_id_mismatch(lab)
    target = PodTarget(cluster=CLUSTER, namespace=found.namespace, name=found.pod, uid=found.uid)

    def check(admin: Api) -> None:
        annotations = admin.get("Pod", found.pod, found.namespace)["metadata"]["annotations"]
        assert annotations["runmode"] == "debug"

    return target, check


def rollout_restart(lab: Lab) -> tuple[Target, Check]:
    dep, _ = lab.owned_chain("web", replicas=2)
    name = dep["metadata"]["name"]
    target = WorkloadTarget(
        cluster=CLUSTER,
        kind="Deployment",
        namespace=lab.namespace,
        name=name,
        uid=dep["metadata"]["uid"],
    )

    def check(admin: Api) -> None:
        template = admin.get("Deployment", name, lab.namespace)["spec"]["template"]["metadata"]
        assert RESTARTED_AT in template.get("annotations", {})

    return target, check


def rollout_restart_statefulset(lab: Lab) -> tuple[Target, Check]:
    scenarios.tikv_cluster_id_mismatch(lab)
    target = WorkloadTarget(
        cluster=CLUSTER,
        kind="StatefulSet",
        namespace=lab.namespace,
        name="basic-tikv",
        uid=lab.api.get("StatefulSet", "basic-tikv", lab.namespace)["metadata"]["uid"],
    )

    def check(admin: Api) -> None:
        template = admin.get("StatefulSet", "basic-tikv", lab.namespace)["spec"]["template"]
        assert RESTARTED_AT in template["metadata"].get("annotations", {})

    return target, check


def scale_deployment(lab: Lab) -> tuple[Target, Check]:
    dep, _ = lab.owned_chain("api", replicas=2)
    name = dep["metadata"]["name"]
    target = ScaleTarget(cluster=CLUSTER, namespace=lab.namespace, name=name, replicas=5)
    return target, lambda admin: _equal(
        admin.get("Deployment", name, lab.namespace)["spec"]["replicas"], 5
    )


def cordon_node(lab: Lab) -> tuple[Target, Check]:
    node = lab.node(ready=False)
    return NodeTarget(cluster=CLUSTER, name=node), lambda admin: _equal(
        admin.get("Node", node)["spec"].get("unschedulable"), True
    )


def uncordon_node(lab: Lab) -> tuple[Target, Check]:
    node = lab.node(unschedulable=True)
    return NodeTarget(cluster=CLUSTER, name=node), lambda admin: _equal(
        admin.get("Node", node)["spec"].get("unschedulable"), None
    )


def delete_apiservice(lab: Lab) -> tuple[Target, Check]:
    group = f"{lab.namespace}.example.com"
    name = f"v1beta1.{group}"
    lab.api.create(
        {
            "apiVersion": "apiregistration.k8s.io/v1",
            "kind": "APIService",
            "metadata": {"name": name},
            "spec": {
                "group": group,
                "version": "v1beta1",
                "groupPriorityMinimum": 100,
                "versionPriority": 100,
                "insecureSkipTLSVerify": True,
                "service": {"namespace": lab.namespace, "name": "metrics", "port": 443},
            },
        }
    )
    return ApiServiceTarget(cluster=CLUSTER, name=name), lambda admin: _equal(
        admin.find("APIService", name), None
    )


def _equal(actual: object, expected: object) -> None:
    assert actual == expected


ACTIONS: dict[str, tuple[str, Callable[[Lab], tuple[Target, Check]]]] = {
    "delete-pod": ("delete-pod", delete_pod),
    "delete-pvc-and-pod": ("delete-pvc-and-pod", delete_pvc_and_pod),
    "annotate-debug": ("annotate-debug", annotate_debug),
    "rollout-restart-deployment": ("rollout-restart", rollout_restart),
    "rollout-restart-statefulset": ("rollout-restart", rollout_restart_statefulset),
    "scale-deployment": ("scale-deployment", scale_deployment),
    "cordon-node": ("cordon-node", cordon_node),
    "uncordon-node": ("uncordon-node", uncordon_node),
    "delete-apiservice": ("delete-apiservice", delete_apiservice),
}


async def perform(tmp_path: Path, identity: Identity, kind: str, target: Target) -> Outcome:
    """One offer stored behind a signed button, then clicked by an admin (the real service,
    a SQLite store and a writer with the identity's token)."""
    gateway = connect(Settings(KUBECONFIG=str(identity.kubeconfig)))
    writer = KubeWriter.sharing(gateway)
    try:
        async with sqlite_store(tmp_path) as store:
            service = RemediationService(store, {CLUSTER: writer}.__getitem__, settings())
            offer = Offer(kind, kind, target, "test")
            [button] = await stored_buttons(service, [offer], thread_ts="1.1")
            return await service.execute(button.value, user_id=ADMIN, channel_id="C1")
    finally:
        writer.close()
        gateway.close()


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
async def test_every_action_dry_runs_first_and_succeeds_with_the_remediation_role(
    action: tuple[str, Callable[[Lab], tuple[Target, Check]]],
    tmp_path: Path,
    lab: Lab,
    admin: Api,
    identities: Identities,
    audit: AuditLog,
) -> None:
    kind, setup = action
    target, check = setup(lab)
    mark = audit.mark()
    outcome = await perform(tmp_path, identities.remediation, kind, target)
    assert outcome.status == "done", outcome.text
    check(admin)
    made = writes(audit, identities.remediation, mark, expect=2)
    assert_dry_run_first(made)
    if isinstance(target, PodTarget) and kind.startswith("delete"):
        pod_deletes = [w for w in made if w.resource == "pods"]
        assert pod_deletes and all(w.uid == target.uid for w in pod_deletes)


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
async def test_every_action_is_refused_by_rbac_under_the_read_only_role(
    action: tuple[str, Callable[[Lab], tuple[Target, Check]]],
    tmp_path: Path,
    lab: Lab,
    identities: Identities,
    audit: AuditLog,
) -> None:
    kind, setup = action
    target, _ = setup(lab)
    mark = audit.mark()
    outcome = await perform(tmp_path, identities.read, kind, target)
    assert outcome.status == "failed"
    assert "dry run failed" in outcome.text and "forbidden" in outcome.text
    assert "Nothing was changed" in outcome.text
    made = writes(audit, identities.read, mark, expect=1)
    assert [(w.dry_run, w.code) for w in made] == [(True, 403)]


# ---------------------------------------------------------------- recreated between offer and click


def _recreated(admin: Api, lab: Lab, kind: str, name: str) -> str:
    """Delete the object and create it again under its name (a new UID, as a person or a
    controller would between the offer and the click); the new UID."""
    current = admin.get(kind, name, lab.namespace)
    admin.delete_now(kind, name, lab.namespace)
    again = {key: current[key] for key in ("apiVersion", "kind", "spec") if key in current}
    again["metadata"] = {
        key: current["metadata"][key]
        for key in ("name", "namespace", "labels")
        if key in current["metadata"]
    }
    created = lab.add(again)
    assert created["metadata"]["uid"] != current["metadata"]["uid"]
    return str(created["metadata"]["uid"])


async def test_a_pvc_recreated_after_the_offer_is_refused_and_survives(
    tmp_path: Path, lab: Lab, admin: Api, identities: Identities, audit: AuditLog
) -> None:
    """Issue 51: the PVC delete carries the claim's UID; the server refuses it (409) for a new claim."""
    target, _ = delete_pvc_and_pod(lab)
    assert isinstance(target, PvcAndPodTarget)
    admin.request(
        "PATCH",
        f"/api/v1/namespaces/{lab.namespace}/persistentvolumeclaims/{target.pvc}",
        body={"metadata": {"finalizers": None}},
        content_type="application/merge-patch+json",
    )
    new_uid = _recreated(admin, lab, "PersistentVolumeClaim", target.pvc)
    mark = audit.mark()
    outcome = await perform(tmp_path, identities.remediation, "delete-pvc-and-pod", target)
    assert (
        outcome.status == "failed"
        and "(409)" in outcome.text
        and "Nothing was changed" in outcome.text
    )
    survivor = admin.get("PersistentVolumeClaim", target.pvc, lab.namespace)
    assert (
        survivor["metadata"]["uid"] == new_uid and "deletionTimestamp" not in survivor["metadata"]
    )
    assert admin.get("Pod", target.name, lab.namespace)["metadata"]["uid"] == target.uid
    assert writes(audit, identities.remediation, mark, expect=1) == [
        Write("delete", "persistentvolumeclaims", target.pvc, True, 409, target.pvc_uid)
    ]


async def test_a_deployment_recreated_after_the_offer_is_not_restarted(
    tmp_path: Path, lab: Lab, admin: Api, identities: Identities, audit: AuditLog
) -> None:
    """Issue 51: the restart patch names the Deployment's UID; the server refuses (422) to apply it
    to a new Deployment of the same name, whose template stays as it was."""
    target, _ = rollout_restart(lab)
    assert isinstance(target, WorkloadTarget)
    _recreated(admin, lab, "Deployment", target.name)
    mark = audit.mark()
    outcome = await perform(tmp_path, identities.remediation, "rollout-restart", target)
    assert outcome.status == "failed" and "recreated under the same name (422)" in outcome.text
    assert "Nothing was changed" in outcome.text
    template = admin.get("Deployment", target.name, lab.namespace)["spec"]["template"]["metadata"]
    assert RESTARTED_AT not in (template.get("annotations") or {})
    assert [
        (w.verb, w.dry_run, w.code) for w in writes(audit, identities.remediation, mark, expect=1)
    ] == [("patch", True, 422)]
