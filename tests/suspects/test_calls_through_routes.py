"""A call through the cluster's front door is a call to the Service the route sends it to.

An app told to reach another through the Ingress controller's in-cluster name
(`http://ingress-nginx-controller.ingress-nginx.svc.cluster.local/api/checkout`) or through the
public host name calls what the namespace's routes send that URL to. Here frontend reaches
checkout only that way, and checkout crash loops: `diagnose service frontend` must walk down to
checkout. A URL no route of the namespace serves names no call (unknown, not a guess).
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from bot.cluster.kubeconfig import connect
from bot.cluster.reader import ClusterReader
from bot.diagnosis.pod import Judge
from bot.diagnosis.question import Effort, Question, answer
from bot.diagnosis.suspects.focus import Start
from bot.diagnosis.suspects.snapshot import Snapshot
from bot.diagnosis.suspects.walk import walk_namespace, walked
from bot.diagnosis.targets import Focus
from bot.settings import Settings
from responses.diagnosis import Diagnosis
from tests.doctor.install import deploy_rules
from tests.standins import kube_objects as ko
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig
from tests.suspects import shop as shops
from tests.suspects.pod_faults import unready
from tests.suspects.test_routes import ingress

CONTROLLER = "http://ingress-nginx-controller.ingress-nginx.svc.cluster.local/api/checkout"


def _snapshot(
    url: str, *, host: str, failing_caller: bool = False, checkout: dict[str, Any] | None = None
) -> Snapshot:
    shop = shops.healthy()
    for spec in (
        shop.one("Deployment", "frontend")["spec"]["template"]["spec"],
        shop.pod("frontend")["spec"],
    ):
        spec["containers"][0]["env"] = [{"name": "CHECKOUT_URL", "value": url}]
    if checkout is None:
        unready(shop, "checkout", ko.crashloop_status(name="checkout"))
    else:  # a container that never starts: its pod stays Pending
        unready(shop, "checkout", checkout, phase="Pending")
    if failing_caller:
        unready(shop, "frontend", ko.crashloop_status(name="frontend"))
    route = ingress("api", ("/api/checkout", "checkout", 5050))
    route["spec"]["rules"][0]["host"] = host
    snapshot = shop.snapshot()
    snapshot.objects["ingresses"] = [route]
    return snapshot


@pytest.mark.parametrize(
    ("url", "host"),
    [
        (CONTROLLER, ""),  # the controller's in-cluster name reaches a host-less rule
        ("https://shop.example.com/api/checkout/v1", "shop.example.com"),  # the public host
    ],
    ids=["through the controller's Service", "through the public host"],
)
def test_diagnose_service_walks_through_the_route_to_the_callee(
    url: str, host: str, judge: Judge
) -> None:
    snapshot = _snapshot(url, host=host)
    suspects, _ = walked(snapshot, (), judge=judge, symptom="", start=Start("service", "frontend"))
    assert suspects and suspects[0].object == "service/checkout", [
        (s.object, s.id) for s in suspects
    ]
    assert not any("not on the chain" in why for why in suspects[0].why), suspects[0].why


def test_a_url_no_route_serves_names_no_call(judge: Judge) -> None:
    # the rule serves another host: frontend's URL reaches nothing the namespace routes
    snapshot = _snapshot(CONTROLLER, host="admin.example.com")
    suspects, _ = walked(snapshot, (), judge=judge, symptom="", start=Start("service", "frontend"))
    assert not any(
        s.object == "service/checkout" and "not on the chain" not in " ".join(s.why)
        for s in suspects
    ), [(s.object, s.id, s.why) for s in suspects]


def test_a_url_through_routes_not_shown_is_unknown_not_absent(judge: Judge) -> None:
    # the input shows no route (a text with no `get ingress`, or routes the reader may not
    # list): where frontend's public URL leads is not seen, so checkout stays on its chain as
    # perhaps below it, and the answer says what to read
    url = "https://shop.example.com/api/checkout/v1"
    snapshot = _snapshot(url, host="shop.example.com", failing_caller=True)
    del snapshot.objects["ingresses"]
    suspects, asks = walked(
        snapshot, (), judge=judge, symptom="", start=Start("service", "frontend")
    )
    [checkout] = [s for s in suspects if s.object == "service/checkout"]
    assert any("perhaps called by frontend" in why for why in checkout.why), checkout.why
    assert not any("not on the chain" in why for why in checkout.why), checkout.why
    assert any("kubectl get ingress" in ask for ask in asks), asks


def _asked_over_http(
    shop: shops.Shop,
    judge: Judge,
    ask: Callable[[ClusterReader], Awaitable[Diagnosis]],
    *,
    unlisted: tuple[str, str] | None = None,
    before: Callable[[KubeStandIn], None] = lambda _: None,
) -> Diagnosis:
    """`ask` of the shop read over HTTP as deploy/'s read-only role, without its grant to list
    `unlisted` (group, resource): routes the reader may not list."""
    standin = KubeStandIn(latency=0.0)
    rules = deploy_rules("kubemedic-read")
    standin.rbac = rules.without("list", *unlisted) if unlisted else rules
    shop.load(standin)
    before(standin)
    with start_in_thread(standin) as server, tempfile.TemporaryDirectory() as home:
        config = write_kubeconfig(Path(home) / "config", {"shop": server.url}, current="shop")
        gateway = connect(Settings(KUBECONFIG=str(config)))
        try:
            return asyncio.run(ask(gateway))
        finally:
            gateway.close()


def _checkout_unstarted(url: str) -> shops.Shop:
    """The shop with frontend calling checkout at `url`, and checkout unable to start (a Secret
    its env names is missing)."""
    shop = shops.healthy()
    spec = shop.one("Deployment", "frontend")["spec"]["template"]["spec"]
    for container in (spec["containers"][0], shop.pod("frontend")["spec"]["containers"][0]):
        container["env"] = [{"name": "CHECKOUT_URL", "value": url}]
    status = ko.create_container_config_error_status(
        name="checkout", message='secret "db-credentials" not found'
    )
    unready(shop, "checkout", status, phase="Pending")
    return shop


def test_where_unseen_routes_lead_is_named_never_said(judge: Judge) -> None:
    # checkout cannot start (a Secret its env names is missing): sure of itself, and below
    # frontend only through the front door. Shown whole, the route makes the call seen and
    # checkout is said; unseen, checkout ranks where its evidence puts it, but its tie to
    # frontend rests on where routes the input does not show lead: asked about, not stated
    answers = []
    for listed in (True, False):
        shop = _checkout_unstarted("https://shop.example.com/api")
        shop.objects.append(ingress("api", ("/api", "checkout", 5050)))
        walk = partial(
            walk_namespace, namespace="shop", judge=judge, start=Start("service", "frontend")
        )
        unlisted = None if listed else ("networking.k8s.io", "ingresses")
        suspects = _asked_over_http(shop, judge, walk, unlisted=unlisted).suspects or ()
        answers.append([(s.object, s.id, s.confidence) for s in suspects])
    seen, unseen = answers
    assert seen[0] == ("service/checkout", "create-container-config-error", "high"), seen
    assert unseen[0][:2] == seen[0][:2] and unseen[0][2] == "low", unseen


CONTROLLER_POD = "ingress-nginx-controller-5c8d66c76d-x2k9q"
ACCESS = (
    '10.88.0.64 - - [28/Nov/2026:14:45:21 +0000] "GET / HTTP/1.1" 503 190 "-" '
    '"load/1.0" 89 0.000 [shop-frontend-8080] [] - 0 - - 5d78\n'
)


def test_a_healthy_route_controller_leads_with_what_its_users_reach_however_unsure(
    judge: Judge,
) -> None:
    # `diagnose pod` of the ingress controller: it runs fine, and its access lines say users got
    # 503 from shop's frontend. frontend calls checkout through a public host whose routes the
    # reader may not list (HTTPRoutes), and checkout cannot start: the answer leads with
    # checkout, perhaps, unsure, as what the controller's users see fail
    shop = _checkout_unstarted("https://api.example.com/checkout")
    route = ingress("web", ("/", "frontend", 8080))
    controller = ko.pod(
        name=CONTROLLER_POD,
        namespace="ingress-nginx",
        containers=[{"name": "controller", "image": "registry.k8s.io/ingress-nginx/controller"}],
        container_statuses=[ko.running_status(name="controller")],
        phase="Running",
    )
    shop.objects.append(route)
    shop.system["ingress-controller"] = [controller]

    async def ask(reader: ClusterReader) -> Diagnosis:
        focus = Focus("pod", CONTROLLER_POD, namespace="ingress-nginx")
        return (await answer(Question(reader, focus), Effort(judge))).diagnosis

    def logged(standin: KubeStandIn) -> None:
        standin.set_log("ingress-nginx", CONTROLLER_POD, "controller", ACCESS * 3)

    unlisted = ("gateway.networking.k8s.io", "httproutes")
    diagnosis = _asked_over_http(shop, judge, ask, unlisted=unlisted, before=logged)
    suspects = [(s.object, s.id, s.confidence) for s in diagnosis.suspects or ()]
    assert suspects[:1] == [("service/checkout", "create-container-config-error", "low")], (
        suspects,
        diagnosis.notes,
    )
    assert any("routes users to namespace shop" in note for note in diagnosis.notes)
