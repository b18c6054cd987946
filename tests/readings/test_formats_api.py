"""The API server's and its clients' message formats (intents/messages/data: kube-apiserver, client-go,
kubectl, cli-runtime, kube-aggregator, kube-controller-manager, pod security).

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json
from tests.readings.cases import Case, check

CASES = [
    # a cluster older than the manifest
    Case(
        (
            'error: unable to recognize "app.yaml": no matches for kind "Ingress" in version '
            '"networking.k8s.io/v1"'
        ),
        answer="api-version-removed",
        why="no matches for kind tells a built in group from a crd",
    ),
    Case(
        (
            'error: unable to recognize "app.yaml": no matches for kind "CronJob" in version "batch/v1"'
        ),
        answer="api-version-removed",
        why="no matches for kind tells a built in group from a crd",
    ),
    # removed in 1.16
    Case(
        (
            'error: unable to recognize "app.yaml": no matches for kind "Deployment" in version '
            '"extensions/v1beta1"'
        ),
        answer="api-version-removed",
        why="no matches for kind tells a built in group from a crd",
    ),
    # a CRD's group under k8s.io
    Case(
        (
            'error: unable to recognize "app.yaml": no matches for kind "HTTPRoute" in version '
            '"gateway.networking.k8s.io/v1"'
        ),
        answer="crd-not-installed",
        why="no matches for kind tells a built in group from a crd",
    ),
    Case(
        (
            'error: unable to recognize "app.yaml": no matches for kind "Certificate" in version '
            '"cert-manager.io/v1"'
        ),
        answer="crd-not-installed",
        why="no matches for kind tells a built in group from a crd",
    ),
    Case(
        (
            "E0102 03:04:05.678901       1 controller.go:114] Reconciler error Operation cannot be fulfilled "
            'on services "web": StorageError: invalid object, Code: 4, Key: '
            "/registry/services/specs/shop/web, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: "
            "UID in precondition: 7d1e2f30-5a6b-4c7d-8e9f-0a1b2c3d4e5f, UID in object meta: \n"
        ),
        not_answer="object-modified-conflict",
        why="a conflict whose cause is a replaced object is not answered as a stale write",
    ),
    Case(
        (
            "E0102 03:04:05.678901       1 controller.go:114] Reconciler error Operation cannot be fulfilled "
            'on services "web": StorageError: invalid object, Code: 4, Key: '
            "/registry/services/specs/shop/web, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: "
            "ResourceVersion in precondition: 4711, ResourceVersion in object meta: 4712\n"
        ),
        answer="object-modified-conflict",
        why="a conflict whose cause is a replaced object is not answered as a stale write",
    ),
    Case(
        (
            "Unable to connect to the server: dial tcp 127.0.0.1:52311: connectex: No connection could be "
            "made because the target machine actively refused it.\n"
        ),
        answer="kubectl-apiserver-connection-refused",
        why="kubectl on windows refused is the api server refusing",
    ),
    Case(
        (
            "The ReplicaSet cannot create pods in the restricted namespace:\n"
            "- `allowPrivilegeEscalation != false`\n"
            "- `runAsNonRoot != true`\n"
        ),
        answer="pod-security-violation",
        why="pod security s own reasons quoted alone are the violation",
    ),
    Case(
        (
            "E0626 12:45:47.674178   28658 memcache.go:265] couldn't get current server API group list: Get "
            '"https://10.0.0.1:6443/api?timeout=32s": dial tcp 10.0.0.1:6443: connect: no route to host'
        ),
        answer="kubectl-apiserver-unreachable-timeout",
        why="api discovery failing is read by what the dial met",
    ),
    Case(
        (
            "E0626 12:45:47.674178   28658 memcache.go:265] couldn't get current server API group list: Get "
            '"https://10.0.0.1:6443/api?timeout=32s": dial tcp 10.0.0.1:6443: i/o timeout'
        ),
        answer="kubectl-apiserver-unreachable-timeout",
        why="api discovery failing is read by what the dial met",
    ),
    Case(
        (
            "E0626 12:45:47.674178   28658 memcache.go:265] couldn't get current server API group list: Get "
            '"https://10.0.0.1:6443/api?timeout=32s": dial tcp 10.0.0.1:6443: connect: connection refused'
        ),
        answer="kubectl-apiserver-connection-refused",
        why="api discovery failing is read by what the dial met",
    ),
    Case(
        (
            "E0626 12:45:47.674178   28658 memcache.go:265] couldn't get current server API group list: Get "
            '"http://localhost:8080/api?timeout=32s": dial tcp 127.0.0.1:8080: connect: connection refused'
        ),
        answer="kubectl-no-kubeconfig-localhost-8080",
        why="api discovery failing is read by what the dial met",
    ),
    Case(
        "Unable to connect to the server: dial tcp 192.168.64.2:6443: connect: no route to host",
        answer="kubectl-apiserver-unreachable-timeout",
        why="unable to connect with no route to host is an unreachable server",
    ),
    Case(
        (
            "status:\n"
            "  conditions:\n"
            '  - lastTransitionTime: "2024-03-01T10:00:00Z"\n'
            "    message: 'failing or missing response from https://10.96.0.20:443: bad status from "
            "https://10.96.0.20:443: 503'\n"
            "    reason: FailedDiscoveryCheck\n"
            '    status: "False"\n'
            "    type: Available\n"
        ),
        answer="aggregated-apiservice-unavailable",
        why="the aggregators condition reason in yaml",
    ),
    Case(
        'error: the server doesn\'t have a resource type "msn"',
        answer="crd-not-installed",
        why="a resource type the server lacks is read by its kind",
    ),
    Case(
        'error: the server doesn\'t have a resource type "servicemonitors"',
        answer="crd-not-installed",
        why="a resource type the server lacks is read by its kind",
    ),
    Case(
        'error: the server doesn\'t have a resource type "pods"',
        answer="api-version-skew",
        why="a resource type the server lacks is read by its kind",
    ),
    Case(
        'error: the server doesn\'t have a resource type "deployments"',
        answer="api-version-skew",
        why="a resource type the server lacks is read by its kind",
    ),
    # apimachinery's 404 naming a resource of a group no built-in API serves: the CRD is missing
    Case(
        (
            "E0412 08:01:02.000000  1 reflector.go:138] Failed to watch *v1beta1.Widget: failed to list "
            "*v1beta1.Widget: the server could not find the requested resource (get "
            "widgets.shop.example.com)\n"
        ),
        answer="crd-not-installed",
        why="a resource the server does not serve by its group",
    ),
    Case(
        (
            "failed to list *v1.HTTPRoute: the server could not find the requested resource (get "
            "httproutes.gateway.networking.k8s.io)\n"
        ),
        answer="crd-not-installed",
        why="a resource the server does not serve by its group",
    ),
    # the same 404 for a built-in resource is the client asking for an API the server does not serve
    Case(
        (
            "Error from server (NotFound): the server could not find the requested resource (get "
            "ingresses.extensions)\n"
        ),
        answer="api-version-skew",
        why="a resource the server does not serve by its group",
    ),
    Case(
        "error: the server could not find the requested resource\n",
        answer="api-version-skew",
        why="a resource the server does not serve by its group",
    ),
    Case(
        (
            'Error from server (Forbidden): forbidden: User "ci-bot" cannot get path "/apis/metrics.k8s.io"\n'
        ),
        answer="rbac-forbidden",
        why="the authorizer refusing a path",
    ),
    Case(
        (
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request "
            "(get clusters.cluster.karmada.io)\n"
        ),
        answer="aggregated-apiservice-unavailable",
        why="a 503 for a resource of an aggregated group is its apiservice",
    ),
    Case(
        (
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request "
            "(get pods.metrics.k8s.io)\n"
        ),
        answer="aggregated-apiservice-unavailable",
        why="a 503 for a resource of an aggregated group is its apiservice",
    ),
    Case(
        (
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request "
            "(get backups.velero.io nightly)\n"
        ),
        answer="aggregated-apiservice-unavailable",
        why="a 503 for a resource of an aggregated group is its apiservice",
    ),
    # a built-in group: kube-apiserver itself answered 503
    Case(
        (
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request "
            "(get ingresses.networking.k8s.io)\n"
        ),
        answer=None,
        why="a 503 is an aggregated api only for a group an apiservice serves",
    ),
    Case(
        (
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request "
            "(get deployments.apps my-app)\n"
        ),
        answer=None,
        why="a 503 is an aggregated api only for a group an apiservice serves",
    ),
    Case(
        (
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request "
            "(get pods.metrics.k8s.io)\n"
        ),
        answer="aggregated-apiservice-unavailable",
        why="a 503 is an aggregated api only for a group an apiservice serves",
    ),
    Case(
        (
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request "
            "(get clusters.cluster.karmada.io)\n"
        ),
        answer="aggregated-apiservice-unavailable",
        why="a 503 is an aggregated api only for a group an apiservice serves",
    ),
    Case(
        (
            "Unable to connect to the server: dial tcp: lookup api.prod.example.net on 10.0.0.2:53: no such "
            "host\n"
        ),
        answer="kubectl-apiserver-unreachable-timeout",
        why="kubectl failing to look up the api servers name is the api server unreachable",
    ),
    Case(
        'error: the server doesn\'t have a resource type "pgc"\n',
        answer=None,
        why="a built in type mistyped is no missing crd",
    ),
    Case(
        'error: the server doesn\'t have a resource type "servicemonitors"\n',
        answer="crd-not-installed",
        why="a built in type mistyped is no missing crd",
    ),
    Case(
        'error: the server doesn\'t have a resource type "vs"\n',
        answer="crd-not-installed",
        why="a built in type mistyped is no missing crd",
    ),
    Case(
        (
            "I0414 15:49:46.268924   95219 round_trippers.go:416] GET "
            "https://api.example.com:6443/api?timeout=32s\n"
            "I0414 15:49:46.377192   95219 round_trippers.go:441] Response Status: 401 Unauthorized in 108 "
            "milliseconds\n"
        ),
        answer="kubectl-unauthorized",
        why="the request logger reads the api servers answer",
    ),
    Case(
        (
            "I0414 15:49:46.268924   95219 round_trippers.go:416] GET "
            "https://api.example.com:6443/api?timeout=32s\n"
            "I0414 15:49:46.377192   95219 round_trippers.go:441] Response Status: 200 OK in 108 "
            "milliseconds\n"
        ),
        answer=None,
        why="the request logger reads the api servers answer",
    ),
    Case(
        (
            "E0716 04:02:43.618927       1 reflector.go:138] informer.go:91: Failed to watch *v1.Secret: "
            "failed to list *v1.Secret: Unauthorized\n"
        ),
        answer="kubectl-unauthorized",
        why="an informer refused its list reads the refusal",
    ),
    Case(
        (
            "E0716 04:02:43.618927       1 reflector.go:138] informer.go:91: Failed to watch *v1.Secret: "
            'failed to list *v1.Secret: secrets is forbidden: User "system:serviceaccount:monitoring:prom" '
            'cannot list resource "secrets" in API group "" at the cluster scope\n'
        ),
        answer="rbac-forbidden",
        why="an informer refused its list reads the refusal",
    ),
    Case(
        (
            "E0302 10:11:12.018346    2223 reflector.go:125] k8s.io/kubernetes/pkg/kubelet/kubelet.go:453: "
            "Failed to list *v1.Node: Get https://localhost:8443/api/v1/nodes?limit=500: dial tcp "
            "127.0.0.1:8443: connect: connection refused"
        ),
        answer="kubectl-apiserver-connection-refused",
        why="a list refused by the api server on any port is the api server",
    ),
    Case(
        (
            'error: error validating "web.yaml": error validating data: ValidationError(StatefulSet.spec): '
            'missing required field "selector" in io.k8s.api.apps.v1.StatefulSetSpec; if you choose to '
            "ignore these errors, turn validation off with --validate=false"
        ),
        answer="workload-selector-mismatch",
        why="a workload manifest without a selector is the selector problem",
    ),
    Case(
        ("$ kubectl top nodes\nerror: metrics not available yet\n"),
        answer="hpa-missing-metrics",
        why="kubectl top without node metrics is the missing metrics pipeline",
    ),
    Case(
        ("$ kubectl top pods -A\nerror: Metrics API not available\n"),
        answer="aggregated-apiservice-unavailable",
        why="kubectl top without the metrics api is its apiservice not served",
    ),
    Case(
        (
            "E0123 06:25:22.347592       1 available_controller.go:316] v1beta1.metrics.k8s.io failed with: "
            "Get https://10.97.40.73:443: dial tcp 10.97.40.73:443: connect: connection refused"
        ),
        answer="aggregated-apiservice-unavailable",
        why="the aggregators failed sync of an apiservice is the aggregated api down",
    ),
    Case(
        (
            'Unable to register node "worker-0" with API server: User "system:node:" cannot create nodes at '
            "the cluster scope"
        ),
        answer="node-registration-failed",
        among_answers=("rbac-forbidden",),
        why="rbac refusals worded before api groups are rbac",
    ),
    Case(
        (
            'Error from server (Forbidden): pods is forbidden: User "jane" cannot list pods in the namespace '
            '"default"'
        ),
        answer="rbac-forbidden",
        why="rbac refusals worded before api groups are rbac",
    ),
    Case(
        (
            "E1205 04:09:27.805891       1 controller.go:298] error processing service default/web (retrying "
            "with exponential backoff): failed to ensure load balancer: [400] [configs[0].nodes[0].address] "
            "invalid\n"
        ),
        answer="loadbalancer-service-pending",
        why="read as loadbalancer-service-pending",
    ),
    Case(
        'Deploy failed: error: unable to recognize "STDIN": Unauthorized\n',
        answer="kubectl-unauthorized",
        why="read as kubectl-unauthorized",
    ),
    Case(
        (
            "Error creating: Internal error occurred: failed calling admission webhook "
            '"sidecar-injector.istio.io": Post https://istio-sidecar-injector.istio-system.svc:443/inject: '
            "net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting "
            "headers)"
        ),
        answer="admission-webhook-failed",
        why="read as admission-webhook-failed",
    ),
    Case(
        (
            "Warning  VolumeMismatch  persistentvolume-controller  Cannot bind to requested volume "
            '"data-pv": storageClassName does not match'
        ),
        answer="pvc-pending",
        why="read as pvc-pending",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_an_api_or_client_message_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


def test_etcd_overrunning_its_expected_duration_is_a_slow_etcd() -> None:
    # etcd's warnings, from its source at 3.3 (plog) and 3.5 (zap): a request or an apply over
    # 100 ms per entry, a read waiting on the leader, a heartbeat sent late
    for line in (
        "2018-04-03 19:58:14.352516 W | etcdserver: apply entries took too long [1.144955296s for 1 entries]",
        (
            '2019-02-11 10:00:00.000000 W | etcdserver: read-only range request "key:\\"/registry/pods\\" " with result'
            ' "range_response_count:12 size:4096" took too long (1.2s) to execute'
        ),
        (
            '{"level":"warn","ts":"2024-01-10T07:55:33.433Z","caller":"etcdserver/v3_server.go:897","msg":"waiting for'
            ' ReadIndex response took too long, retrying","sent-request-id":1124902094,"retry-timeout":"500ms"}'
        ),
    ):
        assert match_json(line + "\n")["answer"] == "etcd-slow-disk", line
