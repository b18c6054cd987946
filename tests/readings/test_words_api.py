"""People's words and lines for the API server, kubectl, RBAC, CRDs, webhooks and object lifecycles,
read by the entries' own patterns and symptoms.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json, rules_ids
from tests.readings.cases import Case, check

CASES = [
    Case(
        "After the uninstall the namespace is still stuck in Terminating.",
        answer="namespace-stuck-terminating",
        why="stuck in terminating is answered for the object that is its subject",
    ),
    Case(
        "namespace monitoring has been stuck in terminating for two days",
        answer="namespace-stuck-terminating",
        why="stuck in terminating is answered for the object that is its subject",
    ),
    Case(
        "my PVC is stuck in Terminating after deleting the statefulset",
        answer="pvc-stuck-terminating",
        why="stuck in terminating is answered for the object that is its subject",
    ),
    Case(
        "the pod is stuck in Terminating and kubectl delete hangs",
        answer="pod-stuck-terminating",
        why="stuck in terminating is answered for the object that is its subject",
    ),
    Case(
        "after deleting the namespace the pods are stuck in Terminating",
        answer="pod-stuck-terminating",
        why="stuck in terminating is answered for the object that is its subject",
    ),
    Case(
        (
            "$ helm install web ./chart --debug\n"
            'Error: unable to build kubernetes objects from release manifest: error validating "": error '
            'validating data: ValidationError(Deployment.spec): unknown field "replica" in '
            "io.k8s.api.apps.v1.DeploymentSpec\n"
            'helm.go:84: [debug] error validating "": error validating data: '
            'ValidationError(Deployment.spec): unknown field "replica" in io.k8s.api.apps.v1.DeploymentSpec\n'
            "helm.sh/helm/v3/pkg/kube.scrubValidationError\n"
            "\t/home/runner/work/helm/helm/pkg/kube/client.go:815\n"
            "helm.sh/helm/v3/pkg/kube.(*Client).Build\n"
            "\t/home/runner/work/helm/helm/pkg/kube/client.go:358\n"
            "helm.sh/helm/v3/pkg/action.(*Install).RunWithContext\n"
            "\t/home/runner/work/helm/helm/pkg/action/install.go:306\n"
        ),
        not_answer="helm-no-deployed-releases",
        why="frames of a helm trace do not stand for another helm failure",
    ),
    Case(
        (
            'Error: UPGRADE FAILED: "web" has no deployed releases\n'
            "helm.sh/helm/v3/pkg/storage.(*Storage).DeployedAll\n"
            "\t/home/runner/work/helm/helm/pkg/storage/storage.go:136\n"
        ),
        answer="helm-no-deployed-releases",
        why="the storage frame of no deployed releases still names it",
    ),
    Case(
        (
            "apiVersion: apps/v1\n"
            "kind: Deployment\n"
            "metadata:\n"
            "  name: payments\n"
            "spec:\n"
            "  selector:\n"
            "    matchLabels:\n"
            "      app: payments\n"
            "  template:\n"
            "    metadata:\n"
            "      labels:\n"
            "        app: payments\n"
            "    spec:\n"
            "      containers:\n"
            "      - name: server\n"
            "        securityContext:\n"
            "          allowPrivilegeEscalation: false\n"
            "          privileged: false\n"
            "          readOnlyRootFilesystem: true\n"
            "        image: registry.example.com/payments:1.4.2\n"
            "        ports:\n"
            "        - containerPort: 50051\n"
        ),
        answer=None,
        why="a hardening setting in a manifest is not a failure",
    ),
    # the wait the limiter needs would pass the deadline: the client is throttling itself
    Case(
        (
            'E0101 10:00:00.000000       1 controller.go:114] "Reconciler error" err="client rate limiter '
            'Wait returned an error: rate: Wait(n=1) would exceed context deadline"\n'
        ),
        answer="api-client-rate-limited",
        why="a rate limiter s error is throttling only when the limiter refused",
    ),
    # the deadline had passed before the request was queued: the caller's own timeout
    Case(
        "✗ client rate limiter Wait returned an error: context deadline exceeded\n",
        answer=None,
        why="a rate limiter s error is throttling only when the limiter refused",
    ),
    Case(
        (
            "ERROR controller::leader: could not renew the leader lease within the renew deadline; "
            "abdicating error=lease renew attempt stalled past the renew deadline (10s)\n"
        ),
        answer="leader-election-lost",
        why="a lease lost in another library s words is leader election lost",
    ),
    Case(
        (
            "operator pods restart every few days, indicating that they could not renew the leader lease.\n"
        ),
        answer="leader-election-lost",
        why="a lease lost in another library s words is leader election lost",
    ),
    Case(
        "controller exited with error: leader lease lost; exiting to re-elect\n",
        answer="leader-election-lost",
        why="a lease lost in another library s words is leader election lost",
    ),
    # etcd's v2 client wraps each endpoint's error: the wrapped one says what failed
    Case(
        (
            "Error:  client: etcd cluster is unavailable or misconfigured; error #0: client: etcd member "
            "https://10.0.0.5:2379 has no leader\n"
        ),
        answer="etcd-request-timeout",
        why="etcd s cluster error is read by the error it wraps",
    ),
    Case(
        (
            "Error:  client: etcd cluster is unavailable or misconfigured; error #0: client: endpoint "
            "https://10.0.0.5:2379 exceeded header timeout\n"
        ),
        answer=None,
        why="etcd s cluster error is read by the error it wraps",
    ),
    Case(
        "The namespace stays in Terminating state forever.\n",
        answer="namespace-stuck-terminating",
        why="a state said with another verb is read",
    ),
    Case(
        'After the job completes the PVC goes to "Terminating" and stays there.\n',
        answer="pvc-stuck-terminating",
        why="a state said with another verb is read",
    ),
    Case(
        "Two of the pods remain in Terminating after the node was drained.\n",
        answer="pod-stuck-terminating",
        why="a state said with another verb is read",
    ),
    Case(
        "worker-3 is under memory pressure and evicts pods.\n",
        answer="node-memory-pressure",
        why="a state said with another verb is read",
    ),
    Case(
        "Our nodes have disk pressure since the log volume grew.\n",
        answer="node-disk-pressure",
        why="a state said with another verb is read",
    ),
    Case(
        "Pushing the chart fails with 413 Payload Too Large from the ingress.\n",
        answer="ingress-nginx-request-body-too-large",
        why="a state said with another verb is read",
    ),
    Case(
        # a 413 from some proxy: no ingress named, so no ingress-nginx body limit (issue 75)
        "Pushing the chart fails with 413 Payload Too Large from the proxy.\n",
        answer=None,
        why="a status code alone names no component",
    ),
    Case(
        "our etcd certificates have expired\n",
        answer="x509-certificate-error",
        why="a certificate said to have expired is x509",
    ),
    Case(
        "the webhook fails on an expired TLS certificate\n",
        answer="x509-certificate-error",
        why="a certificate said to have expired is x509",
    ),
    Case(
        (
            'Errors: cilium-operator  Get "http://localhost:8080/apis/apps/v1/namespaces/kube-system/deployme'
            'nts/cilium-operator": dial tcp 127.0.0.1:8080: connect: connection refused'
        ),
        answer="kubectl-no-kubeconfig-localhost-8080",
        why="any client dialing client gos default host has no kubeconfig",
    ),
    # the API server's NotFound for the ServiceAccount, as an operator logs it (JSON-escaped) or
    # says it
    Case(
        (
            '{"level":"error","msg":"reconcile failed","error":"ServiceAccount \\"builder\\" not found"}\n'
        ),
        answer="serviceaccount-not-found",
        why="an object a controller needs is not found",
    ),
    Case(
        "ServiceAccount spark-driver is not found, create it before submitting the job.\n",
        answer="serviceaccount-not-found",
        why="an object a controller needs is not found",
    ),
    # an ingress controller building routes for an Ingress whose Service is gone
    Case(
        (
            "Warning  FailedBuildModel  12s (x3 over 40s)  ingress  Failed build model due to ingress: "
            'shop/web: Service "web-v2" not found\n'
        ),
        answer="ingress-backend-service-not-found",
        why="an object a controller needs is not found",
    ),
    Case(
        '"error": ["the service \\"shop-web-80@kubernetescrd\\" does not exist"]\n',
        answer="ingress-backend-service-not-found",
        why="an object a controller needs is not found",
    ),
    # kine (k3s's datastore shim) says etcd's compaction error in its own words
    Case(
        (
            'time="2024-02-02T09:00:00Z" level=error msg="error while range on /registry/pods/ '
            '/registry/pods/: revision has been compact"\n'
        ),
        answer="etcd-revision-compacted",
        why="a datastore or a registry in its clients words",
    ),
    # containerd's resolver failing to reach a registry on any port, plain HTTP too
    Case(
        (
            'Failed to pull image "registry.lab:5001/team/api:7": rpc error: code = Unknown desc = failed to '
            'pull and unpack image "registry.lab:5001/team/api:7": failed to resolve reference '
            '"registry.lab:5001/team/api:7": failed to do request: Head '
            '"http://registry.lab:5001/v2/team/api/manifests/7": dial tcp 10.1.2.3:5001: connect: no route '
            "to host\n"
        ),
        answer="image-registry-unreachable",
        why="a datastore or a registry in its clients words",
    ),
    # a client-go tool with no kubeconfig dials localhost:8080, which Go may resolve to ::1
    Case(
        (
            "E0301 10:00:00.000000  77 memcache.go:265] couldn't get current server API group list: Get "
            '"http://localhost:8080/api?timeout=32s": dial tcp [::1]:8080: connect: connection refused\n'
        ),
        answer="kubectl-no-kubeconfig-localhost-8080",
        why="a client that cannot reach its server",
    ),
    # dockerd's registry client on a registry answering 5xx
    Case(
        (
            "[ERROR ImagePull]: failed to pull image registry.example.com/base/api:2.4: output: Error "
            "response from daemon: received unexpected HTTP status: 502 Bad Gateway\n"
        ),
        answer="image-registry-unreachable",
        why="a client that cannot reach its server",
    ),
    # the Python client's ApiException ("(%s)\nReason: %s\n"), fabric8's own words, aiohttp on an
    # API path
    Case(
        ("kubernetes.client.exceptions.ApiException: (403)\nReason: Forbidden\n"),
        answer="rbac-forbidden",
        why="a client librarys wording of the api servers refusal",
    ),
    Case(
        ("kubernetes.client.rest.ApiException: (401)\nReason: Unauthorized\n"),
        answer="kubectl-unauthorized",
        why="a client librarys wording of the api servers refusal",
    ),
    Case(
        (
            "io.fabric8.kubernetes.client.KubernetesClientException: Failure executing: GET at: "
            "https://10.96.0.1/api/v1/namespaces/ci/pods. Message: Forbidden!Configured service account "
            "doesn't have access. Service account may have been revoked.\n"
        ),
        answer="rbac-forbidden",
        why="a client librarys wording of the api servers refusal",
    ),
    Case(
        (
            "aiohttp.client_exceptions.ClientResponseError: 403, message='Forbidden', "
            "url=URL('https://10.0.0.1:443/apis/batch/v1/jobs')\n"
        ),
        answer="rbac-forbidden",
        why="a client librarys wording of the api servers refusal",
    ),
    Case(
        "ClientResponseError: 403, message='Forbidden', url=URL('https://shop.example.com/cart')\n",
        answer=None,
        why="a 403 from some other web server is not rbac",
    ),
    Case(
        (
            "Metric client health check failed: the server could not find the requested resource (get "
            "services dashboard-metrics-scraper). Retrying in 30 seconds.\n"
        ),
        not_answer="api-version-skew",
        why="a 404 from behind a named object is no api version skew",
    ),
    Case(
        (
            "Error from server (NotFound): the server could not find the requested resource (post "
            "deployments.extensions)\n"
        ),
        answer="api-version-skew",
        why="a 404 from behind a named object is no api version skew",
    ),
    Case(
        (
            "Error from server (NotFound): the server could not find the requested resource (get services "
            "http:heapster:)\n"
        ),
        answer="api-version-skew",
        why="a 404 from behind a named object is no api version skew",
    ),
    Case(
        (
            'The Deployment "x" is invalid: metadata.labels: Invalid value: '
            '"payments-reconciliation-worker-with-a-very-long-descriptive-name-v2": must be no more than 63 '
            "characters\n"
        ),
        answer="invalid-rfc1123-name",
        why="a name over the dns label length is an invalid name",
    ),
    # a client with no cluster configured falls back to the local host (Terraform's provider: port
    # 80)
    Case(
        (
            'Error: Post "http://localhost/api/v1/namespaces/default/secrets": dial tcp [::1]:80: connect: '
            "connection refused\n"
        ),
        answer="kubectl-no-kubeconfig-localhost-8080",
        why="an api path refused on the local host is no kubeconfig",
    ),
    Case(
        (
            'Get "http://127.0.0.1:8080/apis/apps/v1/namespaces/web/deployments": dial tcp 127.0.0.1:8080: '
            "connect: connection refused\n"
        ),
        answer="kubectl-no-kubeconfig-localhost-8080",
        why="an api path refused on the local host is no kubeconfig",
    ),
    Case(
        (
            "service/shop created\n"
            "deployment.apps/shop-db created\n"
            "persistentvolumeclaim/shop-db-data created\n"
            "persistentvolumeclaim/shop-media created\n"
        ),
        answer=None,
        why="kubectls report of what it created is no failure",
    ),
    Case(
        (
            "service/shop created\n"
            "deployment.apps/shop-db created\n"
            "persistentvolumeclaim/shop-db-data created\n"
            "persistentvolumeclaim/shop-media created\n"
            "Warning  FailedScheduling  12s  default-scheduler  0/3 nodes are available: "
            'persistentvolumeclaim "shop-cache" not found. preemption: 0/3 nodes are available: 3 Preemption '
            "is not helpful for scheduling.\n"
        ),
        answer="pod-pvc-not-found",
        why="kubectls report of what it created is no failure",
    ),
    Case(
        (
            "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: IP: "
            "10.0.4.7 is not in the cert's list:"
        ),
        answer="x509-certificate-error",
        why="other tls stacks name the same certificate failure",
    ),
    Case(
        (
            "urllib3.exceptions.MaxRetryError: HTTPSConnectionPool(host='10.0.4.7', port=6443): Max retries "
            "exceeded (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] "
            "certificate verify failed: self signed certificate in certificate chain (_ssl.c:1129)')))"
        ),
        answer="x509-certificate-error",
        why="other tls stacks name the same certificate failure",
    ),
    Case(
        (
            "Warning  FailedCreate  2m  replicaset-controller  Error creating: Internal error occurred: "
            'failed calling webhook "policy.example.admission": failed to call webhook: the server could not '
            "find the requested resource\n"
        ),
        answer="admission-webhook-failed",
        why="a webhooks not found is the webhook failing",
    ),
    Case(
        'Error from server (NotFound): services "shop-api" not found',
        not_answer="ingress-backend-service-not-found",
        why="a service missing outside any route is not an ingress backend",
    ),
    Case(
        (
            'level=error msg="failed to list: http error 403 GET '
            '\\"https://10.96.0.1:443/apis/apps/v1/deployments\\""'
        ),
        answer="rbac-forbidden",
        why="an in cluster client refused by the api is rbac",
    ),
    Case(
        "WARN Failed to get pod with name [web-0]. Are you missing serviceaccount permissions?",
        answer="rbac-forbidden",
        why="an in cluster client refused by the api is rbac",
    ),
    Case(
        (
            "error: SchemaError(io.k8s.api.apps.v1.DeploymentSpec): invalid object doesn't have additional "
            "properties"
        ),
        answer="api-version-skew",
        why="kubectl unable to read the servers schema is version skew",
    ),
    Case(
        (
            "minikube\n"
            "type: Control Plane\n"
            "host: Running\n"
            "kubelet: Running\n"
            "apiserver: Stopped\n"
            "kubeconfig: Configured\n"
        ),
        answer="kubectl-apiserver-connection-refused",
        why="minikube status with the apiserver stopped is the api server down",
    ),
    Case(
        "the operator crashes because the ServiceMonitor CRD is not installed",
        answer="crd-not-installed",
        why="a crd said missing is the crd not installed",
    ),
    Case(
        (
            '{"level":"error","msg":"failed setting up controllers","error":"missing a required CRD: '
            'widgets.example.com"}'
        ),
        answer="crd-not-installed",
        why="a crd said missing is the crd not installed",
    ),
    Case(
        (
            "[WARNING] templates/ingress.yaml: networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, "
            "unavailable in v1.22+; use networking.k8s.io/v1 Ingress"
        ),
        answer="api-version-removed",
        why="a chart template on a version about to go is still the removed api",
    ),
    Case(
        (
            "The replicasets are stuck in Error because their pods fail quota checks, they don't specify "
            "cpu/memory."
        ),
        answer="resource-quota-exceeded",
        why="pods that fail quota checks are the quota",
    ),
    Case(
        (
            'error: error validating "web.yaml": error validating data: unknown object type '
            'schema.GroupVersionKind{Group:"apps", Version:"v1beta2", Kind:"Deployment"}; if you choose to '
            "ignore these errors, turn validation off with --validate=false"
        ),
        answer="api-version-skew",
        why="kubectl validation missing a kind version is version skew",
    ),
    Case(
        (
            'error: error validating "cm.yaml": error validating data: [unknown object type "nil" in '
            "ConfigMap.data.x]"
        ),
        not_answer="api-version-skew",
        why="a nil value in a manifest is no version skew",
    ),
    Case(
        "The deployment exceeded quota when creating the second pod.\n",
        answer="resource-quota-exceeded",
        why="a failure named in plain words",
    ),
    Case(
        (
            'error="Get https://10.0.0.1:443/api/v1/pods: x509: cannot validate certificate for 10.0.0.1 '
            "because it doesn't contain any IP SANs\"\n"
        ),
        answer="x509-certificate-error",
        why="read as x509-certificate-error",
    ),
    Case(
        (
            "ERROR Kubernetes API forbidden access, please check that your Service Account has the correct "
            "Role rules\n"
        ),
        answer="rbac-forbidden",
        why="read as rbac-forbidden",
    ),
    Case(
        "We can't deploy in any namespace that has resource quotas.\n",
        answer="resource-quota-exceeded",
        why="failures said in words",
    ),
    Case(
        "We ran into the ALARM NO SPACE failure once the database reached 2 GB.\n",
        answer="etcd-space-exceeded",
        why="failures said in words",
    ),
    Case(
        "Pod creation fails due to not enough quota in the namespace.\n",
        answer="resource-quota-exceeded",
        why="failures said in words",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_an_api_failure_in_words_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


def test_skaffolds_waiting_container_is_no_kubectl_logs_refusal() -> None:
    """skaffold's status check names the container bare and the image it cannot pull: an image pull
    failing, not `kubectl logs` refused by the API server (which quotes both names)."""
    skaffold = (
        " - deployment/shop-api: container shop-api is waiting to start:"
        " registry.example.com/shop/api:4f2a1c0 can't be pulled\n"
    )
    assert "kubectl-logs-container-waiting" not in rules_ids(match_json(skaffold))
    kubectl = (
        'Error from server (BadRequest): container "shop-api" in pod "shop-api-5d8c9" is waiting to'
        " start: ContainerCreating\n"
    )
    assert match_json(kubectl)["answer"] == "kubectl-logs-container-waiting"
