"""An app family's run on the real node: bring it up, then make and undo each fault in turn.

One namespace for the whole run. `start` applies the healthy app (and the cluster objects and
other namespaces it needs) and waits until it serves its users; `make(fault)` changes what the
fault changes and waits until the failure shows; `undo` puts the healthy objects back as a
person would (replace the edited objects, delete the added ones, restart what still
crash-loops) and waits until the users are served again. The events each fault caused stay in
the namespace for the next. Used by the real-node tests (tests/realnode/test_upstream_culprits.py)
and the benchmark (bench/cascade.py), for the cascade app and the market app alike.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from tests.cascade.actions import Actions
from tests.cascade.alerts import fired
from tests.cascade.family import Family, Fault, objects
from tests.cascade.reading import Check, View, healthy, symptom
from tests.realnode.scenarios import statuses
from tests.realnode.shop import ready
from tests.realserver.api import KINDS, Api, ApiError, Obj, kind_of, path_of
from tests.waiting import PATIENCE


def has_token(account: str, namespace: str) -> Check:
    """The ServiceAccount has its token Secret (1.20's admission refuses pods until then)."""
    return lambda view: bool(
        (view.api.find("ServiceAccount", account, namespace) or {}).get("secrets")
    )


def tier_ready(tier: str) -> Check:
    return lambda view: any(ready(p) for p in view.pods(tier))


def probed(workload: Obj) -> bool:
    """A container of the workload has a readiness probe (its pod's Ready means serving)."""
    containers = workload["spec"]["template"]["spec"]["containers"]
    return any("readinessProbe" in c for c in containers)


WORKLOADS = ("Deployment", "DaemonSet", "Job", "CronJob")
"""Kinds whose pods need their namespace's ServiceAccounts first (created last)."""
CLUSTER_FIRST = ("Namespace", "CustomResourceDefinition")
"""Kinds created before the rest (what the rest lives in or is an instance of)."""

SETTLE = 8.0
"""Seconds after an undo before looking for pods that still crash-loop (a rollout starts)."""


class CascadeRun:
    """A family's app in its namespace on the node, and the fault made in it now (if any)."""

    def __init__(self, admin: Api, image: str, host_ip: str, family: Family) -> None:
        self.admin, self.image, self.family = admin, image, family
        self.namespace = family.namespace
        self.actions = Actions(admin, self.namespace, host_ip, family.delayed, family.label)
        self.healthy = {
            f"{o['kind']}/{o['metadata']['name']}": o for o in self.objects(family.manifests)
        }
        self.since: datetime | None = None
        """When the fault made now was made (what was logged before is the last one's)."""

    def objects(self, text: str) -> list[Obj]:
        return objects(text, self.image, self.namespace)

    def view(self, since: datetime | None = None) -> View:
        return View(self.admin, self.family, since)

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
        found = self.objects(self.family.manifests)
        self.apply_objects([o for o in found if o["kind"] not in WORKLOADS])
        self.create_workloads([o for o in found if o["kind"] in WORKLOADS])
        self.wait(healthy, "the app serving its users", since=datetime.now(UTC))

    def apply_objects(self, found: list[Obj]) -> None:
        """The namespaces and custom resource definitions first, then the rest, then wait
        for the ServiceAccounts' tokens (1.20's admission refuses pods until then)."""
        if not any(
            o["kind"] == "Namespace" and o["metadata"]["name"] == self.namespace for o in found
        ):
            own: Obj = {
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {"name": self.namespace},
            }
            found = [own, *found]
        early = [o for o in found if o["kind"] in CLUSTER_FIRST]
        for obj in early:
            self.admin.apply(obj)
        if any(o["kind"] == "CustomResourceDefinition" for o in early):
            self.wait(lambda v: self.established(early), "the custom resources established")
        for obj in [o for o in found if o not in early]:
            self.admin.apply(obj)
        namespaces = {self.namespace, *self.family.elsewhere.values()}
        for account in self.family.accounts:
            for namespace in namespaces:
                if self.admin.find("ServiceAccount", account, namespace) is not None:
                    self.wait(has_token(account, namespace), f"a token for {namespace}/{account}")

    def create_workloads(self, workloads: list[Obj]) -> None:
        """The family's `first` in order (each probed one waited ready: a Spring Boot app
        stops without its database), then the others."""
        first = self.family.first
        order = {name: i for i, name in enumerate(first)}
        for obj in sorted(workloads, key=lambda o: order.get(o["metadata"]["name"], len(first))):
            self.admin.create(obj)
            name = obj["metadata"]["name"]
            if name in first and probed(obj):
                self.wait(tier_ready(name), f"{name} ready")

    def established(self, objects: list[Obj]) -> bool:
        for obj in objects:
            if obj["kind"] != "CustomResourceDefinition":
                continue
            found = self.admin.get(obj["kind"], obj["metadata"]["name"])
            conditions = (found.get("status") or {}).get("conditions") or []
            if not any(c["type"] == "Established" and c["status"] == "True" for c in conditions):
                return False
        return True

    def delete(self) -> None:
        """Delete the namespaces and the cluster objects of the family, and wait until the
        namespaces are gone."""
        found = self.objects(self.family.manifests)
        gone = [self.namespace, *(o["metadata"]["name"] for o in found if o["kind"] == "Namespace")]
        for name in dict.fromkeys(gone):
            try:
                self.admin.request("DELETE", f"/api/v1/namespaces/{name}")
            except ApiError as exc:
                if exc.status != 404:
                    raise
        for obj in found:
            kind = kind_of(obj)
            if kind.namespaced or obj["kind"] == "Namespace":
                continue
            try:
                self.admin.request("DELETE", path_of(kind, None, obj["metadata"]["name"]))
            except ApiError as exc:
                if exc.status != 404:
                    raise
        cluster = [(o["kind"], o["metadata"]["name"]) for o in found if not kind_of(o).namespaced]
        self.wait(
            lambda v: (
                all(v.api.find(kind, name) is None for kind, name in cluster)
                and all(v.api.find("Namespace", name) is None for name in gone)
            ),
            "the old namespaces and cluster objects gone",
        )

    # ------------------------------------------------------------------ faults

    def make(self, fault: Fault) -> float:
        """Make the fault and wait until it shows; the seconds it took to show."""
        since = self.since = datetime.now(UTC)
        for text in fault.changed(self.family.manifests).values():
            [obj] = self.objects(text)
            self.replace(obj)
        for obj in self.objects(fault.added) if fault.added else []:
            self.admin.create(obj)
        for tier in fault.restart:
            self.restart(tier)
        if fault.action:
            if fault.action == "netpol":  # the policy's pods as they are now
                self.wait(lambda v: all(v.pods(t) for t in self.family.tiers), "every pod")
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
        view = self.view()
        for tier in self.family.tiers:  # what still crash-loops gets a new pod (the back-off
            # only grows); a family that keeps its restarts as history leaves the others be
            if any(self.crashing(pod, self.family.keep_restarts) for pod in view.pods(tier)):
                self.restart(tier)
        self.wait(healthy, f"the app serving again after {fault.name}", since=since)
        return time.monotonic() - started

    @staticmethod
    def crashing(pod: Obj, keep_restarts: bool = False) -> bool:
        return any(
            (s.get("state", {}).get("waiting") or {}).get("reason") in ("CrashLoopBackOff", "Error")
            or (s.get("restartCount", 0) > 0 and not keep_restarts)
            or (keep_restarts and not s.get("ready") and "running" not in s.get("state", {}))
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
            path_of(KINDS["Deployment"], self.family.namespace_of(tier), tier),
            body=patch,
            content_type="application/merge-patch+json",
        )

    def caller_pod(self, fault: Fault) -> str:
        """The pod `diagnose pod` is asked about, the fault's caller's: its name, or
        "namespace/name" when the caller runs outside the app's namespace."""
        found = self.view().pods(fault.caller)
        assert found, f"no pod of {fault.caller}"
        name, namespace = found[-1]["metadata"]["name"], self.family.namespace_of(fault.caller)
        return str(name) if namespace == self.namespace else f"{namespace}/{name}"

    def symptom(self, fault: Fault) -> tuple[str, list[Obj]]:
        """What the users see (the symptom Service's latency alert's summary for a latency
        fault, their own words for a fault no answer of theirs shows), and the alerts firing,
        from what was logged since the fault was made (the chronic ones too)."""
        view = self.view(self.since)
        alerts = fired(view) if fault.action == "delay" or self.family.chronic_alerts else []
        if self.family.chronic_alerts is not None:  # a team's Alertmanager lists all that fires
            alerts += self.family.chronic_alerts(view)
        if fault.symptom_text:
            return fault.symptom_text, alerts
        if fault.action != "delay":
            return symptom(view, fault.symptom_path), alerts
        slow = [a for a in alerts if a["labels"].get("service") == fault.symptom_service]
        return str(slow[0]["annotations"]["summary"]) if slow else "", alerts

    def give_back(self) -> None:
        """Whatever an interrupted fault changed outside the namespace (the cluster DNS)."""
        self.actions.undo("dns-down")
