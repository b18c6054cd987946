"""A dependency is a suspect even when its own pods look healthy, and who is misconfigured
decides the culprit: many clients stating the same of one host blame the host; one client
stating it while the host's other clients say nothing blames that client's own setting.

The shop's cart is the database here (every pod Running and ready, its Service serving); the
rows say which clients call it as their database and what their logs state. The expected
first suspect is written from the fault made, not from the walk.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from bot.diagnosis.pod import Judge
from tests.standins import kube_objects as ko
from tests.suspects import shop as shops
from tests.suspects.ranked import suspects_of

READ_ONLY = "ERROR: cannot execute INSERT in a read-only transaction (SQLSTATE 25006)"
REJECTED = 'FATAL: password authentication failed for user "orders"'
REFUSED = "dial tcp cart:7070: connect: connection refused"
FORBIDDEN = (
    "requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: http://cart:7070/items"
)
LINK_FAILURE = (
    "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure The last "
    "packet sent successfully to the server was 0 milliseconds ago."
)


class Case(NamedTuple):
    calls: tuple[str, ...]
    """The workloads whose settings name cart as their database (DB_HOST=cart)."""
    logs: dict[str, str]
    """app -> the line its log ends with."""
    first: tuple[str, str] | None
    """(object, id) named first; None: nothing names cart."""


CASES = {
    # two clients say their database refuses writes: it was demoted, not both misconfigured
    "two clients: read-only": Case(
        ("frontend", "checkout"),
        {"frontend": READ_ONLY, "checkout": READ_ONLY},
        ("service/cart", "db-read-only-after-failover"),
    ),
    # one client says it, and the database logs the refused write itself
    "one client, the database says it too: read-only": Case(
        ("checkout",),
        {"checkout": READ_ONLY, "cart": "ERROR:  cannot execute INSERT in a read-only transaction"},
        ("service/cart", "db-read-only-after-failover"),
    ),
    # two clients' logins refused: the database's credentials changed
    "two clients: credentials rejected": Case(
        ("frontend", "checkout"),
        {"frontend": REJECTED, "checkout": REJECTED},
        ("service/cart", "db-credentials-rejected"),
    ),
    # one client's login refused while the other client of cart says nothing against it: the
    # client's own password is wrong, cart is no suspect of its own
    "one client of two: credentials rejected": Case(
        ("frontend", "checkout"),
        {"checkout": REJECTED},
        None,
    ),
    # two clients' calls answered 403 by cart: cart's key or access rules changed, not both
    # clients' tokens
    "two clients: their credentials rejected by a service (403)": Case(
        ("frontend", "checkout"),
        {"frontend": FORBIDDEN, "checkout": FORBIDDEN},
        ("service/cart", "dependency-auth-rejected"),
    ),
    # one client answered 403 while cart's other client says nothing against it: that client's
    # own token is wrong, cart is no suspect of its own
    "one client of two: its credentials rejected by a service (403)": Case(
        ("frontend", "checkout"),
        {"checkout": FORBIDDEN},
        None,
    ),
    # two clients refused by cart, whose pod runs and is ready: cart (the port it serves, what
    # lets traffic in), not both clients' addresses
    "two clients: refused by a host that looks healthy": Case(
        ("frontend", "checkout"),
        {"frontend": REFUSED, "checkout": REFUSED},
        ("service/cart", "dependency-unreachable"),
    ),
    # two Java clients' drivers cannot reach their database (naming no host: the one their
    # settings name), whose pod runs and is ready
    "two clients: a driver's link failure to a host that looks healthy": Case(
        ("frontend", "checkout"),
        {"frontend": LINK_FAILURE, "checkout": LINK_FAILURE},
        ("service/cart", "dependency-unreachable"),
    ),
    # one client refused while cart looks healthy: that client's own address, cart no suspect
    "one client: refused by a host that looks healthy": Case(
        ("frontend", "checkout"),
        {"checkout": REFUSED},
        None,
    ),
}


def _shop(case: Case) -> shops.Shop:
    shop = shops.healthy()
    for app in case.calls:
        for spec in (
            shop.one("Deployment", app)["spec"]["template"]["spec"],
            shop.pod(app)["spec"],
        ):
            spec["containers"][0]["env"] = [
                {"name": "DB_HOST", "value": "cart"},
                {"name": "DB_PORT", "value": "7070"},
            ]
    for app, line in case.logs.items():
        name = shop.pod(app)["metadata"]["name"]
        # logged while cart is ready (since an hour ago): the present, not its start-up
        shop.logs[name] = f"{ko.ago(120)} started\n{ko.ago(60)} {line}\n"
    return shop


@pytest.mark.parametrize("name", CASES)
def test_who_is_misconfigured_is_named_first(name: str, judge: Judge) -> None:
    case = CASES[name]
    suspects = suspects_of(_shop(case).snapshot(), (), judge=judge, symptom="")
    if case.first is None:
        assert not any(s.object == "service/cart" for s in suspects), suspects
        return
    first = suspects[0]
    assert (first.object, first.id) == case.first, [(s.object, s.id) for s in suspects]
    assert first.confidence in ("high", "medium")
    said = "\n".join(first.evidence)
    assert all(app in said for app in case.logs if app != "cart")  # the clients' own words


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.first])
def test_without_the_clients_logs_nothing_is_stated_of_the_database(
    name: str, judge: Judge
) -> None:
    """Open world: with the logs not given, what the clients state is unknown, not absent; no
    suspect is made up for cart."""
    shop = _shop(CASES[name])
    shop.logs.clear()
    suspects = suspects_of(shop.snapshot(), (), judge=judge, symptom="")
    assert not any(
        s.object == "service/cart" and s.confidence in ("high", "medium") for s in suspects
    )


def test_one_client_alone_failing_where_its_address_is_unshown_blames_its_setting(
    judge: Judge,
) -> None:
    """checkout reads its database address from a ConfigMap the input does not show and cannot
    reach cart, which runs ready and which frontend (DB_HOST=cart) reaches: the difference is
    checkout's address. Said low: a NetworkPolicy the input does not show could do the same."""
    shop = _shop(Case(("frontend",), {}, None))
    for spec in (
        shop.one("Deployment", "checkout")["spec"]["template"]["spec"],
        shop.pod("checkout")["spec"],
    ):
        spec.setdefault("volumes", []).append(
            {"name": "config", "configMap": {"name": "checkout-config"}}
        )
    said = "Can't connect to MySQL server on 'cart' (timed out)"
    shop.logs[shop.pod("checkout")["metadata"]["name"]] = f"{ko.ago(60)} ERROR {said}\n"
    suspects = suspects_of(shop.snapshot(), (), judge=judge, symptom="")
    first = suspects[0]
    assert (first.id, first.confidence) == ("env-service-not-found", "low"), suspects
    assert "checkout" in first.object and "checkout-config" in first.fix, first
    assert not any(s.object == "service/cart" and s.confidence != "low" for s in suspects)
