"""What a paste's objects say about each other: facts only several outputs together show.

- A Service and the pods it selects: does each targetPort reach a container port? (the cluster
  path checks the same: bot.evidence.rules.service_port_mismatches). A pod template a Service in
  the same manifests selects counts as its pods.
- A Service and its own Endpoints (`describe service` prints them, `get endpoints` lists them):
  how many addresses are ready, as the cluster path reads them (bot.evidence.services).
- A StorageClass listing beside a claim: does the class the claim names exist?
- A PersistentVolume listing with none Available beside a Pending claim without a class: there
  is nothing it could bind to (static binding).
- A quota with no room for an object a manifest declares and the paste does not have: the API
  server refused it (`kubectl apply` prints that once, no event records it), which only a paste
  shows (bot.diagnosis.paste_quota).
- Pods stuck in Init beside a pod crash-looping: most likely waiting on it (a driver deployer
  on its CSI plugin, an app on its database): the loop is the problem, not the wait.
- A `get pods -A` of a kubeadm-style cluster with CoreDNS waiting, the control plane running
  and no pod network add-on anywhere: the missing CNI.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from bot.cluster.outputs.store import Store
from bot.cluster.reader import JsonObject
from bot.cluster.seen import SERVICE_PORTS, TARGET_PORTS
from bot.diagnosis.paste_model import Subject
from bot.evidence.pods import container_ports
from bot.evidence.service_ports import count_addresses, port_targets
from intents.facts.kinds.service_ports import service_port_mismatches
from intents.facts.model import NodeFacts, PodFacts, ServiceFacts

MAX_LINKED = 50
WORKLOADS = ("deployments", "statefulsets", "daemonsets", "replicasets", "jobs")


def link_services(store: Store, subjects: list[Subject], templates: list[Subject]) -> list[Subject]:
    """Give each pod (and each pod template) the Services that select it; a port none of its
    containers declares makes it unhealthy (the paste showed a Service that cannot reach it).
    The subjects linked."""
    services = [
        (namespace, service)
        for (namespace, name), service in store.objects.get("services", {}).items()
        if TARGET_PORTS not in store.unseen.get(("services", namespace, name), frozenset())
        and (service.get("spec") or {}).get("selector")
    ]
    linked: list[Subject] = []
    for subject in [*subjects, *templates] if services else ():
        facts = subject.facts
        if not isinstance(facts, PodFacts) or not facts.ports or not facts.labels:
            continue
        chosen = [s for namespace, s in services if _selects(s, namespace, facts)][:MAX_LINKED]
        if chosen:
            facts.services = [
                ServiceFacts(str(s["metadata"]["name"]), -1, -1, port_targets(s)) for s in chosen
            ]  # endpoints not shown
            subject.seen.add(SERVICE_PORTS)
            subject.healthy = subject.healthy and not service_port_mismatches(facts)
            linked.append(subject)
    return linked


def service_endpoints(store: Store, subjects: Iterable[Subject]) -> None:
    """Give each pasted Service whose Endpoints the paste shows its ready addresses; none ready
    makes it unhealthy (what its callers notice: refused or timed-out connections)."""
    endpoints = store.objects.get("endpoints", {})
    for subject in subjects if endpoints else ():
        kind, namespace, name = subject.key or ("", "", "")
        shown = endpoints.get((namespace, name)) if kind == "services" else None
        service = store.objects["services"].get((namespace, name)) if shown is not None else None
        if shown is None or service is None or not isinstance(subject.facts, PodFacts):
            continue
        ready, not_ready = count_addresses(shown)
        subject.facts.services = [ServiceFacts(name, ready, not_ready, port_targets(service))]
        subject.healthy = subject.healthy and ready > 0


def _selects(service: JsonObject, namespace: str, facts: PodFacts) -> bool:
    selector = (service.get("spec") or {}).get("selector") or {}
    same = not facts.namespace or facts.namespace == namespace
    return same and all(facts.labels.get(k) == v for k, v in selector.items())


def _template(workload: JsonObject) -> tuple[Any, JsonObject]:
    """A workload's pod template: its labels and its spec."""
    template = (workload.get("spec") or {}).get("template") or {}
    return (template.get("metadata") or {}).get("labels"), template.get("spec") or {}


def templates(store: Store) -> Iterator[Subject]:
    """The pod templates of the workloads a manifest shows whole (labels and container ports),
    as the pods they make."""
    for kind in WORKLOADS:
        for (namespace, name), workload in store.objects.get(kind, {}).items():
            labels, spec = _template(workload)
            if not labels or not spec.get("containers"):
                continue
            word = str(workload.get("kind") or kind)
            facts = PodFacts(
                namespace=namespace,
                name=f"{word} {name}",
                labels=dict(labels),
                ports=container_ports(spec),
            )
            yield Subject(f"{word.lower()} {name}", "kubectl get -o yaml", facts, set(), True)


def check_classes(store: Store, subjects: Iterable[Subject]) -> None:
    """Mark each claim's StorageClass as listed or not, when the paste lists StorageClasses."""
    classes = store.objects.get("storageclasses", {})
    if not classes:
        return
    listed = {name for _namespace, name in classes}
    for subject in subjects:
        if isinstance(subject.facts, PodFacts):
            subject.facts.volumes = [
                replace(v, storage_class_exists=v.storage_class in listed) if v.storage_class else v
                for v in subject.facts.volumes
            ]


def _phase(obj: JsonObject) -> Any:
    return (obj.get("status") or {}).get("phase")


def check_static_claims(store: Store, subjects: Iterable[Subject]) -> None:
    """A Pending claim without a StorageClass while the paste lists volumes and none is
    Available: no class to miss, and nothing there to bind to."""
    volumes = store.objects.get("persistentvolumes", {}).values()
    if not volumes or any(_phase(v) == "Available" for v in volumes):
        return
    for subject in subjects:
        if isinstance(subject.facts, PodFacts):
            subject.facts.volumes = [
                replace(v, storage_class_exists=True, no_available_volume=True)
                if v.phase == "Pending" and v.storage_class in (None, "", "<unset>")
                else v
                for v in subject.facts.volumes
            ]


def init_waits_on_a_crash(subjects: Iterable[Subject]) -> None:
    """Pods stuck in Init beside a crash-looping one wait on it: their init is not stalled."""
    pods = [s.facts for s in subjects if isinstance(s.facts, PodFacts)]
    looping = any(
        not c.init and c.reason == "CrashLoopBackOff" for pod in pods for c in pod.containers
    )
    for pod in pods if looping else ():
        pod.containers = [replace(c, init_stalled=False) for c in pod.containers]


_AGENTS = (
    "calico-",
    "canal-",
    "kube-flannel",
    "flannel-",
    "cilium",
    "weave-net",
    "kube-router",
    "aws-node",
    "antrea-",
    "kube-ovn-",
    "ovnkube-",
    "ovs-",
    "multus",
    "azure-cni",
    "kindnet",
    "kilo-",
    "contiv-",
    "romana-",
    "nsx-",
    "k8s-ovs",
    "kube-proxy-replacement",
)
"""Name prefixes of pod network add-ons' node agents and controllers. An operator alone
(tigera-operator) is no network: until its Installation is applied it starts no calico-node."""


def _coredns_pending(pods: dict[tuple[str, str], JsonObject]) -> list[str]:
    """The CoreDNS pods listed Pending."""
    return [
        name
        for (_namespace, name), pod in pods.items()
        if name.startswith("coredns-") and _phase(pod) == "Pending"
    ]


def missing_network(store: Store, every_namespace: bool) -> Subject | None:
    """The cluster's CoreDNS pods waiting, its control plane's static pods listed and no network
    add-on's pod anywhere, in a listing of every namespace: kubeadm without a CNI applied (k3s
    and managed clusters bring their own network and list no `kube-apiserver-` pod)."""
    if not every_namespace:
        return None
    pods = store.objects.get("pods", {})
    names = [name for _namespace, name in pods]
    waiting = _coredns_pending(pods)
    if not waiting or not any(name.startswith("kube-apiserver-") for name in names):
        return None
    if any(name.startswith(_AGENTS) for name in names):
        return None
    label = f"no pod network ({', '.join(waiting[:3])} waiting)"
    return Subject(label, "kubectl get pods", NodeFacts(name="", no_pod_network=True), set(), False)
