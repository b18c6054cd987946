"""An in-process Kubernetes API server stand-in for tests and benchmarks.

The real ``kubernetes`` client talks HTTP to it on 127.0.0.1: it serves real API
paths, object/List/Status shapes, pod logs, selectors, paging, a few writes,
fault injection (failures, latency, hangs) and, with ``rbac`` set to a rule set,
SelfSubjectAccessReviews and 403s (kube_rbac.py). Every request is recorded.

Usage::

    si = KubeStandIn(latency=0.0)
    si.add(kube_objects.running_ready_pod(name="web-0", namespace="shop"))
    with start_in_thread(si) as server:           # sync tests / subprocess CLI
        cfg = kubernetes.client.Configuration(host=server.url)
    async with running_kube_standin(si) as url:   # async tests
        ...
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

from . import kube_api_routes as routes
from .kube_rbac import SSAR_PATH, RuleSet, review_response
from .kube_resources import (
    BY_KIND,
    VERSION_INFO,
    Target,
    discovery,
    fault_response,
    json_response,
    parse_path,
    resource_for,
    status_response,
    verb_for,
)
from .kube_watch import WatchLog, change_of, serve_watch
from .threaded import ThreadedHost

Obj = dict[str, Any]
DEFAULT_USER = "system:serviceaccount:kubemedic:kubemedic"
DEFAULT_TOKEN = "kubemedic-standin-token"


@dataclass
class RecordedRequest:
    """One request as received (``status`` is filled in once answered)."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]
    status: int | None = None
    at: float = field(default_factory=time.monotonic)

    @property
    def dry_run(self) -> bool:
        """As the server reads it: a DELETE with an options body takes dryRun from the body only."""
        if self.method == "DELETE" and isinstance(self.body, dict) and self.body:
            return "All" in (self.body.get("dryRun") or [])
        return self.query.get("dryRun") == "All"


@dataclass
class Fault:
    """An injected behaviour for requests whose method and path match."""

    method: str
    pattern: re.Pattern[str]
    status: int = 0  # 0 for delay/hang rules
    times: int | None = None  # None = always
    message: str | None = None
    retry_after: int = 1
    seconds: float = 0.0
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and bool(self.pattern.search(path)) and self.times != 0


class KubeStandIn:
    """In-memory object store + aiohttp application mimicking kube-apiserver."""

    def __init__(
        self,
        *,
        latency: float = 0.05,
        user: str = DEFAULT_USER,
        token: str | None = None,
        auto_namespaces: bool = True,
    ) -> None:
        self.latency = latency  # added to every request (seconds)
        self.user = user  # shown in 403 RBAC messages
        self.token = token  # when set, other bearer tokens get 401
        self.auto_namespaces = auto_namespaces
        self.rbac: RuleSet | None = None  # when set: reviews and 403s from its rules
        self.lock = threading.RLock()
        self.requests: list[RecordedRequest] = []
        self.logs: dict[tuple[str | None, str | None, str, bool], str] = {}
        self.resource_version = 1000
        self._store: dict[str, dict[tuple[str, str], Obj]] = {}
        self._faults: list[Fault] = []
        self._delays: list[Fault] = []
        self._hangs: list[Fault] = []
        self._stopping: asyncio.Event | None = None
        self.url: str | None = None
        self.watches = WatchLog()
        """Every change, for watch streams (``compact`` for 410 Gone, ``drop`` to cut streams)."""

    # ------------------------------------------------------------------ store API
    @staticmethod
    def now() -> str:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def add(self, obj: Obj) -> Obj:
        """Store (a deep copy of) ``obj``; fills uid/resourceVersion/creationTimestamp."""
        res = BY_KIND.get((obj.get("apiVersion", ""), obj.get("kind", "")))
        if res is None:
            raise KeyError(f"stand-in does not serve {obj.get('apiVersion')}/{obj.get('kind')}")
        obj = copy.deepcopy(obj)
        meta = obj.setdefault("metadata", {})
        if not meta.get("name"):
            raise ValueError("metadata.name is required")
        if res.namespaced:
            meta.setdefault("namespace", "default")
            if self.auto_namespaces and res.kind != "Namespace":
                self._ensure_namespace(meta["namespace"])
        else:
            meta.pop("namespace", None)
        meta.setdefault("uid", str(uuid.uuid4()))
        meta.setdefault("creationTimestamp", self.now())
        if res.kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job"):
            meta.setdefault("generation", 1)
        self.store_object(res.key, obj)
        return copy.deepcopy(obj)

    def add_all(self, objs: Iterable[Obj]) -> None:
        for obj in objs:
            self.add(obj)

    def _ensure_namespace(self, ns: str) -> None:
        if self.lookup("namespaces", None, ns) is None:
            self.add(
                {
                    "apiVersion": "v1",
                    "kind": "Namespace",
                    "metadata": {"name": ns, "labels": {"kubernetes.io/metadata.name": ns}},
                    "spec": {"finalizers": ["kubernetes"]},
                    "status": {"phase": "Active"},
                }
            )

    def get_object(self, kind: str, namespace: str | None, name: str) -> Obj | None:
        """A deep copy of a stored object (kind as "Pod", "pods" or "deployments.apps")."""
        res = resource_for(kind)
        obj = self.lookup(res.key, namespace if res.namespaced else None, name)
        return copy.deepcopy(obj) if obj is not None else None

    def objects(self, kind: str, namespace: str | None = None) -> list[Obj]:
        """Deep copies of all stored objects of a kind (optionally one namespace)."""
        res = resource_for(kind)
        with self.lock:
            return [copy.deepcopy(o) for _, o in self.snapshot(res.key, namespace)]

    def remove(self, kind: str, namespace: str | None, name: str) -> bool:
        res = resource_for(kind)
        return self.remove_object(res.key, namespace if res.namespaced else None, name)

    def set_log(
        self, namespace: str, pod: str, container: str, text: str, previous: bool = False
    ) -> None:
        """Set the current (or previous-instance) log of a container."""
        self.logs[(namespace, pod, container, previous)] = text

    # internal helpers used by the route handlers (all hold ``lock``)
    def lookup(self, key: str, namespace: str | None, name: str) -> Obj | None:
        with self.lock:
            return self._store.get(key, {}).get((namespace or "", name))

    def snapshot(self, key: str, namespace: str | None) -> list[tuple[tuple[str, str], Obj]]:
        with self.lock:
            items = self._store.get(key, {})
            return sorted(
                ((k, v) for k, v in items.items() if namespace is None or k[0] == namespace),
                key=lambda kv: kv[0],
            )

    def store_object(self, key: str, obj: Obj) -> None:
        with self.lock:
            self.resource_version += 1
            meta = obj.setdefault("metadata", {})
            meta["resourceVersion"] = str(self.resource_version)
            objects = self._store.setdefault(key, {})
            where = (meta.get("namespace") or "", meta["name"])
            kind = "MODIFIED" if where in objects else "ADDED"
            objects[where] = obj
            self.watches.record(change_of(key, obj, kind, self.resource_version))

    def remove_object(self, key: str, namespace: str | None, name: str) -> bool:
        with self.lock:
            gone = self._store.get(key, {}).pop((namespace or "", name), None)
            if gone is not None:
                self.resource_version += 1
                gone = copy.deepcopy(gone)
                gone.setdefault("metadata", {})["resourceVersion"] = str(self.resource_version)
                self.watches.record(change_of(key, gone, "DELETED", self.resource_version))
            return gone is not None

    def compact(self) -> int:
        """Forget the change history (as etcd compaction does): watches from any version seen so
        far get 410 Gone. Returns the current resourceVersion."""
        with self.lock:
            self.watches.compact(self.resource_version)
            return self.resource_version

    def drop_watches(self) -> int:
        """Cut every open watch stream mid-way; how many were cut."""
        return self.watches.drop()

    def pvc_in_use(self, namespace: str, claim: str) -> bool:
        for _, pod in self.snapshot("pods", namespace):
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                continue
            for vol in (pod.get("spec") or {}).get("volumes") or []:
                if (vol.get("persistentVolumeClaim") or {}).get("claimName") == claim:
                    return True
        return False

    # ------------------------------------------------------------------ faults
    def fail(
        self,
        method: str,
        path_regex: str,
        status: int,
        times: int | None = None,
        *,
        message: str | None = None,
        retry_after: int = 1,
    ) -> Fault:
        """Answer matching requests with a real-shaped error Status (403 gets the RBAC
        message, 429/503 a Retry-After header). ``times=None`` means always."""
        f = Fault(method.upper(), re.compile(path_regex), status, times, message, retry_after)
        self._faults.append(f)
        return f

    def delay(self, path_regex: str, seconds: float, method: str = "*") -> Fault:
        """Add per-route latency (on top of ``latency``)."""
        f = Fault(method.upper(), re.compile(path_regex), seconds=seconds)
        self._delays.append(f)
        return f

    def hang(self, path_regex: str, method: str = "*") -> Fault:
        """Never answer matching requests until the server stops."""
        f = Fault(method.upper(), re.compile(path_regex))
        self._hangs.append(f)
        return f

    def clear_faults(self) -> None:
        self._faults.clear()
        self._delays.clear()
        self._hangs.clear()

    # ------------------------------------------------------------------ request log
    def writes(self) -> list[RecordedRequest]:
        """Recorded non-GET requests."""
        return [r for r in self.requests if r.method not in ("GET", "HEAD", "OPTIONS")]

    def requests_to(self, method: str, path_regex: str) -> list[RecordedRequest]:
        rx = re.compile(path_regex)
        return [r for r in self.requests if method.upper() in ("*", r.method) and rx.search(r.path)]

    # ------------------------------------------------------------------ HTTP
    def make_app(self) -> web.Application:
        """A fresh aiohttp application serving this store."""
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        return app

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")
        query = dict(request.query)
        rec = RecordedRequest(request.method, request.path, query, body, dict(request.headers))
        self.requests.append(rec)
        resp = await self._serve(request, rec)
        rec.status = resp.status
        return resp

    async def _delay(self, method: str, path: str) -> None:
        """Wait out the latency and matching delays, read again as time passes: a test that lowers a
        delay's `seconds` (or clears it) releases the requests already waiting on it."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        while True:
            wait = self.latency + sum(
                d.seconds for d in list(self._delays) if d.matches(method, path)
            )
            left = began + wait - loop.time()
            if left <= 0:
                return
            await asyncio.sleep(min(left, 0.05))

    async def _serve(self, request: web.Request, rec: RecordedRequest) -> web.StreamResponse:
        method, path, q = rec.method, rec.path, rec.query
        await self._delay(method, path)
        if any(h.matches(method, path) for h in list(self._hangs)):
            if self._stopping is not None:
                await self._stopping.wait()
            return status_response(503, "the server is shutting down", "ServiceUnavailable")
        target = parse_path(path)
        for f in list(self._faults):
            if f.matches(method, path):
                f.hits += 1
                if f.times is not None:
                    f.times -= 1
                return fault_response(
                    f.status,
                    target,
                    verb_for(method, target or Target(), q),
                    self.user,
                    f.message,
                    f.retry_after,
                )
        if self.token and rec.headers.get("Authorization") != f"Bearer {self.token}":
            return fault_response(401, target, "get", self.user)
        if path.rstrip("/") in ("/healthz", "/livez", "/readyz"):
            return web.Response(text="ok")
        if path.rstrip("/") == "/version":
            return json_response(VERSION_INFO)
        if path.rstrip("/") == SSAR_PATH and method == "POST":
            return review_response(self.rbac, rec.body)
        denied = self._denied(method, target, q)
        if denied is not None:
            return denied
        if target is None:
            if path.startswith("/api"):
                return status_response(
                    404, "the server could not find the requested resource", "NotFound", {}
                )
            return web.Response(status=404, text="404 page not found\n")
        if target.discovery:
            return discovery(target, request.host)
        if target.unknown_resource or target.resource is None:
            return status_response(
                404, "the server could not find the requested resource", "NotFound", {}
            )
        if target.resource.namespaced is False and target.namespace:
            return status_response(
                404, "the server could not find the requested resource", "NotFound", {}
            )
        if method == "GET" and q.get("watch") in ("true", "1") and target.name is None:
            return await serve_watch(self, request, target, q)
        return self._dispatch(method, target, q, rec.body, request.headers.get("Content-Type", ""))

    def _denied(self, method: str, target: Target | None, q: dict[str, str]) -> web.Response | None:
        """The RBAC 403 for a resource request the rule set does not allow, else None."""
        if self.rbac is None or target is None or target.discovery or target.resource is None:
            return None
        verb = verb_for(method, target, q)
        resource = target.resource.plural + (f"/{target.subresource}" if target.subresource else "")
        if self.rbac.allows(verb, target.resource.group, resource):
            return None
        return fault_response(403, target, verb, self.user)

    def _dispatch(
        self, method: str, t: Target, q: dict[str, str], body: Any, ctype: str
    ) -> web.Response:
        if method == "GET":
            if t.name is None:
                return routes.handle_list(self, t, q)
            if t.resource and t.resource.namespaced and t.namespace is None:
                return status_response(
                    404, "the server could not find the requested resource", "NotFound", {}
                )
            if t.subresource == "log":
                return routes.handle_log(self, t, q)
            return routes.handle_get(self, t)
        if t.name is not None and (t.resource and not t.resource.storage):
            if method in ("PATCH", "PUT") and t.subresource not in ("log", "eviction"):
                return routes.handle_write(self, t, method, q, body, ctype)
            if method == "DELETE" and t.subresource is None:
                return routes.handle_delete(self, t, q, body)
        return status_response(
            405,
            "the server does not allow this method on the requested resource",
            "MethodNotAllowed",
            {},
        )


# ---------------------------------------------------------------------- runners


@asynccontextmanager
async def running_kube_standin(
    standin: KubeStandIn, *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[str]:
    """Serve ``standin`` on the current event loop; yields the base URL."""
    runner = web.AppRunner(
        standin.make_app(), shutdown_timeout=1.0, handler_cancellation=True, access_log=None
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    addr = runner.addresses[0]
    url = f"http://{addr[0]}:{addr[1]}"
    standin._stopping = asyncio.Event()
    standin.url = url
    try:
        yield url
    finally:
        standin._stopping.set()
        await runner.cleanup()
        standin.url = None


class ThreadedServer(ThreadedHost):
    """Runs a stand-in on its own event loop thread (for sync tests and subprocess CLIs)."""

    def __init__(self, standin: KubeStandIn) -> None:
        super().__init__(lambda: running_kube_standin(standin), name="kube-standin")
        self.standin = standin


def start_in_thread(standin: KubeStandIn) -> ThreadedServer:
    """Start ``standin`` on a background thread; use ``.url`` and ``.stop()`` (or ``with``)."""
    return ThreadedServer(standin).start()


def write_kubeconfig(
    path: str | Path,
    contexts: dict[str, str],
    current: str | None = None,
    *,
    token: str = DEFAULT_TOKEN,
    namespace: str | None = None,
) -> Path:
    """Write a kubeconfig with one cluster/user/context per ``{context_name: url}``
    (bearer-token auth, plain http) loadable by ``kubernetes.config.load_kube_config``."""
    path = Path(path)
    cfg: Obj = {
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "clusters": [],
        "users": [],
        "contexts": [],
        "current-context": current or next(iter(contexts), ""),
    }
    for name, url in contexts.items():
        cfg["clusters"].append({"name": f"{name}-cluster", "cluster": {"server": url}})
        cfg["users"].append({"name": f"{name}-user", "user": {"token": token}})
        ctx: Obj = {"cluster": f"{name}-cluster", "user": f"{name}-user"}
        if namespace:
            ctx["namespace"] = namespace
        cfg["contexts"].append({"name": name, "context": ctx})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return path
