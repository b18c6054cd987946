"""What the live node found the walk getting wrong, kept as cases over the API stand-in (the real
kubernetes client over HTTP, as `diagnose namespace` reads a cluster): a pod's own facts lead,
the cause its log states leads the state it is in, cluster DNS is read, a Deployment scaled to 0
is said as such. Each case of tests/suspects/pod_faults.py says why it is there."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cluster.kubeconfig import connect
from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.walk import walk_namespace
from bot.settings import Settings
from responses.diagnosis import Diagnosis
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig
from tests.suspects import shop as shops
from tests.suspects.pod_faults import POD_FAULTS


@pytest.fixture(scope="module")
def clusters(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One stand-in per fault (and one healthy), each a context of one kubeconfig."""
    servers, contexts = [], {}
    for name in ("healthy", *POD_FAULTS):
        standin, shop = KubeStandIn(latency=0.0), shops.healthy()
        if name != "healthy":
            POD_FAULTS[name][0](shop)
        shop.load(standin)
        servers.append(start_in_thread(standin).__enter__())
        contexts[name] = servers[-1].url
    home = tmp_path_factory.mktemp("kube")
    yield write_kubeconfig(home / "config", contexts, current="healthy")
    for server in servers:
        server.__exit__(None, None, None)


def walked(config: Path, context: str, judge: Judge) -> Diagnosis:
    gateway = connect(Settings(KUBECONFIG=str(config)), context=context)
    try:
        return asyncio.run(walk_namespace(gateway, "shop", judge=judge, symptom=""))
    finally:
        gateway.close()


@pytest.mark.parametrize("fault", POD_FAULTS)
def test_the_pods_own_facts_lead(clusters: Path, fault: str, judge: Judge) -> None:
    expected = POD_FAULTS[fault][1]
    suspects = walked(clusters, fault, judge).suspects or ()
    ranked = [(s.object, s.id, s.confidence) for s in suspects]
    assert suspects, f"{fault}: no suspect"
    first = suspects[0]
    assert (first.object, first.id) == (expected.object, expected.id), ranked
    said = "\n".join([*first.evidence, first.fix])
    assert expected.said in said, said
    assert first.confidence in ("high", "medium"), ranked
    assert all(s.id != "envoy-no-healthy-upstream" for s in suspects), ranked
    assert "endpoints" not in first.fix.split(":")[0], first.fix  # no fix back at the symptom


def test_the_healthy_shop_with_its_cluster_dns_has_no_suspect(clusters: Path, judge: Judge) -> None:
    assert walked(clusters, "healthy", judge).suspects == ()
