"""Raw-JSON requests to the real API server with the official client, as the gateway makes them.

Test setup (the admin creating objects, writing status, requesting tokens) goes
through `Api`; the bot under test uses its own gateway and writer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kubernetes import client, config

Obj = dict[str, Any]


@dataclass(frozen=True)
class Kind:
    """Where a kind lives in the API."""

    prefix: str
    plural: str
    namespaced: bool
    status: bool = False
    """Has a status subresource (status is written there, not on create)."""


KINDS: dict[str, Kind] = {
    "Namespace": Kind("/api/v1", "namespaces", False),
    "Node": Kind("/api/v1", "nodes", False, status=True),
    "Pod": Kind("/api/v1", "pods", True, status=True),
    "Event": Kind("/api/v1", "events", True),
    "Service": Kind("/api/v1", "services", True),
    "Endpoints": Kind("/api/v1", "endpoints", True),
    "ServiceAccount": Kind("/api/v1", "serviceaccounts", True),
    "ConfigMap": Kind("/api/v1", "configmaps", True),
    "Secret": Kind("/api/v1", "secrets", True),
    "ResourceQuota": Kind("/api/v1", "resourcequotas", True, status=True),
    "PersistentVolumeClaim": Kind("/api/v1", "persistentvolumeclaims", True, status=True),
    "PersistentVolume": Kind("/api/v1", "persistentvolumes", False, status=True),
    "StorageClass": Kind("/apis/storage.k8s.io/v1", "storageclasses", False),
    "Deployment": Kind("/apis/apps/v1", "deployments", True, status=True),
    "ReplicaSet": Kind("/apis/apps/v1", "replicasets", True, status=True),
    "StatefulSet": Kind("/apis/apps/v1", "statefulsets", True, status=True),
    "DaemonSet": Kind("/apis/apps/v1", "daemonsets", True, status=True),
    "Job": Kind("/apis/batch/v1", "jobs", True, status=True),
    "CronJob": Kind("/apis/batch/v1beta1", "cronjobs", True, status=True),
    "HorizontalPodAutoscaler": Kind(
        "/apis/autoscaling/v2beta2", "horizontalpodautoscalers", True, status=True
    ),
    "CustomResourceDefinition": Kind(
        "/apis/apiextensions.k8s.io/v1", "customresourcedefinitions", False
    ),
    "IngressClass": Kind("/apis/networking.k8s.io/v1", "ingressclasses", False),
    "GatewayClass": Kind("/apis/gateway.networking.k8s.io/v1", "gatewayclasses", False),
    "Gateway": Kind("/apis/gateway.networking.k8s.io/v1", "gateways", True),
    "HTTPRoute": Kind("/apis/gateway.networking.k8s.io/v1", "httproutes", True),
    "APIService": Kind("/apis/apiregistration.k8s.io/v1", "apiservices", False),
    "ClusterRole": Kind("/apis/rbac.authorization.k8s.io/v1", "clusterroles", False),
    "ClusterRoleBinding": Kind("/apis/rbac.authorization.k8s.io/v1", "clusterrolebindings", False),
    "Role": Kind("/apis/rbac.authorization.k8s.io/v1", "roles", True),
    "RoleBinding": Kind("/apis/rbac.authorization.k8s.io/v1", "rolebindings", True),
    "Ingress": Kind("/apis/networking.k8s.io/v1", "ingresses", True, status=True),
    "NetworkPolicy": Kind("/apis/networking.k8s.io/v1", "networkpolicies", True),
    "events.k8s.io/Event": Kind("/apis/events.k8s.io/v1", "events", True),
}
SERVER_FIELDS = (
    "uid",
    "resourceVersion",
    "creationTimestamp",
    "generation",
    "managedFields",
    "selfLink",
)


class ApiError(Exception):
    """A non-2xx answer: `status` and the server's message."""

    def __init__(self, status: int, body: bytes) -> None:
        try:
            message = json.loads(body).get("message", "")
        except ValueError:
            message = body.decode("utf-8", "replace")
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = str(message)


def api_client(kubeconfig: Path) -> client.ApiClient:
    configuration = client.Configuration()
    config.load_kube_config(
        config_file=str(kubeconfig), client_configuration=configuration, persist_config=False
    )
    return client.ApiClient(configuration)


def kind_of(obj: Obj) -> Kind:
    key = obj["kind"]
    if key == "Event" and str(obj.get("apiVersion", "")).startswith("events.k8s.io"):
        key = "events.k8s.io/Event"
    return KINDS[key]


def path_of(kind: Kind, namespace: str | None = None, name: str | None = None) -> str:
    path = kind.prefix
    if kind.namespaced:
        assert namespace, f"{kind.plural} need a namespace"
        path += f"/namespaces/{quote(namespace, safe='')}"
    path += f"/{kind.plural}"
    return path + (f"/{quote(name, safe='')}" if name else "")


class Api:
    """Admin access for test setup: create objects with their status, read, delete, tokens."""

    def __init__(self, kubeconfig: Path) -> None:
        self.client = api_client(kubeconfig)

    def close(self) -> None:
        self.client.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Obj | None = None,
        query: dict[str, str] | None = None,
        content_type: str | None = None,
        timeout: float = 60.0,
    ) -> Obj:
        headers = {"Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        verb, url, headers, payload, _ = self.client.param_serialize(
            method=method,
            resource_path=path,
            query_params=list((query or {}).items()),
            header_params=headers,
            body=body,
            auth_settings=["BearerToken"],
        )
        response = self.client.call_api(
            verb, url, header_params=headers, body=payload, _request_timeout=timeout
        )
        raw: bytes = response.read()
        if not 200 <= response.status < 300:
            raise ApiError(response.status, raw)
        result: Obj = json.loads(raw) if raw else {}
        return result

    def create(self, obj: Obj) -> Obj:
        """Create `obj` as given (server-owned metadata dropped), then write its status
        through the status subresource, as a kubelet or controller would."""
        kind = kind_of(obj)
        meta = {k: v for k, v in obj["metadata"].items() if k not in SERVER_FIELDS}
        body = {**{k: v for k, v in obj.items() if k != "status"}, "metadata": meta}
        namespace = meta.get("namespace")
        created = self.request("POST", path_of(kind, namespace), body=body)
        if kind.status and obj.get("status"):
            created = self.write_status(created, obj["status"])
        return created

    def write_status(self, current: Obj, status: Obj) -> Obj:
        kind = kind_of(current)
        meta = current["metadata"]
        path = path_of(kind, meta.get("namespace"), meta["name"]) + "/status"
        return self.request("PUT", path, body={**current, "status": status})

    def get(self, kind: str, name: str, namespace: str | None = None) -> Obj:
        return self.request("GET", path_of(KINDS[kind], namespace, name))

    def find(self, kind: str, name: str, namespace: str | None = None) -> Obj | None:
        """The object, or None when it does not exist."""
        try:
            return self.get(kind, name, namespace)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    def list(self, kind: str, namespace: str | None = None) -> Obj:
        """The whole list object (items and metadata.resourceVersion)."""
        return self.request("GET", path_of(KINDS[kind], namespace))

    def delete_now(self, kind: str, name: str, namespace: str | None = None) -> None:
        """Delete at once (gracePeriodSeconds=0: no kubelet will confirm a graceful delete)."""
        body = {"apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0}
        self.request("DELETE", path_of(KINDS[kind], namespace, name), body=body)

    def apply(self, obj: Obj) -> Obj:
        """Create, or replace the existing object of that name (cluster objects outlive tests)."""
        kind = kind_of(obj)
        meta = obj["metadata"]
        try:
            return self.create(obj)
        except ApiError as exc:
            if exc.status != 409:
                raise
        current = self.request("GET", path_of(kind, meta.get("namespace"), meta["name"]))
        body = {
            **obj,
            "metadata": {**meta, "resourceVersion": current["metadata"]["resourceVersion"]},
        }
        return self.request("PUT", path_of(kind, meta.get("namespace"), meta["name"]), body=body)

    def token(self, namespace: str, service_account: str, *, seconds: int = 3600) -> str:
        """A TokenRequest token for the service account (what a projected volume holds)."""
        path = path_of(KINDS["ServiceAccount"], namespace, service_account) + "/token"
        body = {
            "apiVersion": "authentication.k8s.io/v1",
            "kind": "TokenRequest",
            "spec": {"expirationSeconds": seconds},
        }
        return str(self.request("POST", path, body=body)["status"]["token"])
