"""The install walkthrough of docs/install.md (and docs/clusters.md), run as written: the Kustomize block from folders outside
the checkout (the overlay finds deploy/ from anywhere), and the Helm commands' --set values,
each rendering objects valid against the minimum Kubernetes release's schema."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.helm import helm, render_chart
from tests.deploy.kustomize import DEPLOY, Doc, bot_container, needs_kubectl, render
from tests.deploy.test_schemas import K8S_VERSIONS, validate
from tests.deploy.test_workload import config_map
from tests.install.docs import EXAMPLE_GATEWAY as GATEWAY
from tests.install.docs import HELM_CHOICES, KUSTOMIZE_CHOICES, block

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


#: the values docs/install.md tells the reader to set first (the image it shows)
DOCS_IMAGE = "REGISTRY/kubemedic:0.1.0"
USER_VALUES = {"KUBEMEDIC": str(DEPLOY.parent), "IMAGE": DOCS_IMAGE}


def before(script: str, command: str) -> str:
    """The part of a block before `command`, the first line that touches a cluster."""
    return script[: script.index(command)]


def test_the_docs_ask_for_the_values_their_blocks_use() -> None:
    first = block_with("sh", "KUBEMEDIC=")
    assert re.findall(r"^(\w+)=", first, flags=re.MULTILINE) == list(USER_VALUES)
    assert f"IMAGE={DOCS_IMAGE} " in first


@needs_kubectl
@pytest.mark.parametrize("where", ["elsewhere", "deep/down/in/a/repo"])
@pytest.mark.parametrize(
    "choices", [(), KUSTOMIZE_CHOICES], ids=["as written", "http, no StorageClass, gateway"]
)
def test_the_kustomize_walkthrough_works_from_any_folder(
    tmp_path: Path, where: str, choices: tuple[str, ...]
) -> None:
    script = before(block("kustomize", uncomment=choices), "kubectl apply")
    folder = tmp_path / where
    folder.mkdir(parents=True)
    subprocess.run(
        ["bash", "-euc", script],
        cwd=folder,
        check=True,
        timeout=30,
        env={**os.environ, **USER_VALUES},
    )
    docs = render(folder / "my-kubemedic")
    container = bot_container(docs)
    assert container["image"] == DOCS_IMAGE
    settings = config_map(docs, container)
    assert settings["KUBEMEDIC_ADMINS"] == "U0123ABCD,U0456EFGH"
    assert {d["metadata"]["name"] for d in docs if d["kind"] == "ClusterRole"} == {
        "kubemedic-read",
        "kubemedic-remediate",
    }
    claims = [d for d in docs if d["kind"] == "PersistentVolumeClaim"]
    if choices:  # HTTP mode on SQLite without a claim, Slack's API at the gateway
        assert container["args"] == ["serve", "--http"] and claims == []
        assert settings["SLACK_API_URL"] == GATEWAY
    else:
        assert [c["metadata"]["namespace"] for c in claims] == ["kubemedic"]
    for doc in docs:
        validate(doc, K8S_VERSIONS[0])


@pytest.mark.parametrize(
    "choices", [(), HELM_CHOICES], ids=["as written", "http, no StorageClass, gateway"]
)
def test_the_helm_walkthrough_renders(tmp_path: Path, choices: tuple[str, ...]) -> None:
    script = before(block("helm", uncomment=choices), "helm install")
    subprocess.run(
        ["bash", "-euc", script],
        cwd=tmp_path,
        check=True,
        timeout=30,
        env={**os.environ, **USER_VALUES},
    )
    values = yaml.safe_load((tmp_path / "my-values.yaml").read_text())
    expected: dict[str, Any] = {
        "image": {"repository": "REGISTRY/kubemedic", "tag": "0.1.0"},
        "admins": ["U0123ABCD", "U0456EFGH"],
        "remediation": {"enabled": True},
    }
    if choices:
        expected |= {
            "slack": {"mode": "http"},
            "persistence": {"enabled": False},
            "settings": {"SLACK_API_URL": GATEWAY},
        }
    assert values == expected
    docs: list[Doc] = render_chart(values)  # the values schema accepts them
    assert bot_container(docs)["image"] == DOCS_IMAGE
    assert config_map(docs, bot_container(docs))["KUBEMEDIC_ADMINS"] == "U0123ABCD,U0456EFGH"
    assert bool([d for d in docs if d["kind"] == "PersistentVolumeClaim"]) is not bool(choices)
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
    assert values["clusters"] == {
        "kubeconfigSecret": "kubemedic-kubeconfig",
        "contexts": ["home", "prod"],
    }
    container = bot_container(render_chart(values))
    assert {"name": "KUBECONFIG", "value": "/etc/kubemedic/kubeconfig/config"} in container["env"]


MATTERMOST_SERVER = "https://chat.example.com"
"""The server the docs' Mattermost blocks name (the install tier puts its stand-in's there)."""


def check_mattermost_install(docs: list[Doc]) -> None:
    """`serve --mattermost` with the docs' server, admins and Secrets; nothing of Slack's."""
    container = bot_container(docs)
    assert container["image"] == DOCS_IMAGE and container["args"] == ["serve", "--mattermost"]
    settings = config_map(docs, container)
    assert settings["KUBEMEDIC_MATTERMOST_URL"] == MATTERMOST_SERVER
    assert settings["KUBEMEDIC_MATTERMOST_CALLBACK_URL"] == "http://kubemedic.kubemedic.svc"
    assert settings["KUBEMEDIC_ADMINS"] == "ab12cd34ef56gh78ij90kl12mn"
    secrets = {
        e["name"]: e["valueFrom"]["secretKeyRef"]["name"]
        for e in container["env"]
        if "secretKeyRef" in e.get("valueFrom", {})
    }
    assert secrets == {
        "KUBEMEDIC_MATTERMOST_TOKEN": "kubemedic-mattermost",
        "KUBEMEDIC_MATTERMOST_COMMAND_TOKEN": "kubemedic-mattermost",
        "KUBEMEDIC_TEAMS_WEBHOOK_URL": "kubemedic-teams",
        "KUBEMEDIC_ALERTMANAGER_TOKEN": "kubemedic-alertmanager",
    }
    for doc in docs:
        validate(doc, K8S_VERSIONS[0])


def test_the_helm_mattermost_walkthrough_renders(tmp_path: Path) -> None:
    script = before(block("helm-mattermost"), "helm install")
    subprocess.run(
        ["bash", "-euc", script],
        cwd=tmp_path,
        check=True,
        timeout=30,
        env={**os.environ, **USER_VALUES},
    )
    values = yaml.safe_load((tmp_path / "my-values.yaml").read_text())
    assert values["chat"] == "mattermost" and values["mattermost"] == {"url": MATTERMOST_SERVER}
    check_mattermost_install(render_chart(values))


@needs_kubectl
def test_the_kustomize_mattermost_walkthrough_renders(tmp_path: Path) -> None:
    script = before(block("kustomize-mattermost"), "kubectl apply")
    subprocess.run(
        ["bash", "-euc", script],
        cwd=tmp_path,
        check=True,
        timeout=30,
        env={**os.environ, **USER_VALUES},
    )
    check_mattermost_install(render(tmp_path / "my-kubemedic"))


def test_the_docs_say_how_to_get_helm() -> None:
    """Helm is not in every image or distribution: the page gives the project's own way, as CI uses it."""
    shown = block_with("sh", ".ci/helm.sh")
    assert shown.startswith('export PATH="$(bash "$KUBEMEDIC/.ci/helm.sh"):$PATH"')
    assert (DEPLOY.parent / ".ci" / "helm.sh").is_file()
