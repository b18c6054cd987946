"""Readings of the ninth pass (issue 21), each case written from the component's format, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


@pytest.mark.parametrize("line", [
    ("error pulling image configuration: toomanyrequests: Too Many Requests. Please see "
     "https://docs.docker.com/docker-hub/download-rate-limit/"),
    ("Failed to pull image \"quay.io/example/web:1.0\": rpc error: code = Unknown desc = "
     "toomanyrequests: too many requests"),
])
def test_the_registry_s_rate_limit_code_is_read_whatever_its_message(line: str) -> None:
    # distribution's errcode prints "<code>: <message>"; the registry words the message (Docker
    # Hub's "pull rate limit", a plain "Too Many Requests"): the code says what happened
    body = match_json(line + "\n")
    assert body["answer"] == "image-pull-rate-limited"


@pytest.mark.parametrize(("line", "answer"), [
    # the wait the limiter needs would pass the deadline: the client is throttling itself
    (('E0101 10:00:00.000000       1 controller.go:114] "Reconciler error" err="client rate limiter Wait '
      'returned an error: rate: Wait(n=1) would exceed context deadline"'), "api-client-rate-limited"),
    # the deadline had passed before the request was queued: the caller's own timeout
    ("✗ client rate limiter Wait returned an error: context deadline exceeded", None),
])
def test_a_rate_limiter_s_error_is_throttling_only_when_the_limiter_refused(line: str, answer: str | None) -> None:
    assert match_json(line + "\n")["answer"] == answer


@pytest.mark.parametrize("line", [
    ('INFO[0010] Waiting to retrieve agent configuration; server is not ready: CA cert validation failed: '
     'Get "https://127.0.0.1:6444/cacerts": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'),
    'Error: Get "https://10.0.0.5:8443/api": net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
])
def test_an_http_timeout_that_no_probe_reported_is_no_probe_failure(line: str) -> None:
    body = match_json(line + "\n")
    assert not {"readiness-probe-failed", "liveness-probe-failed", "startup-probe-failed"} & set(body["answers"])


def test_the_same_timeout_reported_by_a_probe_is_one() -> None:
    line = ('  Warning  Unhealthy  2m (x9 over 4m)  kubelet  Readiness probe failed: Get "http://10.1.2.3:8080/ready": '
            "context deadline exceeded (Client.Timeout exceeded while awaiting headers)\n")
    assert match_json(line)["answer"] == "readiness-probe-failed"


RESTARTED_POD = ("NAME                READY   STATUS    RESTARTS      AGE\n"
                 "cluster1-haproxy-0  1/2     Running   2 (76s ago)   7m17s\n")


def test_the_user_s_own_sentences_are_not_read_as_the_pod_s_log() -> None:
    # the lines beside one failing pod are read as its log; a sentence in the first person is
    # the user talking ("I cannot create the cluster"), not the container failing
    paste = "I can create the cluster without sidecars, but with the exporter sidecar I cannot create pods\n" + RESTARTED_POD
    assert match_json(paste)["answer"] is None


def test_a_log_line_beside_the_pod_is_still_its_log() -> None:
    paste = RESTARTED_POD + "panic: cannot open /data/haproxy.cfg: no such file or directory\n"
    body = match_json(paste)
    crashloop = next(m for m in body["matches"] if m["id"] == "crashloop-backoff")
    assert any("log" in line for line in crashloop["evidence"])


@pytest.mark.parametrize(("sentence", "answer"), [
    ("I noticed the warning `nodes did not have free ports for the requested pod ports`", "pending-host-port-conflict"),
    ("the scheduler says 3 nodes did not match Pod's node affinity/selector", "pending-node-selector-mismatch"),
    ("it says the nodes did not find available persistent volumes to bind", "pending-no-persistent-volume"),
])
def test_a_scheduler_reason_retyped_without_its_contraction_is_the_same_reason(sentence: str, answer: str) -> None:
    # the reason's own words decide, not whether "didn't" survived being retyped
    assert match_json(sentence + "\n")["answer"] == answer


@pytest.mark.parametrize("line", [
    ("ERROR controller::leader: could not renew the leader lease within the renew deadline; abdicating "
     "error=lease renew attempt stalled past the renew deadline (10s)"),
    "operator pods restart every few days, indicating that they could not renew the leader lease.",
    "controller exited with error: leader lease lost; exiting to re-elect",
])
def test_a_lease_lost_in_another_library_s_words_is_leader_election_lost(line: str) -> None:
    # client-go's wording is not the only one: other languages' leader-election libraries say it
    # in their own words, and the answer is the same
    assert match_json(line + "\n")["answer"] == "leader-election-lost"


@pytest.mark.parametrize(("unit", "answer"), [
    ("kubelet.service", "node-frequent-restarts"),
    ("containerd.service", "node-frequent-restarts"),
    ("edgecore.service", None),  # an edge agent restarting is the agent's own problem
    ("myapp.service", None),
])
def test_systemd_s_restart_counter_is_about_the_unit_it_names(unit: str, answer: str | None) -> None:
    line = f"Nov 29 10:42:17 node-1 systemd[1]: {unit}: Scheduled restart job, restart counter is at 175.\n"
    assert match_json(line)["answer"] == answer


def test_kubeadm_s_kubelet_check_is_no_probe_failure() -> None:
    # kubeadm polls the kubelet's healthz while it waits: a refused call says the kubelet is
    # down, and why is in the kubelet's own log (here: swap), not in the check
    paste = ("[kubelet-check] Initial timeout of 40s passed.\n"
             "[kubelet-check] It seems like the kubelet isn't running or healthy.\n"
             "[kubelet-check] The HTTP call equal to 'curl -sSL http://localhost:10248/healthz' failed with error: "
             'Get "http://localhost:10248/healthz": dial tcp 127.0.0.1:10248: connect: connection refused.\n')
    assert match_json(paste)["answer"] is None
    swap = ('E0101 10:00:00.000000    1234 run.go:74] "command failed" err="failed to run Kubelet: running '
            'with swap on is not supported, please disable swap! or set --fail-swap-on flag to false."\n')
    assert match_json(paste + swap)["answer"] == "kubelet-swap-enabled"
