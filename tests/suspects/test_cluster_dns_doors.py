"""Cluster DNS down, asked from every door: `diagnose namespace`, `diagnose service` and
`diagnose pod` all lead with kube-system's kube-dns, read live by the real client over HTTP.

The shop runs; kube-system's CoreDNS pods are Running and Ready, but the kube-dns Service's
Endpoints object was deleted (the first live app's fault): nothing answers on 10.96.0.10, and
cart's log says its lookups time out. The open-world case has no kube-dns Service at all (a
cluster whose DNS goes by another name): no kube-dns suspect is made up.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.runner import Result, kubemedic_in_process
from tests.standins import kube_cluster as kc
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig
from tests.suspects import shop as shops

LOOKUP_FAILS = (
    "2026-11-27T06:10:00Z cart: dial tcp: lookup redis.shop.svc.cluster.local on "
    "10.96.0.10:53: read udp 10.244.2.4:41234->10.96.0.10:53: i/o timeout\n"
)


def _cluster(with_service: bool) -> shops.Shop:
    shop = shops.healthy()
    coredns = [
        shops.system_pod(f"coredns-5d78c9869d-{n}x", f"worker-{n}", {"k8s-app": "kube-dns"})
        for n in ("1", "2")
    ]
    shop.system["cluster-dns"] = coredns
    if with_service:
        shop.objects.append(
            kc.service(name="kube-dns", namespace="kube-system", selector={"k8s-app": "kube-dns"})
        )
    cart = shop.pod("cart")
    cart["status"]["containerStatuses"][0]["ready"] = False
    cart["status"]["conditions"] = [{"type": "Ready", "status": "False"}]
    shop.logs[cart["metadata"]["name"]] = LOOKUP_FAILS
    return shop


@pytest.fixture(scope="module")
def kubeconfig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    servers, contexts = [], {}
    for name, with_service in (("deleted", True), ("elsewhere", False)):
        standin = KubeStandIn(latency=0.0)
        _cluster(with_service).load(standin)
        servers.append(start_in_thread(standin).__enter__())
        contexts[name] = servers[-1].url
    home = tmp_path_factory.mktemp("kube")
    yield write_kubeconfig(home / "config", contexts, current="deleted")
    for server in servers:
        server.__exit__(None, None, None)


def _ask(config: Path, context: str, *args: str) -> Result:
    return kubemedic_in_process(
        "diagnose",
        *args,
        "--json",
        "--context",
        context,
        env={"KUBECONFIG": str(config), "HOME": str(config.parent)},
    )


CART_POD = shops.healthy().pod("cart")["metadata"]["name"]
DOORS = {
    "namespace": ("namespace", "shop", "--symptom", "checkout fails"),
    "service": ("service", "shop/cart"),
    "pod": ("pod", f"shop/{CART_POD}"),
}


@pytest.mark.parametrize("door", DOORS)
def test_every_door_leads_with_the_cluster_dns(kubeconfig: Path, door: str) -> None:
    result = _ask(kubeconfig, "deleted", *DOORS[door])
    assert result.code == 0, result.stderr
    suspects = result.json().get("suspects") or []
    assert suspects, result.stdout[:2000]
    assert (suspects[0]["object"], suspects[0]["id"]) == (
        "service/kube-dns",
        "dns-resolution-failure",
    ), [(s["object"], s["id"]) for s in suspects]
    assert "Service kube-dns in kube-system has no ready endpoint" in suspects[0]["evidence"]


def test_a_cluster_dns_by_another_name_is_not_called_down(kubeconfig: Path) -> None:
    result = _ask(kubeconfig, "elsewhere", *DOORS["namespace"])
    assert result.code == 0, result.stderr
    suspects = result.json().get("suspects") or []
    assert not [s for s in suspects if s["object"] == "service/kube-dns"], suspects
