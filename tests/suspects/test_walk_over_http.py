"""The walk over the API stand-in, read by the real kubernetes client over HTTP: the faults a
live cluster shows (through the gateway, with one shared catalog), and the command a user runs,
`kubemedic diagnose namespace shop --symptom TEXT --json` and `diagnose service shop/NAME`
(its JSON, its first lines, its exit codes)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cluster.kubeconfig import connect
from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.walk import walk_namespace
from bot.settings import Settings
from tests.cli.runner import Result, kubemedic_in_process
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig
from tests.suspects import shop as shops
from tests.suspects.faults import FAULTS

LIVE = ("selector-typo", "target-port", "missing-account", "quota", "cordoned")
"""Faults a live cluster shows in its objects alone (no recorded node services)."""


@pytest.fixture(scope="module")
def clusters(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """One stand-in per fault (and one healthy), each a kubeconfig context."""
    servers, contexts = [], {}
    for name in ("healthy", *LIVE):
        standin, shop = KubeStandIn(latency=0.0), shops.healthy()
        if name != "healthy":
            FAULTS[name][0](shop)
        shop.load(standin)
        server = start_in_thread(standin)
        servers.append(server.__enter__())
        contexts[name] = servers[-1].url
    home = tmp_path_factory.mktemp("kube")
    config = write_kubeconfig(home / "config", contexts, current="healthy")
    yield {name: config for name in contexts}
    for server in servers:
        server.__exit__(None, None, None)


def run(config: Path, context: str, *args: str) -> Result:
    return kubemedic_in_process(
        *args, "--context", context, env={"KUBECONFIG": str(config), "HOME": str(config.parent)}
    )


@pytest.mark.parametrize("fault", LIVE)
def test_the_live_cluster_names_the_faulty_object_first(
    clusters: dict[str, Path], fault: str, judge: Judge
) -> None:
    expected = FAULTS[fault][1]
    gateway = connect(Settings(KUBECONFIG=str(clusters[fault])), context=fault)
    try:
        diagnosis = asyncio.run(
            walk_namespace(gateway, "shop", judge=judge, symptom="part of the shop is unreachable")
        )
    finally:
        gateway.close()
    first = (diagnosis.suspects or ())[0]
    assert (first.object, first.id) == (expected.object, expected.id)
    assert first.chain[0] == "symptom: part of the shop is unreachable" and first.fix


def test_the_json_shape(clusters: dict[str, Path]) -> None:
    result = run(
        clusters["target-port"],
        "target-port",
        "diagnose",
        "namespace",
        "shop",
        "--symptom",
        "cart is unreachable",
        "--json",
    )
    assert result.code == 0, result.stderr
    first = result.json()["suspects"][0]
    assert set(first) - {"since", "unseen"} == {
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
    assert (first["object"], first["resource"], first["id"], first["indirect"]) == (
        "service/cart",
        "service/cart",
        "service-target-port-mismatch",
        False,
    )
    assert 0 < first["score"] <= 1 and first["confidence"] == "high"
    assert any("7071" in fact for fact in first["evidence"]) and first["why"]


def test_a_healthy_shop_reads_healthy(clusters: dict[str, Path]) -> None:
    result = run(
        clusters["healthy"],
        "healthy",
        "diagnose",
        "namespace",
        "shop",
        "--symptom",
        "checkout is failing",
        "--json",
    )
    body = result.json()
    assert result.code == 0 and body["suspects"] == [] and body["pods"] == []
    text = run(clusters["healthy"], "healthy", "diagnose", "namespace", "shop").stdout
    assert "Most likely" not in text and "no problem found" in text


def test_the_terminal_leads_with_the_suspect_and_its_fix(clusters: dict[str, Path]) -> None:
    lines = run(
        clusters["selector-typo"],
        "selector-typo",
        "diagnose",
        "namespace",
        "shop",
        "--symptom",
        "checkout is failing",
    ).stdout.splitlines()
    assert lines[1] == "Diagnosis of namespace shop"
    head = " ".join(" ".join(lines[2:7]).split())
    assert head.startswith("Most likely: service/checkout — Service has no endpoints")
    assert (
        "[service-endpoints-empty] confidence: high" in head and "change: service/checkout" in head
    )
    assert "Fix: Set Service checkout's selector to app=checkout" in head


def test_diagnose_service_keeps_to_its_chain(clusters: dict[str, Path]) -> None:
    body = run(clusters["quota"], "quota", "diagnose", "service", "shop/checkout", "--json").json()
    assert body["subject"] == "service shop/checkout"
    assert [(s["object"], s["id"]) for s in body["suspects"]][:1] == [
        ("namespace/shop", "resource-quota-exceeded")
    ]
    other = run(clusters["quota"], "quota", "diagnose", "service", "shop/cart", "--json").json()
    assert other["suspects"] == []


def test_a_missing_service_exits_1_and_a_bad_name_2(clusters: dict[str, Path]) -> None:
    missing = run(clusters["healthy"], "healthy", "diagnose", "service", "shop/nope")
    assert missing.code == 1 and "service shop/nope not found" in missing.stderr
    bad = run(clusters["healthy"], "healthy", "diagnose", "service", "shop/Check.Out")
    assert bad.code == 2 and bad.stderr.count("\n") == 1
    long = run(
        clusters["healthy"], "healthy", "diagnose", "namespace", "shop", "--symptom", "x" * 2001
    )
    assert long.code == 2 and "--symptom: at most 2000 characters" in long.stderr
