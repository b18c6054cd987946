"""What a client states about a host it calls names that host, in whatever form the client
writes it: a Service's name, its FQDN, its ClusterIP, a pod's IP, a JDBC URL; a database's
error that names no host is about the one database the client's settings name.

Each row is a log line of checkout (which calls cart) and the host and port it must be read
as; the expected host is written from the shop (cart's Service), not from the reader.
"""

from __future__ import annotations

import pytest

from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.statements import Statements
from tests.suspects import shop as shops

CART_IP = "10.96.77.7"


def _stated(line: str, env: list[dict[str, str]] | None = None) -> set[tuple[str, int | None]]:
    shop = shops.healthy()
    shop.one("Service", "cart")["spec"]["clusterIP"] = CART_IP
    checkout = shop.pod("checkout")
    if env is not None:
        for spec in (
            shop.one("Deployment", "checkout")["spec"]["template"]["spec"],
            checkout["spec"],
        ):
            spec["containers"][0]["env"] = env
    shop.logs[checkout["metadata"]["name"]] = f"2026-01-02T10:00:00Z starting\n{line}\n"
    said = Statements(Graph(shop.snapshot())).by_client.get("deployment/checkout", [])
    return {(s.host, s.port) for s in said}


@pytest.mark.parametrize(
    ("line", "host"),
    [
        # Go's net package, the Service's name
        ("dial tcp cart:7070: connect: connection refused", ("cart", 7070)),
        # the cluster-wide name of the Service
        ("dial tcp cart.shop.svc.cluster.local:7070: connect: connection refused", ("cart", 7070)),
        # the Service's ClusterIP, as Go prints a resolved address
        (f"dial tcp {CART_IP}:7070: connect: connection refused", ("cart", 7070)),
        # Netty prints the name and the address
        (f"Connection refused: cart/{CART_IP}:7070", ("cart", 7070)),
        # a name no Service has: said as written (the missing Service's or the caller's fault)
        ("dial tcp: lookup carts on 10.96.0.10:53: no such host", ("carts", None)),
        # a host in another namespace is not this namespace's
        ("dial tcp cart.other.svc.cluster.local:7070: connect: connection refused", None),
    ],
)
def test_a_host_is_read_in_the_form_the_client_writes_it(
    line: str, host: tuple[str, int | None] | None
) -> None:
    assert _stated(line) == ({host} if host else set())


DB_ERROR = "ERROR: cannot execute INSERT in a read-only transaction"
DRIVER_FAILED = (
    "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure The last "
    "packet sent successfully to the server was 0 milliseconds ago."
)


@pytest.mark.parametrize(
    ("env", "host"),
    [
        # a JDBC URL names the database
        ([{"name": "SPRING_DATASOURCE_URL", "value": "jdbc:mysql://cart:3306/orders"}], "cart"),
        # a host variable under a database's name
        ([{"name": "DB_HOST", "value": "cart"}, {"name": "DB_NAME", "value": "orders"}], "cart"),
        # an address on a database's port
        ([{"name": "STORE_ADDR", "value": "cart:5432"}], "cart"),
        # two databases named: which one said it is not known
        (
            [
                {"name": "DB_HOST", "value": "cart"},
                {"name": "REDIS_URL", "value": "redis://frontend:6379"},
            ],
            None,
        ),
        # an address that is no database's: the error is about no host the input shows
        ([{"name": "CART_ADDR", "value": "cart:7070"}], None),
    ],
)
@pytest.mark.parametrize("line", [DB_ERROR, DRIVER_FAILED])
def test_a_database_error_without_a_host_is_about_the_database_the_settings_name(
    env: list[dict[str, str]], host: str | None, line: str
) -> None:
    found = {h for h, _port in _stated(line, env)}
    assert found == ({host} if host else set())


@pytest.mark.parametrize(
    ("after", "stated"),
    [
        # the same call answered later: the refusal at start is history
        ("GET http://cart:7070/healthz ok", False),
        ("connected to cart.shop.svc.cluster.local:7070", False),
        # still trying, or failing otherwise: the host is still accused
        ("retrying cart:7070 in 5s", True),
        ("dial tcp cart:7070: i/o timeout", True),
        # a word that is the host's name but no address of it says nothing of the call
        ("added 3 items to the cart", True),
    ],
)
def test_a_later_line_of_the_same_call_judges_the_earlier_failure(after: str, stated: bool) -> None:
    refused = "dial tcp cart:7070: connect: connection refused"
    assert bool(_stated(f"{refused}\n2026-01-02T10:00:09Z {after}")) is stated


@pytest.mark.parametrize("config_shown", [False, True])
def test_settings_not_shown_leave_the_database_its_log_names_failing(config_shown: bool) -> None:
    # checkout's settings come from a ConfigMap; its log names the database it failed to reach
    # earlier, then states a database error naming no host: that database, unless the
    # ConfigMap is shown and names none (then the settings say it calls no database)
    shop = shops.healthy()
    port = shop.one("Service", "cart")["spec"]["ports"][0]
    port["port"] = 5432
    checkout = shop.pod("checkout")
    for spec in (shop.one("Deployment", "checkout")["spec"]["template"]["spec"], checkout["spec"]):
        spec["containers"][0].pop("env", None)
        spec["volumes"] = [{"name": "config", "configMap": {"name": "checkout-config"}}]
    shop.logs[checkout["metadata"]["name"]] = (
        f"2026-01-02T10:00:00Z dial tcp cart:5432: i/o timeout\n2026-01-02T10:00:05Z {DB_ERROR}\n"
    )
    snapshot = shop.snapshot()
    snapshot.config_maps = {"checkout-config": {"data": {}}} if config_shown else None
    said = Statements(Graph(snapshot)).by_client.get("deployment/checkout", [])
    kinds = {(s.host, s.cause.kind) for s in said}
    assert (("cart", "db-read-only") in kinds) is not config_shown, kinds
