"""Every value a paste names fills the fix: everyday pastes, written by hand as a new user would.

Issue 75's hand-written pastes: a readiness probe left on the old port after the container's
port changed, a Certificate whose ClusterIssuer does not exist, an Argo CD application with a
Kustomize source, a Java service refused by its database. Each row is `kubemedic match` as a
user reads it (its default, short output; `--verbose` where the value is in the details), the
values it must show and those it must not (the catalog's own examples, another tool's command).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.cli.runner import kubemedic_in_process


@dataclass(frozen=True)
class Everyday:
    name: str
    paste: str
    answer: str | None
    shows: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    verbose: bool = False


READINESS_AFTER_PORT_CHANGE = """$ kubectl describe pod storefront-7c9f6d5b8-xk2lp -n shop
Name:         storefront-7c9f6d5b8-xk2lp
Namespace:    shop
Status:       Running
Containers:
  storefront:
    Image:          ghcr.io/acme/storefront:2.0.0
    Port:           3000/TCP
    State:          Running
    Ready:          False
    Restart Count:  0
    Readiness:      http-get http://:8080/healthz/ready delay=5s timeout=1s period=10s #success=1 #failure=3
Events:
  Type     Reason     Age                From     Message
  ----     ------     ----               ----     -------
  Warning  Unhealthy  1m (x30 over 6m)   kubelet  Readiness probe failed: Get "http://10.244.2.14:8080/healthz/ready": dial tcp 10.244.2.14:8080: connect: connection refused
"""
LIVENESS_FROM_THE_MANIFEST = """the api keeps getting restarted, this is our deployment:

      containers:
        - name: api
          image: ghcr.io/acme/api:1.4.2
          ports:
            - containerPort: 9090
          livenessProbe:
            httpGet:
              path: /live
              port: 9090
            timeoutSeconds: 1

and the events say
  Warning  Unhealthy  2m (x21 over 12m)  kubelet  Liveness probe failed: Get "http://10.244.1.7:9090/live": context deadline exceeded (Client.Timeout exceeded while awaiting headers)
  Normal   Killing    2m (x7 over 12m)   kubelet  Container api failed liveness probe, will be restarted
"""
MISSING_CLUSTER_ISSUER = """$ kubectl describe certificate shop-tls -n shop
Name:         shop-tls
Namespace:    shop
Spec:
  Dns Names:
    shop.example.com
  Issuer Ref:
    Group:      cert-manager.io
    Kind:       ClusterIssuer
    Name:       letsencrypt-prod
  Secret Name:  shop-tls
Events:
  Type     Reason          Age   From                                          Message
  ----     ------          ----  ----                                          -------
  Normal   Issuing         2m    cert-manager-certificates-trigger             Issuing certificate as Secret does not exist
  Warning  IssuerNotFound  2m    cert-manager-certificaterequests-issuer-acme  Referenced "ClusterIssuer" not found: clusterissuer.cert-manager.io "letsencrypt-prod" not found
"""
ARGOCD_KUSTOMIZE = """$ argocd app get shop
Name:               argocd/shop
Project:            default
Server:             https://kubernetes.default.svc
Namespace:          shop
Repo:               https://github.com/acme/deploy.git
Target:             main
Path:               overlays/prod
Sync Status:        Unknown
Health Status:      Healthy

CONDITION        MESSAGE                                                                                                                                  LAST TRANSITION
ComparisonError  Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = `kustomize build <path to cached source>/overlays/prod` failed exit status 1: Error: accumulating resources: accumulation err='accumulating resources from '../../base': evalsymlink failure on '/tmp/_argocd-repo/overlays/base' : lstat /tmp/_argocd-repo/overlays/base: no such file or directory'  2026-11-27 10:02:11 +0000 UTC
"""
ARGOCD_HELM = """ComparisonError: failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = `helm template . --name-template billing --namespace billing --values /tmp/values.yaml --include-crds` failed exit status 1: Error: template: billing/templates/deployment.yaml:31:20: executing "billing/templates/deployment.yaml" at <.Values.image.tag>: nil pointer evaluating interface {}.tag
"""
JAVA_REFUSED = """$ kubectl logs orders-6d5f8b7c9-t2m4x -n shop
2026-11-27 10:02:11.402 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed
org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection
Caused by: org.postgresql.util.PSQLException: Connection to orders-db:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.
	at org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:342)
Caused by: java.net.ConnectException: Connection refused
	at java.base/sun.nio.ch.Net.pollConnect(Native Method)
"""

ROWS = (
    Everyday(
        "a readiness probe left on the old port",
        READINESS_AFTER_PORT_CHANGE,
        "readiness-probe-failed",
        # the probe's own path, and the one port the container declares now
        shows=("httpGet: {path: /healthz/ready, port: 3000}",),
        never=("/ready}", "port: 8080", "<readiness-port>"),
    ),
    Everyday(
        "a liveness probe read from the manifest",
        LIVENESS_FROM_THE_MANIFEST,
        "liveness-probe-failed",
        shows=("httpGet: {path: /live, port: 9090}",),
        never=("/healthz", "8080"),
    ),
    Everyday(
        "a ClusterIssuer that does not exist",
        MISSING_CLUSTER_ISSUER,
        "cert-manager-issuer-not-ready",
        shows=(
            "kubectl get clusterissuer letsencrypt-prod",
            "letsencrypt-prod does not exist",
        ),
        never=("<issuer>", "<missing-issuer>", "<name>"),
    ),
    Everyday(
        "a ClusterIssuer that does not exist, in the details",
        MISSING_CLUSTER_ISSUER,
        "cert-manager-issuer-not-ready",
        shows=("name: letsencrypt-prod", "kubectl describe clusterissuer letsencrypt-prod"),
        never=("<issuer>",),
        verbose=True,
    ),
    Everyday(
        "an Argo CD application with a Kustomize source",
        ARGOCD_KUSTOMIZE,
        "argocd-comparison-error",
        shows=("kustomize build overlays/prod",),
        never=("helm template",),
        verbose=True,
    ),
    Everyday(
        "an Argo CD application with a Helm source",
        ARGOCD_HELM,
        "argocd-comparison-error",
        shows=("helm template",),
        never=("kustomize build",),
    ),
    Everyday(
        "ENOSPC alone",
        "No space left on device\n",
        "filesystem-full",
    ),
    Everyday(
        "ENOSPC from a database",
        'ERROR:  could not extend file "base/16384/2619": No space left on device\n',
        "filesystem-full",
    ),
)


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_the_fix_carries_the_values_the_paste_names(row: Everyday) -> None:
    body = kubemedic_in_process("match", "--json", stdin=row.paste.encode()).json()
    assert body["answer"] == row.answer, body["answer"]
    args = ("match", "--verbose") if row.verbose else ("match",)
    shown = kubemedic_in_process(*args, stdin=row.paste.encode()).stdout
    for value in row.shows:
        assert value in shown, f"{value!r} missing from:\n{shown}"
    for value in row.never:
        assert value not in shown, f"{value!r} shown in:\n{shown}"


def test_a_java_service_refused_by_its_database_names_the_host_it_calls() -> None:
    """The driver says orders-db:5432 refuses: the answer is the unreachable dependency (issue
    73), not a wrong cause the words resemble (a rejected password, the API server), and its fix
    names the host the driver quotes."""
    body = kubemedic_in_process("match", "--json", stdin=JAVA_REFUSED.encode()).json()
    assert body["answer"] == "dependency-unreachable"
    assert "db-credentials-rejected" not in body["answers"]
    assert "kubectl-apiserver-connection-refused" not in body["answers"]
    [top] = [m for m in body["matches"] if m["id"] == "dependency-unreachable"]
    commands = "\n".join(step.get("command") or step.get("config") or "" for step in top["fix"])
    assert "orders-db -n shop" in commands
