"""What a fault changes beyond the manifests, where a network plugin or a chaos tool would change it.

- `netpol`: the node's bridge CNI enforces no NetworkPolicy, so the policies of the namespace
  are enforced here as an enforcing plugin (Calico, Cilium) would: in the network namespace of
  each pod a policy selects, an nftables table accepts what the policy's `ingress` rules allow
  (pods of the namespace by label, on the listed ports), replies and the node's own address
  (the kubelet's probes, which those plugins let through), and drops the rest, silently, so
  the callers time out. Ingress rules with pod selectors only: what the faults use.
- `delay`: this kernel has no `sch_netem`, so the delay is tc's token bucket filter on the
  pod's eth0 at a rate under what its answers need: each answer waits its turn, and its callers
  see the wait as latency (nothing fails: the queue is long enough to drop nothing).
- `dns-down`: the cluster DNS Service (kube-system/kube-dns) loses its endpoints, as when no
  CoreDNS pod is ready; kube-proxy then refuses every lookup. `dns-gone`: its Endpoints object
  is deleted outright (as a person cleaning up does); the same refusals, and nothing to read.

Each is undone by `undo`; the table and the qdisc also go with the pod's network namespace.
Nothing here touches the host's own network: `nsenter -n` enters the pod's namespace only.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from tests.cascade.reading import tier_pods
from tests.realserver.api import Api, Obj

TABLE = "kubemedic_netpol"
RATE = "128kbit"
"""The shaper's rate: catalog's full list (about 18 KB) then takes about a second to send."""
CGROUPS = Path("/sys/fs/cgroup/pids/kubepods")
DNS = ("kube-system", "kube-dns")


def pod_pid(pod: Obj) -> int:
    """A process of the pod's first running container (its network namespace is the pod's)."""
    for status in pod.get("status", {}).get("containerStatuses") or []:
        container = str(status.get("containerID", "")).partition("://")[2]
        for procs in CGROUPS.glob(f"**/{container}/cgroup.procs") if container else ():
            pids = procs.read_text().split()
            if pids:
                return int(pids[0])
    raise AssertionError(f"no running container of pod {pod['metadata']['name']}")


def in_pod(pod: Obj, *command: str, stdin: str | None = None) -> None:
    """Run `command` in the pod's network namespace."""
    done = subprocess.run(
        ["nsenter", "-t", str(pod_pid(pod)), "-n", *command],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, f"{' '.join(command)} in {pod['metadata']['name']}: {done.stderr}"


def matches(selector: dict[str, Any], pod: Obj) -> bool:
    labels = pod["metadata"].get("labels") or {}
    return all(labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items())


def ruleset(policy: Obj, pods: list[Obj], host: str) -> str:
    """The nftables table that enforces one policy's ingress rules in a selected pod."""
    allowed = []
    for rule in policy["spec"].get("ingress") or []:
        peers = [
            p["status"]["podIP"]
            for p in pods
            if p.get("status", {}).get("podIP")
            and any(matches(peer.get("podSelector") or {}, p) for peer in rule.get("from") or [])
        ]
        ports = [str(port["port"]) for port in rule.get("ports") or []]
        if peers and ports:
            allowed.append(
                f"ip saddr {{ {', '.join(peers)} }} tcp dport {{ {', '.join(ports)} }} accept"
            )
    rules = "\n        ".join(allowed)
    return f"""\
table inet {TABLE} {{
    chain ingress {{
        type filter hook input priority 0; policy accept;
        ct state established,related accept
        iifname "lo" accept
        ip saddr {host} accept
        {rules}
        counter drop
    }}
}}
"""


def policies(admin: Api, namespace: str) -> list[Obj]:
    found: list[Obj] = admin.list("NetworkPolicy", namespace)["items"]
    return [p for p in found if "Ingress" in (p["spec"].get("policyTypes") or ["Ingress"])]


def enforce(admin: Api, namespace: str, host: str) -> None:
    everyone: list[Obj] = admin.list("Pod", namespace)["items"]
    for policy in policies(admin, namespace):
        for pod in everyone:
            if matches(policy["spec"].get("podSelector") or {}, pod):
                in_pod(pod, "nft", "-f", "-", stdin=ruleset(policy, everyone, host))


def unenforce(admin: Api, namespace: str) -> None:
    for pod in admin.list("Pod", namespace)["items"]:
        if pod.get("status", {}).get("phase") == "Running":
            try:
                in_pod(pod, "nft", "delete", "table", "inet", TABLE)
            except AssertionError:
                pass  # (no such table in this pod)


def shape(admin: Api, namespace: str, tier: str, label: str) -> None:
    for pod in tier_pods(admin, namespace, tier, label):
        in_pod(
            pod,
            "tc",
            "qdisc",
            "replace",
            "dev",
            "eth0",
            "root",
            "tbf",
            "rate",
            RATE,
            "burst",
            "4096",
            "latency",
            "60s",
        )


def unshape(admin: Api, namespace: str, tier: str, label: str) -> None:
    for pod in tier_pods(admin, namespace, tier, label):
        in_pod(pod, "tc", "qdisc", "del", "dev", "eth0", "root")


def dns_down(admin: Api) -> Obj:
    """Empty the cluster DNS's Endpoints; what they were, to give back."""
    namespace, name = DNS
    current = admin.get("Endpoints", name, namespace)
    body = {**current, "subsets": []}
    admin.request("PUT", f"/api/v1/namespaces/{namespace}/endpoints/{name}", body=body)
    return current


def dns_gone(admin: Api) -> Obj:
    """Delete the cluster DNS's Endpoints object; what it was, to give back."""
    namespace, name = DNS
    current = admin.get("Endpoints", name, namespace)
    admin.request("DELETE", f"/api/v1/namespaces/{namespace}/endpoints/{name}")
    return current


def dns_up(admin: Api, saved: Obj) -> None:
    namespace, name = DNS
    current = admin.find("Endpoints", name, namespace)
    if current is None:
        admin.create(saved)
        return
    meta = {**saved["metadata"], "resourceVersion": current["metadata"]["resourceVersion"]}
    body = {**saved, "metadata": meta}
    admin.request("PUT", f"/api/v1/namespaces/{namespace}/endpoints/{name}", body=body)


class Actions:
    """Make and undo a fault's `action` (what was changed is kept to undo it exactly); `delayed`
    is the tier the delay shapes, `label` the pod label naming tiers."""

    def __init__(self, admin: Api, namespace: str, host: str, delayed: str, label: str) -> None:
        self.admin, self.namespace, self.host = admin, namespace, host
        self.delayed, self.label = delayed, label
        self.saved_dns: Obj | None = None

    def make(self, action: str) -> None:
        if action == "netpol":
            enforce(self.admin, self.namespace, self.host)
        elif action == "delay":
            shape(self.admin, self.namespace, self.delayed, self.label)
        elif action == "dns-down":
            self.saved_dns = dns_down(self.admin)
        elif action == "dns-gone":
            self.saved_dns = dns_gone(self.admin)

    def undo(self, action: str) -> None:
        if action == "netpol":
            unenforce(self.admin, self.namespace)
        elif action == "delay":
            unshape(self.admin, self.namespace, self.delayed, self.label)
        elif action in ("dns-down", "dns-gone") and self.saved_dns is not None:
            dns_up(self.admin, self.saved_dns)
            self.saved_dns = None
