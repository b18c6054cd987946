"""Readings of the fifth pass (issue 21), each case written from the format, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


@pytest.mark.parametrize("sentence", [
    "the worker pods went into CrashLoopBackOff right after the helm upgrade",
    "my pod keeps going into crash loop backoff, any idea?",
    "both replicas are in CrashLoopBackoff state",
])
def test_a_crash_loop_named_in_words_with_no_cause_is_answered_as_one(sentence: str) -> None:
    body = match_json(sentence)
    assert body["answer"] == "crashloop-backoff", body["matches"]


def test_a_cause_and_an_independent_problem_beside_a_crash_loop_in_words_are_both_answered() -> None:
    paste = ("api pods are in CrashLoopBackOff, their log ends with\n"
             "exec /usr/local/bin/docker-entrypoint.sh: exec format error\n"
             "and the new replica: 0/3 nodes are available: 3 Insufficient memory.\n")
    body = match_json(paste)
    answers = body["answers"]
    assert isinstance(answers, list)
    assert {"exec-format-error", "pending-insufficient-resources"} <= set(answers), body["matches"]
    assert "crashloop-backoff" not in answers  # named in the cause's chain, not a problem apart


HELM_DEBUG_TRACE = """$ helm install web ./chart --debug
Error: unable to build kubernetes objects from release manifest: error validating "": error validating data: ValidationError(Deployment.spec): unknown field "replica" in io.k8s.api.apps.v1.DeploymentSpec
helm.go:84: [debug] error validating "": error validating data: ValidationError(Deployment.spec): unknown field "replica" in io.k8s.api.apps.v1.DeploymentSpec
helm.sh/helm/v3/pkg/kube.scrubValidationError
\t/home/runner/work/helm/helm/pkg/kube/client.go:815
helm.sh/helm/v3/pkg/kube.(*Client).Build
\t/home/runner/work/helm/helm/pkg/kube/client.go:358
helm.sh/helm/v3/pkg/action.(*Install).RunWithContext
\t/home/runner/work/helm/helm/pkg/action/install.go:306
"""


def test_frames_of_a_helm_trace_do_not_stand_for_another_helm_failure() -> None:
    body = match_json(HELM_DEBUG_TRACE)
    assert body["answer"] != "helm-no-deployed-releases", body["matches"]


def test_the_storage_frame_of_no_deployed_releases_still_names_it() -> None:
    trace = ("Error: UPGRADE FAILED: \"web\" has no deployed releases\n"
             "helm.sh/helm/v3/pkg/storage.(*Storage).DeployedAll\n"
             "\t/home/runner/work/helm/helm/pkg/storage/storage.go:136\n")
    assert match_json(trace)["answer"] == "helm-no-deployed-releases"


@pytest.mark.parametrize("sentence", [
    'I changed the service to type: "NodePort" but it doesn\'t work from outside the cluster.',
    'we set type: "ClusterIP" and the frontend still doesn\'t reach it',
])
def test_a_negative_contraction_is_no_more_a_hint_than_not(sentence: str) -> None:
    # "doesn't" + "type" + a quoted word once read as kubectl's `the server doesn't have a
    # resource type "pods"` (medium): a contraction of a stopword is a stopword
    assert match_json(sentence)["answer"] is None


def test_an_init_container_s_crash_loop_in_words_is_not_the_main_container_s() -> None:
    # Init:CrashLoopBackOff is the init container's status: the words pattern of
    # crashloop-backoff does not read it (it once tied the answer on catalog weights alone)
    body = match_json("the migrate pod sits in Init:CrashLoopBackOff since the deploy")
    assert body["answer"] == "init-container-failed"
    scores = {m["id"]: m["score"] for m in body["matches"]}
    assert scores.get("crashloop-backoff", 0.0) < 0.5


@pytest.mark.parametrize("line", [
    ('W0612 09:14:02.118342       7 controller.go:1333] Error getting SSL certificate "web/web-tls": '
    "local SSL certificate web/web-tls was not found. Using default certificate"),
    ('time="2023-02-01T10:00:00Z" level=error msg="Error configuring TLS: secret web/web-tls does not exist" '
    "providerName=kubernetes ingress=web namespace=web"),
])
def test_an_ingress_tls_secret_the_controller_cannot_use_is_answered(line: str) -> None:
    assert match_json(line)["answer"] == "ingress-tls-secret-invalid"
