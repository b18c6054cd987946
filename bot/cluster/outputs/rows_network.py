"""`kubectl get` rows of the kinds around workloads: EndpointSlices, Ingresses,
NetworkPolicies, HorizontalPodAutoscalers, CronJobs, as far as their columns say."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.cluster.outputs.shapes import fraction, number, selector
from bot.cluster.outputs.table import none_if_unset
from bot.cluster.reader import JsonObject

Row = dict[str, str]
Base = Callable[[str, Row], JsonObject]


def _list(cell: str | None) -> list[str]:
    shown = (none_if_unset(cell) or "").split(" + ")[0]
    return [part.strip() for part in shown.split(",") if part.strip() and part.strip() != "<unset>"]


def endpoint_slice(base: Base, cells: Row) -> JsonObject:
    obj = base("endpointslices", cells)
    obj["addressType"] = cells.get("ADDRESSTYPE", "IPv4")
    obj["ports"] = [{"port": int(p)} for p in _list(cells.get("PORTS")) if p.isdigit()]
    obj["endpoints"] = [{"addresses": [ip]} for ip in _list(cells.get("ENDPOINTS"))]
    return obj


def ingress(base: Base, cells: Row) -> JsonObject:
    obj = base("ingresses", cells)
    spec: dict[str, Any] = {"rules": [{"host": h} for h in _list(cells.get("HOSTS")) if h != "*"]}
    if ingress_class := none_if_unset(cells.get("CLASS")):
        spec["ingressClassName"] = ingress_class
    obj["spec"] = spec
    if addresses := _list(cells.get("ADDRESS")):
        obj["status"] = {"loadBalancer": {"ingress": [{"ip": a} for a in addresses]}}
    return obj


def network_policy(base: Base, cells: Row) -> JsonObject:
    obj = base("networkpolicies", cells)
    chosen = selector(cells.get("POD-SELECTOR"))
    obj["spec"] = {"podSelector": chosen or {}}
    return obj


def autoscaler(base: Base, cells: Row) -> JsonObject:
    obj = base("horizontalpodautoscalers", cells)
    kind, _, name = (cells.get("REFERENCE") or "").partition("/")
    obj["spec"] = {
        "scaleTargetRef": {"kind": kind, "name": name},
        "minReplicas": number(cells.get("MINPODS")),
        "maxReplicas": number(cells.get("MAXPODS")),
    }
    obj["status"] = {"currentReplicas": number(cells.get("REPLICAS"))}
    return obj


def cron_job(base: Base, cells: Row) -> JsonObject:
    obj = base("cronjobs", cells)
    obj["spec"] = {
        "schedule": cells.get("SCHEDULE"),
        "suspend": (cells.get("SUSPEND") or "").lower() == "true",
    }
    if (active := number(cells.get("ACTIVE"))) is not None:
        obj["status"] = {"active": [{}] * active}
    return obj


def job_status(obj: JsonObject, cells: Row) -> None:
    """The newer jobs table's STATUS (Complete, Failed, Running, Suspended) as a condition."""
    status = cells.get("STATUS", "")
    if status in ("Complete", "Failed", "Suspended"):
        obj.setdefault("status", {})["conditions"] = [{"type": status, "status": "True"}]
    done = fraction(cells.get("COMPLETIONS", ""))
    if done is not None and status == "Failed":
        obj["status"]["failed"] = 1


ROWS: dict[str, Callable[[Base, Row], JsonObject]] = {
    "endpointslices": endpoint_slice,
    "ingresses": ingress,
    "networkpolicies": network_policy,
    "horizontalpodautoscalers": autoscaler,
    "cronjobs": cron_job,
}
