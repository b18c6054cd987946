"""Readings of the twenty-first pass (issue 21): failures said in people's words, and the words
they misspell. Each case is written here from the phrasing, not copied from the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_ids, match_json


@pytest.mark.parametrize(("misspelled", "entry"), [
    ("After the upgrade every api pod shows a readyness probe failure.", "readiness-probe-failed"),
    ("The worker keeps restarting because its liveliness probe fails.", "liveness-probe-failed"),
    ("No error in the log now, but the Rediness prob is failing and the web pod never gets healthy.",
     "readiness-probe-failed"),
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
    assert "node-not-ready" not in match_ids(match_json("The api pods are not ready yet after the rollout."))


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
    ("With 100m of CPU we noticed many liveness probe failures on the controller.", "liveness-probe-failed"),
    ("Under load the source-controller readinessProbe will start to fail and enter CrashLoopBackOff.",
     "readiness-probe-failed"),
    ("The database moves nodes and hits the classic MultiAttach error with its ReadWriteOnce volume.",
     "volume-multi-attach"),
])
def test_failures_said_in_words(said: str, entry: str) -> None:
    """Each sentence names a failure the way people write it; the entry that explains it leads."""
    assert match_json(said)["answer"] == entry


def test_volumes_that_attached_are_no_attach_timeout() -> None:
    """The attach words need the attach to hang: a volume attaching and then mounted is fine."""
    assert "csi-attach-timeout" not in match_ids(match_json("The volume was attaching for a second and then mounted fine."))


def test_a_status_in_bold_italic_is_still_the_status() -> None:
    """Markdown bold italic with underscores outside (`_**ErrImageNeverPull**_`) is undone like bold."""
    table = ("NAME                        READY   STATUS                    RESTARTS   AGE\n"
             "producer-685fcbc569-bgv8c   0/1     _**ErrImageNeverPull**_   0          10s\n")
    assert match_json(table)["answer"] == "err-image-never-pull"


def test_a_built_in_type_mistyped_is_no_missing_crd() -> None:
    """kubectl's "doesn't have a resource type" for `pgc` is a slip for `pvc`, not a CRD to install;
    a type no built-in resembles still is."""
    slip = 'error: the server doesn\'t have a resource type "pgc"\n'
    assert match_json(slip)["answer"] is None
    missing = 'error: the server doesn\'t have a resource type "servicemonitors"\n'
    assert match_json(missing)["answer"] == "crd-not-installed"
    short = 'error: the server doesn\'t have a resource type "vs"\n'
    assert match_json(short)["answer"] == "crd-not-installed"


def test_kubectls_report_of_what_it_created_is_no_failure() -> None:
    """`kubectl apply` prints "<resource>/<name> created" for each object it made: a claim created
    is no claim "not created for the pod"; the same paste with the scheduler's refusal still is."""
    applied = ("service/shop created\n"
               "deployment.apps/shop-db created\n"
               "persistentvolumeclaim/shop-db-data created\n"
               "persistentvolumeclaim/shop-media created\n")
    assert match_json(applied)["answer"] is None
    refused = applied + ('Warning  FailedScheduling  12s  default-scheduler  0/3 nodes are available:'
                         ' persistentvolumeclaim "shop-cache" not found. preemption: 0/3 nodes are available:'
                         ' 3 Preemption is not helpful for scheduling.\n')
    assert match_json(refused)["answer"] == "pod-pvc-not-found"


def test_a_symptom_that_says_not_is_never_a_line_that_says_no_trouble() -> None:
    """A symptom whose failure lies in a negation ("swap on is not supported") shares its other
    words with sentences that state no trouble at all; those are no sighting of it."""
    request = "Feature request: a flag to disable swap checks in the minikube kubelet configuration.\n"
    assert match_json(request)["answer"] is None
    failure = "failed to run Kubelet: running with swap on is not supported, please disable swap!\n"
    assert match_json(failure)["answer"] == "kubelet-swap-enabled"


@pytest.mark.parametrize(("said", "entry"), [
    ("The pods answer on their own IPs, but pod1 cannot route traffic to the clusterip of the api service.",
     "kube-proxy-service-broken"),
    ("Since the migration CoreDNS cannot reach external DNS; names inside the cluster still resolve.",
     "coredns-upstream-unreachable"),
    ("Only external DNS wasn't resolving from the pods, though CoreDNS itself was running.",
     "coredns-upstream-unreachable"),
])
def test_networking_said_in_words(said: str, entry: str) -> None:
    """A Service's virtual IP failing while its pods answer; the cluster DNS unable to go beyond."""
    assert match_json(said)["answer"] == entry


@pytest.mark.parametrize("client_error", [
    ("Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: IP: 10.0.4.7 is"
     " not in the cert's list:"),
    ("urllib3.exceptions.MaxRetryError: HTTPSConnectionPool(host='10.0.4.7', port=6443): Max retries exceeded"
     " (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify"
     " failed: self signed certificate in certificate chain (_ssl.c:1129)')))"),
])
def test_other_tls_stacks_name_the_same_certificate_failure(client_error: str) -> None:
    """Node.js and Python report an untrusted or mismatched certificate in their own words."""
    assert match_json(client_error)["answer"] == "x509-certificate-error"


def test_the_request_logger_reads_the_api_servers_answer() -> None:
    """client-go's "Response Status: %s in %d milliseconds" (kubectl -v=6): 401 is credentials refused,
    200 an ordinary answer."""
    logged = ("I0414 15:49:46.268924   95219 round_trippers.go:416] GET https://api.example.com:6443/api?timeout=32s\n"
              "I0414 15:49:46.377192   95219 round_trippers.go:441] Response Status: {} in 108 milliseconds\n")
    assert match_json(logged.format("401 Unauthorized"))["answer"] == "kubectl-unauthorized"
    assert match_json(logged.format("200 OK"))["answer"] is None


def test_a_webhooks_not_found_is_the_webhook_failing() -> None:
    """"the server could not find the requested resource" inside "failed calling webhook" is the
    webhook's own 404 (a wrong path or a stale configuration), not client and server disagreeing."""
    event = ('Warning  FailedCreate  2m  replicaset-controller  Error creating: Internal error occurred: failed'
             ' calling webhook "policy.example.admission": failed to call webhook: the server could not find'
             ' the requested resource\n')
    assert match_json(event)["answer"] == "admission-webhook-failed"


def test_an_old_ingress_controller_names_a_certificate_for_another_host() -> None:
    """ingress-nginx before 0.10: the TLS secret's certificate does not cover the Ingress host."""
    line = ("W0321 23:27:23.645475       1 controller.go:940] SSL Certificate stored in secret shop-tls is not"
            " valid for the host shop.example.com defined in the Ingress rule shop\n")
    assert match_json(line)["answer"] == "ingress-tls-secret-invalid"


def test_an_informer_refused_its_list_reads_the_refusal() -> None:
    """client-go's reflector "failed to list %v: %v": a bare Unauthorized is the credentials
    refused; a forbidden list is still RBAC, read through the same wrapper."""
    head = 'E0716 04:02:43.618927       1 reflector.go:138] informer.go:91: Failed to watch *v1.Secret: failed to list *v1.Secret: '
    assert match_json(head + "Unauthorized\n")["answer"] == "kubectl-unauthorized"
    forbidden = ('secrets is forbidden: User "system:serviceaccount:monitoring:prom" cannot list resource "secrets"'
                 ' in API group "" at the cluster scope\n')
    assert match_json(head + forbidden)["answer"] == "rbac-forbidden"


@pytest.mark.parametrize("said", [
    "When I restart my edge node, domain name resolution in the cluster will fail in some pods.",
    "W0611 03:48:15.965250   18433 dns.go:125] [EdgeMesh] failed to resolve dns: get from real dns",
])
def test_name_resolution_failing_said_any_way(said: str) -> None:
    assert match_json(said + "\n")["answer"] == "dns-resolution-failure"


def test_a_policy_applied_before_the_failure_is_its_cause() -> None:
    """Traffic lost once a NetworkPolicy was applied: the policy leads, and names resolution failing
    is what it explains."""
    said = ("When applying our Calico network policy, the DNS resolver connection gets lost."
            " The application can't resolve DNS records any longer.\n")
    body = match_json(said)
    assert body["answer"] == "networkpolicy-blocking-traffic"
    plain = "The application can't resolve DNS records any longer, pods fail to resolve the database host.\n"
    assert match_json(plain)["answer"] == "dns-resolution-failure"


@pytest.mark.parametrize(("said", "entry"), [
    ("We deploy the operator on GKE and find its pod has restarted several times. We don't know why.",
     "crashloop-backoff"),
    ("The cluster on the second box gets stuck getting killed by the OOMKiller.", "oom-killed"),
    ("k8s.Autorest.HttpOperationException: Operation returned an invalid status code 'Forbidden'",
     "rbac-forbidden"),
])
def test_restarts_kills_and_refusals_said_their_own_way(said: str, entry: str) -> None:
    assert match_json(said + "\n")["answer"] == entry


def test_a_node_restarting_is_no_pod_crash_loop() -> None:
    """The restart words need a pod or a container: a node rebooting is another problem."""
    assert match_json("The worker node has restarted several times since the kernel update.\n")[
        "answer"] != "crashloop-backoff"


def test_an_autoscaler_counting_pods_is_no_failure() -> None:
    """cluster-autoscaler's loop counts the unschedulable pods it will consider; the count is no
    node refusing pods."""
    line = ("I0409 14:09:45.914497       1 static_autoscaler.go:1233] Found 45 pods in the cluster: 43 scheduled,"
            " 2 unschedulable, 0 unprocessed by scheduler, 0 ignored by allowed schedulers\n")
    assert match_json(line)["answer"] is None


def test_a_secret_lookup_that_is_not_an_ingress_is_no_tls_secret() -> None:
    """traefik's "secret %s/%s does not exist" is read inside its TLS wrapper; another tool's lookup
    of a secret is no Ingress certificate."""
    line = "2019/03/18 19:13:42 could not get secret cert-manager/shop-tls: does not exist\n"
    assert match_json(line)["answer"] != "ingress-tls-secret-invalid"
    traefik = ('time="2019-03-18T19:13:42Z" level=error msg="Error configuring TLS for ingress default/shop:'
               ' secret default/shop-tls does not exist"\n')
    assert match_json(traefik)["answer"] == "ingress-tls-secret-invalid"


def test_the_current_schedulers_unnamed_taint_clause_is_read() -> None:
    """kube-scheduler 1.31+ says "node(s) had untolerated taint(s)" without naming the taint; the
    clause counts like its older forms, so four tainted nodes lead two the selector rules out."""
    event = ("Warning  FailedScheduling  3m24s (x239 over 19h)  default-scheduler  0/6 nodes are available:"
             " 2 node(s) didn't match Pod's node affinity/selector, 4 node(s) had untolerated taint(s)."
             " preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.\n")
    body = match_json(event)
    assert body["answers"][:2] == ["pending-untolerated-taint", "pending-node-selector-mismatch"]


@pytest.mark.parametrize(("said", "entry"), [
    (('Normal  DisruptionBlocked  node/ip-10-0-1-7  Cannot disrupt Node: PDB "kube-system/ebs-csi-controller"'
      " prevents pod evictions"), "pdb-blocks-eviction"),
    ('The new app came up, but the ingress sends "503 Service Temporarily Unavailable" for 30 minutes now.',
     "service-endpoints-empty"),
    ("I tried to deploy it, but the image quay.io/acme/redis:v2.0 is not found or it's private.", "image-not-found"),
])
def test_what_controllers_and_people_report_about_blocks_and_missing_things(said: str, entry: str) -> None:
    assert match_json(said + "\n")["answer"] == entry
