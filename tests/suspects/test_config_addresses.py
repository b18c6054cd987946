"""Services named in the ConfigMaps a workload reads: the callers' config files are its calls.

End to end, the market app's recordings (tests/market/expected.py) rest on this: its services
find each other only through mounted `application.properties` and `settings.yaml` files.
"""

from __future__ import annotations

from typing import Any

from bot.diagnosis.suspects.addresses import config_maps_read, configured_address, settings

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
        }
    },
}


def _called(config_maps: dict[str, Any]) -> list[tuple[str, int | None]]:
    found = []
    for name, value, _ in settings(SPEC, SPEC["containers"], config_maps):
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
    ]


def test_config_maps_not_shown_add_nothing() -> None:
    assert _called({}) == [("cart", 7070)]


def test_the_config_maps_a_pod_spec_reads_are_its_env_from_and_its_volumes() -> None:
    assert list(config_maps_read(SPEC)) == [("app-env", True), ("app-config", False)]
