"""Readings of the tenth pass (issue 21), each case written from the component's format or a plain sentence, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json

RESTARTED_ROW = ("NAME       READY   STATUS    RESTARTS        AGE\n"
                 "worker-0   1/1     Running   14 (3m12s ago)  2d\n")


def test_a_restarted_row_does_not_deny_how_the_container_last_ended() -> None:
    # `get pods` shows the current state only; the OOMKilled of the last run is in describe
    paste = RESTARTED_ROW + "kubectl describe pod worker-0 | grep Reason\n      Reason:       OOMKilled\n"
    assert match_json(paste)["answer"] == "oom-killed"


def test_a_row_that_never_restarted_still_denies_a_last_termination() -> None:
    # a container that never restarted has no last state: the row says it did not end OOMKilled
    paste = ("NAME       READY   STATUS    RESTARTS   AGE\n"
             "worker-0   1/1     Running   0          2d\n"
             "it was OOMKilled\n")
    assert match_json(paste)["answer"] != "oom-killed"


@pytest.mark.parametrize("sentence", [
    "The web pods stay in ImagePullBackOff. It appears the 3.2.0 tag does not yet exist for the acme/web image.",
    "We are seeing ImagePullBackOff in staging; the tag acme/web:3.2.0-r1 no longer exists on Docker Hub.",
    "I can't find the tag acme/web:3.2.0 anywhere, and the deployment is stuck in ErrImagePull.",
    "Pod fails to start with an ImagePullBackOff. Appears to be due to a wrong web image tag.",
])
def test_a_tag_said_not_to_exist_is_the_missing_image(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] == "image-not-found"


def test_docker_s_v1_pull_error_names_the_missing_image() -> None:
    # moby's v1 pull (graph/pull.go, distribution/pull_v1.go) on the registry's 404
    line = ('Failed to pull image "registry.example.com/acme/web:edge": image pull failed for '
            "registry.example.com/acme/web:edge, details: (Error: image acme/web:edge not found)\n")
    assert match_json(line)["answer"] == "image-not-found"


@pytest.mark.parametrize("sentence", [
    "The git tag v3.2.0 is what the release workflow builds from.",
    "Which image tag should I use for the 3.x chart?",
])
def test_talk_of_tags_that_says_none_is_missing_is_no_answer(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] != "image-not-found"


@pytest.mark.parametrize("sentence", [
    "The gateway pods are stuck in a crash loop because of a 503 on the liveness probe.",
    "Once livenessProbe is turned on, the broker pods crash loop since /health/live answers 404.",
    "The head and worker pods fail health checks and go into a crash loop backoff.",
    "The exporter keeps restarting due to failing health checks.",
])
def test_a_restart_told_with_its_health_check_is_the_liveness_probe(sentence: str) -> None:
    # only the liveness probe restarts a container; readiness takes it out of the Service
    assert match_json(sentence + "\n")["answer"] == "liveness-probe-failed"


@pytest.mark.parametrize("sentence", [
    "We restarted the pods and the health checks pass now.",
    "The readiness probe fails, so the Service has no endpoints.",
])
def test_a_health_check_not_said_to_restart_anything_is_not_liveness(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] != "liveness-probe-failed"


@pytest.mark.parametrize(("sentence", "answer"), [
    ("The calico containers fail their readiness probe too many times.", "readiness-probe-failed"),
    ("Now the elasticsearch pods do not pass the readiness probe.", "readiness-probe-failed"),
    ("After the upgrade the app never passes its startup probe.", "startup-probe-failed"),
])
def test_a_container_said_not_to_pass_its_probe_failed_it(sentence: str, answer: str) -> None:
    assert match_json(sentence + "\n")["answer"] == answer



def test_helm_s_existing_resource_error_quoted_without_its_tail_is_the_ownership() -> None:
    # pkg/action/install.go: what follows the head is the object Helm cannot adopt
    line = 'I get an error: "Error: rendered manifests contain a resource that already exists"\n'
    assert match_json(line)["answer"] == "helm-invalid-ownership-metadata"


@pytest.mark.parametrize(("wrapped", "answer"), [
    # etcd's v2 client wraps each endpoint's error: the wrapped one says what failed
    ("client: etcd member https://10.0.0.5:2379 has no leader", "etcd-request-timeout"),
    ("client: endpoint https://10.0.0.5:2379 exceeded header timeout", None),
])
def test_etcd_s_cluster_error_is_read_by_the_error_it_wraps(wrapped: str, answer: str | None) -> None:
    line = f"Error:  client: etcd cluster is unavailable or misconfigured; error #0: {wrapped}\n"
    assert match_json(line)["answer"] == answer


@pytest.mark.parametrize(("sentence", "answer"), [
    ("kubectl get svc shows the external IP is in <pending> state for a long time.", "loadbalancer-service-pending"),
    ("The EXTERNAL-IP of the ingress controller service stays pending on our bare-metal cluster.",
     "loadbalancer-service-pending"),
    ("The nightly backup job reached its backoff limit.", "job-backoff-limit"),
    ("The git-clone init container is in Init: CrashLoopBackOff.", "init-container-failed"),
])
def test_a_status_retold_in_words_is_read_as_its_status(sentence: str, answer: str) -> None:
    assert match_json(sentence + "\n")["answer"] == answer


def test_an_external_ip_that_was_assigned_is_no_pending_load_balancer() -> None:
    assert match_json("The external IP was assigned by MetalLB within seconds.\n")["answer"] is None


@pytest.mark.parametrize(("sentence", "answer"), [
    ("Pods are failing to schedule because of not enough CPU being available.", "pending-insufficient-resources"),
    ("The ingester pod will OOM every 20 minutes, going beyond the 8GB limit.", "oom-killed"),
    ("Our data PVC reached full capacity, which took the database down.", "filesystem-full"),
    ("The log shipper started filling up the disk on every node.", "filesystem-full"),
])
def test_a_failure_said_in_words_is_read_as_its_cause(sentence: str, answer: str) -> None:
    assert match_json(sentence + "\n")["answer"] == answer


@pytest.mark.parametrize("sentence", [
    "The PVC has plenty of free space left.",
    "Pods were scheduled once we added a node with more CPU.",
])
def test_the_same_words_saying_all_is_well_are_no_answer(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] is None
