"""NetworkPolicies read as the API defines them: which policy shuts a caller out of a callee."""

from __future__ import annotations

from typing import Any

from bot.diagnosis.suspects.checks.policies import shut_out

REDIS = {"app": "redis"}
ORDERS = {"app": "orders"}
STOREFRONT = {"app": "storefront"}


def policy(name: str, selects: dict[str, str], **spec: Any) -> dict[str, Any]:
    return {
        "metadata": {"name": name},
        "spec": {"podSelector": {"matchLabels": selects}, **spec},
    }


ONLY_ORDERS = policy(
    "redis",
    REDIS,
    policyTypes=["Ingress"],
    ingress=[{"from": [{"podSelector": {"matchLabels": ORDERS}}], "ports": [{"port": 6379}]}],
)


def test_a_caller_no_ingress_rule_admits_is_shut_out() -> None:
    assert shut_out([ONLY_ORDERS], STOREFRONT, REDIS, 6379) == ["redis"]


def test_an_admitted_caller_or_an_unselected_callee_is_not() -> None:
    assert shut_out([ONLY_ORDERS], ORDERS, REDIS, 6379) == []
    assert shut_out([ONLY_ORDERS], STOREFRONT, ORDERS, 8080) == []
    assert shut_out([], STOREFRONT, REDIS, 6379) == []


def test_another_port_is_shut_even_for_an_admitted_caller() -> None:
    assert shut_out([ONLY_ORDERS], ORDERS, REDIS, 6380) == ["redis"]


def test_default_deny_ingress_shuts_everyone_out() -> None:
    deny = policy("deny-all", {}, policyTypes=["Ingress"])
    assert shut_out([deny], STOREFRONT, REDIS, 6379) == ["deny-all"]


def test_what_the_check_cannot_resolve_admits() -> None:
    """A namespaceSelector, an ipBlock or a named port is not resolved here: unknown is not
    absent, so no policy is blamed for them."""
    for peer in ({"namespaceSelector": {}}, {"ipBlock": {"cidr": "10.0.0.0/8"}}):
        allowing = policy("p", REDIS, policyTypes=["Ingress"], ingress=[{"from": [peer]}])
        assert shut_out([allowing], STOREFRONT, REDIS, 6379) == []
    named = policy(
        "p",
        REDIS,
        policyTypes=["Ingress"],
        ingress=[
            {"from": [{"podSelector": {"matchLabels": STOREFRONT}}], "ports": [{"port": "redis"}]}
        ],
    )
    assert shut_out([named], STOREFRONT, REDIS, 6379) == []


def test_an_egress_policy_on_the_caller_shuts_it_in() -> None:
    egress = policy(
        "storefront-out",
        STOREFRONT,
        policyTypes=["Egress"],
        egress=[{"to": [{"podSelector": {"matchLabels": ORDERS}}]}],
    )
    assert shut_out([egress], STOREFRONT, REDIS, 6379) == ["storefront-out"]
    assert shut_out([egress], STOREFRONT, ORDERS, 8080) == []
