"""The stand-in's RBAC, through the official client: reviews and 403s follow deploy/'s roles."""

# mypy: disable-error-code="union-attr,index,arg-type"
from __future__ import annotations

import json
from pathlib import Path

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from tests.doctor.install import deploy_rules

from . import kube_objects as ko
from .kube_api import KubeStandIn, start_in_thread

REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"


def _review(
    api: client.ApiClient, verb: str, resource: str, group: str = "", sub: str = ""
) -> bool:
    body = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectAccessReview",
        "spec": {
            "resourceAttributes": {
                "verb": verb,
                "resource": resource,
                "group": group,
                "subresource": sub,
                "namespace": "",
            }
        },
    }
    response = api.call_api(
        *api.param_serialize(
            "POST", REVIEWS, body=body, header_params={"Content-Type": "application/json"}
        )
    )
    assert response.status == 201
    return bool(json.loads(response.read())["status"]["allowed"])


@pytest.fixture
def api(tmp_path: Path) -> client.ApiClient:
    kube = KubeStandIn(latency=0.0)
    kube.add(ko.running_ready_pod(name="web-0", namespace="shop"))
    kube.rbac = deploy_rules("kubemedic-read").without("get", "", "pods/log")
    with start_in_thread(kube) as server:
        yield client.ApiClient(client.Configuration(host=server.url))


def test_reviews_answer_from_the_rules(api: client.ApiClient) -> None:
    assert _review(api, "get", "pods") and _review(api, "list", "pods")
    assert _review(api, "get", "deployments", group="apps")
    assert not _review(api, "get", "pods", sub="log")  # taken out
    assert not _review(api, "get", "secrets")  # never granted
    assert not _review(api, "delete", "pods")  # a write, read role only


def test_requests_outside_the_rules_get_the_real_403(api: client.ApiClient) -> None:
    core = client.CoreV1Api(api)
    assert core.read_namespaced_pod("web-0", "shop").metadata.name == "web-0"
    with pytest.raises(ApiException) as refused:
        core.read_namespaced_pod_log("web-0", "shop", container="app")
    assert refused.value.status == 403
    assert (
        'cannot get resource "pods/log" in API group "" in the namespace "shop"'
        in json.loads(refused.value.body)["message"]
    )
    with pytest.raises(ApiException) as secret:
        core.list_namespaced_secret("shop")
    assert secret.value.status in (403, 404)
