"""Which words of a question name a Service or Deployment to walk, and what a "which one?" button
standing for one asks for (checked again on click, like every name from a button)."""

from __future__ import annotations

import pytest

from bot.answering.candidates import Candidate
from bot.answering.naming import Named, kinds_in, request_of
from bot.errors import BadInput

KINDS = [
    ("the checkout service in shop returns 503s", [("service", "checkout")]),
    ("deployment payments in prod keeps failing", [("deployment", "payments")]),
    (
        "svc/cart is down, and the payments deployment too",
        [("service", "cart"), ("deployment", "payments")],
    ),
    ("kubectl get service checkout -n shop", [("service", "checkout")]),  # "get" is no name
    ("the service in shop is broken", []),
    ('Error from server (NotFound): services "checkout" not found', []),  # a pasted error, quoted
    ("my-api.service failed to start", []),  # a systemd unit
    ("service Checkout_API is down", []),  # no valid Kubernetes name
]


@pytest.mark.parametrize(("text", "expected"), KINDS)
def test_a_service_or_deployment_is_named_with_its_kind(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert kinds_in(text) == expected


def test_a_which_one_button_walks_the_service_or_the_deployments_namespace() -> None:
    service = request_of(Named("service", "prod", "shop", "checkout", "said").candidate())
    assert (service.verb, service.namespace, service.name, service.context) == (
        "service",
        "shop",
        "checkout",
        "prod",
    )
    deployment = request_of(Named("deployment", None, "shop", "payments", "said").candidate())
    assert (deployment.verb, deployment.namespace, deployment.symptom) == (
        "namespace",
        "shop",
        "deployment payments",
    )
    for forged in ("service||shop|../x", "service||Shop|checkout", "secret||shop|x"):
        with pytest.raises(BadInput):
            request_of(Candidate(id=forged, title="t", line="", why="", score=1.0))
