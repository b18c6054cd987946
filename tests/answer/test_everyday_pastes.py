"""The first answer a new user reads, on everyday pastes: the fix in the paste's own values.

Each paste is written by hand after a real incident (the thread it follows is named), with
other names than the thread's. A row says which entry answers, the values its short answer's
fix must carry (the paste's own, computed from it, or asked for by a named placeholder) and
those it must not (a catalog example shown as the user's, the control plane's taint). The short
answer is `kubemedic match`'s default output, as a user reads it: the fix is shown whole there
when it fits in 12 lines.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.diagnosis.paste import diagnose_paste
from intents.matcher import Matcher
from responses.chat import AnswerMessage
from responses.renderers import RENDERERS
from tests.cli.runner import kubemedic_in_process


@dataclass(frozen=True)
class Everyday:
    name: str
    after: str
    """The public incident the paste follows."""
    paste: str
    answer: str | None
    carries: tuple[str, ...] = ()
    never: tuple[str, ...] = ()


TAINT_MIX = """Events:
  Type     Reason            Age   From               Message
  ----     ------            ----  ----               -------
  Warning  FailedScheduling  2m    default-scheduler  0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) had untolerated taint {dedicated: payments}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
"""
CPU_BESIDE_CONTROL_PLANE = """$ kubectl describe pod reports-7c9f6d5b8-xk2lp -n analytics
Name:             reports-7c9f6d5b8-xk2lp
Namespace:        analytics
Node:             <none>
Status:           Pending
Controlled By:    ReplicaSet/reports-7c9f6d5b8
Containers:
  reports:
    Image:      ghcr.io/acme/reports:3.2.0
    Requests:
      cpu:        1500m
      memory:     3Gi
  metrics:
    Image:      prom/statsd-exporter:v0.26.0
    Requests:
      cpu:        100m
      memory:     64Mi
Conditions:
  Type           Status
  PodScheduled   False
Events:
  Type     Reason            Age   From               Message
  ----     ------            ----  ----               -------
  Warning  FailedScheduling  3m    default-scheduler  0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.

$ kubectl describe node worker-1
Name:               worker-1
Roles:              <none>
Taints:             <none>
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Thu, 27 Nov 2026 09:10:01 +0000   Mon, 24 Nov 2026 08:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  Ready            True    Thu, 27 Nov 2026 09:10:01 +0000   Mon, 24 Nov 2026 08:00:00 +0000   KubeletReady                 kubelet is posting ready status
Allocatable:
  cpu:                1930m
  memory:             7097820Ki
  pods:               110
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests      Limits
  --------           --------      ------
  cpu                1450m (75%)   2 (103%)
  memory             4096Mi (59%)  6Gi (88%)
"""
RBAC_ACROSS_NAMESPACES = (
    "Error from server (Forbidden): pods is forbidden: User "
    '"system:serviceaccount:ci:builder" cannot list resource "pods" in API group "" in the '
    'namespace "staging"\n'
)
DNS_NO_SUCH_HOST = (
    "2026/11/27 09:14:02 inventory client: dial tcp: lookup inventory.shop.svc.cluster.local "
    "on 10.96.0.10:53: no such host\n"
)
REFUSED_BY_A_SERVICE = """$ kubectl logs checkout-6f7d8b9c5d-w2x7q -n shop
2026-11-27T08:41:10.112Z INFO  starting checkout v3.8.1
2026-11-27T08:41:12.530Z ERROR failed to reach orders: Get "http://orders.shop.svc.cluster.local:8080/api/v1/orders": dial tcp 10.96.14.22:8080: connect: connection refused
"""
PRIVATE_REGISTRY = """Events:
  Type     Reason     Age               From               Message
  ----     ------     ----              ----               -------
  Normal   Scheduled  2m                default-scheduler  Successfully assigned payments/ledger-5c8d7f9b6-h4k2m to worker-2
  Warning  Failed     40s (x4 over 2m)  kubelet            Failed to pull image "registry.acme.io/payments/ledger:2.4.0": failed to pull and unpack image "registry.acme.io/payments/ledger:2.4.0": failed to resolve reference "registry.acme.io/payments/ledger:2.4.0": pulling from host registry.acme.io failed with status code [manifests 2.4.0]: 401 Unauthorized
  Warning  Failed     40s (x4 over 2m)  kubelet            Error: ErrImagePull
"""
NAMED_STORAGE_CLASS = """$ kubectl describe pvc data-search-0 -n search
Name:          data-search-0
Namespace:     search
StorageClass:  fast-ssd
Status:        Pending
Volume:
Used By:       search-0
Events:
  Type     Reason              Age                  From                         Message
  ----     ------              ----                 ----                         -------
  Warning  ProvisioningFailed  8s (x22 over 5m12s)  persistentvolume-controller  storageclass.storage.k8s.io "fast-ssd" not found
"""
HEALTHY_LISTING = """$ kubectl get pods -n shop
NAME                        READY   STATUS    RESTARTS   AGE
checkout-5b7d9c8f6d-4jx2p   1/1     Running   0          3d
checkout-5b7d9c8f6d-q8wzn   1/1     Running   0          3d

$ kubectl get endpoints checkout -n shop
NAME       ENDPOINTS                          AGE
checkout   10.244.1.21:8080,10.244.2.9:8080   3d
"""

PYDANTIC_TRACEBACK = """$ kubectl get pods -n orders
NAME                          READY   STATUS             RESTARTS      AGE
orders-api-6d5f8b7c9-t2m4x    0/1     CrashLoopBackOff   6 (41s ago)   7m

$ kubectl logs orders-api-6d5f8b7c9-t2m4x -n orders --previous
INFO:     Started server process [1]
Traceback (most recent call last):
  File "/app/main.py", line 12, in <module>
    from app.settings import settings
  File "/app/app/settings.py", line 21, in <module>
    settings = Settings()
  File "/usr/local/lib/python3.12/site-packages/pydantic_settings/main.py", line 171, in __init__
    super().__init__(
pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings
database_url
  Field required [type=missing, input_value={}, input_type=dict]
    For further information visit https://errors.pydantic.dev/2.9/v/missing
"""
JAVA_CAUSED_BY = """$ kubectl get pods -n billing
NAME                       READY   STATUS             RESTARTS      AGE
billing-7b9c6d8f5-kq2zx    0/1     CrashLoopBackOff   4 (20s ago)   3m

$ kubectl logs billing-7b9c6d8f5-kq2zx -n billing --previous
2026-11-27 10:02:11.402 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed
org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'invoiceService'
	at org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.initializeBean(AbstractAutowireCapableBeanFactory.java:1804)
	at org.springframework.boot.SpringApplication.run(SpringApplication.java:1352)
Caused by: java.lang.IllegalStateException: invoice template directory is empty
	at com.acme.billing.InvoiceService.init(InvoiceService.java:41)
	... 17 common frames omitted
"""

ROWS = (
    Everyday(
        "a Python traceback",
        "fastapi/full-stack-fastapi-template#445: pydantic settings missing a required field",
        PYDANTIC_TRACEBACK,
        "app-config-missing",
        # the cause the app states, by its kind and its words, and the fix in the pod's names
        carries=(
            "states a required setting is missing (database_url)",
            "kubectl -n orders set env deployment/orders-api database_url=<value>",
        ),
        never=("no more specific cause", "logs -p", "<deployment>", "<namespace>"),
    ),
    Everyday(
        "a Java Caused by",
        "istio/old_issues_repo#283: a crash-looping Java service whose cause is its last Caused by",
        JAVA_CAUSED_BY,
        "crashloop-backoff",
        carries=(
            "states the app's last exception: Caused by:",
            "invoice template directory is empty",
            "Fix: Fix what the app says stopped it",
        ),
        never=("Next: Read the previous run's log", "BeanCreationException"),
    ),
    Everyday(
        "a Java Caused by, its log alone",
        "istio/old_issues_repo#283 again, the log pasted without the pod's status",
        JAVA_CAUSED_BY.split("\n\n", 1)[1],
        None,  # no entry names it; the app's own words are quoted all the same
        carries=(
            (
                "The app states why: the app's last exception: Caused by: "
                "java.lang.IllegalStateException: invoice template directory is empty"
            ),
        ),
    ),
    Everyday(
        "taint mix",
        "os-climate/os_c_data_commons#170: a tainted pool beside the masters' own taint",
        TAINT_MIX,
        "pending-untolerated-taint",
        carries=('key: "dedicated"', 'value: "payments"'),
        never=('node-role.kubernetes.io/control-plane"', 'key: "node-role'),
    ),
    Everyday(
        "insufficient cpu beside the control-plane taint",
        "raffaelespazzoli/openshift-enablement-exam#22: Insufficient cpu beside tainted masters",
        CPU_BESIDE_CONTROL_PLANE,
        "pending-insufficient-resources",
        # asked for by name; the pod's request (1500m + 100m) and the roomiest node's room
        # (1930m - 1450m) computed from the paste
        carries=('cpu: "<cpu-request>"', "requests cpu 1600m", "480m unrequested"),
        never=('cpu: "1"', "2Gi", "memory:", "toleration", "Also:"),
    ),
    Everyday(
        "RBAC across namespaces",
        "tests/answer/test_paste_values.py's issue 60 paste: a CI account listing another namespace",
        RBAC_ACROSS_NAMESPACES,
        "rbac-forbidden",
        carries=(
            "metadata: {name: builder-list-pods, namespace: staging}",
            "subjects: [{kind: ServiceAccount, name: builder, namespace: ci}]",
            'verbs: ["list"]',
        ),
        never=("<namespace>", "with --verbose)", "metricbeat", "kube-system"),
    ),
    Everyday(
        "RBAC for a person",
        "a developer's kubectl refused a Secret in production (the same message, a User)",
        (
            'Error from server (Forbidden): secrets "db-creds" is forbidden: User '
            '"jane@example.com" cannot get resource "secrets" in API group "" in the namespace '
            '"prod"\n'
        ),
        "rbac-forbidden",
        carries=(
            'subjects: [{kind: User, name: "jane@example.com", apiGroup: rbac.authorization.k8s.io}]',
            "metadata: {name: get-secrets, namespace: prod}",
        ),
        never=("kind: ServiceAccount", "<serviceaccount>", "<role>"),
    ),
    Everyday(
        "DNS no such host",
        "the catalog's own sighting (dns-resolution-failure): a Service name that does not resolve",
        DNS_NO_SUCH_HOST,
        "dns-resolution-failure",
        carries=(
            "not that DNS is down",
            "kubectl get svc inventory -n shop",
            "nslookup inventory.shop.svc.cluster.local",
        ),
        never=("nslookup kubernetes.default", "<service>", "<dns-name>"),
    ),
    Everyday(
        "connection refused by a Service",
        "consul-on-kubernetes#39 and kubernetes#9268: calls to a Service refused",
        REFUSED_BY_A_SERVICE,
        None,  # several causes fit (no endpoints, a targetPort, the app): it asks instead
    ),
    Everyday(
        "a private registry",
        "kubernetes#110675: Harbor answering 401 Unauthorized to the kubelet",
        PRIVATE_REGISTRY,
        "image-pull-unauthorized",
        carries=("--docker-server=registry.acme.io", "-n payments", "<user>", "<password>"),
        never=("docker.io", "<namespace>", "<registry>"),
    ),
    Everyday(
        "a claim with a named StorageClass",
        'ZP-AlwaysWin/K8S-FastDFS#6: storageclass.storage.k8s.io "fast" not found',
        NAMED_STORAGE_CLASS,
        "pending-storageclass-missing",
        carries=("storageClassName: <existing-storageclass>   # instead of fast-ssd",),
        never=("local-storage", "standard", "gp2", "gp3"),
    ),
    Everyday(
        "a healthy listing",
        "issue 70's healthy namespace: pods Running, the Service's endpoints listed",
        HEALTHY_LISTING,
        None,
        carries=("no problem found",),
        never=("Fix:", "selector"),
    ),
)


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_the_short_answer_carries_the_pastes_own_values(row: Everyday) -> None:
    body = kubemedic_in_process("match", "--json", stdin=row.paste.encode()).json()
    assert body["answer"] == row.answer, body["answer"]
    shown = kubemedic_in_process("match", stdin=row.paste.encode()).stdout
    for value in row.carries:
        assert value in shown, f"{value!r} missing from:\n{shown}"
    for value in row.never:
        assert value not in shown, f"{value!r} shown in:\n{shown}"


def test_a_fix_that_fits_twelve_lines_is_shown_whole_and_applies() -> None:
    body = kubemedic_in_process("match", "--json", stdin=RBAC_ACROSS_NAMESPACES.encode()).json()
    config = body["short"]["problems"][0]["fix"]["config"]
    role, binding = yaml.safe_load_all(config)
    assert role["kind"] == "Role" and binding["kind"] == "RoleBinding"
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "Role",
        "name": role["metadata"]["name"],
    }


def test_a_service_refusing_calls_offers_fixes_in_the_services_own_names() -> None:
    body = kubemedic_in_process("match", "--json", stdin=REFUSED_BY_A_SERVICE.encode()).json()
    [port] = [m for m in body["matches"] if m["id"] == "service-target-port-mismatch"]
    commands = "\n".join(step.get("command") or step.get("config") or "" for step in port["fix"])
    assert "kubectl get svc orders -n shop" in commands
    assert "port: 8080" in commands  # the Service's port the call named
    assert "http://orders.shop:8080/" in commands


@pytest.mark.parametrize("platform", sorted(RENDERERS))
def test_every_chat_shows_the_grant_itself_on_its_first_screen(
    platform: str, matcher: Matcher
) -> None:
    """Slack, Mattermost, Teams, the terminal, the preview and MCP alike: a fix that fits in 12
    lines is the first screen's, not "a 10-line config example" behind Details."""
    message = AnswerMessage(diagnose_paste(matcher, RBAC_ACROSS_NAMESPACES))
    drawn = RENDERERS[platform].draw(message)
    shown = drawn if isinstance(drawn, str) else json.dumps(drawn, default=_plain)
    shown = re.sub(r"\\+(?=[\[\]{}])", "", shown)  # Teams' Markdown escapes, as a card shows them
    assert "name: builder, namespace: ci}]" in shown
    assert "namespace: staging}" in shown
    assert "line config example" not in shown


def _plain(value: object) -> object:
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else str(value)  # type: ignore[arg-type]


HEALTHY_FOLDER = HEALTHY_LISTING.replace(
    "$ kubectl get endpoints checkout -n shop",
    "$ kubectl get svc -n shop -o wide\n"
    "NAME       TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE   SELECTOR\n"
    "checkout   ClusterIP   10.96.41.17   <none>        80/TCP    3d    app=checkout\n\n"
    "$ kubectl get endpoints checkout -n shop",
)


def test_a_healthy_folder_names_no_cause_and_says_what_to_run_to_tell(tmp_path: Path) -> None:
    """Issue 70's healthy namespace: pods without --show-labels, the Service's endpoints listing
    two addresses. No suspect; the answer says, once, what would show the labels."""
    (tmp_path / "outputs.txt").write_text(HEALTHY_FOLDER)
    for subject in (("namespace", "shop"), ("service", "shop/checkout")):
        result = kubemedic_in_process("diagnose", *subject, "--from-outputs", str(tmp_path))
        assert "Most likely" not in result.stdout and "matches no pod" not in result.stdout
        told = [line for line in result.stdout.splitlines() if "to tell, run:" in line]
        said = "not seen: the pods' labels (which pods Service checkout selects); to tell, run: "
        assert told == [f"{said}kubectl get pods --show-labels -n shop"]
