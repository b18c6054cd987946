"""Each shape a paste holds, table-driven: the facts its reading gives (one comment per case)."""

from __future__ import annotations

import re

import pytest

from bot.cluster.seen import CONTAINER_STATES as CONTAINERS
from bot.cluster.seen import EVENTS, PHASE, TAINTS
from bot.diagnosis.paste_model import PasteReading, Subject
from bot.diagnosis.paste_read import read_pasted
from intents.facts.model import NodeFacts, PodFacts
from tests.paste.test_unhealthy_pastes import PASTES


def only(parsed: PasteReading, shape: str) -> list[Subject]:
    subjects = [s for s in parsed.subjects if s.shape == shape]
    assert subjects, [s.shape for s in parsed.subjects]
    return subjects


def pod(subject: Subject) -> PodFacts:
    assert isinstance(subject.facts, PodFacts)
    return subject.facts


def node(subject: Subject) -> NodeFacts:
    assert isinstance(subject.facts, NodeFacts)
    return subject.facts


def collapse(text: str) -> str:
    """What Slack does to a paste outside a code block: runs of spaces become one."""
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))


DESCRIBE_OOM = (PASTES / "describe-pod-oomkilled.txt").read_text()


@pytest.mark.parametrize(
    "text", [DESCRIBE_OOM, collapse(DESCRIBE_OOM)], ids=["spaced", "collapsed"]
)
def test_describe_pod_reads_states_restarts_and_events(text: str) -> None:
    # the same facts whether or not Slack kept the indentation and column padding
    subject = only(read_pasted(text), "kubectl describe pod")[0]
    facts = pod(subject)
    assert subject.label == "pod analytics/report-worker-6f7b8c9d4-zxw9k" and not subject.healthy
    assert (facts.phase, facts.node_name) == ("Running", "ip-10-0-7-33.eu-west-1.compute.internal")
    [container] = facts.containers
    assert (
        container.name,
        container.state,
        container.reason,
        container.ready,
        container.restarts,
    ) == ("report-worker", "waiting", "CrashLoopBackOff", False, 7)
    assert (container.last_reason, container.last_exit_code) == ("OOMKilled", 137)
    assert [(e.type, e.reason, e.count) for e in facts.events] == [
        ("Normal", "Pulled", 8),
        ("Warning", "BackOff", 61),
    ]
    assert facts.events[1].message.startswith("Back-off restarting failed container report-worker")
    assert {PHASE, CONTAINERS, EVENTS} <= subject.seen


def test_describe_pod_reads_an_evicted_pod_and_its_message() -> None:
    # pod-level Status/Reason/Message come before the containers
    text = (
        "Name:         etl-0\nNamespace:    batch\nStatus:       Failed\nReason:       Evicted\n"
        "Message:      The node was low on resource: memory. Threshold quantity: 100Mi.\n"
        "Containers:\n  etl:\n    State:          Terminated\n      Reason:       ContainerStatusUnknown\n"
        "      Exit Code:    137\n    Ready:          False\n    Restart Count:  0\nEvents:  <none>\n"
    )
    facts = pod(only(read_pasted(text), "kubectl describe pod")[0])
    assert (facts.phase, facts.reason) == ("Failed", "Evicted")
    assert facts.message == "The node was low on resource: memory. Threshold quantity: 100Mi."
    assert (facts.containers[0].reason, facts.containers[0].exit_code) == (
        "ContainerStatusUnknown",
        137,
    )


def test_a_describe_fragment_with_a_failing_init_container_is_a_pending_pod() -> None:
    # only the Init Containers section was pasted: an init container still waiting means Pending
    text = (
        "Init Containers:\n  migrate:\n    State:          Waiting\n      Reason:       CrashLoopBackOff\n"
        "    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    1\n"
        "    Ready:          False\n    Restart Count:  4\n"
    )
    subject = only(read_pasted(text), "kubectl describe pod")[0]
    [init] = pod(subject).containers
    assert init.init and (init.reason, init.last_reason, init.last_exit_code) == (
        "CrashLoopBackOff",
        "Error",
        1,
    )
    assert pod(subject).phase == "Pending" and PHASE not in subject.seen  # implied, not shown


def test_describe_node_reads_conditions_taints_and_capacity() -> None:
    text = (PASTES / "describe-node-stopped-posting.txt").read_text()
    subject = only(read_pasted(text), "kubectl describe node")[0]
    facts = node(subject)
    ready = facts.condition("Ready")
    assert ready is not None and (ready.status, ready.reason) == ("Unknown", "NodeStatusUnknown")
    assert ready.message == "Kubelet stopped posting node status."
    # a taint on the Taints: line and one on the continuation line
    assert facts.taints == [
        "node.kubernetes.io/unreachable:NoExecute",
        "node.kubernetes.io/unreachable:NoSchedule",
    ]
    assert TAINTS in subject.seen and not subject.healthy


def test_describe_node_counts_pods_against_allocatable() -> None:
    text = (
        (PASTES / "describe-node-disk-pressure.txt")
        .read_text()
        .replace("(9 in total)", "(110 in total)")
    )
    facts = node(only(read_pasted(text), "kubectl describe node")[0])
    assert (facts.pod_count, facts.allocatable["pods"], facts.pods_full) == (110, 110.0, True)


GET_PODS = """\
NAMESPACE   NAME                        READY   STATUS                  RESTARTS      AGE   IP            NODE       NOMINATED NODE   READINESS GATES
shop        cart-7c9d8b6f5-2xkqp        0/1     CrashLoopBackOff        5 (71s ago)   9m    10.244.1.7    worker-2   <none>           <none>
shop        migrate-5b7d9c8f4-k2x9q     0/1     Init:CrashLoopBackOff   3 (20s ago)   4m    10.244.1.8    worker-2   <none>           <none>
shop        batch-28593120-q2xkp        0/1     ExitCode:137            0             2m    10.244.1.9    worker-3   <none>           <none>
ops         backup-28593120-7fdrt       0/1     Completed               0             3h    10.244.2.4    worker-3   <none>           <none>
shop        web-6c4b8f7d9-zhsj4         1/1     Running                 2 (3d ago)    41d   10.244.2.5    worker-1   <none>           <none>
"""


@pytest.mark.parametrize("text", [GET_PODS, collapse(GET_PODS)], ids=["spaced", "collapsed"])
def test_get_pods_rows_become_pods_with_their_status_reason(text: str) -> None:
    parsed = read_pasted(text)
    by_name = {pod(s).name: s for s in only(parsed, "kubectl get pods")}
    cart = pod(by_name["cart-7c9d8b6f5-2xkqp"])
    # CrashLoopBackOff with a restart 71 s ago: a failing Running pod on worker-2, in shop
    assert (cart.namespace, cart.phase, cart.node_name) == ("shop", "Running", "worker-2")
    assert (cart.containers[0].reason, cart.containers[0].restarts) == ("CrashLoopBackOff", 5)
    migrate = pod(by_name["migrate-5b7d9c8f4-k2x9q"]).containers[0]  # Init: prefix = init container
    assert (migrate.init, migrate.state, migrate.reason) == (True, "waiting", "CrashLoopBackOff")
    killed = pod(by_name["batch-28593120-q2xkp"]).containers[0]  # ExitCode:N without a reason
    assert (killed.state, killed.exit_code, killed.reason) == ("terminated", 137, None)
    # Completed and Running 1/1 (last restart 3 days ago) rows are healthy
    assert by_name["backup-28593120-7fdrt"].healthy and by_name["web-6c4b8f7d9-zhsj4"].healthy
    # rows of this table restarted, and a row never says how a container last ended: the healthy
    # rows show their phase, not that no container was OOM-killed
    assert frozenset({PHASE}) in parsed.shown and frozenset({PHASE, CONTAINERS}) not in parsed.shown
    assert not parsed.healthy


def test_get_nodes_reads_ready_and_cordoned() -> None:
    text = (
        "NAME       STATUS                        ROLES           AGE    VERSION\n"
        "cp-1       Ready                         control-plane   212d   v1.29.4\n"
        "worker-1   Ready,SchedulingDisabled      <none>          212d   v1.29.4\n"
        "worker-2   NotReady                      <none>          212d   v1.29.4\n"
    )
    parsed = read_pasted(text)
    # cp-1 is healthy; a cordoned node takes no new pods: it is evidence
    cordoned, sick = [s for s in only(parsed, "kubectl get nodes") if not s.healthy]
    assert (node(cordoned).name, node(cordoned).unschedulable) == ("worker-1", True)
    ready = node(sick).condition("Ready")
    assert node(sick).name == "worker-2" and ready is not None and ready.status == "False"


def test_get_events_wide_keeps_the_message_between_source_and_first_seen() -> None:
    # SUBOBJECT is empty on the first row: the cells are cut at the header's offsets
    text = (
        "LAST SEEN   TYPE      REASON             OBJECT         SUBOBJECT                SOURCE              MESSAGE                              FIRST SEEN   COUNT   NAME\n"
        "3m          Warning   FailedScheduling   pod/trainer-0                            default-scheduler   0/4 nodes are available: 4 Insufficient cpu.   3m   7   trainer-0.17d5\n"
        "1m          Warning   BackOff            pod/api-0      spec.containers{api}     kubelet, worker-2   Back-off restarting failed container   9m           12      api-0.17d6\n"
    )
    events = {pod(s).name: pod(s).events[0] for s in only(read_pasted(text), "kubectl get events")}
    assert events["trainer-0"].message == "0/4 nodes are available: 4 Insufficient cpu."
    assert (events["api-0"].object_kind, events["api-0"].message) == (
        "Pod",
        "Back-off restarting failed container",
    )


def test_kubectl_events_reads_counts_from_the_age() -> None:
    facts = pod(
        only(
            read_pasted((PASTES / "kubectl-events-backoff.txt").read_text()), "kubectl get events"
        )[0]
    )
    backoff = next(e for e in facts.events if e.reason == "BackOff")
    assert (backoff.type, backoff.count, backoff.object_kind, backoff.object_name) == (
        "Warning",
        22,
        "Pod",
        "invoicer-0",
    )


@pytest.mark.parametrize(
    "text",
    [
        (PASTES / "get-pvc-pending.txt").read_text(),
        collapse((PASTES / "get-pvc-pending.txt").read_text()),
    ],
    ids=["spaced", "collapsed"],
)
def test_get_pvc_reads_a_pending_claim_with_empty_cells(text: str) -> None:
    [claim] = only(read_pasted(text), "kubectl get persistentvolumeclaims")
    [volume] = pod(claim).volumes
    assert (volume.claim, volume.phase, volume.storage_class, volume.volume) == (
        "prometheus-db-prometheus-0",
        "Pending",
        "standard",
        None,
    )


def test_old_describe_event_source_with_host_is_not_part_of_the_message() -> None:
    # kubectl before 1.14 printed From as "kubelet, <node>"
    text = "Events:\n  Warning  Failed  2m  kubelet, ip-10-0-1-2  Error: ErrImagePull\n"
    [subject] = only(read_pasted(text), "kubectl describe (Events)")
    assert pod(subject).events[0].message == "Error: ErrImagePull"


def test_json_object_ends_where_the_decoder_stops_and_chat_after_it_stays_text() -> None:
    text = (PASTES / "json-pod-oomkilled.txt").read_text().replace("```\n", "") + "any idea why?\n"
    parsed = read_pasted(text)
    assert [part.shape for part in parsed.parts] == ["kubectl get -o json"]
    assert parsed.residual_text().strip() == "any idea why?"


def test_yaml_list_of_pods_gives_one_subject_per_pod() -> None:
    item = (
        "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: {name}\n    namespace: web\n"
        "    managedFields:\n    - manager: kubectl\n      fieldsV1: {{}}\n  status:\n    phase: Running\n"
        "    containerStatuses:\n    - name: app\n      ready: {ready}\n      restartCount: 0\n"
        "      state:\n        {state}\n"
    )
    text = (
        "apiVersion: v1\nitems:\n"
        + item.format(name="a", ready="true", state="running: {}")
        + item.format(name="b", ready="false", state="waiting:\n          reason: ImagePullBackOff")
        + 'kind: List\nmetadata:\n  resourceVersion: ""\n'
    )
    subjects = only(read_pasted(text), "kubectl get -o yaml")
    assert [(pod(s).name, s.healthy) for s in subjects] == [("a", True), ("b", False)]
    assert pod(subjects[1]).containers[0].reason == "ImagePullBackOff"


@pytest.mark.parametrize(
    ("line", "shape", "healthy"),
    [
        (
            'Waiting for deployment "api" rollout to finish: 2 out of 10 new replicas have been updated...',
            "kubectl rollout status",
            True,
        ),  # progressing is healthy
        ('deployment "api" successfully rolled out', "kubectl rollout status", True),
        ('error: deployment "api" exceeded its progress deadline', "kubectl rollout status", False),
        (
            "Kubernetes control plane is running at https://10.0.0.1:6443",
            "kubectl cluster-info",
            True,
        ),
        ("Server Version: v1.29.6-eks-db838b0", "kubectl version", True),
    ],
)
def test_one_line_statuses(line: str, shape: str, healthy: bool) -> None:
    [part] = read_pasted(line).parts
    assert (part.shape, part.healthy) == (shape, healthy)


def test_slack_mangling_is_undone_before_parsing() -> None:
    # a code fence, HTML entities and a shell prompt around `kubectl get nodes`
    text = (
        "```$ kubectl get nodes\nNAME       STATUS     ROLES    AGE   VERSION\n"
        "worker-2   NotReady   &lt;none&gt;   41d   v1.28.4```"
    )
    parsed = read_pasted(text)
    assert [part.shape for part in parsed.parts] == ["command", "kubectl get nodes"]
    assert node(parsed.subjects[0]).name == "worker-2"
