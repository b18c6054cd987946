"""What the real node showed the walk (tests/realnode/test_shop.py), kept as cheap in-memory cases:
one scheduling cause on every workload names the node to uncordon or the workload to tolerate a
taint, the workload the symptom names (or with the most pods waiting) first; callers' timeouts
that later calls answered are over; a pod being deleted is no suspect; the pod judge's cause is
never ranked under one of its own effects."""

from __future__ import annotations

import copy

from bot.diagnosis.pod import Judge
from intents.facts.model import ContainerFacts, EventFacts, PodFacts, ServiceFacts
from tests.standins import kube_objects as ko
from tests.suspects import shop as shops
from tests.suspects.faults import _pending, cordoned, image_missing, taint
from tests.suspects.ranked import suspects_of

UNSCHEDULABLE = (
    "0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are "
    "available: 3 Preemption is not helpful for scheduling."
)


def _all_pending(shop: shops.Shop) -> None:
    cordoned(shop)
    for app in ("checkout", "cart"):
        _pending(shop, app, UNSCHEDULABLE)


def test_a_cordon_names_every_pending_service_and_the_node_to_uncordon(judge: Judge) -> None:
    shop = shops.healthy()
    _all_pending(shop)
    suspects = suspects_of(shop.snapshot(), (), judge=judge, symptom="checkout is down")
    first = suspects[0]
    assert (first.object, first.resource, first.id) == (
        "service/checkout",
        "node/worker-1",
        "pending-node-unschedulable",
    )
    assert first.fix == "Uncordon the node: kubectl uncordon worker-1"
    same = {s.object for s in suspects if s.id == "pending-node-unschedulable"}
    assert same == {"service/frontend", "service/checkout", "service/cart"}
    lower = {s.object: s.lower for s in suspects[1:3]}
    assert lower == {  # cart is below checkout (checkout calls it); frontend is above it
        "service/cart": "the same cause (pending-node-unschedulable) on another workload",
        "service/frontend": "also broken, not on the chain of what the symptom names",
    }


def test_with_no_name_given_the_workload_with_most_pods_waiting_leads(judge: Judge) -> None:
    shop = shops.healthy()
    _all_pending(shop)
    second = copy.deepcopy(shop.pod("cart"))
    second["metadata"]["name"] += "x"
    shop.objects.append(second)
    suspects = suspects_of(shop.snapshot(), (), judge=judge, symptom="")
    assert suspects[0].object == "service/cart"
    assert suspects[1].lower == (
        "the same cause (pending-node-unschedulable) on another workload, with fewer pods waiting"
    )


def test_an_untolerated_taint_is_fixed_on_the_workload_by_a_toleration(judge: Judge) -> None:
    shop = shops.healthy()
    taint(shop)
    first = suspects_of(shop.snapshot(), (), judge=judge, symptom="")[0]
    assert (first.object, first.resource, first.id) == (
        "service/cart",
        "deployment/cart",
        "pending-untolerated-taint",
    )
    assert first.fix.startswith("Add a toleration for dedicated to deployment/cart")
    assert "kubectl taint nodes worker-1 dedicated-" in first.fix  # only then the taint's removal


def _calls(*results: str) -> str:
    return "".join(
        f"2026-11-27T06:1{n}:00Z checkout: GET http://cart/healthz {result}\n"
        for n, result in enumerate(results)
    )


def test_timeouts_that_later_calls_answered_are_over(judge: Judge) -> None:
    shop = shops.healthy()
    checkout = shop.pod("checkout")["metadata"]["name"]
    shop.logs[checkout] = _calls("failed: timed out", "failed: timed out", "ok", "ok")
    assert suspects_of(shop.snapshot(), (), judge=judge, symptom="") == ()
    shop.logs[checkout] = _calls("ok", "ok", "failed: timed out")  # one blip after answers
    assert suspects_of(shop.snapshot(), (), judge=judge, symptom="") == ()
    shop.logs[checkout] = _calls("ok", "failed: timed out", "failed: timed out")
    suspect = suspects_of(shop.snapshot(), (), judge=judge, symptom="")[0]
    assert (suspect.object, suspect.id, suspect.indirect) == (
        "service/cart",
        "network-degradation",
        True,
    )
    assert suspect.evidence[0].startswith("2 call(s) to Service cart time out")


def test_a_pod_being_deleted_is_no_suspect(judge: Judge) -> None:
    shop = shops.healthy()
    replacement = copy.deepcopy(shop.pod("frontend"))
    image_missing(shop)  # the old pod's fault, being rolled away
    shop.pod("frontend")["metadata"]["deletionTimestamp"] = ko.ago(5)
    replacement["metadata"]["name"] += "y"
    shop.objects.append(replacement)
    assert suspects_of(shop.snapshot(), (), judge=judge, symptom="") == ()


def test_an_oom_kill_leads_the_readiness_probe_failing_while_the_container_restarts(
    judge: Judge,
) -> None:
    store = ContainerFacts(
        name="store",
        state="waiting",
        reason="CrashLoopBackOff",
        restarts=2,
        last_reason="OOMKilled",
        last_exit_code=137,
    )
    unready = "Readiness probe failed: dial tcp 10.88.0.58:6379: connect: connection refused"
    facts = PodFacts(
        namespace="shop",
        name="store-6p5mt",
        phase="Running",
        containers=[store],
        events=[EventFacts("Unhealthy", unready, type="Warning")],
        services=[ServiceFacts(name="store", ready=0, not_ready=1)],
    )
    found = [f.match.entry.id for f in judge.findings(facts)]
    # the kill leads; the crash loop it causes, and the probe failing on it, follow
    assert found[0] == "oom-killed" and "readiness-probe-failed" in found[1:3]
