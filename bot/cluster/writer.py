"""The cluster writer: the only code in kubemedic that changes a cluster.

It exposes exactly the remediation allowlist as typed methods - nothing
generic, no shell-out - and shares the gateway's conventions: the official
client's `ApiClient` (the same one the gateway reads with), raw JSON in and
out, each call in a thread with a per-request timeout, and HTTP/transport
failures mapped to our `ClusterError` family by the gateway's own helpers.
Every method takes `dry_run`; when true the request carries `dryRun=All`
(a delete with a DeleteOptions body carries it in the body as well: the API
server then ignores the query), so the API server validates and admits it
but persists nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import quote

from kubernetes import client

from bot.cluster.gateway import RESOURCES, Call, ErrorHook, KubeGateway, Resource, send_request
from bot.cluster.identity import Impersonation
from bot.cluster.reader import JsonObject

WorkloadKind = Literal["Deployment", "StatefulSet", "DaemonSet"]
WORKLOADS: dict[str, str] = {
    "Deployment": "deployments",
    "StatefulSet": "statefulsets",
    "DaemonSet": "daemonsets",
}
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"


class KubeWriter:
    """Typed writes for the remediation allowlist; see the module docstring."""

    def __init__(
        self,
        api: client.ApiClient,
        *,
        cluster_name: str,
        timeout: float = 10.0,
        concurrency: int = 4,
        clock: Callable[[], datetime] | None = None,
        on_error: ErrorHook | None = None,
        acting_as: Impersonation | None = None,
    ) -> None:
        self._api = api
        self.acting_as = acting_as
        """The person every write impersonates (None: the writer's own credentials)."""
        self._on_error = on_error
        self._name = cluster_name
        self._timeout = timeout
        self._clock = clock or (lambda: datetime.now(UTC))
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="kube-write")

    @classmethod
    def sharing(
        cls,
        gateway: KubeGateway,
        *,
        timeout: float = 10.0,
        clock: Callable[[], datetime] | None = None,
    ) -> KubeWriter:
        """A writer on the gateway's ApiClient (same credentials, same connection pool)."""
        return cls(
            gateway._api,
            cluster_name=gateway.cluster_name,
            timeout=timeout,
            clock=clock,
            on_error=gateway.on_error,
            acting_as=gateway.acting_as,
        )

    @property
    def cluster_name(self) -> str:
        return self._name

    def close(self) -> None:
        """Stop the writer's threads; the shared ApiClient is the gateway's to close."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def delete_pod(
        self, namespace: str, name: str, *, dry_run: bool, uid: str | None = None
    ) -> JsonObject:
        """Delete a pod; with `uid`, only that incarnation (409 Conflict if it was replaced)."""
        options = {"apiVersion": "v1", "kind": "DeleteOptions", "preconditions": {"uid": uid}}
        return await self._send(
            "DELETE", "pods", namespace, name, dry_run=dry_run, body=options if uid else None
        )

    async def delete_pvc(
        self, namespace: str, name: str, *, dry_run: bool, uid: str | None = None
    ) -> JsonObject:
        """Delete a PVC; with `uid`, only that incarnation (409 Conflict if it was recreated)."""
        options = {"apiVersion": "v1", "kind": "DeleteOptions", "preconditions": {"uid": uid}}
        return await self._send(
            "DELETE",
            "persistentvolumeclaims",
            namespace,
            name,
            dry_run=dry_run,
            body=options if uid else None,
        )

    async def cordon_node(self, name: str, *, dry_run: bool) -> JsonObject:
        """spec.unschedulable=true, the strategic merge patch `kubectl cordon` sends."""
        return await self._unschedulable(name, True, dry_run=dry_run)

    async def uncordon_node(self, name: str, *, dry_run: bool) -> JsonObject:
        """Drops spec.unschedulable, as `kubectl uncordon` does."""
        return await self._unschedulable(name, None, dry_run=dry_run)

    async def _unschedulable(self, name: str, value: bool | None, *, dry_run: bool) -> JsonObject:
        body = {"spec": {"unschedulable": value}}
        return await self._send(
            "PATCH", "nodes", None, name, dry_run=dry_run, body=body, content_type=STRATEGIC
        )

    async def annotate_pod(
        self, namespace: str, name: str, key: str, value: str, *, dry_run: bool
    ) -> JsonObject:
        body = {"metadata": {"annotations": {key: value}}}
        return await self._send(
            "PATCH", "pods", namespace, name, dry_run=dry_run, body=body, content_type=MERGE
        )

    async def rollout_restart(
        self,
        kind: WorkloadKind,
        namespace: str,
        name: str,
        *,
        dry_run: bool,
        uid: str | None = None,
    ) -> JsonObject:
        """Stamp the pod template like `kubectl rollout restart` (RFC 3339, UTC); with `uid`, only
        that incarnation (the patch names it, and the API server refuses, 422, to change a UID)."""
        if kind not in WORKLOADS:
            raise ValueError(f"cannot rollout-restart a {kind}")
        stamp = self._clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        body: JsonObject = {
            "spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: stamp}}}}
        }
        if uid:
            body["metadata"] = {"uid": uid}
        return await self._send(
            "PATCH",
            WORKLOADS[kind],
            namespace,
            name,
            dry_run=dry_run,
            body=body,
            content_type=STRATEGIC,
        )

    async def scale_deployment(
        self, namespace: str, name: str, replicas: int, *, dry_run: bool
    ) -> JsonObject:
        """Merge-patch the Deployment's scale subresource, as `kubectl scale` does."""
        if replicas < 0:
            raise ValueError("replicas must be >= 0")
        return await self._send(
            "PATCH",
            "deployments",
            namespace,
            name,
            dry_run=dry_run,
            body={"spec": {"replicas": replicas}},
            content_type=MERGE,
            subresource="scale",
        )

    async def delete_apiservice(self, name: str, *, dry_run: bool) -> JsonObject:
        return await self._send("DELETE", "apiservices", None, name, dry_run=dry_run)

    async def _send(
        self,
        method: str,
        kind: str,
        namespace: str | None,
        name: str,
        *,
        dry_run: bool,
        body: JsonObject | None = None,
        content_type: str | None = None,
        subresource: str | None = None,
    ) -> JsonObject:
        resource = RESOURCES[kind]
        path = _path(resource, namespace, name) + (f"/{subresource}" if subresource else "")
        rbac = f"{resource.plural}/{subresource}" if subresource else resource.rbac
        query = (("dryRun", "All"),) if dry_run else ()
        if dry_run and method == "DELETE" and body:
            # the API server reads a DELETE's options from its body alone when there is one:
            # `?dryRun=All` beside a DeleteOptions body is ignored and the delete is REAL
            body = {**body, "dryRun": ["All"]}
        call = Call(method.lower(), rbac, path, namespace, name, query)
        loop = asyncio.get_running_loop()
        raw = await loop.run_in_executor(
            self._pool, lambda: self._blocking(method, call, body, content_type)
        )
        result: JsonObject = json.loads(raw) if raw else {}
        return result

    def _blocking(
        self, method: str, call: Call, body: JsonObject | None, content_type: str | None
    ) -> bytes:
        headers = {"Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        return send_request(
            self._api,
            call,
            method=method,
            headers=headers,
            body=body,
            timeout=self._timeout,
            on_error=self._on_error,
            acting_as=self.acting_as,
        )


def _path(resource: Resource, namespace: str | None, name: str) -> str:
    path = resource.prefix
    if resource.namespaced:
        if not namespace:
            raise ValueError(f"{resource.plural} need a namespace")
        path += f"/namespaces/{quote(namespace, safe='')}"
    return f"{path}/{resource.plural}/{quote(name, safe='')}"
