"""Readings of the sixteenth pass (issue 21), each case written from a component's format or a plain sentence, not the corpus."""

from __future__ import annotations

from tests.cli.runner import match_json


def test_a_declared_order_survives_a_cause_moved_ahead_of_its_symptom() -> None:
    # apimachinery's 503 for a resource of a non-built-in group, kubectl's discovery error it
    # leads to, and the controller crash-looping beside them: the missing resource type explains
    # the crash loop and moves ahead of it, but the unavailable APIService, which the catalog
    # says outranks it, still leads
    paste = (
        "Error from server (ServiceUnavailable): the server is currently unable to handle the request"
        " (get widgets.example.io)\n"
        'error: the server doesn\'t have a resource type "widgets"\n'
        "example-system   example-controller-7d9f8b6c5-x2k4q   0/1   CrashLoopBackOff   9 (2m ago)   40m\n")
    result = match_json(paste)
    assert result["answers"][:2] == ["aggregated-apiservice-unavailable", "crd-not-installed"]
