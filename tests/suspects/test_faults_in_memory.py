"""Each fault of the test shop, read by the walk from memory: the suspect named first, its
cause, and the words that tell it from its neighbours; the healthy shop gets no suspect."""

from __future__ import annotations

import re

import pytest

from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.times import ENDPOINTS_CHANGED
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko
from tests.suspects import shop as shops
from tests.suspects.faults import FAULTS, slow_cart
from tests.suspects.ranked import suspects_of


def test_a_healthy_shop_has_no_suspect(judge: Judge) -> None:
    assert (
        suspects_of(shops.healthy().snapshot(), (), judge=judge, symptom="checkout is failing")
        == ()
    )


@pytest.mark.parametrize("fault", FAULTS)
def test_the_fault_is_named_first(fault: str, judge: Judge) -> None:
    inject, expected = FAULTS[fault]
    shop = shops.healthy()
    inject(shop)
    suspects = suspects_of(shop.snapshot(), (), judge=judge, symptom="")
    assert suspects, fault
    first = suspects[0]
    assert (first.object, first.id) == (expected.object, expected.id), [
        (s.object, s.id, s.score) for s in suspects
    ]
    said = "\n".join([*first.evidence, first.fix])
    assert re.search(re.escape(expected.evidence), said), said
    assert first.fix and first.chain
    if first.indirect:  # only effects show it: said as a suspect, never as the answer
        assert first.confidence == "low" and first.id == "network-degradation"
    else:
        assert first.confidence in ("high", "medium")
    assert all(s.lower for s in suspects[1:]), "every other suspect says why it ranks lower"


STATED = [name for name, (_, expected) in FAULTS.items() if expected.id != "network-degradation"]
"""The faults the objects state (callers' timeouts alone are effects: they never displace a
broken Service, whatever its age)."""


@pytest.mark.parametrize("fault", STATED)
def test_a_service_broken_all_along_leaves_the_fault_first(fault: str, judge: Judge) -> None:
    # the chronic noise of the real node's shop: a Service whose workload was never deployed
    inject, expected = FAULTS[fault]
    shop = shops.healthy()
    service = kc.service(name="flagd", namespace=shops.NS, selector={"app": "flagd"})
    endpoints = kc.endpoints(name="flagd", namespace=shops.NS)
    for obj in (service, endpoints):  # there for days: created, and emptied, long ago
        obj["metadata"]["creationTimestamp"] = ko.ago(3 * 86400)
    endpoints["metadata"]["annotations"][ENDPOINTS_CHANGED] = ko.ago(3 * 86400)
    shop.objects += [service, endpoints]
    inject(shop)
    suspects = suspects_of(shop.snapshot(), (), judge=judge, symptom="")
    assert (suspects[0].object, suspects[0].id) == (expected.object, expected.id), [
        (s.object, s.id, s.score) for s in suspects
    ]


def test_a_node_is_suspected_of_delay_only_when_pods_run_on_several(judge: Judge) -> None:
    """Calls to cart time out: its node is a suspect beside it while the shop runs on two nodes
    (the other node's calls answer); on one node every call shares it, which tells nothing."""
    shop = shops.healthy()
    slow_cart(shop)
    spread = suspects_of(shop.snapshot(), (), judge=judge, symptom="")
    assert "node/worker-2" in [s.object for s in spread], [(s.object, s.id) for s in spread]
    for pod in shop.of("Pod"):
        pod["spec"]["nodeName"] = "worker-1"
    together = suspects_of(shop.snapshot(), (), judge=judge, symptom="")
    assert together and together[0].object == "service/cart"
    assert not [s.object for s in together if s.object.startswith("node/")]
