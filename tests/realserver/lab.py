"""Put incident scenarios into the real API server, as the kubelet and controllers would leave them.

No kubelet, scheduler or controller-manager runs, so a test plays their part:
it creates Nodes and Pods, writes their status through the status subresource,
records core/v1 Events, and serves container logs through the kubelet stand-in.
The objects come from the same builders as the API stand-in's scenarios
(tests/standins/kube_objects.py), so both tiers describe the same incidents.
Each `Lab` owns a fresh namespace and prefixes its cluster-scoped objects with
it, so tests never see each other's nodes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.realserver.api import Api, Obj
from tests.realserver.kubelet import KubeletLogs
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko

TIKV_FATAL = (
    '[2024/05/14 08:21:07.512 +00:00] [FATAL] [server.rs:1045] ["failed to start node: Other('
    '\\"[components/raftstore/src/store/node.rs:350]: cluster ID mismatch, local 7262388432156321285 '
    "!= remote 7339127459851426837, you are trying to connect to another cluster, please reconnect "
    'to the correct PD\\")"]'
)
DISK_PRESSURE = (
    "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }."
    " preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
)


@dataclass(frozen=True)
class Case:
    """What a scenario put in the cluster: the subject to diagnose and the expected finding."""

    namespace: str
    pod: str
    node: str
    uid: str


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@dataclass
class Lab:
    """A namespace of the real server, with nodes whose logs the kubelet stand-in serves."""

    api: Api
    kubelet: KubeletLogs
    namespace: str
    nodes: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, api: Api, kubelet: KubeletLogs, prefix: str = "lab") -> Lab:
        namespace = unique(prefix)
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
        return cls(api, kubelet, namespace)

    def node(self, suffix: str = "worker", **options: Any) -> str:
        """A Node (kubelet-style status from kc.node) reachable at the kubelet stand-in."""
        name = f"{self.namespace}-{suffix}-{len(self.nodes) + 1}"
        self.nodes.append(name)
        obj = kc.node(name=name, **options)
        obj["status"]["addresses"] = [
            {"type": "InternalIP", "address": "127.0.0.1"},
            {"type": "Hostname", "address": name},
        ]
        obj["status"]["daemonEndpoints"] = {"kubeletEndpoint": {"Port": self.kubelet.port}}
        self.api.create(obj)
        return name

    def add(self, obj: Obj) -> Obj:
        """Create a namespaced object in this lab's namespace (status written after)."""
        obj = {**obj, "metadata": {**obj["metadata"], "namespace": self.namespace}}
        return self.api.create(obj)

    def pod(self, obj: Obj) -> Obj:
        """Create a pod; container-status messages name the real pod UID, as the kubelet's do."""
        spec_only = {**obj, "status": {}}
        created = self.add(spec_only)
        uid = created["metadata"]["uid"]
        old = f"{obj['metadata']['name']}_{obj['metadata']['namespace']}({obj['metadata']['uid']})"
        new = f"{created['metadata']['name']}_{self.namespace}({uid})"
        status = _replace_text(obj["status"], old, new)
        return self.api.write_status(created, status)

    def event(self, involved: Obj, **fields: Any) -> Obj:
        """A core/v1 Event about a created object (its real UID), via kc.event."""
        obj = kc.event(involved=involved, namespace=self.namespace, **fields)
        return self.add(obj)

    def scheduler_event(self, pod: Obj, *, reason: str, note: str, count: int) -> Obj:
        """An events.k8s.io/v1 Event, as the scheduler records FailedScheduling."""
        meta = pod["metadata"]
        obj: Obj = {
            "apiVersion": "events.k8s.io/v1",
            "kind": "Event",
            "metadata": {
                "name": f"{meta['name']}.{uuid.uuid4().hex[:12]}",
                "namespace": self.namespace,
            },
            "eventTime": ko.micro_ago(3600),
            "reportingController": "default-scheduler",
            "reportingInstance": "default-scheduler-control-plane",
            "action": "Scheduling",
            "reason": reason,
            "note": note,
            "type": "Warning",
            "regarding": {
                "kind": "Pod",
                "namespace": self.namespace,
                "name": meta["name"],
                "uid": meta["uid"],
                "apiVersion": "v1",
            },
        }
        if count > 1:
            obj["series"] = {"count": count, "lastObservedTime": ko.micro_ago(60)}
        return self.add(obj)

    def log(self, pod: str, container: str, text: str, *, previous: bool = False) -> None:
        self.kubelet.set_log(self.namespace, pod, container, text, previous=previous)

    def owned_chain(self, name: str, **deployment: Any) -> tuple[Obj, Obj]:
        """A Deployment and its ReplicaSet (real UIDs in the owner reference)."""
        dep = self.add(kc.deployment(name=name, namespace=self.namespace, **deployment))
        template = kc.deployment(name=name, namespace=self.namespace, **deployment)
        rs = kc.replicaset(deployment={**template, "metadata": dep["metadata"]})
        return dep, self.add(rs)


def _replace_text(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_replace_text(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: _replace_text(item, old, new) for key, item in value.items()}
    return value


def _case(lab: Lab, pod: Obj, node: str) -> Case:
    return Case(lab.namespace, pod["metadata"]["name"], node, pod["metadata"]["uid"])


def _backoff(lab: Lab, pod: Obj, container: str, count: int = 42) -> None:
    meta = pod["metadata"]
    lab.event(
        pod,
        reason="BackOff",
        count=count,
        first=3000,
        last=30,
        field_path=f"spec.containers{{{container}}}",
        message=f"Back-off restarting failed container {container} in pod "
        f"{meta['name']}_{meta['namespace']}({meta['uid']})",
    )


def oom_killed(lab: Lab) -> Case:
    """Deployment -> ReplicaSet -> Pod crash-looping with OOMKilled (exit 137)."""
    node = lab.node()
    _, rs = lab.owned_chain("checkout", replicas=1, ready_replicas=0)
    pod = lab.pod(
        ko.pod(
            name=f"{rs['metadata']['name']}-x7k2p",
            namespace=lab.namespace,
            owner=rs,
            labels=rs["metadata"]["labels"],
            node_name=node,
            containers=[ko.container(name="checkout", memory_limit="256Mi")],
            container_statuses=[
                ko.crashloop_status(name="checkout", last_reason="OOMKilled", restarts=9)
            ],
        )
    )
    _backoff(lab, pod, "checkout")
    lab.log(
        pod["metadata"]["name"],
        "checkout",
        previous=True,
        text=(
            "2024-05-14T08:20:01.112Z INFO  checkout starting version=1.4.2\n"
            "2024-05-14T08:20:09.871Z WARN  cache size above soft limit used_mb=231 limit_mb=200\n"
        ),
    )
    lab.log(pod["metadata"]["name"], "checkout", "")
    return _case(lab, pod, node)


def crash_loop(lab: Lab) -> Case:
    """A Deployment's pod exiting with code 1 over and over, nothing more specific known."""
    node = lab.node()
    _, rs = lab.owned_chain("billing", replicas=1, ready_replicas=0)
    pod = lab.pod(
        ko.pod(
            name=f"{rs['metadata']['name']}-q8w4z",
            namespace=lab.namespace,
            owner=rs,
            labels=rs["metadata"]["labels"],
            node_name=node,
            containers=[ko.container(name="billing")],
            container_statuses=[ko.crashloop_status(name="billing", restarts=7)],
        )
    )
    _backoff(lab, pod, "billing", 25)
    lab.log(
        pod["metadata"]["name"],
        "billing",
        previous=True,
        text="2024-05-14T08:20:01Z INFO billing starting\n2024-05-14T08:20:02Z INFO shutting down\n",
    )
    lab.log(pod["metadata"]["name"], "billing", "")
    return _case(lab, pod, node)


def tikv_cluster_id_mismatch(lab: Lab) -> Case:
    """A TiKV StatefulSet pod crash-looping on a PD cluster-id mismatch (fatal line in its
    previous log, served through the API server's log proxy); one bound PVC."""
    node = lab.node()
    labels = {"app.kubernetes.io/component": "tikv", "app.kubernetes.io/instance": "basic"}
    sts = lab.add(
        kc.statefulset(
            name="basic-tikv",
            namespace=lab.namespace,
            replicas=3,
            ready_replicas=2,
            image="pingcap/tikv:v7.5.1",
            container_name="tikv",
            claim_name="tikv",
            size="10Gi",
            service_name="basic-tikv-peer",
            labels=labels,
        )
    )
    name = "basic-tikv-1"
    storage = f"{lab.namespace}-local"
    lab.api.create(
        kc.storage_class(
            name=storage, provisioner="kubernetes.io/no-provisioner", reclaim_policy="Retain"
        )
    )
    claim = lab.add(
        kc.pvc(
            name=f"tikv-{name}",
            namespace=lab.namespace,
            storage_class=storage,
            size="10Gi",
            volume_name=f"{lab.namespace}-pv",
            labels=sts["spec"]["selector"]["matchLabels"],
        )
    )
    lab.api.create(
        kc.pv(
            name=f"{lab.namespace}-pv",
            claim=claim,
            storage_class=storage,
            size="10Gi",
            reclaim_policy="Retain",
            node_name=node,
        )
    )
    pod = lab.pod(
        ko.pod(
            name=name,
            namespace=lab.namespace,
            owner=sts,
            node_name=node,
            pvc_claims=[claim["metadata"]["name"]],
            labels={
                **sts["spec"]["selector"]["matchLabels"],
                "statefulset.kubernetes.io/pod-name": name,
            },
            containers=[
                ko.container(
                    name="tikv", image="pingcap/tikv:v7.5.1", ports=[20160], memory_limit=None
                )
            ],
            container_statuses=[
                ko.crashloop_status(name="tikv", image="pingcap/tikv:v7.5.1", restarts=14)
            ],
        )
    )
    _backoff(lab, pod, "tikv", 120)
    welcome = '[2024/05/14 08:21:07.391 +00:00] [INFO] [lib.rs:88] ["Welcome to TiKV"]'
    connect = (
        '[2024/05/14 08:21:07.410 +00:00] [INFO] [server.rs:426] ["connect to PD cluster"] '
        "[cluster_id=7339127459851426837]"
    )
    lab.log(name, "tikv", f"{welcome}\n{connect}\n{TIKV_FATAL}\n", previous=True)
    lab.log(name, "tikv", "")
    return _case(lab, pod, node)


def pending_disk_pressure(lab: Lab) -> Case:
    """A Pending pod; the only node has DiskPressure and its taint; the scheduler's event."""
    node = lab.node(disk_pressure=True)
    pod = lab.pod(
        ko.pending_unschedulable(name="report-0", namespace=lab.namespace, message=DISK_PRESSURE)
    )
    lab.scheduler_event(pod, reason="FailedScheduling", note=DISK_PRESSURE, count=12)
    return _case(lab, pod, node)


def image_pull_backoff(lab: Lab) -> Case:
    node = lab.node()
    image = "registry.example.com/shop/frontend:1.9.0-typo"
    pod = lab.pod(
        ko.pod(
            name="frontend-5f7b9-abcde",
            namespace=lab.namespace,
            node_name=node,
            containers=[ko.container(name="frontend", image=image)],
            container_statuses=[ko.image_pull_backoff_status(name="frontend", image=image)],
        )
    )
    field_path = "spec.containers{frontend}"
    lab.event(
        pod,
        reason="Failed",
        count=5,
        field_path=field_path,
        message=f'Failed to pull image "{image}": {ko.err_image_pull_message(image)}',
    )
    lab.event(
        pod,
        reason="BackOff",
        count=30,
        field_path=field_path,
        type="Normal",
        message=f'Back-off pulling image "{image}"',
    )
    return _case(lab, pod, node)


def evicted(lab: Lab, name: str = "batch-worker-7d9c-x2kq") -> Case:
    """A pod the kubelet evicted under memory pressure (phase Failed, reason Evicted)."""
    node = lab.node()
    pod = lab.pod(ko.evicted_pod(name=name, namespace=lab.namespace, node_name=node))
    lab.event(
        pod, reason="Evicted", message=pod["status"]["message"], count=1, first=1800, last=1800
    )
    return _case(lab, pod, node)


def out_of_pods(lab: Lab, name: str = "batch-worker-7d9c-x2kq") -> Case:
    """A Deployment's pod the kubelet rejected with OutOfpods (phase Failed): deleting it lets the
    ReplicaSet recreate it on a node with room, the fix the bot offers a button for."""
    node = lab.node()
    _, rs = lab.owned_chain("batch-worker", replicas=1, ready_replicas=0)
    pod = lab.pod(
        ko.rejected_pod(
            name=name,
            namespace=lab.namespace,
            node_name=node,
            owner=rs,
            labels=rs["metadata"]["labels"],
        )
    )
    lab.event(
        pod, reason="OutOfpods", message=pod["status"]["message"], count=1, first=600, last=600
    )
    return _case(lab, pod, node)


def node_not_ready(lab: Lab) -> str:
    """A node whose kubelet stopped posting status (Ready=Unknown, unreachable taints)."""
    name = lab.node("lost", ready="Unknown")
    node = lab.api.get("Node", name)
    # events about cluster-scoped objects live in "default" (the API server insists)
    lab.api.create(
        kc.event(
            involved={
                "kind": "Node",
                "name": name,
                "uid": node["metadata"]["uid"],
                "apiVersion": "v1",
            },
            namespace="default",
            reason="NodeNotReady",
            type="Normal",
            source_component="node-controller",
            message=f"Node {name} status is now: NodeNotReady",
        )
    )
    return name
