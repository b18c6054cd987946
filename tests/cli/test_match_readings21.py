"""Readings of the twenty-first pass (issue 21): failures said in people's words, and the words
they misspell. Each case is written here from the phrasing, not copied from the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


def _ids(body: dict[str, object]) -> list[str]:
    matches = body["matches"]
    assert isinstance(matches, list)
    return [match["id"] for match in matches]


@pytest.mark.parametrize(("misspelled", "entry"), [
    ("After the upgrade every api pod shows a readyness probe failure.", "readiness-probe-failed"),
    ("The worker keeps restarting because its liveliness probe fails.", "liveness-probe-failed"),
])
def test_a_probe_misspelled_is_still_the_probe(misspelled: str, entry: str) -> None:
    """"liveliness" and "readyness" are how many people write the probes' names in chat."""
    assert match_json(misspelled)["answer"] == entry
    assert match_json("The api pods look fine, no errors so far.")["answer"] is None


def test_a_node_named_by_its_role_is_a_node_not_ready() -> None:
    """"The master is NotReady": the node's role names the node, even beside a node that is ready;
    pods "not ready" are no node."""
    assert match_json("After the update the master and one worker are NotReady in kubectl get nodes.")[
        "answer"] == "node-not-ready"
    assert match_json("The master and the old worker is NotReady, the new worker is ready.")[
        "answer"] == "node-not-ready"
    assert "node-not-ready" not in _ids(match_json("The api pods are not ready yet after the rollout."))


def test_names_that_cannot_be_resolved_are_dns() -> None:
    """Whoever fails to resolve names (apt-get inside a pod, a job), cluster DNS is the reading."""
    assert match_json("apt-get update fails in the debug pod; it is not able to resolve any names.")[
        "answer"] == "dns-resolution-failure"


@pytest.mark.parametrize(("said", "entry"), [
    ("Since Tuesday the pods error out on NFS, unable to mount the share.", "volume-mount-failed"),
    ("After the reboot all the volumes are stuck in attaching state forever.", "csi-attach-timeout"),
    ("The pod won't start because of the failing init container init-chown-data.", "init-container-failed"),
    ("The ingress answers 503 because the web endpoint does not have any IPs.", "service-endpoints-empty"),
    ("Slow starting containers get killed by the readiness and liveness probes.", "liveness-probe-failed"),
    ("The service has no endpoints, but the readiness check is not met on the pod.", "readiness-probe-failed"),
])
def test_failures_said_in_words(said: str, entry: str) -> None:
    """Each sentence names a failure the way people write it; the entry that explains it leads."""
    assert match_json(said)["answer"] == entry


def test_volumes_that_attached_are_no_attach_timeout() -> None:
    """The attach words need the attach to hang: a volume attaching and then mounted is fine."""
    assert "csi-attach-timeout" not in _ids(match_json("The volume was attaching for a second and then mounted fine."))
