"""Every object each deploy/ target renders is valid against the Kubernetes OpenAPI
schemas, offline: kubernetes-validate ships the JSON schemas of each Kubernetes
release. Strict mode rejects unknown fields, so a misspelt key (which the API
server would drop, or reject with kubectl's --validate=strict) fails here."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from tests.deploy.kustomize import DEPLOY, TARGETS, Doc, bot_container, needs_kubectl, only, render

kubernetes_validate = pytest.importorskip(
    "kubernetes_validate", reason="pip install -e '.[test]' installs kubernetes-validate")

pytestmark = needs_kubectl

#: the oldest Kubernetes release we support, and the one kubectl/kustomize here is from
K8S_VERSIONS = ("1.30", "1.32")


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
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_rendered_object_matches_the_kubernetes_schema(target: str, version: str,
                                                             request: pytest.FixtureRequest) -> None:
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
        "    literals:\n      - KUBEMEDIC_ADMINS=U0ADMIN1,U0ADMIN2\n")
    docs = render(tmp_path)
    assert bot_container(docs)["image"] == "registry.test/kubemedic:1.2.3"
    config = [d for d in docs if d["kind"] == "ConfigMap"]
    assert len(config) == 1 and config[0]["data"]["KUBEMEDIC_ADMINS"] == "U0ADMIN1,U0ADMIN2"
    assert bot_container(docs)["envFrom"] == [{"configMapRef": {"name": config[0]["metadata"]["name"]}}]
    assert {d["metadata"]["name"] for d in docs if d["kind"] == "ClusterRole"} == \
        {"kubemedic-read", "kubemedic-remediate"}
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
