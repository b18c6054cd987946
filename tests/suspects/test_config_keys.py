"""A key the app reads at start and its ConfigMap lacks: the ConfigMap is named, not the crash loop.

cart mounts ConfigMap cart-config at /etc/cart (or loads it with envFrom) and its log says what
it missed. Each row says what the input shows of the ConfigMap and what the walk must lead with,
written out here. The open-world rows show no ConfigMap, or one that has the key: no confident
"key missing" is then said where the input cannot tell.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.walk import walked
from tests.cli.runner import kubemedic_in_process
from tests.standins import kube_objects as ko
from tests.suspects import shop as shops
from tests.suspects.pod_faults import unready

FILE_LOG = (
    "2026/01/02 11:59:58 loading config: open /etc/cart/cart.yaml: no such file or directory\n"
)
ENV_LOG = "pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings\nKeyError: 'REDIS_ADDR'\n"


def _config_map(**data: str) -> dict[str, Any]:
    return {"metadata": {"name": "cart-config", "namespace": "shop"}, "data": data}


class Row(NamedTuple):
    log: str
    mount: str
    """"volume" (mounted at /etc/cart), "envFrom", or "subPath"."""
    shown: dict[str, Any] | None
    """The ConfigMaps the input shows (None: none)."""
    first: tuple[str, str, str] | None
    """(object, resource, id) first, at medium or high; None: no "key missing" suspect."""
    said: str = ""


ROWS = {
    # the key was renamed to cart.yml: the app's file under the volume is gone
    "file key renamed": Row(
        FILE_LOG,
        "volume",
        {"cart-config": _config_map(**{"cart.yml": "items: 1\n"})},
        ("service/cart", "configmap/cart-config", "app-config-missing"),
        "ConfigMap cart-config has no key cart.yaml (it has cart.yml): renamed to cart.yml?",
    ),
    # envFrom gives the variables; the ConfigMap has REDIS_ADDRESS, not REDIS_ADDR
    "variable key renamed": Row(
        ENV_LOG,
        "envFrom",
        {"cart-config": _config_map(REDIS_ADDRESS="redis:6379")},
        ("service/cart", "configmap/cart-config", "app-config-missing"),
        "ConfigMap cart-config has no key REDIS_ADDR (it has REDIS_ADDRESS)",
    ),
    # no ConfigMap shown (a live cluster's are never read): the app's words and the mount say it
    "config map not shown": Row(
        FILE_LOG,
        "volume",
        None,
        ("service/cart", "configmap/cart-config", "app-config-missing"),
        "ConfigMap cart-config's keys were not shown",
    ),
    # open world: the ConfigMap has the key; the file is missing for another reason
    "key present": Row(
        FILE_LOG, "volume", {"cart-config": _config_map(**{"cart.yaml": "x"})}, None
    ),
    # open world: a subPath mount is one file, not the ConfigMap's keys as files
    "subPath mount": Row(FILE_LOG, "subPath", {"cart-config": _config_map(other="x")}, None),
}


def _crash_looping(shop: shops.Shop, row: Row) -> None:
    pod = unready(shop, "cart", ko.crashloop_status(name="cart", restarts=6))
    shop.logs[pod["metadata"]["name"]] = row.log
    for spec in (pod["spec"], shop.one("Deployment", "cart")["spec"]["template"]["spec"]):
        container = spec["containers"][0]
        if row.mount == "envFrom":
            container["envFrom"] = [{"configMapRef": {"name": "cart-config"}}]
            continue
        spec["volumes"] = [{"name": "config", "configMap": {"name": "cart-config"}}]
        mount = {"name": "config", "mountPath": "/etc/cart"}
        if row.mount == "subPath":
            mount = {"name": "config", "mountPath": "/etc/cart/cart.yaml", "subPath": "cart.yaml"}
        container["volumeMounts"] = [mount]


@pytest.mark.parametrize("name", ROWS)
def test_the_config_map_missing_the_key_is_named(name: str, judge: Judge) -> None:
    row = ROWS[name]
    shop = shops.healthy()
    _crash_looping(shop, row)
    snapshot = shop.snapshot()
    snapshot.config_maps = row.shown
    suspects, _notes = walked(snapshot, (), judge=judge, symptom="checkout fails")
    keys = [s for s in suspects if s.id == "app-config-missing" and s.confidence != "low"]
    if row.first is None:
        assert not keys, keys
        return
    first = suspects[0]
    assert (first.object, first.resource, first.id) == row.first, [
        (s.object, s.id, s.score) for s in suspects
    ]
    assert any(row.said in fact for fact in first.evidence), first.evidence
    assert "kubectl edit configmap cart-config -n shop" in first.fix


RECORDED = Path(__file__).parents[1] / "cascade" / "recorded" / "catalog-configmap-key" / "outputs"


@pytest.mark.parametrize("shown", [True, False])
def test_diagnose_pod_on_the_crashing_pod_names_the_config_map(shown: bool, tmp_path: Path) -> None:
    # the cascade's own recording: catalog's pod crash-loops, its log says catalog.yaml is gone
    # under /etc/catalog (ConfigMap catalog-config's volume); without `get configmaps` in the
    # ticket the app's words and the mount still say which ConfigMap, and what to run is asked
    folder = tmp_path / "outputs"
    shutil.copytree(RECORDED, folder)
    if not shown:
        (folder / "get-configmaps.txt").unlink()
    result = kubemedic_in_process(
        "diagnose",
        "pod",
        "cascade/catalog-6f945668b9-jn4cl",
        "--json",
        "--from-outputs",
        str(folder),
        env={"HOME": str(tmp_path)},
    )
    assert result.code == 0, result.stderr
    [first, *_] = result.json()["suspects"]
    assert (first["object"], first["resource"], first["id"]) == (
        "service/catalog",
        "configmap/catalog-config",
        "app-config-missing",
    )
    said = "\n".join(first["evidence"])
    assert ("has no key catalog.yaml (it has catalog.yml)" in said) is shown, said
