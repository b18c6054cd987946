"""The cascade app's run on the real node: bring it up, then make and undo each fault in turn.

One namespace for the whole run. `start` applies the healthy app and waits until it serves its
users; `make(fault)` changes what the fault changes and waits until the failure shows; `undo`
puts the healthy objects back as a person would (replace the edited objects, delete the added
ones, restart what still crash-loops) and waits until the users are served again. The events
each fault caused stay in the namespace for the next. Used by the real-node tests
(tests/realnode/test_upstream_culprits.py) and the benchmark (bench/cascade.py).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from tests.cascade.actions import Actions
from tests.cascade.alerts import firing, tier_logs
from tests.cascade.app import APP, NAMESPACE, TIERS, objects
from tests.cascade.faults import Fault
from tests.cascade.reading import Check, View, healthy, symptom, tier_pods
from tests.realnode.scenarios import statuses
from tests.realnode.shop import ready
from tests.realserver.api import KINDS, Api, ApiError, Obj, path_of
from tests.waiting import PATIENCE


def has_token(account: str) -> Check:
    """The ServiceAccount has its token Secret (1.20's admission refuses pods until then)."""
    return lambda view: bool(
        (view.api.find("ServiceAccount", account, view.namespace) or {}).get("secrets")
    )


def tier_ready(tier: str) -> Check:
    return lambda view: any(ready(p) for p in tier_pods(view.api, view.namespace, tier))


SETTLE = 8.0
"""Seconds after an undo before looking for pods that still crash-loop (a rollout starts)."""


class CascadeRun:
    """The app in its namespace on the node, and the fault made in it now (if any)."""

    def __init__(self, admin: Api, image: str, host_ip: str, namespace: str = NAMESPACE) -> None:
        self.admin, self.image, self.namespace = admin, image, namespace
        self.actions = Actions(admin, namespace, host_ip)
        self.healthy = {f"{o['kind']}/{o['metadata']['name']}": o for o in self.objects(APP)}
        self.since: datetime | None = None
        """When the fault made now was made (what was logged before is the last one's)."""

    def objects(self, text: str) -> list[Obj]:
        return objects(text, self.image, self.namespace)

    def view(self, since: datetime | None = None) -> View:
        return View(self.admin, self.namespace, since)

    def wait(
        self, check: Check, what: str, timeout: float = PATIENCE, since: datetime | None = None
    ) -> float:
        """Poll `check` (reading what was logged from `since` on) until it holds; seconds it took."""
        started, view = time.monotonic(), self.view(since)
        while not check(view):
            if time.monotonic() - started > timeout:
                states = {
                    p["metadata"]["name"]: p.get("status", {}).get("phase")
                    for p in self.admin.list("Pod", self.namespace)["items"]
                }
                raise AssertionError(f"{what}: not after {timeout:.0f} s; pods: {states}")
            time.sleep(1.0)
        return time.monotonic() - started

    # ------------------------------------------------------------------ the app

    def start(self) -> None:
        """A fresh namespace with the healthy app, serving its users."""
        self.delete()
        self.admin.create(
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": self.namespace}}
        )
        found = self.objects(APP)
        for obj in [o for o in found if o["kind"] != "Deployment"]:
            self.admin.create(obj)
        for account in ("default", "web"):  # ServiceAccount admission needs their token first
            self.wait(has_token(account), f"a token for ServiceAccount {account}")
        deployments = [o for o in found if o["kind"] == "Deployment"]
        for obj in deployments:  # db first: billing, as Spring Boot does, stops without it
            self.admin.create(obj)
            if obj["metadata"]["name"] == "db":
                self.wait(tier_ready("db"), "db ready")
        self.wait(healthy, "the app serving its users", since=datetime.now(UTC))

    def delete(self) -> None:
        """Delete the namespace and wait until it is gone."""
        try:
            self.admin.request("DELETE", f"/api/v1/namespaces/{self.namespace}")
        except ApiError as exc:
            if exc.status != 404:
                raise
        self.wait(lambda v: v.api.find("Namespace", v.namespace) is None, "the old namespace gone")

    # ------------------------------------------------------------------ faults

    def make(self, fault: Fault) -> float:
        """Make the fault and wait until it shows; the seconds it took to show."""
        since = self.since = datetime.now(UTC)
        for text in fault.changed().values():
            [obj] = self.objects(text)
            self.replace(obj)
        for obj in self.objects(fault.added) if fault.added else []:
            self.admin.create(obj)
        for tier in fault.restart:
            self.restart(tier)
        if fault.action:
            if fault.action == "netpol":  # the policy's pods as they are now
                self.wait(
                    lambda v: all(tier_pods(v.api, v.namespace, t) for t in TIERS), "every pod"
                )
            self.actions.make(fault.action)
        return self.wait(fault.shows, f"{fault.name} showing", fault.timeout, since)

    def undo(self, fault: Fault) -> float:
        """Undo the fault as a person would and wait until the app serves again; seconds it took."""
        started, since = time.monotonic(), datetime.now(UTC)
        if fault.action:
            self.actions.undo(fault.action)
        for obj in self.objects(fault.added) if fault.added else []:
            kind, meta = obj["kind"], obj["metadata"]
            self.admin.request("DELETE", path_of(KINDS[kind], meta["namespace"], meta["name"]))
        for key in fault.edits:
            self.replace(self.healthy[key])
        for tier in fault.restart:
            self.restart(tier)
        time.sleep(SETTLE)
        for tier in TIERS:  # what still crash-loops gets a new pod (the back-off only grows)
            if any(self.crashing(pod) for pod in tier_pods(self.admin, self.namespace, tier)):
                self.restart(tier)
        self.wait(healthy, f"the app serving again after {fault.name}", since=since)
        return time.monotonic() - started

    @staticmethod
    def crashing(pod: Obj) -> bool:
        return any(
            (s.get("state", {}).get("waiting") or {}).get("reason") in ("CrashLoopBackOff", "Error")
            or s.get("restartCount", 0) > 0
            for s in statuses(pod)
        )

    def replace(self, obj: Obj) -> None:
        """Replace the object with `obj` (a Service keeps its ClusterIP)."""
        kind, meta = obj["kind"], obj["metadata"]
        path = path_of(KINDS[kind], meta["namespace"], meta["name"])
        current = self.admin.request("GET", path)
        body = {
            **obj,
            "metadata": {**meta, "resourceVersion": current["metadata"]["resourceVersion"]},
        }
        if kind == "Service":
            body["spec"] = {**obj["spec"], "clusterIP": current["spec"]["clusterIP"]}
        self.admin.request("PUT", path, body=body)

    def restart(self, tier: str) -> None:
        """`kubectl rollout restart deployment/TIER`."""
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        patch = {
            "spec": {
                "template": {
                    "metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": now}}
                }
            }
        }
        self.admin.request(
            "PATCH",
            path_of(KINDS["Deployment"], self.namespace, tier),
            body=patch,
            content_type="application/merge-patch+json",
        )

    def caller_pod(self, fault: Fault) -> str:
        """The name of the pod `diagnose pod` is asked about: the fault's caller's."""
        found = tier_pods(self.admin, self.namespace, fault.caller)
        assert found, f"no pod of {fault.caller}"
        return str(found[-1]["metadata"]["name"])

    def symptom(self, fault: Fault) -> tuple[str, list[Obj]]:
        """What the users see (the web alert's summary for a latency fault), and the alerts
        firing, from what was logged since the fault was made."""
        view = self.view(self.since)
        if fault.action != "delay":
            return symptom(view), []
        alerts = firing(tier_logs(view), self.namespace)
        web = [a for a in alerts if a["labels"]["service"] == fault.symptom_service]
        return str(web[0]["annotations"]["summary"]) if web else "", alerts

    def give_back(self) -> None:
        """Whatever an interrupted fault changed outside the namespace (the cluster DNS)."""
        self.actions.undo("dns-down")
