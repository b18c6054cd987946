"""A `kubectl get pods -A` of a kubeadm-style cluster that has no pod network yet.

kubeadm starts the control plane as static pods (`kube-apiserver-<node>` ...) and deploys
CoreDNS, but installs no CNI plugin: until one is applied the node stays NotReady and CoreDNS
stays Pending (the not-ready taint) or ContainerCreating (no network for its sandbox).  A listing
of every namespace that shows exactly that, the control plane Running, CoreDNS waiting and no
network add-on's agent anywhere, is the missing CNI (`NodeFacts.no_pod_network`).  Clusters that
bring their own network (k3s's built-in flannel, managed clusters) list no `kube-apiserver-` pod,
so they are left alone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.cluster.outputs.table import Header, loose_cells
from bot.paste.table_model import TableBlock, TableReading, failing_subject
from intents.facts.model import NodeFacts

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
"""Name prefixes of pod network add-ons' node agents and controllers.  An operator alone
(tigera-operator) is no network: until its Installation is applied it starts no calico-node."""
_WAITING = ("Pending", "ContainerCreating")


def may_apply(lines: Sequence[str]) -> bool:
    """A cheap look at the raw rows before they are read into cells: CoreDNS and a static
    kube-apiserver pod both listed."""
    return any("coredns-" in line for line in lines) and any(
        "kube-apiserver-" in line for line in lines
    )


def waiting_without_network(rows: Iterable[dict[str, str]]) -> list[str]:
    """The listing's CoreDNS pods waiting with no network add-on listed (empty: not so)."""
    names, waiting = [], []
    for row in rows:
        name = row.get("NAME", "").strip()
        names.append(name)
        if name.startswith("coredns-") and row.get("STATUS", "") in _WAITING:
            waiting.append(name)
    if not waiting or not any(name.startswith("kube-apiserver-") for name in names):
        return []
    if any(name.startswith(_AGENTS) for name in names):
        return []
    return waiting


def finish(block: TableBlock, rows: Sequence[str], header: Header) -> None:
    """The listing's missing network as one more subject, on its first row."""
    if not may_apply(rows):
        return
    waiting = waiting_without_network(loose_cells(line, header) for line in rows)
    if waiting:
        label = f"no pod network ({', '.join(waiting[:3])} waiting)"
        block.add_subject(
            failing_subject(label, block.shape, NodeFacts(name="", no_pod_network=True)),
            block.first_row,
        )


CNI_MISSING = TableReading(
    "no pod network",
    lambda header: header.kind == "pods" and "NAMESPACE" in header.names,
    frozenset({"NodeFacts.no_pod_network"}),
    finish=finish,
)
