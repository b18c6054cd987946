"""A namespace's objects as the walk sees them: plain API objects, and workloads with their pods.

A workload is a controller and its pods (a bare pod is its own); its template, labels and
counts are read from the controller when the input shows it, else from its pods.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.cluster.reader import JsonObject

WORKLOAD_KINDS = {
    "deployments": "Deployment",
    "statefulsets": "StatefulSet",
    "daemonsets": "DaemonSet",
}
CONTROL_PLANE_ROLES = ("node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master")


def meta(obj: JsonObject) -> JsonObject:
    return obj.get("metadata") or {}


def name_of(obj: JsonObject) -> str:
    return str(meta(obj).get("name") or "")


def labels_of(obj: JsonObject) -> dict[str, str]:
    return {str(k): str(v) for k, v in (meta(obj).get("labels") or {}).items()}


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    """A non-empty equality selector matching the labels."""
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def service_selector(service: JsonObject) -> dict[str, str]:
    return {str(k): str(v) for k, v in ((service.get("spec") or {}).get("selector") or {}).items()}


@dataclass
class Workload:
    """A controller and its pods (a bare pod is its own workload)."""

    kind: str
    name: str
    obj: JsonObject = field(default_factory=dict)
    pods: list[JsonObject] = field(default_factory=list)
    services: list[JsonObject] = field(default_factory=list)

    @property
    def ref(self) -> str:
        """KIND/NAME as kubectl names it ("deployment/checkout")."""
        return f"{self.kind.lower()}/{self.name}"

    _read: tuple[int, JsonObject, list[JsonObject]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    """The template and its containers as last read, for the pods counted then (the checks ask
    for them often; a pod linked since reads them again)."""

    def _template(self) -> tuple[JsonObject, list[JsonObject]]:
        if self._read is None or self._read[0] != len(self.pods):
            template = (self.obj.get("spec") or {}).get("template") or {}
            if not (template.get("spec") or {}).get("containers"):
                newest = self.pods[-1] if self.pods else {}
                template = {"metadata": meta(newest), "spec": newest.get("spec") or {}}
            spec = template.get("spec") or {}
            containers = [c for c in spec.get("containers") or [] if isinstance(c, dict)]
            self._read = (len(self.pods), template, containers)
        return self._read[1], self._read[2]

    @property
    def template(self) -> JsonObject:
        """The pod template (metadata, spec); a pod's own when the controller's is not known."""
        return self._template()[0]

    @property
    def spec(self) -> JsonObject:
        spec: JsonObject = self.template.get("spec") or {}
        return spec

    @property
    def labels(self) -> dict[str, str]:
        labels = labels_of(self.template)
        return labels or (labels_of(self.pods[0]) if self.pods else {})

    @property
    def containers(self) -> list[JsonObject]:
        return list(self._template()[1])

    @property
    def wanted(self) -> int:
        """Replicas the controller wants (DaemonSet: nodes it should run on)."""
        spec, status = self.obj.get("spec") or {}, self.obj.get("status") or {}
        if self.kind == "DaemonSet":
            return int(status.get("desiredNumberScheduled") or len(self.pods))
        if self.kind == "Pod":
            return 1
        return int(spec.get("replicas", 1) if spec.get("replicas") is not None else 1)

    @property
    def ready(self) -> int:
        return sum(1 for pod in self.pods if pod_ready(pod))


def live(obj: JsonObject) -> bool:
    """Read from a cluster, not from a manifest: the API server stamps every object it stores
    (creationTimestamp, uid), and gives a Service its cluster IP (which `describe` shows even
    where it shows no creation time); a manifest from a file has neither."""
    cluster_ip = (obj.get("spec") or {}).get("clusterIP")
    return bool(
        meta(obj).get("creationTimestamp")
        or meta(obj).get("uid")
        or (cluster_ip and cluster_ip != "None")
    )


def pod_ready(pod: JsonObject) -> bool:
    status = pod.get("status") or {}
    if status.get("phase") != "Running":
        return False
    for condition in status.get("conditions") or []:
        if condition.get("type") == "Ready":
            return bool(condition.get("status") == "True")
    statuses = status.get("containerStatuses") or []
    return bool(statuses) and all(s.get("ready") for s in statuses)
