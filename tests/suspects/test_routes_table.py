"""A route controller's access lines name the routes it serves in other namespaces."""

from __future__ import annotations

from typing import Any

from bot.diagnosis.suspects.checks.route_table import routed_elsewhere


def ingress(namespace: str, host: str, service: str, port: int | str) -> dict[str, Any]:
    number = {"number": port} if isinstance(port, int) else {"name": port}
    backend = {"service": {"name": service, "port": number}}
    return {
        "metadata": {"name": "shop", "namespace": namespace},
        "spec": {"rules": [{"host": host, "http": {"paths": [{"path": "/", "backend": backend}]}}]},
    }


NGINX = (
    '10.88.0.64 - - [28/Nov/2026:14:45:21 +0000] "POST /checkout HTTP/1.1" 503 190 "-" '
    '"load/1.0" 89 0.000 [market-storefront-http] [] - 0 - - 5d78'
)


def test_the_namespace_a_controller_routes_to_and_what_its_users_saw() -> None:
    routes = [ingress("market", "shop.example", "storefront", "http")]
    assert routed_elsewhere([NGINX], routes, "ingress-nginx") == [
        ("market", "POST http://shop.example/checkout: 503")
    ]


def test_its_own_namespace_and_routes_its_lines_do_not_name_are_not_walked() -> None:
    routes = [ingress("market", "shop.example", "storefront", "http")]
    assert routed_elsewhere([NGINX], routes, "market") == []
    other = [ingress("billing", "pay.example", "invoices", 8080)]
    assert routed_elsewhere([NGINX, "GET / 200"], other, "ingress-nginx") == []
