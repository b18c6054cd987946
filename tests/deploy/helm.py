"""Render deploy/helm/kubemedic offline with the Helm v4 engine (PyPI helm-python-sdk; no helm
binary), and normalise renderings so the chart can be compared with the Kustomize install."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
import yaml

from tests.deploy.kustomize import DEPLOY, Doc

helm = pytest.importorskip(
    "helm_python", reason="pip install -e '.[test]' installs helm-python-sdk"
)
helm.disable_logging()

CHART = DEPLOY / "helm" / "kubemedic"
RELEASE = NAMESPACE = "kubemedic"
#: labels Helm charts carry by convention and the Kustomize install does not
HELM_LABELS = {
    "helm.sh/chart",
    "app.kubernetes.io/managed-by",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/version",
}
_HASHED = re.compile(r"^(?P<name>.+)-[a-z0-9]{10}$")

#: value sets a user may install with, by name; those named like a Kustomize rendering
#: (tests/deploy/kustomize.py) must render the same objects as it
VALUE_SETS: dict[str, dict[str, Any]] = {
    "base": {},
    "with_remediation": {"remediation": {"enabled": True}},
    "http_postgres": {
        "slack": {"mode": "http"},
        "replicaCount": 2,
        "database": {"existingSecret": "kubemedic-database"},
    },
    "clusters": {
        "clusters": {"kubeconfigSecret": "kubemedic-kubeconfig", "contexts": ["home", "prod"]}
    },
    "socket_everything": {
        "remediation": {"enabled": True},
        "watcher": {"enabled": True},
        "clusters": {"kubeconfigSecret": "kubemedic-kubeconfig", "contexts": ["home", "prod"]},
        "alertmanager": {"channel": "C0ALERTS01"},
        "routing": {"file": "default: {channel: C0ALERTS01}"},
    },
    "http_everything": {
        "slack": {"mode": "http"},
        "replicaCount": 2,
        "database": {"existingSecret": "kubemedic-database"},
        "remediation": {"enabled": True},
        "watcher": {"enabled": True},
        "clusters": {"kubeconfigSecret": "kubemedic-kubeconfig", "contexts": ["home", "prod"]},
        "routing": {"existingConfigMap": "kubemedic-routing"},
        "ingress": {"enabled": True},
    },
    "sqlite_without_persistence": {"persistence": {"enabled": False}},
    "http_sqlite": {"slack": {"mode": "http"}, "persistence": {"enabled": False}},
    "mattermost": {
        "chat": "mattermost",
        "mattermost": {"url": "https://chat.example.com"},
        "teams": {"existingSecret": "kubemedic-teams"},
        "persistence": {"enabled": False},
    },
    "incidents": {
        "incidents": {
            "existingSecret": "kubemedic-incidents",
            "pagerdutyFrom": "oncall@example.com",
        }
    },
    "mattermost_ingress": {
        "chat": "mattermost",
        "mattermost": {"url": "https://chat.example.com"},
        "ingress": {"enabled": True},
    },
    "hub": {
        "mode": "hub",
        "slack": {"mode": "http"},
        "replicaCount": 2,
        "database": {"existingSecret": "kubemedic-database"},
        "ingress": {"enabled": True},
    },
    "agent": {"mode": "agent", "agent": {"hubUrl": "https://kubemedic.example.com"}},
    "agent_everything": {
        "mode": "agent",
        "agent": {"hubUrl": "https://kubemedic.example.com", "alertmanager": {"enabled": True}},
        "remediation": {"enabled": True},
        "watcher": {"enabled": True},
    },
    # no Kustomize twin: options only the chart offers
    "agent_impersonating": {
        "mode": "agent",
        "agent": {
            "hubUrl": "https://kubemedic.example.com",
            "impersonate": {"users": ["alice@example.com"], "groups": ["sre"]},
        },
    },
    "hub_identities": {
        "mode": "hub",
        "slack": {"mode": "http"},
        "identities": {"file": "users: {U0ALICE01: {user: alice@example.com}}"},
    },
    "teams_bot": {
        "chat": "teams",
        "teams": {
            "appId": "8e3c1f5a-6a0e-4d42-9c37-1f4a2b6c9d01",
            "tenantIds": "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "existingSecret": "kubemedic-teams",
        },
        "ingress": {"enabled": True},
        "persistence": {"enabled": False},
    },
    "teams_bot_incidents": {
        "chat": "teams",
        "teams": {
            "appId": "00000000-0000-0000-0000-0000000000b0",
            "tenantIds": "00000000-0000-0000-0000-0000000000a0",
            "tenantId": "00000000-0000-0000-0000-0000000000a0",
            "teamId": "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b",
            "existingSecret": "kubemedic-teams",
        },
        "incidents": {
            "existingSecret": "kubemedic-incidents",
            "pagerdutyFrom": "oncall@example.com",
            "ingress": True,
        },
        "jira": {
            "url": "https://example.atlassian.net",
            "project": "OPS",
            "email": "kubemedic@example.com",
        },
        "ingress": {"enabled": True},
        "persistence": {"enabled": False},
    },
    "tuned": {
        "image": {"repository": "registry.test/kubemedic", "digest": "sha256:" + "ab" * 32},
        "persistence": {"storageClass": "fast-ssd", "size": "5Gi"},
        "admins": ["U0ADMIN1", "U0ADMIN2"],
        "namespaces": ["shop", "payments"],
        "settings": {"KUBEMEDIC_DRY_RUN": True, "KUBEMEDIC_REPEAT_WINDOW_MINUTES": 30},
        "ingress": {
            "enabled": True,
            "className": "nginx",
            "host": "kubemedic.example.org",
            "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt"},
        },
        "slack": {"mode": "http"},
        "podAnnotations": {"team": "sre"},
        "serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/x"}},
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "tolerations": [
            {"key": "dedicated", "operator": "Equal", "value": "ops", "effect": "NoSchedule"}
        ],
    },
}


#: the image the test renderings install: the chart has no default image (it refuses to render
#: without one) and the Kustomize base names the placeholder its users replace with `images:`
TEST_IMAGE = "registry.test/kubemedic"
KUSTOMIZE_PLACEHOLDER = "registry.example.com/kubemedic"


def render_chart(values: dict[str, Any], *, image: str | None = TEST_IMAGE) -> list[Doc]:
    """`helm template kubemedic deploy/helm/kubemedic -n kubemedic` with `values`, and
    `--set image.repository=IMAGE` unless `values` name one (or `image` is None)."""
    chart = helm.Chart.load(CHART)
    if image is not None and "repository" not in values.get("image", {}):
        values = {**values, "image": {**values.get("image", {}), "repository": image}}
    rendered = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    docs: list[Doc] = []
    for path, text in sorted(rendered.items()):
        if path.endswith(".yaml"):
            docs += [d for d in yaml.safe_load_all(text) if d]
    return docs


def _strip_helm_labels(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("labels", "matchLabels", "selector") and isinstance(value, dict):
                for label in HELM_LABELS:
                    value.pop(label, None)
            _strip_helm_labels(value)
    elif isinstance(node, list):
        for item in node:
            _strip_helm_labels(item)


def _rename(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {key: _rename(value, names) for key, value in node.items()}
    if isinstance(node, list):
        items = [_rename(item, names) for item in node]
        if items and all(isinstance(i, dict) and "name" in i for i in items):
            items.sort(
                key=lambda i: str(i["name"])
            )  # env, volumes, mounts: order carries no meaning
        return items
    if isinstance(node, str) and node.startswith(f"{TEST_IMAGE}:"):  # the one intended difference
        return node.replace(TEST_IMAGE, KUSTOMIZE_PLACEHOLDER, 1)
    return names.get(node, node) if isinstance(node, str) else node


def comparable(docs: list[Doc]) -> dict[tuple[str, str], Doc]:
    """kind/name -> object, with Helm's standard labels dropped, content-hashed ConfigMap names
    (Kustomize's generator hash, the chart's sha256) cut to their stem everywhere they are
    named, and lists of named items in name order."""
    docs = copy.deepcopy(docs)
    names = {
        d["metadata"]["name"]: m.group("name")
        for d in docs
        if d["kind"] == "ConfigMap"
        if (m := _HASHED.match(d["metadata"]["name"]))
    }
    found: dict[tuple[str, str], Doc] = {}
    for doc in docs:
        _strip_helm_labels(doc)
        doc = _rename(doc, names)
        key = (doc["kind"], doc["metadata"]["name"])
        assert key not in found, f"two objects named {key}"
        found[key] = doc
    return found
