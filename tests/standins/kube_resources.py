"""Resource registry, path parsing and Status helpers for the Kubernetes stand-in."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class Resource:
    """One served API resource (e.g. apps/v1 deployments)."""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ("status",)
    storage: str = ""  # storage key of the backing resource when this is a view

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """``pods`` or ``deployments.apps`` — the form used in error messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def key(self) -> str:
        """Storage key of the objects this resource serves."""
        return self.storage or self.qualified


def _r(
    group: str,
    plural: str,
    kind: str,
    namespaced: bool,
    *extra: Any,
    version: str = "v1",
    **kw: Any,
) -> Resource:
    return Resource(group, version, plural, kind, namespaced, *extra, **kw)


RESOURCES: tuple[Resource, ...] = (
    _r("", "pods", "Pod", True, ("po",), ("status", "log", "eviction")),
    _r("", "events", "Event", True, ("ev",), ()),
    _r("", "nodes", "Node", False, ("no",)),
    _r("", "persistentvolumeclaims", "PersistentVolumeClaim", True, ("pvc",)),
    _r("", "persistentvolumes", "PersistentVolume", False, ("pv",)),
    _r("", "services", "Service", True, ("svc",)),
    _r("", "endpoints", "Endpoints", True, ("ep",), ()),
    _r("", "resourcequotas", "ResourceQuota", True, ("quota",)),
    _r("", "namespaces", "Namespace", False, ("ns",)),
    _r("", "configmaps", "ConfigMap", True, ("cm",), ()),
    _r("", "serviceaccounts", "ServiceAccount", True, ("sa",), ()),
    _r("", "limitranges", "LimitRange", True, ("limits",), ()),
    _r("apps", "deployments", "Deployment", True, ("deploy",), ("status", "scale")),
    _r("apps", "replicasets", "ReplicaSet", True, ("rs",), ("status", "scale")),
    _r("apps", "statefulsets", "StatefulSet", True, ("sts",), ("status", "scale")),
    _r("apps", "daemonsets", "DaemonSet", True, ("ds",)),
    _r("batch", "jobs", "Job", True, ()),
    _r("batch", "cronjobs", "CronJob", True, ("cj",)),
    _r("storage.k8s.io", "storageclasses", "StorageClass", False, ("sc",), ()),
    _r("events.k8s.io", "events", "Event", True, ("ev",), (), storage="events"),
    _r("apiregistration.k8s.io", "apiservices", "APIService", False, ()),
    # what routes users to Services and scales workloads (the suspects walk reads them); no
    # Istio: a cluster without its CRDs answers 404 for VirtualServices
    _r("networking.k8s.io", "ingresses", "Ingress", True, ("ing",)),
    _r("gateway.networking.k8s.io", "httproutes", "HTTPRoute", True, ()),
    _r(
        "autoscaling",
        "horizontalpodautoscalers",
        "HorizontalPodAutoscaler",
        True,
        ("hpa",),
        version="v2",
    ),
    # custom resources whose status kubemedic reads above a pod (bot/evidence/owners.py)
    _r("serving.knative.dev", "revisions", "Revision", True, ("rev",)),
    _r("postgresql.cnpg.io", "clusters", "Cluster", True, ()),
    _r("acme.cert-manager.io", "challenges", "Challenge", True, ()),
)
BY_PATH: dict[tuple[str, str, str], Resource] = {
    (r.group, r.version, r.plural): r for r in RESOURCES
}
BY_KIND: dict[tuple[str, str], Resource] = {
    (r.api_version, r.kind): r for r in RESOURCES if not r.storage
}
GROUP_VERSIONS: dict[str, list[str]] = {}
for _res in RESOURCES:
    GROUP_VERSIONS.setdefault(_res.group, [])
    if _res.version not in GROUP_VERSIONS[_res.group]:
        GROUP_VERSIONS[_res.group].append(_res.version)
if "v1" not in GROUP_VERSIONS.setdefault("autoscaling", []):
    GROUP_VERSIONS["autoscaling"].append("v1")  # Scale subresource kind lives here


def resource_for(kind_or_plural: str) -> Resource:
    """Find a stored resource by Kind ("Pod"), plural ("pods") or qualified plural."""
    low = kind_or_plural.lower()
    for r in RESOURCES:
        if r.storage:
            continue
        if low in (r.kind.lower(), r.plural, r.qualified) or low in r.short_names:
            return r
    raise KeyError(f"unknown kind {kind_or_plural!r}")


@dataclass
class Target:
    """A parsed request path."""

    discovery: str | None = None  # "api", "apis", "group", "groupversion"
    group: str = ""
    version: str = ""
    resource: Resource | None = None
    namespace: str | None = None
    name: str | None = None
    subresource: str | None = None
    unknown_resource: bool = False
    extra: list[str] = field(default_factory=list)


def parse_path(path: str) -> Target | None:
    """Parse an API path; ``None`` means "404 page not found" (no such route)."""
    segs = [s for s in path.split("/") if s]
    if segs == ["api"]:
        return Target(discovery="api")
    if segs == ["apis"]:
        return Target(discovery="apis")
    if len(segs) >= 2 and segs[0] == "api" and segs[1] == "v1":
        group, version, rest = "", "v1", segs[2:]
    elif len(segs) >= 2 and segs[0] == "apis":
        group = segs[1]
        if group not in GROUP_VERSIONS:
            return None
        if len(segs) == 2:
            return Target(discovery="group", group=group)
        version, rest = segs[2], segs[3:]
        if version not in GROUP_VERSIONS[group]:
            return None
    else:
        return None
    if not rest:
        return Target(discovery="groupversion", group=group, version=version)
    t = Target(group=group, version=version)
    if rest[0] == "namespaces" and len(rest) >= 3:
        t.namespace, rest = rest[1], rest[2:]
    t.resource = BY_PATH.get((group, version, rest[0]))
    if t.resource is None or (t.namespace is not None and not t.resource.namespaced):
        t.unknown_resource = True
        return t
    if len(rest) > 1:
        t.name = rest[1]
    if len(rest) > 2:
        t.subresource = rest[2]
    if len(rest) > 3 or (t.subresource and t.subresource not in t.resource.subresources):
        t.unknown_resource = True
    return t


def verb_for(method: str, target: Target, query: dict[str, str]) -> str:
    """RBAC verb for an HTTP request, as the apiserver's authorizer computes it."""
    if method == "GET":
        if query.get("watch") in ("true", "1"):
            return "watch"
        return "get" if target.name else "list"
    if method == "DELETE":
        return "delete" if target.name else "deletecollection"
    return {"PATCH": "patch", "PUT": "update", "POST": "create"}.get(method, method.lower())


# --------------------------------------------------------------------------- Status

REASONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Expired",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
}


def json_response(
    obj: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """Serialise ``obj`` as the apiserver does (application/json)."""
    return web.Response(
        body=json.dumps(obj, separators=(",", ":"), default=str).encode(),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def status_obj(
    code: int, message: str, reason: str | None = None, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A ``meta/v1 Status`` failure body."""
    body: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason or REASONS.get(code, "Unknown"),
    }
    if details is not None:
        body["details"] = details
    body["code"] = code
    return body


def status_response(
    code: int,
    message: str,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    return json_response(status_obj(code, message, reason, details), code, headers)


def obj_details(target: Target, uid: str | None = None) -> dict[str, Any]:
    """``details`` for a Status about one named object."""
    d: dict[str, Any] = {}
    if target.name:
        d["name"] = target.name
    if target.resource is not None:
        if target.resource.group:
            d["group"] = target.resource.group
        d["kind"] = target.resource.plural
    if uid:
        d["uid"] = uid
    return d


def not_found(target: Target) -> web.Response:
    assert target.resource is not None
    return status_response(
        404,
        f'{target.resource.qualified} "{target.name}" not found',
        "NotFound",
        obj_details(target),
    )


def bad_request(message: str) -> web.Response:
    return status_response(400, message, "BadRequest")


def forbidden_message(user: str, verb: str, target: Target) -> str:
    """The RBAC denial message, e.g. ``pods "x" is forbidden: User "u" cannot get
    resource "pods/log" in API group "" in the namespace "ns"``."""
    res = target.resource
    plural = res.plural if res else "unknown"
    qualified = res.qualified if res else "unknown"
    resource = f"{plural}/{target.subresource}" if target.subresource else plural
    subject = f'{qualified} "{target.name}"' if target.name else qualified
    scope = f'in the namespace "{target.namespace}"' if target.namespace else "at the cluster scope"
    group = res.group if res else target.group
    return (
        f'{subject} is forbidden: User "{user}" cannot {verb} resource "{resource}" '
        f'in API group "{group}" {scope}'
    )


def fault_response(
    code: int,
    target: Target | None,
    verb: str,
    user: str,
    message: str | None = None,
    retry_after: int = 1,
) -> web.Response:
    """Build the real-shaped error response for an injected fault."""
    t = target or Target()
    name = t.name
    qualified = t.resource.qualified if t.resource else "unknown"
    headers: dict[str, str] = {}
    details: dict[str, Any] | None = obj_details(t)
    if code == 401:
        message, details = message or "Unauthorized", None
    elif code == 403:
        message = message or forbidden_message(user, verb, t)
    elif code == 404:
        message = message or (
            f'{qualified} "{name}" not found'
            if name
            else "the server could not find the requested resource"
        )
    elif code == 409:
        message = message or (
            f'Operation cannot be fulfilled on {qualified} "{name}": the object has been '
            "modified; please apply your changes to the latest version and try again"
        )
    elif code == 429:
        message = message or "Too many requests, please try again later."
        details = {"retryAfterSeconds": retry_after}
        headers["Retry-After"] = str(retry_after)
    elif code == 500:
        cause = message or "etcdserver: request timed out"
        message, details = f"Internal error occurred: {cause}", {"causes": [{"message": cause}]}
    elif code == 503:
        message = message or "the server is currently unable to handle the request"
        headers["Retry-After"] = str(retry_after)
    elif code == 504:
        message = (
            message
            or "Timeout: request did not complete within requested timeout - context deadline exceeded"
        )
        details = {}
    else:
        message = message or f"injected failure {code}"
    return status_response(code, message, REASONS.get(code, "Unknown"), details, headers or None)


# --------------------------------------------------------------------------- discovery


def discovery(target: Target, server_address: str) -> web.Response:
    """/api, /apis, /apis/{group}, /api/v1 and /apis/{group}/{version}."""
    if target.discovery == "api":
        return json_response(
            {
                "kind": "APIVersions",
                "versions": ["v1"],
                "serverAddressByClientCIDRs": [
                    {"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}
                ],
            }
        )

    def group_obj(group: str) -> dict[str, Any]:
        versions = [{"groupVersion": f"{group}/{v}", "version": v} for v in GROUP_VERSIONS[group]]
        return {"name": group, "versions": versions, "preferredVersion": versions[0]}

    if target.discovery == "apis":
        return json_response(
            {
                "kind": "APIGroupList",
                "apiVersion": "v1",
                "groups": [group_obj(g) for g in GROUP_VERSIONS if g],
            }
        )
    if target.discovery == "group":
        return json_response({"kind": "APIGroup", "apiVersion": "v1", **group_obj(target.group)})
    gv = f"{target.group}/{target.version}" if target.group else target.version
    resources: list[dict[str, Any]] = []
    for r in RESOURCES:
        if (r.group, r.version) != (target.group, target.version):
            continue
        resources.append(
            {
                "name": r.plural,
                "singularName": r.kind.lower(),
                "namespaced": r.namespaced,
                "kind": r.kind,
                "verbs": list(ALL_VERBS),
                "shortNames": list(r.short_names),
            }
        )
        for sub in r.subresources:
            kind = {"log": "Pod", "scale": "Scale", "eviction": "Eviction"}.get(sub, r.kind)
            verbs = (
                ["get"]
                if sub == "log"
                else ["create"]
                if sub == "eviction"
                else ["get", "patch", "update"]
            )
            entry = {
                "name": f"{r.plural}/{sub}",
                "singularName": "",
                "namespaced": r.namespaced,
                "kind": kind,
                "verbs": verbs,
            }
            if sub == "scale":
                entry.update(group="autoscaling", version="v1")
            resources.append(entry)
    return json_response(
        {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}
    )


VERSION_INFO = {
    "major": "1",
    "minor": "31",
    "gitVersion": "v1.31.4",
    "gitCommit": "a78aa47129b8539636eb86a9d00e31b2720fe06b",
    "gitTreeState": "clean",
    "buildDate": "2024-12-10T18:38:12Z",
    "goVersion": "go1.22.9",
    "compiler": "gc",
    "platform": "linux/amd64",
}
