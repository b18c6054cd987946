"""Reading the same objects again: redacted as the first time, and a change is seen at once."""

from __future__ import annotations

from typing import Any

from tests.evidence.conftest import Live, run
from tests.standins import kube_objects as ko
from tests.standins.kube_api import KubeStandIn

TOKEN = "ghp_" + "8fJ2kLq9ZxV3mN7pR1sT5uW0yA4bC6dE8gH2"


def _pod_with_token(token: str, *, annotation: str = "") -> dict[str, Any]:
    spec = ko.container()
    spec["env"] = [{"name": "GITHUB_TOKEN", "value": token}, {"name": "MODE", "value": "prod"}]
    return ko.pod(
        name="web-0", namespace="shop", containers=[spec], annotations={"note": annotation}
    )


def test_a_list_read_again_is_redacted_and_a_change_is_seen(live: Live) -> None:
    kube = KubeStandIn()
    kube.add(_pod_with_token(TOKEN, annotation="first"))
    with live(kube) as gateway:
        first = run(gateway.list("pods", "shop"))
        first[0]["metadata"]["annotations"]["note"] = "changed by its reader"
        again = run(gateway.list("pods", "shop"))
        kube.add(_pod_with_token(TOKEN, annotation="second"))
        changed = run(gateway.list("pods", "shop"))
    for pods in (first, again, changed):
        env = pods[0]["spec"]["containers"][0]["env"]
        assert TOKEN not in str(pods)
        assert env[1]["value"] == "prod"
    assert again[0]["metadata"]["annotations"]["note"] == "first"  # not what a reader did to it
    assert changed[0]["metadata"]["annotations"]["note"] == "second"


def test_a_log_read_again_is_redacted_and_a_new_line_is_seen(live: Live) -> None:
    kube = KubeStandIn()
    kube.add(ko.pod(name="web-0", namespace="shop"))
    kube.set_log("shop", "web-0", "app", f"connecting with token {TOKEN}\n")
    with live(kube) as gateway:
        first = run(gateway.logs("shop", "web-0", "app"))
        again = run(gateway.logs("shop", "web-0", "app"))
        kube.set_log("shop", "web-0", "app", f"connecting with token {TOKEN}\nOOMKilled\n")
        changed = run(gateway.logs("shop", "web-0", "app"))
    assert TOKEN not in first + again + changed
    assert first == again
    assert "OOMKilled" in changed and "OOMKilled" not in again
