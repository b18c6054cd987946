"""People's words and lines for name resolution, Services, ingresses and the pod network, read by the
entries' own patterns and symptoms.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json
from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            'W0612 09:14:02.118342       7 controller.go:1333] Error getting SSL certificate "web/web-tls": '
            "local SSL certificate web/web-tls was not found. Using default certificate"
        ),
        answer="ingress-tls-secret-invalid",
        why="an ingress tls secret the controller cannot use is answered",
    ),
    Case(
        (
            'time="2023-02-01T10:00:00Z" level=error msg="Error configuring TLS: secret web/web-tls does not '
            'exist" providerName=kubernetes ingress=web namespace=web'
        ),
        answer="ingress-tls-secret-invalid",
        why="an ingress tls secret the controller cannot use is answered",
    ),
    Case(
        (
            "helpers.go:283: Programmed was not in conditions list [[{Accepted True 1 2026-03-02 10:00:04 "
            "+0000 UTC Accepted Gateway is accepted} {Programmed False 1 2026-03-02 10:00:04 +0000 UTC "
            "Pending envoy deployment is not available yet}]]\n"
        ),
        answer="gateway-not-programmed",
        why="gateway conditions printed by go are read",
    ),
    Case(
        'I get an error: "Error: rendered manifests contain a resource that already exists"\n',
        answer="helm-invalid-ownership-metadata",
        why="helm s existing resource error quoted without its tail is the ownership",
    ),
    Case(
        "kubectl get svc shows the external IP is in <pending> state for a long time.\n",
        answer="loadbalancer-service-pending",
        why="a status retold in words is read as its status",
    ),
    Case(
        (
            "The EXTERNAL-IP of the ingress controller service stays pending on our bare-metal cluster.\n"
        ),
        answer="loadbalancer-service-pending",
        why="a status retold in words is read as its status",
    ),
    Case(
        "The nightly backup job reached its backoff limit.\n",
        answer="job-backoff-limit",
        why="a status retold in words is read as its status",
    ),
    Case(
        "The git-clone init container is in Init: CrashLoopBackOff.\n",
        answer="init-container-failed",
        why="a status retold in words is read as its status",
    ),
    Case(
        "The external IP was assigned by MetalLB within seconds.\n",
        answer=None,
        why="an external ip that was assigned is no pending load balancer",
    ),
    Case(
        "==> default: ----- Waiting for Cilium to get into 'ready' state in Minikube cluster -----",
        answer=None,
        why="a tidb entry needs tidb in the paste",
    ),
    Case(
        (
            "basic-pd-0 keeps restarting, its log says: nslookup domain "
            "basic-pd-0.basic-pd-peer.tidb-cluster.svc failed, waiting for pd cluster ready timeout"
        ),
        answer="tidb-pd-discovery-dns",
        why="a tidb entry needs tidb in the paste",
    ),
    Case(
        (
            "Endpoints:\n"
            "COMPONENT   MODE        INTERNAL                                  EXTERNAL\n"
            "mysql       ReadWrite   shop-mysql.default.svc.cluster.local:3306   <none>\n"
        ),
        not_answer="service-endpoints-empty",
        why="an endpoints heading over a table is no empty endpoints",
    ),
    Case(
        (
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request "
            "(get pods)\n"
        ),
        not_answer="aggregated-apiservice-unavailable",
        why="a 503 for a built in resource is not blamed on an apiservice",
    ),
    Case(
        (
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request "
            "(get deployments.apps)\n"
        ),
        not_answer="aggregated-apiservice-unavailable",
        why="a 503 for a built in resource is not blamed on an apiservice",
    ),
    Case(
        (
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request "
            "(list nodes)\n"
        ),
        not_answer="aggregated-apiservice-unavailable",
        why="a 503 for a built in resource is not blamed on an apiservice",
    ),
    Case(
        (
            "Exiting due to SVC_UNREACHABLE: service not available: no running pod for service web found\n"
        ),
        answer="service-endpoints-empty",
        why="minikube service with no running pod is the service without endpoints",
    ),
    Case(
        (
            "Status:\n"
            "  Certificate Name:    example\n"
            "  Certificate Status:  Provisioning\n"
            "  Domain Status:\n"
            "    Domain:  api.example.com\n"
            "    Status:  FailedNotVisible\n"
            "Events:      <none>\n"
        ),
        answer=None,
        why="a status line with another value is no line about a pending pod",
    ),
    Case(
        (
            "E0403 14:36:29.616270       1 reflector.go:167] Failed to list *v1.Pod: Get "
            '"https://10.96.0.1:443/api/v1/pods?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o '
            "timeout\n"
        ),
        answer="kube-proxy-service-broken",
        why="an in cluster client unable to reach the kubernetes service is service routing broken",
    ),
    Case(
        (
            'Unable to connect to the server: Get "https://10.1.2.3:443/api?timeout=32s": dial tcp '
            "10.1.2.3:443: i/o timeout\n"
        ),
        answer="kubectl-apiserver-unreachable-timeout",
        why="an in cluster client unable to reach the kubernetes service is service routing broken",
    ),
    Case(
        (
            "Rules:\n"
            "  Host         Path      Backends\n"
            "  ----         ----      --------\n"
            '  example.com  /metrics  response-403:use-annotation (<error: endpoints "response-403" not '
            "found>)\n"
        ),
        answer=None,
        why="an alb action backend is no missing service",
    ),
    Case(
        (
            "Rules:\n"
            "  Host         Path  Backends\n"
            "  ----         ----  --------\n"
            '  example.com  /api  api-svc:8080 (<error: endpoints "api-svc" not found>)\n'
        ),
        answer="ingress-backend-service-not-found",
        why="an alb action backend is no missing service",
    ),
    Case(
        "dial tcp: lookup redis.cache.svc.cluster.local on 10.96.0.10:53: no such host\n",
        answer="dns-resolution-failure",
        why="a lookup failing outside a pull stays cluster dns",
    ),
    Case(
        "apt-get update fails in the debug pod; it is not able to resolve any names.",
        answer="dns-resolution-failure",
        why="names that cannot be resolved are dns",
    ),
    Case(
        (
            "The pods answer on their own IPs, but pod1 cannot route traffic to the clusterip of the api "
            "service."
        ),
        answer="kube-proxy-service-broken",
        why="networking said in words",
    ),
    Case(
        (
            "Since the migration CoreDNS cannot reach external DNS; names inside the cluster still resolve."
        ),
        answer="coredns-upstream-unreachable",
        why="networking said in words",
    ),
    Case(
        "Only external DNS wasn't resolving from the pods, though CoreDNS itself was running.",
        answer="coredns-upstream-unreachable",
        why="networking said in words",
    ),
    Case(
        (
            "When I restart my edge node, domain name resolution in the cluster will fail in some pods.\n"
        ),
        answer="dns-resolution-failure",
        why="name resolution failing said any way",
    ),
    Case(
        (
            "W0611 03:48:15.965250   18433 dns.go:125] [EdgeMesh] failed to resolve dns: get from real dns\n"
        ),
        answer="dns-resolution-failure",
        why="name resolution failing said any way",
    ),
    Case(
        (
            "When applying our Calico network policy, the DNS resolver connection gets lost. The application "
            "can't resolve DNS records any longer.\n"
        ),
        answer="networkpolicy-blocking-traffic",
        why="a policy applied before the failure is its cause",
    ),
    Case(
        (
            "The application can't resolve DNS records any longer, pods fail to resolve the database host.\n"
        ),
        answer="dns-resolution-failure",
        why="a policy applied before the failure is its cause",
    ),
    Case(
        "2019/03/18 19:13:42 could not get secret cert-manager/shop-tls: does not exist\n",
        not_answer="ingress-tls-secret-invalid",
        why="a secret lookup that is not an ingress is no tls secret",
    ),
    Case(
        (
            'time="2019-03-18T19:13:42Z" level=error msg="Error configuring TLS for ingress default/shop: '
            'secret default/shop-tls does not exist"\n'
        ),
        answer="ingress-tls-secret-invalid",
        why="a secret lookup that is not an ingress is no tls secret",
    ),
    Case(
        (
            '{"level":"error","providerName":"kubernetesingressnginx","ingress":"web","error":"getting '
            'backend addresses: getting service: service \\"shop-api\\" not found"}'
        ),
        answer="ingress-backend-service-not-found",
        why="an ingress controller missing a routes service is the missing backend",
    ),
    Case(
        (
            "2024-03-02T10:11:12Z  error  ingress/apisix_route.go:170  failed to translate ApisixRoute v2 "
            '{"error": "service \\"shop-api\\" not found"}'
        ),
        answer="ingress-backend-service-not-found",
        why="an ingress controller missing a routes service is the missing backend",
    ),
    Case(
        (
            'E0302 10:11:12.000001       1 ep.go:52] find endpoint shop/shop-api err: endpoints "shop-api" '
            "not found"
        ),
        answer="ingress-backend-service-not-found",
        why="an ingress controller missing a routes service is the missing backend",
    ),
    Case(
        "After the node pool update pods are not being created because of IP starvation.",
        answer="cni-sandbox-failed",
        why="pod ips said starved is the pod network out of addresses",
    ),
    Case(
        "the node says cni plugin not initialised",
        answer="cni-network-plugin-not-ready",
        why="british spellings read as the words kubernetes prints",
    ),
    Case(
        "error: You must be logged in to the server (Unauthorised)",
        answer="kubectl-unauthorized",
        why="british spellings read as the words kubernetes prints",
    ),
    Case(
        (
            "E0123 06:25:22.347592       1 controller.go:316] default/web failed with: the object has been "
            "modified"
        ),
        not_answer="aggregated-apiservice-unavailable",
        why="another controllers failed sync is not an aggregated api",
    ),
    Case(
        (
            "A CoreDNS pod keeps crash looping with an error about a forwarding loop for the root domain."
        ),
        answer="coredns-loop-detected",
        why="coredns looping through the nodes resolver said in words",
    ),
    Case(
        (
            "CoreDNS is in CrashLoopBackOff, because the /etc/resolv.conf on the node is the one created by "
            "systemd-resolved."
        ),
        answer="coredns-loop-detected",
        why="coredns looping through the nodes resolver said in words",
    ),
    Case(
        "My laptop's /etc/resolv.conf is managed by systemd-resolved and curl works.",
        not_answer="coredns-loop-detected",
        why="systemd resolved without coredns is no dns loop",
    ),
    Case(
        ("### Actual Behavior\nExternal IP pending\n"),
        answer="loadbalancer-service-pending",
        why="network failures said in words",
    ),
    Case(
        "I get an NXDOMAIN error when trying to resolve the DNS for pods by name.",
        answer="dns-resolution-failure",
        why="network failures said in words",
    ),
    Case(
        (
            "When I apply the following GNP, the pods in the two namespaces cannot talk to each other "
            "anymore."
        ),
        answer="networkpolicy-blocking-traffic",
        why="network failures said in words",
    ),
    Case(
        (
            "CoreDNS forwards the short name upstream only to get a NXDOMAIN and then eventually resolves it."
        ),
        not_answer="dns-resolution-failure",
        why="a short name answered nxdomain before it resolves is no failure",
    ),
    Case(
        "creation is ok but internal and external doamin name can not be resolved.",
        answer="dns-resolution-failure",
        why="passive dns failures and a cut rbac refusal",
    ),
    Case(
        (
            'getting below error- "roles.rbac.authorization.k8s.io is forbidden: User "system:anonymous" '
            'cannot"'
        ),
        answer="rbac-forbidden",
        why="passive dns failures and a cut rbac refusal",
    ),
    Case(
        (
            "But it keeps saying pending:\n"
            "proxy-public   LoadBalancer   10.105.248.225   <pending>\n"
        ),
        answer="loadbalancer-service-pending",
        why="a load balancer row cut after its pending address is the pending load balancer",
    ),
    Case(
        "The LoadBalancer service is still pending, MetalLB is not installed yet.\n",
        answer="loadbalancer-service-pending",
        why="failures said in words",
    ),
    Case(
        "CoreDNS crashes when resolv.conf points at 127.0.0.53.\n",
        answer="coredns-loop-detected",
        why="failures said in words",
    ),
    Case(
        "v1beta1.custom.metrics.k8s.io is in failed discovery since this morning.\n",
        answer="aggregated-apiservice-unavailable",
        why="failures said in words",
    ),
    Case(
        "The metrics Service selected no pod because the port names were not matching.\n",
        answer="service-target-port-mismatch",
        why="failures said in words",
    ),
    Case(
        "The ingress answers 503 because the web endpoint does not have any IPs.",
        answer="service-endpoints-empty",
        why="failures said in words",
    ),
    Case(
        (
            "When using Nginx Ingress in GCP, long requests end in a 504 gateway timeout on the client side."
        ),
        answer="ingress-nginx-upstream-timed-out",
        why="failures said in a sentence",
    ),
    Case(
        "my pod resolved k8s service domain slowly sometimes",
        answer="dns-resolution-failure",
        why="failures said in a sentence",
    ),
    Case(
        "DNS resolution for the storage service is taking multiple seconds again",
        answer="dns-resolution-failure",
        why="failures said in a sentence",
    ),
    Case(
        (
            "W0726 08:18:06.517655    4537 cni.go:172] Unable to update cni config: No networks found in "
            "/etc/"
        ),
        answer="cni-network-plugin-not-ready",
        why="read as cni-network-plugin-not-ready",
    ),
    Case(
        (
            "When I installed the chart, the ServiceAccount minio wasn't created and so the Pod failed to "
            "start."
        ),
        answer="serviceaccount-not-found",
        why="read as serviceaccount-not-found",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_network_failure_in_words_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


def test_a_service_said_to_stay_pending_is_a_load_balancer_never_provisioned() -> None:
    """A Service has no phase; only a LoadBalancer's EXTERNAL-IP waits (<pending>)."""
    for said in (
        "After the install the ingress service gets stuck in Pending state.\n",
        "The External IP is never getting assigned to the gateway service.\n",
    ):
        assert match_json(said)["answer"] == "loadbalancer-service-pending"
    assert (
        match_json("The service-proxy pods are Pending on two nodes.\n")["answer"]
        != "loadbalancer-service-pending"
    )
