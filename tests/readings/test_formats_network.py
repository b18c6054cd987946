"""Network and name resolution message formats (intents/messages/data: go-net, resolvers, busybox,
CNI plugins, ingress controllers and proxies).

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    # any resolver, or none named
    Case(
        (
            'ts=2025-03-01T08:22:02.642Z caller=main.go:145 level=error err="Get '
            '\\"https://store.example.net/bucket?restype=container\\": dial tcp: lookup store.example.net on '
            '172.20.0.10:53: no such host\\ncreate object store client\\nmain.main\\n\\t/app/main.go:145"\n'
        ),
        answer="dns-resolution-failure",
        why="a go programs failed name lookup is a dns failure wherever it is printed",
    ),
    # any resolver, or none named
    Case(
        (
            'ts=2025-03-01T08:22:02.642Z caller=main.go:145 level=error err="Get '
            '\\"https://store.example.net/bucket?restype=container\\": dial tcp: lookup store.example.net on '
            'xx.xx.xx.xx:53: no such host\\ncreate object store client\\nmain.main\\n\\t/app/main.go:145"\n'
        ),
        answer="dns-resolution-failure",
        why="a go programs failed name lookup is a dns failure wherever it is printed",
    ),
    # any resolver, or none named
    Case(
        (
            'ts=2025-03-01T08:22:02.642Z caller=main.go:145 level=error err="Get '
            '\\"https://store.example.net/bucket?restype=container\\": dial tcp: lookup store.example.net: no '
            'such host\\ncreate object store client\\nmain.main\\n\\t/app/main.go:145"\n'
        ),
        answer="dns-resolution-failure",
        why="a go programs failed name lookup is a dns failure wherever it is printed",
    ),
    Case(
        (
            'Post "http://prometheus-operated.monitoring:9090/api/v1/query": dial tcp: lookup '
            "prometheus-operated.monitoring: i/o timeout - There was an error returned querying the "
            "Prometheus API.\n"
        ),
        answer="dns-resolution-failure",
        why="a name lookup timing out without a named server is a dns failure",
    ),
    Case(
        ("waiting for the database\nnc: bad address 'postgres.db.svc.cluster.local'\n"),
        answer="dns-resolution-failure",
        why="busybox saying a name did not resolve is dns",
    ),
    Case(
        ("waiting for the database\nwget: bad address 'config-server:8888'\n"),
        answer="dns-resolution-failure",
        why="busybox saying a name did not resolve is dns",
    ),
    Case(
        ("waiting for the database\nnslookup: can't resolve 'redis-master.cache'\n"),
        answer="dns-resolution-failure",
        why="busybox saying a name did not resolve is dns",
    ),
    Case(
        (
            "waiting for the database\n"
            "** server can't find redis-master.cache.svc.cluster.local: NXDOMAIN\n"
        ),
        answer="dns-resolution-failure",
        why="busybox saying a name did not resolve is dns",
    ),
    Case(
        "curl: (6) Could not resolve host: orders.shop.svc.cluster.local\n",
        answer="dns-resolution-failure",
        why="a client library saying a name did not resolve is dns",
    ),
    Case(
        "Error: getaddrinfo ENOTFOUND mongo-0.mongo.db.svc\n",
        answer="dns-resolution-failure",
        why="a client library saying a name did not resolve is dns",
    ),
    Case(
        (
            'psql: error: could not translate host name "postgres-primary" to address: Name or service not '
            "known\n"
        ),
        answer="dns-resolution-failure",
        why="a client library saying a name did not resolve is dns",
    ),
    Case(
        "socket.gaierror: [Errno -2] Name or service not known\n",
        answer="dns-resolution-failure",
        why="a client library saying a name did not resolve is dns",
    ),
    Case(
        (
            "redis.exceptions.ConnectionError: Error -2 connecting to cache:6379. Name does not resolve.\n"
        ),
        answer="dns-resolution-failure",
        why="a client library saying a name did not resolve is dns",
    ),
    Case(
        (
            "E0519 00:37:28.550351       1 main.go:330] Error registering network: failed to acquire lease: "
            'node "k8s-worker-2" pod cidr not assigned\n'
        ),
        answer="cni-network-plugin-not-ready",
        why="flannel on a node without a pod cidr is the network plugin never ready",
    ),
    Case(
        (
            '{"level":"error","ts":"2025-02-03T08:00:00.000Z","caller":"datastore/data_store.go:735","msg":"D'
            'ataStore has no available IP/Prefix addresses"}\n'
        ),
        answer="cni-sandbox-failed",
        why="the vpc cnis empty address pool is the sandbox failing for want of an ip",
    ),
    Case(
        "AssignPodIPv4Address: no available IP/Prefix addresses\n",
        answer="cni-sandbox-failed",
        why="the vpc cnis empty address pool is the sandbox failing for want of an ip",
    ),
    Case(
        (
            '{"level":"debug","ts":"2025-02-03T08:00:00.000Z","caller":"datastore/data_store.go:808","msg":"U'
            'nable to get IP address from CIDR: no free IP available in the prefix - 10.4.128.240/ffffffff"}\n'
        ),
        answer=None,
        why="the vpc cnis scan past one full prefix is no problem",
    ),
    Case(
        (
            "2024-04-26 19:49:21.632 [ERROR][1] client.go 290: Error getting cluster information\n"
            "dial tcp 10.43.0.1:443: i/o timeout\n"
        ),
        answer="kube-proxy-service-broken",
        why="a pods client timing out on the kubernetes services clusterip is the service routing",
    ),
    Case(
        "Unable to connect to the server: dial tcp 10.43.0.1:443: i/o timeout\n",
        answer="kubectl-apiserver-unreachable-timeout",
        why="a pods client timing out on the kubernetes services clusterip is the service routing",
    ),
    Case(
        "dial tcp 10.20.30.40:5432: i/o timeout\n",
        not_answer="kube-proxy-service-broken",
        why="a pods client timing out on the kubernetes services clusterip is the service routing",
    ),
    # fluent-bit's flb_network.c with c-ares' text, and OpenSSH's sshconnect.c
    Case(
        (
            "[2021/11/02 10:00:01] [ warn] [net] getaddrinfo(host='logging.googleapis.com', err=12): Timeout "
            "while contacting DNS servers\n"
        ),
        answer="dns-resolution-failure",
        why="other clients name lookups failing are dns",
    ),
    Case(
        "ssh: Could not resolve hostname github.com\n",
        answer="dns-resolution-failure",
        why="other clients name lookups failing are dns",
    ),
    Case(
        (
            "W0321 23:27:23.645475       1 controller.go:940] SSL Certificate stored in secret shop-tls is "
            "not valid for the host shop.example.com defined in the Ingress rule shop\n"
        ),
        answer="ingress-tls-secret-invalid",
        why="an old ingress controller names a certificate for another host",
    ),
    # a refused dial to an ordinary backend says nothing of Service routing nor does loopback:
    # 127.0.0.1:443 is a local proxy in front of the API server
    Case(
        (
            "E0402 11:20:31.554120       1 reflector.go:138] "
            "pkg/mod/k8s.io/client-go/tools/cache/reflector.go:167: Failed to watch *v1.Service: Get "
            "https://10.96.0.1:443/api/v1/services?limit=500: dial tcp 10.96.0.1:443: connect: connection "
            "refused"
        ),
        answer="kube-proxy-service-broken",
        why="a refused dial to the kubernetes service is the service routing",
    ),
    # a refused dial to an ordinary backend says nothing of Service routing nor does loopback:
    # 127.0.0.1:443 is a local proxy in front of the API server
    Case(
        "upstream error: dial tcp 10.244.3.17:8080: connect: connection refused",
        not_answer="kube-proxy-service-broken",
        why="a refused dial to the kubernetes service is the service routing",
    ),
    # a refused dial to an ordinary backend says nothing of Service routing nor does loopback:
    # 127.0.0.1:443 is a local proxy in front of the API server
    Case(
        (
            'Failed to contact API server: Get "https://127.0.0.1/apis/storage.k8s.io/v1/csinodes/n1": dial '
            "tcp 127.0.0.1:443: connect: connection refused"
        ),
        not_answer="kube-proxy-service-broken",
        why="a refused dial to the kubernetes service is the service routing",
    ),
    Case(
        (
            "    Errors:\n"
            '      Message:             Spec.VirtualHost.TLS Secret "api-cert" is invalid: Secret not found\n'
            "      Reason:              SecretNotValid\n"
            "      Status:              True\n"
            "      Type:                TLSError\n"
        ),
        answer="ingress-tls-secret-invalid",
        why="contour naming an httpproxy tls secret it cannot use is the tls secret",
    ),
    # the kubernetes Service is the API server itself
    Case(
        (
            "Error: UPGRADE FAILED: Post https://policy-hooks.admission.svc:443/validate-rules?timeout=10s: "
            "net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting "
            "headers)"
        ),
        answer="admission-webhook-failed",
        why="the api server posting to a webhook service and timing out is the webhook",
    ),
    # the kubernetes Service is the API server itself
    Case(
        (
            'Post "https://kubernetes.default.svc:443/api/v1/namespaces?timeout=30s": dial tcp '
            "10.96.0.1:443: i/o timeout"
        ),
        not_answer="admission-webhook-failed",
        why="the api server posting to a webhook service and timing out is the webhook",
    ),
    Case(
        (
            '{"level":"debug","ts":"2024-05-22T14:43:38.048Z","caller":"ipamd/ipamd.go:683","msg":"Recently '
            'we had InsufficientCidr error hence will wait for 2m0s before retrying"}'
        ),
        answer="cni-sandbox-failed",
        why="the vpc cnis insufficient cidr wait is pods without addresses",
    ),
    Case(
        ("/ # curl google.com\ncurl: (6) Couldn't resolve host 'google.com'\n"),
        answer="dns-resolution-failure",
        why="an old curls unresolved host is name resolution",
    ),
    Case(
        (
            "F0329 16:39:47.171747       5 launch.go:125] service kube-system/nginx-ingress-lb does not "
            "(yet) have ingress points"
        ),
        answer="loadbalancer-service-pending",
        why="an ingress controller exiting for its services missing address is the pending load balancer",
    ),
    Case(
        'nginx: [emerg] host not found in upstream "api" in /etc/nginx/nginx.conf:17',
        answer="dns-resolution-failure",
        why="read as dns-resolution-failure",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_network_message_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
