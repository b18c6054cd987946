"""Readings of the fifth pass (issue 21), each case written from the format, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import kubemedic_in_process


def view(paste: str) -> dict[str, object]:
    result = kubemedic_in_process("match", "--json", stdin=paste.encode())
    assert result.code == 0, result.stderr
    body: dict[str, object] = result.json()
    return body


@pytest.mark.parametrize("sentence", [
    "the worker pods went into CrashLoopBackOff right after the helm upgrade",
    "my pod keeps going into crash loop backoff, any idea?",
    "both replicas are in CrashLoopBackoff state",
])
def test_a_crash_loop_named_in_words_with_no_cause_is_answered_as_one(sentence: str) -> None:
    body = view(sentence)
    assert body["answer"] == "crashloop-backoff", body["matches"]


def test_a_cause_and_an_independent_problem_beside_a_crash_loop_in_words_are_both_answered() -> None:
    paste = ("api pods are in CrashLoopBackOff, their log ends with\n"
             "exec /usr/local/bin/docker-entrypoint.sh: exec format error\n"
             "and the new replica: 0/3 nodes are available: 3 Insufficient memory.\n")
    body = view(paste)
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
    body = view(HELM_DEBUG_TRACE)
    assert body["answer"] != "helm-no-deployed-releases", body["matches"]


def test_the_storage_frame_of_no_deployed_releases_still_names_it() -> None:
    trace = ("Error: UPGRADE FAILED: \"web\" has no deployed releases\n"
             "helm.sh/helm/v3/pkg/storage.(*Storage).DeployedAll\n"
             "\t/home/runner/work/helm/helm/pkg/storage/storage.go:136\n")
    assert view(trace)["answer"] == "helm-no-deployed-releases"


@pytest.mark.parametrize("sentence", [
    'I changed the service to type: "NodePort" but it doesn\'t work from outside the cluster.',
    'we set type: "ClusterIP" and the frontend still doesn\'t reach it',
])
def test_a_negative_contraction_is_no_more_a_hint_than_not(sentence: str) -> None:
    # "doesn't" + "type" + a quoted word once read as kubectl's `the server doesn't have a
    # resource type "pods"` (medium): a contraction of a stopword is a stopword
    assert view(sentence)["answer"] is None
