"""An HPA that cannot read its metrics: named on the workload it should scale, from its own status,
its events, or a utilization target on a resource the containers do not request.

Each row gives the HPA of checkout what a cluster would show and says, written out here, what
the walk must lead with. An HPA whose status says it scales again is history whatever its old
events say, and requests the input did not show are not read as absent.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.walk import walked
from tests.standins import kube_cluster as kc
from tests.suspects import shop as shops

MISSING_REQUEST = (
    "the HPA was unable to compute the replica count: failed to get cpu utilization: "
    "missing request for cpu in container checkout of Pod checkout-1"
)
NO_METRICS_API = (
    "failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch "
    "metrics from resource metrics API: the server could not find the requested resource "
    "(get pods.metrics.k8s.io)"
)


def hpa(*conditions: tuple[str, str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "checkout", "namespace": "shop", "uid": "uid-hpa"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "checkout"},
            "minReplicas": 1,
            "maxReplicas": 5,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 60},
                    },
                }
            ],
        },
        "status": {
            "conditions": [
                {"type": kind, "status": status, "reason": reason, "message": MISSING_REQUEST}
                for kind, status, reason in conditions
            ]
        },
    }


class Row(NamedTuple):
    conditions: tuple[tuple[str, str, str], ...]
    event: str
    requests: dict[str, str] | None
    """The checkout container's requests (None: its resources not shown)."""
    first: tuple[str, str, str] | None
    said: str = ""


ROWS = {
    # its status says it cannot read cpu utilization
    "condition": Row(
        (("ScalingActive", "False", "FailedGetResourceMetric"),),
        "",
        {"cpu": "100m"},
        ("service/checkout", "horizontalpodautoscaler/checkout", "hpa-missing-metrics"),
        "ScalingActive=False FailedGetResourceMetric",
    ),
    # no status shown, the controller's Warning event says the metrics API is absent
    "event": Row(
        (),
        NO_METRICS_API,
        {"cpu": "100m"},
        ("service/checkout", "horizontalpodautoscaler/checkout", "hpa-missing-metrics"),
        "resource metrics API",
    ),
    # no status, no event: the objects show a cpu target and no cpu request
    "no request": Row(
        (),
        "",
        {"memory": "64Mi"},
        ("service/checkout", "horizontalpodautoscaler/checkout", "hpa-missing-metrics"),
        "container checkout requests no cpu",
    ),
    # history: it scales again now; the old event is over
    "scaling again": Row(
        (("ScalingActive", "True", "ValidMetricFound"),), NO_METRICS_API, {"cpu": "100m"}, None
    ),
    # open world: the containers' resources were not shown, so no request is read as absent
    "requests not shown": Row((), "", None, None),
}


@pytest.mark.parametrize("name", ROWS)
def test_an_hpa_without_metrics_is_named_on_its_workload(name: str, judge: Judge) -> None:
    row = ROWS[name]
    shop = shops.healthy()
    autoscaler = hpa(*row.conditions)
    if row.event:
        shop.objects.append(
            kc.event(
                involved=autoscaler,
                reason="FailedGetResourceMetric",
                message=row.event,
                namespace="shop",
            )
        )
    for spec in (
        shop.pod("checkout")["spec"],
        shop.one("Deployment", "checkout")["spec"]["template"]["spec"],
    ):
        container = spec["containers"][0]
        container.pop("resources", None)
        if row.requests is not None:
            container["resources"] = {"requests": row.requests}
    snapshot = shop.snapshot()
    snapshot.objects["horizontalpodautoscalers"] = [autoscaler]
    suspects, _ = walked(snapshot, (), judge=judge, symptom="checkout is slow under load")
    if row.first is None:
        assert not [s for s in suspects if s.id == "hpa-missing-metrics"], suspects
        return
    first = suspects[0]
    assert (first.object, first.resource, first.id) == row.first, [
        (s.object, s.id) for s in suspects
    ]
    assert any(row.said in fact for fact in first.evidence), first.evidence
    assert "kubectl describe hpa checkout -n shop" in first.fix
