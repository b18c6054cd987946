"""Latency alerts under any name a team gives them: the deepest slow Service on the call chain.

The shop calls frontend -> checkout -> cart (their env names the next). Each row fires some
alerts, named and labelled as different teams do, and says, written out here, which Service the
walk must lead with. A slowdown is said at medium at most (the alert measures it; the cause is
inferred). Bad input (an alert about a Service the namespace does not have, calls that go round
in a cycle) gets one line, never a guess; no alert at all gets "this needs metrics".
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.walk import walked
from tests.suspects import shop as shops


def alert(name: str, summary: str = "", **labels: str) -> dict[str, Any]:
    return {
        "labels": {"alertname": name, "namespace": "shop", "severity": "warning", **labels},
        "annotations": {"summary": summary} if summary else {},
        "startsAt": "2026-01-02T11:55:00Z",
    }


class Row(NamedTuple):
    alerts: list[dict[str, Any]]
    first: str | None
    """The Service named first at medium (never high); None: no latency suspect at all."""
    said: str


ROWS = {
    # one rule per Service, the label `service`: every tier is slow, cart calls nothing slow
    "every tier slow": Row(
        [alert("HighRequestLatency", service=s) for s in ("frontend", "checkout", "cart")],
        "service/cart",
        "frontend -> checkout -> cart",
    ),
    # a team's own names: p99 on the app label, a SLO burn by the Istio destination label
    "team names": Row(
        [
            alert("FrontendP99Slow", app="frontend"),
            alert("SLOLatencyBudgetBurn", destination_service_name="checkout"),
        ],
        "service/checkout",
        "frontend -> checkout",
    ),
    # the summary says it where the name does not; a pod label names the Service's pod
    "said in the summary": Row(
        [alert("CheckoutAlert", "95th percentile response time above 2s", pod="POD")],
        "service/checkout",
        "95th percentile response time",
    ),
    # a scrape target's instance (the pod's IP and port), with the error rate of its caller
    "scrape instance": Row(
        [
            alert("RequestDurationP95High", instance="IP:5050"),
            alert("FrontendErrorRate", service="frontend"),
        ],
        "service/checkout",
        "frontend -> checkout",
    ),
    # an error-rate alert alone is no slowness to explain
    "errors only": Row([alert("HTTPErrorRateHigh", service="cart")], None, ""),
    # bad input: an alert about a Service the namespace does not have
    "unknown service": Row(
        [alert("HighRequestLatency", service="payments")],
        None,
        "not seen: Service payments, which alert HighRequestLatency names, in namespace shop",
    ),
}


@pytest.mark.parametrize("name", ROWS)
def test_the_deepest_slow_service_is_named(name: str, judge: Judge) -> None:
    row = ROWS[name]
    shop = shops.healthy()
    pod = shop.pod("checkout")["metadata"]["name"]
    ip = shop.pod("checkout")["status"]["podIP"]
    for each in row.alerts:
        if each["labels"].get("pod") == "POD":
            each["labels"]["pod"] = pod
        if each["labels"].get("instance", "").startswith("IP:"):
            each["labels"]["instance"] = each["labels"]["instance"].replace("IP", ip)
    snapshot = shop.snapshot()
    snapshot.alerts = row.alerts
    suspects, notes = walked(snapshot, (), judge=judge, symptom="frontend is slow")
    slow = [s for s in suspects if s.id == "network-degradation"]
    if row.first is None:
        assert not slow, slow
        assert row.said in "\n".join(notes), notes
        return
    first = suspects[0]
    assert (first.object, first.id) == (row.first, "network-degradation"), [
        (s.object, s.id, s.score) for s in suspects
    ]
    assert first.confidence == "medium"
    assert row.said in "\n".join(first.evidence), first.evidence


def test_calls_in_a_cycle_are_said_not_guessed(judge: Judge) -> None:
    # cart calls frontend back: all three slow, none deepest
    shop = shops.healthy()
    for spec in (
        shop.pod("cart")["spec"],
        shop.one("Deployment", "cart")["spec"]["template"]["spec"],
    ):
        spec["containers"][0]["env"] = [{"name": "FRONTEND_ADDR", "value": "frontend:80"}]
    snapshot = shop.snapshot()
    snapshot.alerts = [
        alert("HighRequestLatency", service=s) for s in ("frontend", "checkout", "cart")
    ]
    suspects, notes = walked(snapshot, (), judge=judge, symptom="frontend is slow")
    assert not [s for s in suspects if s.id == "network-degradation"], suspects
    assert any("call each other and all are slow" in note for note in notes), notes


def test_a_slow_symptom_without_metrics_gets_no_guess(judge: Judge) -> None:
    # open world: the alerts removed, nothing in the objects explains slowness
    suspects, notes = walked(
        shops.healthy().snapshot(), (), judge=judge, symptom="frontend p99 latency is 3s"
    )
    assert not [s for s in suspects if s.confidence in ("high", "medium")], suspects
    assert any(note.startswith("this needs metrics") for note in notes), notes


SPRING_TIMEOUT = (
    "2026-01-02 11:59:58.120 ERROR 1 --- [nio-8080-exec-3] c.s.f.FrontendController : "
    "org.springframework.web.client.ResourceAccessException: I/O error on GET request for "
    '"http://checkout:5050/api/v1/orders": Read timed out; nested exception is '
    "java.net.SocketTimeoutException: Read timed out\n"
)


@pytest.mark.parametrize("logged", [True, False])
def test_a_java_callers_timeouts_are_its_calls(logged: bool, judge: Judge) -> None:
    # no env names who calls whom (a Spring app's URLs are in its jar): frontend's own log,
    # naming checkout in its timeouts, is the edge; without it, which is deepest is asked
    shop = shops.healthy()
    for name in ("frontend", "checkout"):
        for spec in (
            shop.pod(name)["spec"],
            shop.one("Deployment", name)["spec"]["template"]["spec"],
        ):
            spec["containers"][0].pop("env", None)
    if logged:
        shop.logs[shop.pod("frontend")["metadata"]["name"]] = SPRING_TIMEOUT
    snapshot = shop.snapshot()
    snapshot.alerts = [alert("ServiceLatencyHigh", service=s) for s in ("frontend", "checkout")]
    suspects, notes = walked(snapshot, (), judge=judge, symptom="frontend is slow")
    if logged:
        assert (suspects[0].object, suspects[0].id) == ("service/checkout", "network-degradation")
        assert "frontend -> checkout" in "\n".join(suspects[0].evidence)
    else:
        assert any("who calls whom among checkout, frontend" in note for note in notes), notes
