"""A proxy's own access lines tell that a path's route changed: its requests went to one Service
and were answered, and since go only to another, which fails them. Nothing of the route's
objects is shown; the proxy (frontend here) is the object, the old Service where the path
belongs. A split between two Services is no move."""

from __future__ import annotations

from bot.diagnosis.pod import Judge
from tests.standins import kube_objects as ko
from tests.suspects import shop as shops
from tests.suspects.ranked import suspects_of

CHECKOUT_IP, CART_IP = "10.96.77.5", "10.96.77.7"


def _line(status: int, upstream: str) -> str:
    return (
        f'[{ko.ago(30)}] "POST /api/orders HTTP/1.1" {status} - 31 26 5 3 "10.88.0.9" "{upstream}"'
    )


def _frontend_logging(*lines: str) -> shops.Shop:
    shop = shops.healthy()
    shop.one("Service", "checkout")["spec"]["clusterIP"] = CHECKOUT_IP
    shop.one("Service", "cart")["spec"]["clusterIP"] = CART_IP
    shop.logs[shop.pod("frontend")["metadata"]["name"]] = "\n".join(lines) + "\n"
    return shop


def test_a_path_moved_to_a_service_that_fails_it_names_the_proxys_route(judge: Judge) -> None:
    answered = [_line(201, f"{CHECKOUT_IP}:5050")] * 3
    failing = [_line(404, f"{CART_IP}:7070")] * 3
    suspects = suspects_of(
        _frontend_logging(*answered, *failing).snapshot(), (), judge=judge, symptom=""
    )
    first = suspects[0]
    assert (first.object, first.id) == ("service/frontend", "ingress-wrong-backend"), suspects
    assert "/api/orders" in first.fix and "checkout" in first.fix, first.fix


def test_a_split_between_two_services_is_no_move(judge: Judge) -> None:
    mixed = [
        _line(201, f"{CHECKOUT_IP}:5050"),
        _line(404, f"{CART_IP}:7070"),
        _line(201, f"{CHECKOUT_IP}:5050"),
        *[_line(404, f"{CART_IP}:7070")] * 3,
    ]
    suspects = suspects_of(_frontend_logging(*mixed).snapshot(), (), judge=judge, symptom="")
    assert not any(s.id == "ingress-wrong-backend" for s in suspects), suspects
