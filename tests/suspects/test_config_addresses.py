"""Services named in the ConfigMaps a workload reads: the callers' config files are its calls.

End to end, the market app's recordings (tests/market/expected.py) rest on this: its services
find each other only through mounted `application.properties` and `settings.yaml` files.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.addresses import (
    config_maps_read,
    configured_address,
    flag_values,
    settings,
)
from bot.diagnosis.suspects.walk import walked
from tests.standins import kube_objects as ko
from tests.suspects import shop as shops
from tests.suspects.pod_faults import unready

PROPERTIES = """\
spring.datasource.url=jdbc:mysql://mysql.market.svc.cluster.local:3306/orders?useSSL=false
spring.data.redis.url=redis://redis:6379
payments.base-url=http://payments.market.svc:3000
audit.url=http://audit.other.svc.cluster.local:80
metrics.url=https://metrics.example.com/push
"""
SPEC: dict[str, Any] = {
    "containers": [
        {
            "name": "app",
            "env": [{"name": "CART_ADDR", "value": "cart:7070"}],
            "envFrom": [{"configMapRef": {"name": "app-env"}}, {"secretRef": {"name": "s"}}],
        }
    ],
    "volumes": [
        {"name": "config", "configMap": {"name": "app-config"}},
        {"name": "tmp", "emptyDir": {}},
    ],
}
MAPS = {
    "app-env": {"data": {"GATEWAY_URL": "http://gateway", "GREETING": "hello"}},
    "app-config": {
        "data": {
            "application.properties": PROPERTIES,
            "settings.yaml": "database:\n  host: db.market.svc.cluster.local\n",
            "queue.yaml": "broker:\n  host: rabbit\n  port: 5673\nserver:\n  port: 8080\n",
        }
    },
}


def _called(config_maps: dict[str, Any]) -> list[tuple[str, int | None]]:
    found = []
    for name, value, *_ in settings(SPEC, SPEC["containers"], config_maps):
        address = configured_address(name, value, "market")
        if address is not None:
            found.append(address)
    return found


def test_env_env_from_and_config_files_name_the_services_of_the_namespace_it_calls() -> None:
    assert _called(MAPS) == [
        ("cart", 7070),
        ("gateway", None),
        ("mysql", 3306),
        ("redis", 6379),
        ("payments", 3000),
        ("db", None),
        ("rabbit", 5673),  # a host key and the port key of its own block
    ]


def test_a_host_and_its_sibling_port_are_one_address() -> None:
    spec = {
        "containers": [
            {
                "name": "app",
                "env": [
                    {"name": "DB_HOST", "value": "db"},
                    {"name": "DB_PORT", "value": "5433"},
                    {"name": "CACHE_HOST", "value": "cache"},
                ],
            }
        ]
    }
    said = [(s.value, s.port_key) for s in settings(spec, spec["containers"], {})]
    assert said == [("db:5433", "DB_PORT"), ("5433", ""), ("cache", "")]


def test_config_maps_not_shown_add_nothing() -> None:
    assert _called({}) == [("cart", 7070)]


def test_the_config_maps_a_pod_spec_reads_are_its_env_from_and_its_volumes() -> None:
    assert list(config_maps_read(SPEC)) == [("app-env", True), ("app-config", False)]


def _checkout_reads_its_cart_address_from(properties: str) -> list[Any]:
    """checkout takes the cart's address from a mounted config file, not its env; its pod
    crash-loops with a driver's words that name no host (a Java client's)."""
    shop = shops.healthy()
    pod = unready(shop, "checkout", ko.crashloop_status(name="checkout", restarts=4))
    shop.logs[pod["metadata"]["name"]] = (
        "Caused by: java.net.SocketTimeoutException: Connect timed out\n"
        "Caused by: java.net.ConnectException: Connection refused\n"
    )
    for spec in (pod["spec"], shop.one("Deployment", "checkout")["spec"]["template"]["spec"]):
        spec["containers"][0].pop("env", None)
        spec["volumes"] = [{"name": "config", "configMap": {"name": "checkout-config"}}]
    snapshot = shop.snapshot()
    snapshot.config_maps = {
        "checkout-config": {"data": {"application.properties": properties}},
    }
    return [snapshot]


@pytest.mark.parametrize(
    ("properties", "first"),
    [
        # the file names cart on a port its Service does not serve: the file is the cause
        (
            "cart.url=http://cart.shop.svc.cluster.local:7071/api\n",
            ("service/checkout", "configmap/checkout-config", "env-service-not-found"),
        ),
        # the file names cart as it serves: no setting to blame
        ("cart.url=http://cart.shop.svc.cluster.local:7070/api\n", None),
    ],
)
def test_a_mounted_config_file_naming_a_port_nothing_serves_is_the_cause(
    properties: str, first: tuple[str, str, str] | None, judge: Judge
) -> None:
    [snapshot] = _checkout_reads_its_cart_address_from(properties)
    suspects, _notes = walked(snapshot, (), judge=judge, symptom="checkout fails")
    found = [s for s in suspects if s.id == "env-service-not-found"]
    if first is None:
        assert not found, found
        return
    top = suspects[0]
    assert (top.object, top.resource, top.id) == first, [(s.object, s.id) for s in suspects]
    assert "(http://cart.shop.svc.cluster.local:7070;" in top.fix  # the address as it should read
    assert "kubectl edit configmap checkout-config -n shop" in top.fix


def test_a_port_key_naming_a_port_the_host_does_not_serve_is_the_cause(judge: Judge) -> None:
    """checkout's env names cart by DB_HOST and its port by DB_PORT, one cart does not serve:
    the fix sets DB_PORT, to the port cart serves."""
    shop = shops.healthy()
    pod = unready(shop, "checkout", ko.crashloop_status(name="checkout", restarts=4))
    shop.logs[pod["metadata"]["name"]] = (
        "Caused by: java.net.SocketTimeoutException: Connect timed out\n"
    )
    for spec in (pod["spec"], shop.one("Deployment", "checkout")["spec"]["template"]["spec"]):
        spec["containers"][0]["env"] = [
            {"name": "DB_HOST", "value": "cart"},
            {"name": "DB_PORT", "value": "7071"},
        ]
    suspects, _notes = walked(shop.snapshot(), (), judge=judge, symptom="checkout fails")
    top = suspects[0]
    assert (top.object, top.id) == ("service/checkout", "env-service-not-found"), suspects
    assert "DB_PORT=7070" in top.fix, top.fix


def test_command_line_flags_name_the_services_a_container_calls() -> None:
    containers = [
        {
            "command": ["/app/server"],
            "args": ["--db-addr=postgres://db:5432/x", "-redis-addr", "redis:6379", "--port=8080"],
        }
    ]
    called = [configured_address(f, v, "shop") for f, v in flag_values(containers)]
    assert [c for c in called if c is not None] == [("db", 5432), ("redis", 6379)]
