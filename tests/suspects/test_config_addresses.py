"""Services named in the ConfigMaps a workload reads: the callers' config files are its calls.

End to end, the market app's recordings (tests/market/expected.py) rest on this: its services
find each other only through mounted `application.properties` and `settings.yaml` files.
"""

from __future__ import annotations

from bot.diagnosis.suspects.addresses import addresses_in_config, config_maps_read

PROPERTIES = """\
spring.datasource.url=jdbc:mysql://mysql.market.svc.cluster.local:3306/orders?useSSL=false
spring.data.redis.url=redis://redis:6379
payments.base-url=http://payments.market.svc:3000
audit.url=http://audit.other.svc.cluster.local:80
metrics.url=https://metrics.example.com/push
"""


def test_a_config_file_names_each_service_of_the_namespace_it_calls() -> None:
    found = [
        (host, port)
        for host, port, _ in addresses_in_config("app.properties", PROPERTIES, "market", False)
    ]
    assert found == [("mysql", 3306), ("redis", 6379), ("payments", 3000)]


def test_a_service_dns_name_without_a_scheme_is_an_address_too() -> None:
    text = "database:\n  host: db.market.svc.cluster.local:5432\n  peer: db.elsewhere.svc:5432\n"
    found = [
        (host, port)
        for host, port, _ in addresses_in_config("settings.yaml", text, "market", False)
    ]
    assert found == [("db", 5432)]


def test_an_env_from_key_is_read_as_the_env_variable_it_becomes() -> None:
    assert [h for h, _, _ in addresses_in_config("CART_ADDR", "cart:7070", "shop", True)] == [
        "cart"
    ]
    assert list(addresses_in_config("GREETING", "hello", "shop", True)) == []  # a bare word


def test_the_config_maps_a_pod_spec_reads_are_its_env_from_and_its_volumes() -> None:
    spec = {
        "containers": [
            {
                "name": "app",
                "envFrom": [{"configMapRef": {"name": "app-env"}}, {"secretRef": {"name": "s"}}],
            }
        ],
        "volumes": [
            {"name": "config", "configMap": {"name": "app-config"}},
            {"name": "tmp", "emptyDir": {}},
        ],
    }
    assert list(config_maps_read(spec)) == [("app-env", True), ("app-config", False)]
