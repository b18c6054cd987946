"""Readings of the twenty-fourth pass (issue 21): a node NotReady said in the same sentence as a
missing CNI, an ingress controller that cannot find a route's backend Service (Traefik's ingress-nginx
provider, APISIX), and an in-cluster client refused with an HTTP 403 on an API path or asking for
the permissions it lacks. Each case is written here from the component's format or a plain
sentence, not copied from the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


@pytest.mark.parametrize("said", [
    "We bootstrapped the cluster with no CNI and the nodes stay NotReady, what is missing?",
    "all three nodes are NotReady since we set up kubeadm with no CNI",
    "the workers never become Ready; describing one shows it failed to initialize the CNI plugin",
])
def test_a_node_not_ready_beside_a_missing_cni_is_the_missing_network(said: str) -> None:
    assert match_json(said)["answer"] == "cni-network-plugin-not-ready"


def test_not_ready_alone_is_not_the_network() -> None:
    assert match_json("the node is NotReady after the kernel upgrade, kubelet keeps restarting")[
        "answer"] != "cni-network-plugin-not-ready"


@pytest.mark.parametrize("log", [
    ('{"level":"error","providerName":"kubernetesingressnginx","ingress":"web","error":"getting backend '
     'addresses: getting service: service \\"shop-api\\" not found"}'),
    ('2024-03-02T10:11:12Z  error  ingress/apisix_route.go:170  failed to translate ApisixRoute v2 '
     '{"error": "service \\"shop-api\\" not found"}'),
    'E0302 10:11:12.000001       1 ep.go:52] find endpoint shop/shop-api err: endpoints "shop-api" not found',
])
def test_an_ingress_controller_missing_a_routes_service_is_the_missing_backend(log: str) -> None:
    assert match_json(log)["answer"] == "ingress-backend-service-not-found"


def test_a_service_missing_outside_any_route_is_not_an_ingress_backend() -> None:
    missing = 'Error from server (NotFound): services "shop-api" not found'
    assert match_json(missing)["answer"] != "ingress-backend-service-not-found"


@pytest.mark.parametrize("log", [
    'level=error msg="failed to list: http error 403 GET \\"https://10.96.0.1:443/apis/apps/v1/deployments\\""',
    "WARN Failed to get pod with name [web-0]. Are you missing serviceaccount permissions?",
])
def test_an_in_cluster_client_refused_by_the_api_is_rbac(log: str) -> None:
    assert match_json(log)["answer"] == "rbac-forbidden"


def test_a_403_from_a_registry_is_not_rbac() -> None:
    pulled = 'failed to pull: unexpected status from HEAD request to https://registry.example.com/v2/app/manifests/1.0: 403 Forbidden'
    assert match_json(pulled)["answer"] != "rbac-forbidden"


@pytest.mark.parametrize("said", [
    "The pods stay in ImagePullBackOff because tag 2.7.1 is not available in the repository.",
    "We deployed a bad docker image, and the pod shows ErrImagePull since then.",
])
def test_an_image_or_tag_said_missing_beside_its_pull_failure_is_the_missing_image(said: str) -> None:
    assert match_json(said)["answer"] == "image-not-found"


def test_a_bad_image_name_is_not_a_missing_image() -> None:
    assert match_json('Failed to apply default image tag "Web:Latest": couldn\'t parse image reference '
                      '"Web:Latest": invalid reference format: repository name must be lowercase')[
        "answer"] != "image-not-found"
