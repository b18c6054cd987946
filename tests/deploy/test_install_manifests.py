"""What an install needs beside the chart comes from the chart: `kubemedic install-manifests
alertmanager` posts to the Service the chart renders, the docs show exactly its output, every
port the docs name is the rendered one, and `install-manifests clusters` turns contexts of a
user's kubeconfig into the kubeconfig Secret (tests/deploy/test_several_clusters.py runs the
bot on it) or says in one line why it cannot."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.manifests import SERVICE_PORT
from bot.settings import Settings
from tests.cli.runner import kubemedic, kubemedic_in_process
from tests.deploy.helm import NAMESPACE, render_chart
from tests.deploy.kustomize import DEPLOY, Doc, bot_container, only

DOCS = [DEPLOY.parent / "README.md", *sorted((DEPLOY.parent / "docs").glob("*.md"))]


def service_and_container_port(values: dict[str, Any]) -> tuple[Doc, int]:
    docs = render_chart(values)
    [port] = bot_container(docs)["ports"]
    return only(docs, "Service"), int(port["containerPort"])


def receiver_url(snippet: str) -> str:
    [url] = yaml.safe_load(snippet.split("\n", 1)[1])["receivers"][0]["webhook_configs"]
    return str(url["url"])


@pytest.mark.parametrize("port", [None, 8080])
def test_the_alertmanager_receiver_posts_to_the_rendered_service(port: int | None) -> None:
    service, _ = service_and_container_port({"service": {"port": port}} if port else {})
    result = kubemedic(
        "install-manifests", "alertmanager", *(["--port", str(port)] if port else [])
    )
    assert result.code == 0, result.stderr
    name, rendered_port = service["metadata"]["name"], service["spec"]["ports"][0]["port"]
    assert (
        receiver_url(result.stdout) == f"http://{name}.{NAMESPACE}.svc:{rendered_port}/alertmanager"
    )


def test_the_docs_show_the_generated_receiver() -> None:
    text = (DEPLOY.parent / "docs" / "alerts-and-watcher.md").read_text()
    assert f"```yaml\n{kubemedic_in_process('install-manifests', 'alertmanager').stdout}```" in text


def test_every_port_the_docs_name_is_the_rendered_one() -> None:
    service, container_port = service_and_container_port({})
    service_port = service["spec"]["ports"][0]["port"]
    assert service_port == SERVICE_PORT and container_port == Settings.model_fields["port"].default
    text = "\n".join(page.read_text() for page in DOCS)
    to_the_service = [
        *(int(p or 80) for p in re.findall(r"kubemedic\.kubemedic\.svc(?::(\d+))?", text)),
        *(int(p) for p in re.findall(r"port-forward svc/kubemedic \d+:(\d+)", text)),
        *(int(p) for p in re.findall(r"Service `?kubemedic`? port (\d+)", text)),
    ]
    to_the_pod = [
        int(p) for p in re.findall(r"on port (\d+)|HTTP on PORT \((\d+)\)", text) for p in p if p
    ]
    assert len(to_the_service) >= 3 and len(to_the_pod) >= 3
    assert set(to_the_service) == {service_port} and set(to_the_pod) == {container_port}


@pytest.fixture
def kubeconfig(tmp_path: Path) -> Path:
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "prod-ca.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\nprod\n")
    (tmp_path / "staging-token").write_text("staging-token-123\n")
    path = tmp_path / "config"
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": "prod",
                "clusters": [
                    {
                        "name": "p",
                        "cluster": {
                            "server": "https://prod:6443",
                            "certificate-authority": "certs/prod-ca.pem",
                        },
                    },
                    {
                        "name": "s",
                        "cluster": {
                            "server": "https://staging:6443",
                            "insecure-skip-tls-verify": True,
                        },
                    },
                    {"name": "e", "cluster": {"server": "https://eks"}},
                ],
                "users": [
                    {"name": "p", "user": {"token": "prod-token"}},
                    {"name": "s", "user": {"tokenFile": str(tmp_path / "staging-token")}},
                    {
                        "name": "e",
                        "user": {"exec": {"command": "aws", "args": ["eks", "get-token"]}},
                    },
                ],
                "contexts": [
                    {"name": "prod", "context": {"cluster": "p", "user": "p", "namespace": "shop"}},
                    {"name": "staging", "context": {"cluster": "s", "user": "s"}},
                    {"name": "eks", "context": {"cluster": "e", "user": "e"}},
                ],
            }
        )
    )
    return path


def test_the_clusters_secret_carries_what_the_pod_can_use(kubeconfig: Path) -> None:
    result = kubemedic_in_process(
        "install-manifests",
        "clusters",
        "--context",
        "prod",
        "--context",
        "staging",
        "--namespace",
        "ops",
        env={"KUBECONFIG": str(kubeconfig)},
    )
    assert result.code == 0, result.stderr
    secret = yaml.safe_load(result.stdout)
    assert (
        secret["metadata"] == {"name": "kubemedic-kubeconfig", "namespace": "ops"}
        and "data" not in secret
    )
    config = yaml.safe_load(secret["stringData"]["config"])
    assert config["current-context"] == "home"
    assert [c["name"] for c in config["contexts"]] == ["home", "prod", "staging"]
    clusters = {c["name"]: c["cluster"] for c in config["clusters"]}
    assert clusters["prod"] == {
        "server": "https://prod:6443",
        "certificate-authority-data": base64.b64encode(
            b"-----BEGIN CERTIFICATE-----\nprod\n"
        ).decode(),
    }
    assert clusters["staging"] == {
        "server": "https://staging:6443",
        "insecure-skip-tls-verify": True,
    }
    users = {u["name"]: u["user"] for u in config["users"]}
    assert users["prod"] == {"token": "prod-token"} and users["staging"] == {
        "token": "staging-token-123"
    }
    assert "clusters.contexts={home,prod,staging}" in result.stderr


@pytest.mark.parametrize(
    ("context", "says"),
    [
        (
            "eks",
            "kubemedic: context 'eks': user 'e' gets its credentials from exec, which cannot run in the kubemedic pod",
        ),
        ("dev", "kubemedic: no context 'dev' in "),
        ("home", "kubemedic: context 'home' is the cluster kubemedic runs in"),
    ],
)
def test_a_context_the_pod_cannot_use_is_refused_in_one_line(
    kubeconfig: Path, context: str, says: str
) -> None:
    result = kubemedic_in_process(
        "install-manifests", "clusters", "--context", context, "--kubeconfig", str(kubeconfig)
    )
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr.startswith(says) and result.stderr.count("\n") == 1
    if context == "dev":
        assert "(it has: prod, staging, eks)" in result.stderr


def test_an_unreadable_kubeconfig_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad").write_text("clusters: [")
    for path, says in (
        (tmp_path / "missing", "no kubeconfig at"),
        (tmp_path / "bad", "is not valid YAML"),
    ):
        result = kubemedic_in_process(
            "install-manifests", "clusters", "--context", "x", "--kubeconfig", str(path)
        )
        assert result.code == 2 and says in result.stderr and "Traceback" not in result.stderr
