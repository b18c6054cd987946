"""Routes: an Ingress, HTTPRoute or VirtualService whose backend is missing, on a port its Service
does not serve, or a Service that answers the route's path 404.

Each row adds one route to the healthy test shop (frontend -> checkout -> cart, the Services
serving 80, 5050 and 7070) and says, written out here, what the walk must lead with. The
open-world rows take away what a check rests on (the Services listed in part, a route seen
only as a table row, a backend in another namespace): no medium or high route suspect is then
added, and the answer says what to run.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.checks.route_table import routed_to
from bot.diagnosis.suspects.focus import Start
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.snapshot import Snapshot
from bot.diagnosis.suspects.walk import walked
from tests.suspects import shop as shops

Obj = dict[str, Any]


def ingress(name: str, *paths: tuple[str, str, int | str]) -> Obj:
    def port(value: int | str) -> Obj:
        return {"number": value} if isinstance(value, int) else {"name": value}

    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": name, "namespace": "shop", "uid": f"uid-{name}"},
        "spec": {
            "rules": [
                {
                    "host": "shop.example.com",
                    "http": {
                        "paths": [
                            {
                                "path": path,
                                "pathType": "Prefix",
                                "backend": {"service": {"name": svc, "port": port(number)}},
                            }
                            for path, svc, number in paths
                        ]
                    },
                }
            ]
        },
    }


def http_route(name: str, service: str, port: int, namespace: str = "", **status: str) -> Obj:
    ref: Obj = {"name": service, "port": port, **({"namespace": namespace} if namespace else {})}
    route: Obj = {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {
            "parentRefs": [{"name": "public", "namespace": "gateways"}],
            "rules": [
                {
                    "matches": [{"path": {"type": "PathPrefix", "value": "/cart"}}],
                    "backendRefs": [ref],
                }
            ],
        },
    }
    if status:
        condition = {"type": "ResolvedRefs", "status": "False", **status}
        route["status"] = {"parents": [{"conditions": [condition]}]}
    return route


def virtual_service(name: str, host: str, port: int | None = None) -> Obj:
    destination: Obj = {"host": host, **({"port": {"number": port}} if port else {})}
    return {
        "apiVersion": "networking.istio.io/v1beta1",
        "kind": "VirtualService",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {"hosts": [name], "http": [{"route": [{"destination": destination}]}]},
    }


class Row(NamedTuple):
    routes: dict[str, list[Obj]]
    first: tuple[str, str, str] | None
    """(object, resource, id) the walk leads with; None: no route suspect at medium or high."""
    said: str
    """Words the first suspect's evidence (or, with no suspect, the notes) must hold."""


ROWS = {
    # the Service the Ingress names was renamed (checkout-v2 never existed): the Ingress is at fault
    "ingress backend renamed": Row(
        {"ingresses": [ingress("shop", ("/checkout", "checkout-v2", 5050))]},
        ("ingress/shop", "ingress/shop", "ingress-backend-service-not-found"),
        "no Service checkout-v2 in namespace shop",
    ),
    # checkout serves 5050; the Ingress sends to 8080, a port no Service port or target is
    "ingress port wrong": Row(
        {"ingresses": [ingress("shop", ("/checkout", "checkout", 8080))]},
        ("ingress/shop", "ingress/shop", "route-backend-port-mismatch"),
        "serves port 5050",
    ),
    # a named port the Service does not name
    "ingress port name wrong": Row(
        {"ingresses": [ingress("shop", ("/cart", "cart", "grpc"))]},
        ("ingress/shop", "ingress/shop", "route-backend-port-mismatch"),
        "not grpc",
    ),
    # a Gateway API route whose backendRef is gone, as the gateway's status says
    "httproute backend missing": Row(
        {
            "httproutes": [
                http_route(
                    "cart",
                    "cart-v2",
                    7070,
                    reason="BackendNotFound",
                    message="Failed to process route rule 0 backendRef 0: service shop/cart-v2 not found.",
                )
            ]
        },
        ("httproute/cart", "httproute/cart", "gateway-route-not-accepted"),
        "ResolvedRefs=False BackendNotFound",
    ),
    # an Istio route to a short host no Service has
    "virtualservice host missing": Row(
        {"virtualservices": [virtual_service("cart", "cart-canary", 7070)]},
        ("virtualservice/cart", "virtualservice/cart", "istio-virtualservice-host-not-found"),
        "no Service cart-canary",
    ),
    # the full name of the same Service, on a port it does not serve
    "virtualservice port wrong": Row(
        {"virtualservices": [virtual_service("cart", "cart.shop.svc.cluster.local", 9090)]},
        ("virtualservice/cart", "virtualservice/cart", "route-backend-port-mismatch"),
        "not 9090",
    ),
    # the VirtualService for cart sends all of cart's traffic to checkout: offered, never stated
    "virtualservice sends its host elsewhere": Row(
        {"virtualservices": [virtual_service("cart", "checkout", 5050)]},
        None,
        "",
    ),
    # every backend exists on a port it serves: no route suspect
    "healthy routes": Row(
        {
            "ingresses": [ingress("shop", ("/", "frontend", 80), ("/cart", "cart", 7070))],
            "httproutes": [http_route("cart", "cart", 7070)],
            "virtualservices": [virtual_service("cart", "cart", 7070)],
        },
        None,
        "",
    ),
    # open world: a backend in another namespace is not read here: asked, never named missing
    "backend in another namespace": Row(
        {"httproutes": [http_route("cart", "cart", 7070, namespace="payments")]},
        None,
        "Service payments/cart, which httproute/cart sends to in another namespace",
    ),
    # open world: an Ingress seen only as a `get ingress` row shows no backend
    "backends not shown": Row(
        {"ingresses": [{"metadata": {"name": "shop", "namespace": "shop"}, "spec": {}}]},
        None,
        "the backends of ingress/shop",
    ),
}


def test_a_route_naming_one_service_and_sending_to_another_is_offered_low(judge: Judge) -> None:
    # no access line shows what users got: the route's own words are all there is
    snapshot = shops.healthy().snapshot()
    snapshot.objects["virtualservices"] = [virtual_service("cart", "checkout", 5050)]
    suspects, _ = _walk(judge, snapshot, "")
    found = [s for s in suspects if s.id == "ingress-wrong-backend"]
    assert [(s.object, s.confidence) for s in found] == [("virtualservice/cart", "low")], suspects
    assert "its host cart names Service cart" in found[0].evidence[0]
    assert "it names Service cart and sends to another" in found[0].fix


def _walk(judge: Judge, snapshot: Snapshot, symptom: str = "") -> tuple[Any, tuple[str, ...]]:
    return walked(snapshot, (), judge=judge, symptom=symptom)


@pytest.mark.parametrize("name", ROWS)
def test_a_route_is_named_by_what_it_sends_to(name: str, judge: Judge) -> None:
    row = ROWS[name]
    snapshot = shops.healthy().snapshot()
    snapshot.objects.update(row.routes)
    suspects, notes = _walk(judge, snapshot, "the shop answers 503")
    if row.first is None:
        assert not [s for s in suspects if s.confidence in ("high", "medium")], suspects
        assert row.said in "\n".join(notes), notes
        return
    first = suspects[0]
    assert (first.object, first.resource, first.id) == row.first, [
        (s.object, s.id, s.score) for s in suspects
    ]
    assert first.confidence in ("high", "medium")
    assert row.said in "\n".join(first.evidence), first.evidence
    route = row.first[1]
    assert f"kubectl edit {route} -n shop" in first.fix


def test_diagnose_service_names_the_route_renamed_away_from_it(judge: Judge) -> None:
    # the users of checkout reach it through the Ingress; renamed to checkout-v2, it sends them
    # nowhere, while checkout itself and what it calls are healthy: the route is on its chain
    snapshot = shops.healthy().snapshot()
    snapshot.objects["ingresses"] = [ingress("shop", ("/checkout", "checkout-v2", 5050))]
    suspects, _ = walked(
        snapshot,
        (),
        judge=judge,
        symptom="the shop answers 503",
        start=Start("service", "checkout"),
    )
    assert [(s.object, s.id) for s in suspects[:1]] == [
        ("ingress/shop", "ingress-backend-service-not-found")
    ], suspects
    assert "Service checkout exists (renamed?)" in suspects[0].evidence[0]


def test_services_listed_in_part_name_no_backend_missing(judge: Judge) -> None:
    # open world: `kubectl get svc | grep checkout` shows one Service; checkout-v2 may exist
    snapshot = shops.healthy().snapshot()
    snapshot.objects["ingresses"] = [ingress("shop", ("/checkout", "checkout-v2", 5050))]
    snapshot.partial.add("services")
    suspects, notes = _walk(judge, snapshot)
    assert not [s for s in suspects if s.id == "ingress-backend-service-not-found"], suspects
    assert any("whether Service checkout-v2" in note for note in notes), notes


GATEWAY_LOG = """\
2026/01/02 11:59:50 10.0.0.9 - - "GET /cart/items HTTP/1.1" 200 512 "-" "load/1.0" upstream=cart:7070
2026/01/02 11:59:52 10.0.0.9 - - "GET /checkout/start HTTP/1.1" {status} 19 "-" "load/1.0" upstream=cart:7070
2026/01/02 11:59:54 10.0.0.9 - - "GET /checkout/start HTTP/1.1" {status} 19 "-" "load/1.0" upstream=cart:7070
2026/01/02 11:59:56 10.0.0.9 - - "GET /checkout/start HTTP/1.1" {status} 19 "-" "load/1.0" upstream=cart:7070
"""
"""frontend as the shop's gateway: its access lines name the upstream each path went to."""


@pytest.mark.parametrize(
    ("status", "first"),
    [
        # /checkout sent to cart, which answers 404 every time: the route, on the gateway's Service
        (404, ("service/frontend", "ingress-wrong-backend")),
        # 200s: cart serves the path after all, nothing to say
        (200, None),
    ],
)
def test_a_path_answered_404_by_its_backend_is_sent_to_the_wrong_service(
    status: int, first: tuple[str, str] | None, judge: Judge
) -> None:
    shop = shops.healthy()
    shop.logs[shop.pod("frontend")["metadata"]["name"]] = GATEWAY_LOG.format(status=status)
    snapshot = shop.snapshot()
    snapshot.objects["ingresses"] = [
        ingress("shop", ("/cart", "cart", 7070), ("/checkout", "cart", 7070))
    ]
    suspects, _ = _walk(judge, snapshot, "GET /checkout/start: 404")
    found = [(s.object, s.id) for s in suspects if s.confidence in ("high", "medium")]
    assert found[:1] == ([first] if first else []), found
    if first:
        assert "the path /checkout names Service checkout" in suspects[0].evidence


def test_a_gateway_in_the_namespace_calls_its_routes_backends(judge: Judge) -> None:
    # frontend routes /cart to cart (its log shows it); cart's Service has no ready endpoint:
    # `diagnose service frontend` walks down to cart
    shop = shops.healthy()
    shop.logs[shop.pod("frontend")["metadata"]["name"]] = (
        '10.0.0.9 - - "GET /cart/items HTTP/1.1" 503 0 "-" "load/1.0" upstream=cart:7070\n'
    )
    cart = shop.pod("cart")
    cart["status"]["containerStatuses"][0]["ready"] = False
    cart["status"]["conditions"] = [{"type": "Ready", "status": "False"}]
    shop.one("Endpoints", "cart").pop("subsets", None)
    snapshot = shop.snapshot()
    snapshot.objects["ingresses"] = [ingress("shop", ("/cart", "cart", 7070))]
    suspects, _ = walked(snapshot, (), judge=judge, symptom="", start=Start("service", "frontend"))
    assert suspects and suspects[0].object == "service/cart", [(s.object, s.id) for s in suspects]


def test_a_backend_answering_the_route_is_not_its_controller(judge: Judge) -> None:
    # the Ingress sends / to frontend and /cart to cart on 8080 (cart serves 7070); the
    # controller runs outside the namespace; frontend's access lines name cart, but frontend
    # is behind the route's own Service: the wrong port is the Ingress's, not frontend's
    shop = shops.healthy()
    shop.logs[shop.pod("frontend")["metadata"]["name"]] = (
        '10.0.0.9 - - "GET /cart/items HTTP/1.1" 503 0 "-" "load/1.0" upstream=cart:8080\n'
    )
    snapshot = shop.snapshot()
    snapshot.objects["ingresses"] = [
        ingress("shop", ("/", "frontend", 80), ("/cart", "cart", 8080))
    ]
    suspects, _ = _walk(judge, snapshot, "the shop answers 503")
    found = [(s.object, s.id) for s in suspects if s.id == "route-backend-port-mismatch"]
    assert found == [("ingress/shop", "route-backend-port-mismatch")], found
    assert "kubectl edit ingress/shop -n shop" in suspects[0].fix


def test_a_symptom_url_names_the_service_its_route_sends_it_to() -> None:
    # "GET http://shop.example.com/checkout: 503" is about checkout: the Ingress's longest
    # prefix for that host and path, so checkout's chain is what the symptom names
    snapshot = shops.healthy().snapshot()
    snapshot.objects["ingresses"] = [
        ingress("shop", ("/", "frontend", 80), ("/checkout", "checkout", 5050))
    ]
    graph = Graph(snapshot)
    assert routed_to(graph, "POST http://shop.example.com/checkout/pay: 503") == {"checkout"}
    assert routed_to(graph, "GET https://shop.example.com/: 502 Bad Gateway") == {"frontend"}
    assert routed_to(graph, "GET http://blog.example.com/checkout: 503") == frozenset()
    assert routed_to(graph, "the shop answers 503") == frozenset()
