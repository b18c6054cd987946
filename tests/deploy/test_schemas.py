"""Every object each deploy/ target renders is valid against the Kubernetes OpenAPI
schemas, offline: kubernetes-validate ships the JSON schemas of each Kubernetes
release. Strict mode rejects unknown fields, so a misspelt key (which the API
server would drop, or reject with kubectl's --validate=strict) fails here."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.kustomize import (
    ALL_RENDERINGS,
    DEPLOY,
    Doc,
    bot_container,
    needs_kubectl,
    only,
    render,
)

kubernetes_validate = pytest.importorskip(
    "kubernetes_validate", reason="pip install -e '.[test]' installs kubernetes-validate"
)

pytestmark = needs_kubectl

INSTALL = DEPLOY.parent / "docs" / "install.md"
CHART = DEPLOY / "helm" / "kubemedic" / "Chart.yaml"


def minimum_kubernetes() -> str:
    """The oldest supported release, as the chart's kubeVersion states it (">=1.27.0-0")."""
    stated = yaml.safe_load(CHART.read_text())["kubeVersion"]
    found = re.fullmatch(r">=\s*(\d+)\.(\d+)\.0-0", stated)
    assert found, f"kubeVersion should be a plain lower bound, not {stated!r}"
    return f"{found.group(1)}.{found.group(2)}"


OLDEST_SCHEMA = "1.25"
"""The oldest release kubernetes-validate ships schemas for; the minimum itself (1.20) is proved by
installing on the real 1.20 node (tests/install)."""
#: the oldest release with schemas here, a common one, and the one kubectl/kustomize here is from
K8S_VERSIONS = (OLDEST_SCHEMA, "1.30", "1.32")
#: renderings that need more than the minimum: http-postgres's PodDisruptionBudget is policy/v1
NEWER = {"http_postgres": (1, 21), "http_everything": (1, 21), "hub": (1, 21)}


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _has_key(name: str) -> Callable[[Doc], bool]:
    return lambda doc: any(key == name for key, _ in _walk(doc))


def _is(api_version: str, kind: str) -> Callable[[Doc], bool]:
    return lambda doc: (doc.get("apiVersion"), doc.get("kind")) == (api_version, kind)


#: (what, the first release that has it on by default, whether a rendered object uses it)
FEATURES: list[tuple[str, tuple[int, int], Callable[[Doc], bool]]] = [
    (
        "topologySpreadConstraints matchLabelKeys (beta, on by default)",
        (1, 27),
        _has_key("matchLabelKeys"),
    ),
    (
        "emptyDir sizeLimit enforced (LocalStorageCapacityIsolation, beta and on by default)",
        (1, 10),
        _has_key("sizeLimit"),
    ),
    ("PodDisruptionBudget policy/v1", (1, 21), _is("policy/v1", "PodDisruptionBudget")),
    ("fsGroupChangePolicy", (1, 20), _has_key("fsGroupChangePolicy")),
    ("Ingress networking.k8s.io/v1", (1, 19), _is("networking.k8s.io/v1", "Ingress")),
    ("seccompProfile field", (1, 19), _has_key("seccompProfile")),
]


def required_release(docs: list[Doc]) -> tuple[tuple[int, int], list[str]]:
    used = [(version, what) for what, version, uses in FEATURES if any(uses(d) for d in docs)]
    newest = max(version for version, _ in used)
    return newest, [what for version, what in used if version == newest]


def validate(doc: Doc, version: str) -> None:
    name = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except kubernetes_validate.ValidationError as exc:
        path = "/".join(str(p) for p in exc.path)
        pytest.fail(f"{name} is not a valid {version} object at {path}: {exc.message}")
    except kubernetes_validate.SchemaNotFoundError as exc:
        pytest.fail(f"{name}: {exc.message}")


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("target", ALL_RENDERINGS)
def test_every_rendered_object_matches_the_kubernetes_schema(
    target: str, version: str, request: pytest.FixtureRequest
) -> None:
    docs: list[Doc] = request.getfixturevalue(target)
    assert docs
    for doc in docs:
        validate(doc, version)


def test_the_documented_own_overlay_renders_and_validates(tmp_path: Path) -> None:
    """The install notes tell users to write an overlay of their own: http-postgres plus the
    remediation Component, their image, and their admins merged into the settings ConfigMap."""

    def there(path: Path) -> str:  # kustomize takes only relative paths
        return os.path.relpath(path, tmp_path)

    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        f"resources: [{there(DEPLOY / 'overlays' / 'http-postgres')}]\n"
        f"components: [{there(DEPLOY / 'components' / 'remediation')}]\n"
        "images:\n  - {name: registry.example.com/kubemedic, newName: registry.test/kubemedic, newTag: 1.2.3}\n"
        "configMapGenerator:\n  - name: kubemedic\n    behavior: merge\n"
        "    literals:\n      - KUBEMEDIC_ADMINS=U0ADMIN1,U0ADMIN2\n"
    )
    docs = render(tmp_path)
    assert bot_container(docs)["image"] == "registry.test/kubemedic:1.2.3"
    config = [d for d in docs if d["kind"] == "ConfigMap"]
    assert len(config) == 1 and config[0]["data"]["KUBEMEDIC_ADMINS"] == "U0ADMIN1,U0ADMIN2"
    assert bot_container(docs)["envFrom"] == [
        {"configMapRef": {"name": config[0]["metadata"]["name"]}}
    ]
    assert {d["metadata"]["name"] for d in docs if d["kind"] == "ClusterRole"} == {
        "kubemedic-read",
        "kubemedic-remediate",
    }
    assert only(docs, "Deployment")["spec"]["replicas"] >= 2
    for doc in docs:
        validate(doc, K8S_VERSIONS[0])


@pytest.mark.parametrize("breakage", ["typo", "wrong type", "missing required"])
def test_the_schema_check_catches_a_broken_deployment(base: list[Doc], breakage: str) -> None:
    deployment = copy.deepcopy(only(base, "Deployment"))
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    if breakage == "typo":
        container["securityContext"]["readOnlyRootFS"] = True
    elif breakage == "wrong type":
        container["ports"][0]["containerPort"] = "3000"
    else:
        del deployment["spec"]["selector"]
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSIONS[0], strict=True)


def test_the_stated_minimum_is_what_the_manifests_need(request: pytest.FixtureRequest) -> None:
    """The chart's kubeVersion, the README and docs/install.md name the release the newest field we render
    needs: adding a newer field (or dropping the one that sets the bar) fails here. The HTTP + PostgreSQL
    overlay needs 1.21 (its policy/v1 PodDisruptionBudget), and docs/install.md says so."""
    docs = [
        doc for name in ALL_RENDERINGS if name not in NEWER for doc in request.getfixturevalue(name)
    ]
    (major, minor), why = required_release(docs)
    assert minimum_kubernetes() == f"{major}.{minor}", why
    for page in (INSTALL, INSTALL.parents[1] / "README.md"):
        assert f"Kubernetes {major}.{minor} or newer" in page.read_text(), page
    for name, needed in NEWER.items():
        assert required_release(request.getfixturevalue(name))[0] == needed, name
    assert "`policy/v1` (Kubernetes 1.21 or newer" in INSTALL.read_text()


def test_the_minimum_check_sees_a_field(base: list[Doc]) -> None:
    assert required_release(base)[0] == (1, 20)
    without = copy.deepcopy(base)
    only(without, "Deployment")["spec"]["template"]["spec"]["securityContext"].pop(
        "fsGroupChangePolicy"
    )
    assert required_release(without)[0] == (1, 19)
