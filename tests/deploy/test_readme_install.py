"""The install walkthrough of docs/install.md (and docs/clusters.md), run as written: the Kustomize block from folders outside
the checkout (the overlay finds deploy/ from anywhere), and the Helm commands' --set values,
each rendering objects valid against the minimum Kubernetes release's schema."""

from __future__ import annotations

import re
import shlex
import subprocess
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.helm import helm, render_chart
from tests.deploy.kustomize import DEPLOY, Doc, bot_container, needs_kubectl, only, render
from tests.deploy.test_schemas import K8S_VERSIONS, validate
from tests.deploy.test_workload import config_map

DOCS = DEPLOY.parent / "docs"


def blocks(language: str, page: str) -> list[str]:
    return re.findall(rf"```{language}\n(.+?)\n```", (DOCS / page).read_text(), flags=re.DOTALL)


def block_with(language: str, needle: str, page: str = "install.md") -> str:
    [found] = [b for b in blocks(language, page) if needle in b]
    return found


def helm_values(command: str) -> dict[str, Any]:
    """The values a `helm install ... --set a=b` command line sets, parsed as Helm parses them."""
    words = shlex.split(command.replace("\\\n", " "), comments=True)
    values: dict[str, Any] = {}
    for flag, value in pairwise(words):
        if flag == "--set":
            merge(values, helm.parse_set_string(value))
    return values


def merge(into: dict[str, Any], more: dict[str, Any]) -> None:
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value


@needs_kubectl
@pytest.mark.parametrize("where", ["elsewhere", "deep/down/in/a/repo"])
def test_the_kustomize_walkthrough_works_from_any_folder(tmp_path: Path, where: str) -> None:
    script = block_with("sh", "my-kubemedic")
    assert script.startswith("KUBEMEDIC=")
    script = f"KUBEMEDIC={shlex.quote(str(DEPLOY.parent))}\n" + script.split("\n", 1)[1]
    script = script[:script.index("kubectl apply")]  # everything before it touches a cluster
    folder = tmp_path / where
    folder.mkdir(parents=True)
    subprocess.run(["bash", "-euc", script], cwd=folder, check=True, timeout=30)
    docs = render(folder / "my-kubemedic")
    assert bot_container(docs)["image"] == "REGISTRY/kubemedic:0.1.0"
    assert config_map(docs, bot_container(docs))["KUBEMEDIC_ADMINS"] == "U0123ABCD,U0456EFGH"
    assert {d["metadata"]["name"] for d in docs if d["kind"] == "ClusterRole"} == \
        {"kubemedic-read", "kubemedic-remediate"}
    assert only(docs, "PersistentVolumeClaim")["metadata"]["namespace"] == "kubemedic"
    for doc in docs:
        validate(doc, K8S_VERSIONS[0])


def test_the_helm_walkthrough_renders() -> None:
    values = helm_values(block_with("sh", "helm install"))
    assert values == {"image": {"repository": "REGISTRY/kubemedic", "tag": "0.1.0"},
                      "admins": ["U0123ABCD", "U0456EFGH"], "remediation": {"enabled": True}}
    docs: list[Doc] = render_chart(values)
    assert bot_container(docs)["image"] == "REGISTRY/kubemedic:0.1.0"
    assert config_map(docs, bot_container(docs))["KUBEMEDIC_ADMINS"] == "U0123ABCD,U0456EFGH"
    for doc in docs:
        validate(doc, K8S_VERSIONS[0])


def test_the_several_clusters_example_is_a_kubeconfig_the_chart_accepts() -> None:
    kubeconfig = yaml.safe_load(block_with("yaml", "kind: Config", "clusters.md"))
    contexts = {c["name"] for c in kubeconfig["contexts"]}
    assert contexts == {"home", "prod"} and kubeconfig["current-context"] == "home"
    users = {u["name"]: u["user"] for u in kubeconfig["users"]}
    assert users["home"] == {"tokenFile": "/var/run/secrets/kubernetes.io/serviceaccount/token"}
    [sets] = re.findall(r"Then with Helm: `(--set [^`]+)`", (DOCS / "clusters.md").read_text())
    values = helm_values(sets)
    assert values["clusters"] == {"kubeconfigSecret": "kubemedic-kubeconfig", "contexts": ["home", "prod"]}
    container = bot_container(render_chart(values))
    assert {"name": "KUBECONFIG", "value": "/etc/kubemedic/kubeconfig/config"} in container["env"]
