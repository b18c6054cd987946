"""`diagnose` for a namespace or a Service with a symptom, through the SDK's client over stdio:
the ranked suspects in the JSON `kubemedic diagnose --json` gives, the first one as the answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from tests.mcp.conftest import Cluster, stdio_client
from tests.mcp.test_match_error import text_of
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig
from tests.suspects import faults
from tests.suspects import shop as shops

FIELDS = {
    "object",
    "resource",
    "id",
    "title",
    "score",
    "confidence",
    "why",
    "evidence",
    "chain",
    "indirect",
    "fix",
    "lower",
}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """The test shop in `shop` with a Service selector typo and a wrong targetPort."""
    standin = KubeStandIn(latency=0.0)
    shop = shops.healthy()
    faults.selector_typo(shop)
    faults.target_port(shop)
    shop.load(standin)
    with start_in_thread(standin) as server:
        path = write_kubeconfig(
            tmp_path_factory.mktemp("kube") / "config", {"lab": server.url}, current="lab"
        )
        yield Cluster(standin, path, "")


async def _calls(cluster: Cluster, *calls: dict[str, Any]) -> list[Any]:
    async with stdio_client(cluster) as client:
        return [await client.call_tool("diagnose", arguments) for arguments in calls]


def test_namespace_and_service_with_a_symptom_return_the_ranked_suspects(cluster: Cluster) -> None:
    namespace, service, refused, bad = anyio.run(
        lambda: _calls(
            cluster,
            {"kind": "namespace", "namespace": "shop", "symptom": "checkout is failing"},
            {
                "kind": "service",
                "name": "cart",
                "namespace": "shop",
                "symptom": "cart returns errors",
            },
            {"kind": "pod", "name": "shop/x", "symptom": "slow"},
            {"kind": "service", "name": "shop/Not_A_Service"},
        )
    )
    body = namespace.structured_content or {}
    suspects = body["suspects"]
    assert [s["object"] for s in suspects[:2]] == ["service/checkout", "service/cart"]
    assert set(suspects[0]) == FIELDS and suspects[0]["id"] == "service-endpoints-empty"
    assert suspects[0]["chain"][0] == "symptom: checkout is failing" and suspects[1]["lower"]
    assert body["outcome"] == "answer" and body["answer"]["id"] == "service-endpoints-empty"
    assert body["summary"].startswith(
        "suspect: service/checkout (change service/checkout): service-endpoints-empty (high"
    )
    first = (service.structured_content or {})["suspects"]
    assert [s["object"] for s in first] == ["service/cart"] and first[0][
        "id"
    ] == "service-target-port-mismatch"
    assert refused.is_error and "kind namespace or service" in text_of(refused)
    assert bad.is_error and "invalid service name" in text_of(bad)
    assert not [r for r in cluster.standin.requests if r.method != "GET"]  # read-only
