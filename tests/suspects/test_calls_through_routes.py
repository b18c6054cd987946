"""A call through the cluster's front door is a call to the Service the route sends it to.

An app told to reach another through the Ingress controller's in-cluster name
(`http://ingress-nginx-controller.ingress-nginx.svc.cluster.local/api/checkout`) or through the
public host name calls what the namespace's routes send that URL to. Here frontend reaches
checkout only that way, and checkout crash loops: `diagnose service frontend` must walk down to
checkout. A URL no route of the namespace serves names no call (unknown, not a guess).
"""

from __future__ import annotations

import pytest

from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.focus import Start
from bot.diagnosis.suspects.snapshot import Snapshot
from bot.diagnosis.suspects.walk import walked
from tests.standins import kube_objects as ko
from tests.suspects import shop as shops
from tests.suspects.pod_faults import unready
from tests.suspects.test_routes import ingress

CONTROLLER = "http://ingress-nginx-controller.ingress-nginx.svc.cluster.local/api/checkout"


def _snapshot(url: str, *, host: str, failing_caller: bool = False) -> Snapshot:
    shop = shops.healthy()
    for spec in (
        shop.one("Deployment", "frontend")["spec"]["template"]["spec"],
        shop.pod("frontend")["spec"],
    ):
        spec["containers"][0]["env"] = [{"name": "CHECKOUT_URL", "value": url}]
    unready(shop, "checkout", ko.crashloop_status(name="checkout"))
    if failing_caller:
        unready(shop, "frontend", ko.crashloop_status(name="frontend"))
    route = ingress("api", ("/api/checkout", "checkout", 5050))
    route["spec"]["rules"][0]["host"] = host
    snapshot = shop.snapshot()
    snapshot.objects["ingresses"] = [route]
    return snapshot


@pytest.mark.parametrize(
    ("url", "host"),
    [
        (CONTROLLER, ""),  # the controller's in-cluster name reaches a host-less rule
        ("https://shop.example.com/api/checkout/v1", "shop.example.com"),  # the public host
    ],
    ids=["through the controller's Service", "through the public host"],
)
def test_diagnose_service_walks_through_the_route_to_the_callee(
    url: str, host: str, judge: Judge
) -> None:
    snapshot = _snapshot(url, host=host)
    suspects, _ = walked(snapshot, (), judge=judge, symptom="", start=Start("service", "frontend"))
    assert suspects and suspects[0].object == "service/checkout", [
        (s.object, s.id) for s in suspects
    ]
    assert not any("not on the chain" in why for why in suspects[0].why), suspects[0].why


def test_a_url_no_route_serves_names_no_call(judge: Judge) -> None:
    # the rule serves another host: frontend's URL reaches nothing the namespace routes
    snapshot = _snapshot(CONTROLLER, host="admin.example.com")
    suspects, _ = walked(snapshot, (), judge=judge, symptom="", start=Start("service", "frontend"))
    assert not any(
        s.object == "service/checkout" and "not on the chain" not in " ".join(s.why)
        for s in suspects
    ), [(s.object, s.id, s.why) for s in suspects]


def test_a_url_through_routes_not_shown_is_unknown_not_absent(judge: Judge) -> None:
    # the input shows no route (a text with no `get ingress`, or routes the reader may not
    # list): where frontend's public URL leads is not seen, so checkout stays on its chain as
    # perhaps below it, and the answer says what to read
    url = "https://shop.example.com/api/checkout/v1"
    snapshot = _snapshot(url, host="shop.example.com", failing_caller=True)
    del snapshot.objects["ingresses"]
    suspects, asks = walked(
        snapshot, (), judge=judge, symptom="", start=Start("service", "frontend")
    )
    [checkout] = [s for s in suspects if s.object == "service/checkout"]
    assert any("perhaps called by frontend" in why for why in checkout.why), checkout.why
    assert not any("not on the chain" in why for why in checkout.why), checkout.why
    assert any("kubectl get ingress" in ask for ask in asks), asks
