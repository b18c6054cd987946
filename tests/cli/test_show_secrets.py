"""The terminal redacts secrets as chat does; `--show-secrets` is the one way to see them (issue 68).

`kubemedic diagnose namespace shop -v` walks the shop's suspects and quotes the env value that
names a missing Service: `CART_URL=http://carts:7070/...?api_key=...` printed the key, live and
from recorded outputs, in text and in JSON. Now it prints `[REDACTED]` there, and only
`--show-secrets` prints what was read. `match` and `preview` do the same with a paste.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli.runner import Result, kubemedic_in_process
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig
from tests.suspects import shop as shops
from tests.suspects.shop import PLURALS, Shop

SECRET = "q7Rk2mVx9LpW3tZc8NbY"
CART_URL = f"http://carts:7070/cart?api_key={SECRET}"
PASTE = (
    "$ kubectl get pods\nNAME READY STATUS RESTARTS AGE\napi-0 0/1 ImagePullBackOff 0 5m\n"
    f'Failed to pull image "registry.shop.io/api:1.4" with token={SECRET}: '
    "pull access denied, repository does not exist or may require 'docker login'\n"
)


def _shop() -> Shop:
    """The shop, checkout's env naming a Service that does not exist, with a key in its URL."""
    shop = shops.healthy()
    for spec in (
        shop.one("Deployment", "checkout")["spec"]["template"]["spec"],
        shop.pod("checkout")["spec"],
    ):
        spec["containers"][0]["env"] = [{"name": "CART_URL", "value": CART_URL}]
    return shop


def _outputs(shop: Shop, folder: Path) -> Path:
    """The shop as `kubectl get KIND -n shop -o yaml` outputs, one file."""
    parts = []
    for kind, plural in PLURALS.items():
        items = [copy.deepcopy(o) for o in shop.of(kind)]
        if items:
            listed = {"apiVersion": "v1", "kind": "List", "items": items}
            scope = "" if kind in ("Node", "PersistentVolume", "StorageClass") else " -n shop"
            parts.append(f"$ kubectl get {plural}{scope} -o yaml\n{yaml.safe_dump(listed)}")
    path = folder / "ticket.txt"
    path.write_text("\n".join(parts))
    return path


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    shop, standin = _shop(), KubeStandIn(latency=0.0)
    shop.load(standin)
    home = tmp_path_factory.mktemp("shop")
    with start_in_thread(standin) as server:
        config = write_kubeconfig(home / "config", {"lab": server.url}, current="lab")
        yield {"config": config, "outputs": _outputs(shop, home), "home": home}


def _diagnose(sources: dict[str, Any], source: str, *flags: str) -> Result:
    where = ("--from-outputs", str(sources["outputs"])) if source == "outputs" else ()
    env = {"KUBECONFIG": str(sources["config"]), "HOME": str(sources["home"])}
    return kubemedic_in_process("diagnose", "namespace", "shop", *where, *flags, env=env)


@pytest.mark.parametrize("source", ["live", "outputs"])
@pytest.mark.parametrize("shape", ["-v", "--json"])
def test_diagnose_prints_the_env_value_redacted_unless_asked(
    sources: dict[str, Any], source: str, shape: str
) -> None:
    redacted = _diagnose(sources, source, shape)
    assert redacted.code == 0, redacted.stderr
    assert SECRET not in redacted.stdout + redacted.stderr
    assert "api_key=[REDACTED]" in redacted.stdout  # the value is still quoted, its key gone
    shown = _diagnose(sources, source, shape, "--show-secrets")
    assert shown.code == 0 and f"api_key={SECRET}" in shown.stdout


def test_match_and_preview_redact_a_paste_unless_asked(tmp_path: Path) -> None:
    paste = tmp_path / "paste.txt"
    paste.write_text(PASTE)
    for verb in (("match", "-v"), ("match", "--json"), ("preview",)):
        redacted = kubemedic_in_process(*verb, str(paste), env={"HOME": str(tmp_path)})
        assert redacted.code == 0, redacted.stderr
        assert SECRET not in redacted.stdout and "[REDACTED]" in redacted.stdout
        shown = kubemedic_in_process(
            *verb, str(paste), "--show-secrets", env={"HOME": str(tmp_path)}
        )
        assert shown.code == 0 and SECRET in shown.stdout, verb
