"""Stand-in scenarios regenerated from objects captured on a real node (tests/standins/captured/).

`python -m tests.realnode.capture` writes one YAML file per failure: the pods,
events, owners, claims, Services, quotas and the node exactly as a real kubelet,
scheduler and controllers left them, and every container's logs. `load(si, name)`
puts them into a KubeStandIn with every timestamp moved by the same amount, so the
newest is as old as it was when captured (a back-off is recent, an event an hour old
stays an hour old).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .kube_scenarios import Scenario

if TYPE_CHECKING:
    from .kube_api import KubeStandIn

CAPTURED = Path(__file__).parent / "captured"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def names() -> list[str]:
    return sorted(path.stem for path in CAPTURED.glob("*.yaml"))


@cache
def document(name: str) -> dict[str, Any]:
    """The captured file, parsed once (callers get copies through `load`)."""
    loaded: dict[str, Any] = yaml.safe_load((CAPTURED / f"{name}.yaml").read_text())
    return loaded


def _parse(text: str) -> datetime:
    return datetime.strptime(text.split(".")[0].rstrip("Z") + "Z", FORMAT).replace(tzinfo=UTC)


def shifted(value: Any, by: Any) -> Any:
    """`value` with every RFC 3339 timestamp in it moved by the timedelta `by`."""
    if isinstance(value, dict):
        return {k: shifted(v, by) for k, v in value.items()}
    if isinstance(value, list):
        return [shifted(v, by) for v in value]
    if isinstance(value, str) and TIMESTAMP.match(value):
        return (_parse(value) + by).strftime(FORMAT)
    return value


def objects(name: str, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """The captured objects, timestamps moved so that capture time is `now`."""
    doc = document(name)
    by = (now or datetime.now(UTC)) - _parse(doc["captured_at"])
    found: list[dict[str, Any]] = shifted(doc["objects"], by)
    return found


def load(si: KubeStandIn, name: str) -> Scenario:
    """Add the captured scenario `name` to the stand-in; the Scenario names its subject."""
    doc = document(name)
    for obj in objects(name):
        if obj["kind"] == "Node" and si.get_object("Node", None, obj["metadata"]["name"]):
            continue  # one node per cluster, whichever scenario loaded it first
        si.add(obj)
    subject = doc["subject"]
    namespace = subject.get("namespace", "default")
    for log in doc.get("logs", []):
        si.set_log(namespace, log["pod"], log["container"], log["text"], previous=log["previous"])
    return Scenario(
        f"real_{name}",
        namespace,
        subject.get("name") if subject["kind"] == "pod" else None,
        subject["kind"],
    )


def loader(name: str) -> Any:
    def load_one(si: KubeStandIn, **_: Any) -> Scenario:
        return load(si, name)

    load_one.__name__ = f"real_{name.replace('-', '_')}"
    return load_one


SCENARIOS: dict[str, Any] = {f"real_{name.replace('-', '_')}": loader(name) for name in names()}
"""Every captured scenario as a stand-in scenario function (like kube_scenarios.SCENARIOS)."""
