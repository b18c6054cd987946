"""Where a fix holds a value of the reader's, the placeholder that asks for each, and the names
that are no example.

intents.fix_values reads a fix's slots (intents.fix_slots) against these tables: a config key
that names one of the reader's objects, an item's `name` under a key that lists them, a
resource whose amount is the reader's to choose, a kubectl kind and its object's placeholder.
Names a product or Kubernetes fixes, the same in every install, are listed with why.
"""

from __future__ import annotations

import re

FIXED: dict[str, str] = {
    "registry-1.docker.io": "Docker Hub's registry host",
    "argocd": "the namespace Argo CD's install manifests create",
    "argocd-cm": "the one ConfigMap Argo CD reads its settings from",
    "istio-system": "Istio's root namespace, where mesh-wide settings apply",
    "metallb-system": "the namespace MetalLB's manifests install into and read its pools from",
    "ingress-nginx": "the namespace ingress-nginx's manifests and chart install into",
    "cert-manager": "cert-manager's cluster resource namespace (its install's default)",
    "cert-manager-webhook": "the webhook configuration cert-manager's install creates",
    "linkerd": "the namespace Linkerd's control plane installs into",
    "linkerd-cni": "the namespace the linkerd2-cni chart installs into",
    "linkerd-identity-issuer": "the Secret/Certificate Linkerd's identity reads its issuer from",
    "falco": "the namespace Falco's chart installs into",
    "system-node-critical": "a PriorityClass every cluster has",
    "regcred": "the pull Secret the step before creates",
    "k8s.io": "containerd's namespace for Kubernetes' images",
    "v1beta1.metrics.k8s.io": "the APIService metrics-server registers",
    "prometheus-operated": "the Service the Prometheus Operator creates for its Prometheus pods",
    "tikv": "the component label TiDB Operator gives TiKV pods",
    "tidb-scheduler": "the Deployment TiDB Operator runs its scheduler as",
    "draino": "the Deployment draino's manifests create",
    "kube-dns": "the k8s-app label and Service name of the cluster DNS in every distribution",
}
"""Names a product or Kubernetes fixes, the same in every install: no example value."""
SYSTEM_NAMESPACES: dict[str, str] = {
    "kube-system": "where Kubernetes runs its own parts (CoreDNS, kube-proxy, the control plane)",
    "kube-public": "where kubeadm publishes the cluster-info ConfigMap",
}
"""Namespaces a command may name to reach Kubernetes' own components; every object a command
names there is the product's (a config never writes them: the reader's objects are not there)."""
SYSTEM_TAINTS = (
    "node-role.kubernetes.io/",
    "node.kubernetes.io/",
    "node.cloudprovider.kubernetes.io/",
)
"""Taint keys Kubernetes sets itself: a toleration of one is the same in every cluster."""

QUANTITIES = re.compile(
    r"^(?:[\w.-]+/)?(?:cpu|memory|ephemeral-storage|storage|proxy-body-size|hugepages-[\w.]+"
    r"|[\w.-]+/(?=[\w.-]*gpu)[\w.-]*)$"  # a name holding "gpu": read once, not split two ways
)
"""Resources whose amount a fix may set (an amount is the reader's to choose)."""
ROLES = {
    "requests": "request",
    "defaultRequest": "request",
    "limits": "limit",
    "default": "limit",
    "systemReserved": "reserved",
    "kubeReserved": "reserved",
    "hard": "quota",
}
NAMED_FIELDS: dict[str, str] = {
    "namespace": "<namespace>",
    "storageClassName": "<storageclass>",
    "claimName": "<claim>",
    "serviceAccountName": "<serviceaccount>",
    "ingressClassName": "<ingressclass>",
    "secretName": "<secret>",
    "containerPort": "<container-port>",
}
"""Config keys whose value names one of the reader's objects wherever they appear."""
NAMED_ITEMS: dict[str, dict[str, str]] = {
    "subjects": {"name": "<serviceaccount>", "namespace": "<serviceaccount-namespace>"},
    "serviceAccount": {"name": "<serviceaccount>"},
    "containers": {"name": "<container>"},
    "initContainers": {"name": "<container>"},
    "configMapKeyRef": {"name": "<configmap>"},
    "configMapRef": {"name": "<configmap>"},
    "configMap": {"name": "<configmap>"},
    "secretKeyRef": {"name": "<secret>"},
    "secretRef": {"name": "<secret>"},
    "issuerRef": {"name": "<issuer>"},
    "scaleTargetRef": {"name": "<workload-name>"},
    "tolerations": {"key": "<taint-key>", "value": "<taint-value>"},
    "ports": {"port": "<service-port>", "targetPort": "<container-port>", "name": "<port-name>"},
}
"""The key above -> its keys whose value names one of the reader's objects."""
OBJECT_PLACEHOLDERS = {
    "pod": "<pod>", "pods": "<pod>", "po": "<pod>", "node": "<node>", "nodes": "<node>",
    "no": "<node>", "svc": "<service>", "service": "<service>", "services": "<service>",
    "pvc": "<claim>", "persistentvolumeclaim": "<claim>", "pv": "<volume>",
    "persistentvolume": "<volume>", "deploy": "<deployment>", "deployment": "<deployment>",
    "deployments": "<deployment>", "sts": "<statefulset>", "statefulset": "<statefulset>",
    "ds": "<daemonset>", "daemonset": "<daemonset>", "secret": "<secret>",
    "configmap": "<configmap>", "cm": "<configmap>", "ns": "<namespace>",
    "namespace": "<namespace>", "storageclass": "<storageclass>", "sc": "<storageclass>",
    "sa": "<serviceaccount>", "serviceaccount": "<serviceaccount>", "ingress": "<ingress>",
    "job": "<job>", "cronjob": "<cronjob>", "hpa": "<hpa>",
}  # fmt: skip
"""A kubectl kind -> the placeholder of its object's name (any other: `<KIND-name>`)."""


SHOWN_AMOUNTS = frozenset(
    {"<memory-limit>", "<memory-peak>", "<requested-cpu>", "<requested-memory>", "<free-cpu>",
     "<free-memory>"}
)  # fmt: skip
"""Placeholders the fill step fills with an amount the input shows (what is, not what to set)."""
