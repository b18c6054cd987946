"""Which buttons each diagnosis gets: the catalog must list the action AND the evidence fit it."""

from __future__ import annotations

from typing import Any

from bot.diagnosis.node import diagnose_node
from bot.diagnosis.pod import Judge, judge_pod
from bot.evidence.runner import gather_pod_facts
from bot.remediation.planners import Context, apiservice_names, planned_target
from bot.remediation.planning import Offer, offers
from intents.facts.model import NodeCondition, NodeFacts
from intents.matcher import Matcher
from responses.diagnosis import Diagnosis, Finding
from tests.remediation.conftest import CLUSTER, Kube, as_fixes, pod_offers, settings
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko
from tests.standins import kube_scenarios as ks
from tests.standins.kube_api import KubeStandIn

APISERVICE_PASTE = (
    "error: unable to retrieve the complete list of server APIs: "
    "metrics.k8s.io/v1beta1: the server is currently unable to handle the request"
)


def targets(found: list[Offer]) -> dict[str, dict[str, Any]]:
    """Each offer's target without the UIDs it names (random per scenario; checked on their own)."""
    return {
        offer.kind: offer.target.model_dump(exclude_none=True, exclude={"uid", "pvc_uid"})
        for offer in found
    }


def tidb_crashloop(si: KubeStandIn, component: str = "tidb") -> str:
    ks._nodes(si, "worker-1")
    labels = {"app.kubernetes.io/component": component, "app.kubernetes.io/instance": "basic"}
    sts = kc.statefulset(
        name=f"basic-{component}", namespace="tidb", container_name=component, labels=labels
    )
    pod = ko.pod(
        name=f"basic-{component}-0",
        namespace="tidb",
        owner=sts,
        labels=labels,
        node_name="worker-1",
        containers=[ko.container(name=component)],
        container_statuses=[ko.crashloop_status(name=component, restarts=7)],
    )
    si.add_all([sts, pod, ks._backoff_event(pod, component)])
    si.set_log(
        "tidb", pod["metadata"]["name"], component, "[FATAL] something went wrong\n", previous=True
    )
    return str(pod["metadata"]["name"])


def deployment_crashloop(si: KubeStandIn) -> str:
    ks._nodes(si, "worker-1")
    dep = kc.deployment(name="web", namespace="shop")
    rs = kc.replicaset(deployment=dep)
    pod = ko.pod(
        name="web-abc",
        namespace="shop",
        owner=rs,
        labels=rs["metadata"]["labels"],
        node_name="worker-1",
        containers=[ko.container(name="web")],
        container_statuses=[ko.crashloop_status(name="web", restarts=5)],
    )
    si.add_all([dep, rs, pod, ks._backoff_event(pod, "web")])
    si.set_log("shop", "web-abc", "web", "panic: runtime error\n", previous=True)
    return "web-abc"


async def test_tikv_cluster_id_mismatch_offers_deleting_the_pvc_and_the_pod(
    kube: Kube, judge: Judge
) -> None:
    scenario = ks.tikv_cluster_id_mismatch(kube.standin)
    found = await pod_offers(kube, judge, scenario.namespace, "basic-tikv-1")
    assert targets(found)["delete-pvc-and-pod"] == {
        "cluster": CLUSTER,
        "namespace": "tidb",
        "name": "basic-tikv-1",
        "pvc": "tikv-basic-tikv-1",
        "owner": "StatefulSet/basic-tikv",
    }
    diagnosed = kube.standin.get_object("Pod", "tidb", "basic-tikv-1")
    assert diagnosed is not None  # the offer pins the pod it diagnosed, not just its name
    assert getattr(found[0].target, "uid", None) == diagnosed["metadata"]["uid"]
    claim = kube.standin.get_object("PersistentVolumeClaim", "tidb", "tikv-basic-tikv-1")
    assert (
        claim is not None and getattr(found[0].target, "pvc_uid", None) == claim["metadata"]["uid"]
    )  # and its claim
    assert (found[0].kind, found[0].catalog_id) == (
        "delete-pvc-and-pod",
        "tikv-cluster-id-mismatch",
    )
    assert found[0].confirm_text == (
        "Delete pod `tidb/basic-tikv-1` and its PVC `tidb/tikv-basic-tikv-1` in cluster `prod`. "
        "Its StatefulSet `basic-tikv` recreates the pod with a new, empty volume; the old "
        "volume's data is no longer used."
    )
    # the confirmed crash loop adds nothing: its debug mode and restart only mitigate
    assert set(targets(found)) == {"delete-pvc-and-pod"}


async def test_a_pod_the_kubelet_rejected_offers_recreating_it(kube: Kube, judge: Judge) -> None:
    scenario = ks.out_of_pods(kube.standin)
    found = await pod_offers(kube, judge, scenario.namespace, str(scenario.pod))
    [target] = targets(found).values()
    assert set(targets(found)) == {"delete-pod"} and target["name"] == "batch-worker-7d9c-x2kq"
    assert target["owner"].startswith(
        "ReplicaSet/batch-worker-"
    )  # the controller that recreates it
    assert (
        found[0].label == "Recreate the pod the kubelet rejected with OutOfpods"
    )  # labelled with its effect
    assert found[0].catalog_id == "too-many-pods"


async def test_an_evicted_pod_gets_no_button_deleting_it_fixes_nothing(
    kube: Kube, judge: Judge
) -> None:
    # the controller already replaced it and the node pressure that evicted it is untouched
    scenario = ks.evicted(kube.standin)
    assert await pod_offers(kube, judge, scenario.namespace, str(scenario.pod)) == []


async def test_pd_waiting_for_discovery_offers_restarting_the_discovery_pod(
    kube: Kube, judge: Judge
) -> None:
    scenario = ks.pd_discovery_wait(kube.standin)
    disc = kube.standin.get_object("Deployment", "tidb", "basic-discovery")
    rs = kc.replicaset(deployment=disc)
    labels = {"app.kubernetes.io/component": "discovery", "app.kubernetes.io/instance": "basic"}
    kube.standin.add_all(
        [
            rs,
            ko.pod(name="basic-discovery-6d4f9-x7x2p", namespace="tidb", owner=rs, labels=labels),
            ko.pod(
                name="other-discovery-1",
                namespace="tidb",
                labels={**labels, "app.kubernetes.io/instance": "other"},
            ),
        ]
    )
    found = await pod_offers(kube, judge, scenario.namespace, str(scenario.pod))
    assert targets(found)["delete-pod"] == {
        "cluster": CLUSTER,
        "namespace": "tidb",
        "name": "basic-discovery-6d4f9-x7x2p",
        "owner": f"ReplicaSet/{rs['metadata']['name']}",
    }
    assert set(targets(found)) == {"delete-pod"}


async def test_pd_waiting_for_discovery_without_a_discovery_pod_offers_no_restart(
    kube: Kube, judge: Judge
) -> None:
    scenario = ks.pd_discovery_wait(kube.standin)  # discovery scaled to 0: no pod to restart
    found = await pod_offers(kube, judge, scenario.namespace, str(scenario.pod))
    assert "delete-pod" not in targets(found)


async def test_actions_that_only_mitigate_are_never_offered(kube: Kube, judge: Judge) -> None:
    # a restart does not fix a memory limit or a crash; a cordon does not fix a node
    tidb = tidb_crashloop(kube.standin)
    web = deployment_crashloop(kube.standin)
    oom = ks.oom_killed_deployment(kube.standin)
    for namespace, name in (("tidb", tidb), ("shop", web), (oom.namespace, str(oom.pod))):
        assert await pod_offers(kube, judge, namespace, name) == [], name
    ks.node_not_ready(kube.standin, name="worker-3")
    kube.standin.add(kc.node(name="worker-1", disk_pressure=True))
    for node, catalog_id in (("worker-3", "node-not-ready"), ("worker-1", "node-disk-pressure")):
        diagnosis = await diagnose_node(kube.gateway, node, judge=judge)
        assert diagnosis.findings[0].match.id == catalog_id
        assert await offers(diagnosis, None, settings=settings(), reader=kube.gateway) == []


async def test_a_restart_declared_a_fix_is_offered_on_the_owning_workload(
    kube: Kube, judge: Judge
) -> None:
    name = deployment_crashloop(kube.standin)
    facts = await gather_pod_facts(kube.gateway, "shop", name)
    diagnosis = as_fixes(judge_pod(facts, judge=judge, cluster=kube.gateway.cluster_name))
    for given in (facts, None):  # without facts, the few needed are read live
        found = await offers(diagnosis, given, settings=settings(), reader=kube.gateway)
        assert targets(found) == {
            "rollout-restart": {
                "cluster": CLUSTER,
                "kind": "Deployment",
                "namespace": "shop",
                "name": "web",
            }
        }


async def test_a_restart_declared_a_fix_names_the_workload_it_read(
    kube: Kube, judge: Judge
) -> None:
    scenario = ks.oom_killed_deployment(kube.standin)
    found = await pod_offers(
        kube, judge, scenario.namespace, str(scenario.pod), declared_fixes=True
    )
    assert targets(found) == {
        "rollout-restart": {
            "cluster": CLUSTER,
            "kind": "Deployment",
            "namespace": "shop",
            "name": "checkout",
        }
    }
    deployment = kube.standin.get_object("Deployment", "shop", "checkout")
    assert (
        deployment is not None
        and getattr(found[0].target, "uid", None) == deployment["metadata"]["uid"]
    )


async def test_a_cordon_declared_a_fix_is_offered_on_the_node(kube: Kube, judge: Judge) -> None:
    ks.node_not_ready(kube.standin, name="worker-3")
    diagnosis = as_fixes(await diagnose_node(kube.gateway, "worker-3", judge=judge))
    found = await offers(diagnosis, None, settings=settings(), reader=kube.gateway)
    assert targets(found) == {"cordon-node": {"cluster": CLUSTER, "name": "worker-3"}}
    assert found[0].confirm_text.startswith("Cordon node `worker-3` in cluster `prod`")


async def test_an_already_cordoned_node_is_not_offered_cordon(kube: Kube, judge: Judge) -> None:
    kube.standin.add(kc.node(name="worker-1", disk_pressure=True, unschedulable=True))
    diagnosis = as_fixes(await diagnose_node(kube.gateway, "worker-1", judge=judge))
    assert await offers(diagnosis, None, settings=settings(), reader=kube.gateway) == []


async def test_aggregated_apiservice_offers_deleting_only_a_verified_unavailable_one(
    kube: Kube, matcher: Matcher
) -> None:
    diagnosis = Diagnosis(
        subject="the pasted text",
        findings=tuple(Finding(m) for m in matcher.match(APISERVICE_PASTE)),
    )
    assert diagnosis.findings[0].match.id == "aggregated-apiservice-unavailable"
    run = settings()
    # no cluster to verify against: nothing
    assert await offers(diagnosis, None, settings=run, text=APISERVICE_PASTE) == []
    # the cluster has no such APIService: nothing
    assert (
        await offers(diagnosis, None, settings=run, reader=kube.gateway, text=APISERVICE_PASTE)
        == []
    )
    kube.standin.add(kc.apiservice(name="v1beta1.metrics.k8s.io", available=True))
    assert (
        await offers(diagnosis, None, settings=run, reader=kube.gateway, text=APISERVICE_PASTE)
        == []
    )
    kube.standin.add(kc.apiservice(name="v1beta1.metrics.k8s.io", available=False))
    found = await offers(diagnosis, None, settings=run, reader=kube.gateway, text=APISERVICE_PASTE)
    assert targets(found) == {
        "delete-apiservice": {"cluster": CLUSTER, "name": "v1beta1.metrics.k8s.io"}
    }
    assert kube.writes() == []


async def test_pasted_text_without_facts_offers_nothing(kube: Kube, matcher: Matcher) -> None:
    paste = (
        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91316Ki."
        " Pod default/batch-worker-7d9c-x2kq was Evicted"
    )
    ks.evicted(kube.standin)
    diagnosis = Diagnosis(
        subject="the pasted text", findings=tuple(Finding(m) for m in matcher.match(paste))
    )
    assert diagnosis.answer is not None and diagnosis.answer.match.id == "pod-evicted"
    assert await offers(diagnosis, None, settings=settings(), reader=kube.gateway, text=paste) == []


async def test_nothing_outside_kubemedic_namespaces(kube: Kube, judge: Judge) -> None:
    ks.tikv_cluster_id_mismatch(kube.standin)
    assert (
        await pod_offers(kube, judge, "tidb", "basic-tikv-1", KUBEMEDIC_NAMESPACES="shop,default")
        == []
    )
    inside = await pod_offers(kube, judge, "tidb", "basic-tikv-1", KUBEMEDIC_NAMESPACES="tidb")
    assert set(targets(inside)) == {"delete-pvc-and-pod"}


async def test_cluster_scoped_actions_only_when_namespaces_is_empty(
    kube: Kube, judge: Judge
) -> None:
    ks.node_not_ready(kube.standin, name="worker-3")
    diagnosis = as_fixes(await diagnose_node(kube.gateway, "worker-3", judge=judge))
    assert await offers(diagnosis, None, settings=settings(), reader=kube.gateway) != []
    limited = settings(KUBEMEDIC_NAMESPACES="default")
    assert await offers(diagnosis, None, settings=limited, reader=kube.gateway) == []


async def test_healthy_pod_and_unconfirmed_entries_get_nothing(kube: Kube, judge: Judge) -> None:
    scenario = ks.healthy(kube.standin)
    assert await pod_offers(kube, judge, scenario.namespace, str(scenario.pod)) == []
    scenario = ks.image_pull_backoff(kube.standin)
    assert await pod_offers(kube, judge, scenario.namespace, str(scenario.pod)) == []


async def test_uncordon_only_a_ready_cordoned_node(matcher: Matcher) -> None:
    [action] = [
        a
        for e in matcher.index.entries
        if e.id == "node-not-ready"
        for a in e.remediation
        if a.kind == "uncordon-node"
    ]  # as the catalog states it

    def ctx(ready: str, cordoned: bool) -> Context:
        node = NodeFacts(
            name="worker-3", unschedulable=cordoned, conditions=[NodeCondition("Ready", ready)]
        )
        return Context(CLUSTER, "node-not-ready", None, node, None, "")

    assert await planned_target(ctx("True", True), action) is not None
    assert await planned_target(ctx("Unknown", True), action) is None
    assert await planned_target(ctx("True", False), action) is None


def test_apiservice_names_from_text() -> None:
    text = (
        "couldn't get resource list for custom.metrics.k8s.io/v1beta1: the server ...\n"
        "v1beta1.metrics.k8s.io   kube-system/metrics-server   False (FailedDiscoveryCheck)\n"
        "Get https://10.0.0.1:443/apis/projectcalico.org/v3: timeout; "
        "kube-system/metrics-server"
    )
    assert apiservice_names(text) == [
        "v1beta1.custom.metrics.k8s.io",
        "v3.projectcalico.org",
        "v1beta1.metrics.k8s.io",
    ]
