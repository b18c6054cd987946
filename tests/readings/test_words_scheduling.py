"""People's words and lines for scheduling and autoscaling (pending pods, taints, autoscalers, HPAs),
read by the entries' own patterns and symptoms.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json
from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "status:\n"
            "  conditions:\n"
            "  - message: 0/3 nodes are available, 3 insufficient memory.\n"
            "    reason: Unschedulable\n"
            '    status: "False"\n'
            "    type: PodScheduled\n"
            "  phase: Pending\n"
        ),
        answer="pending-insufficient-resources",
        confidence="high",
        why="kube batch s comma frame is read clause by clause",
    ),
    Case(
        "I noticed the warning `nodes did not have free ports for the requested pod ports`\n",
        answer="pending-host-port-conflict",
        why="a scheduler reason retyped without its contraction is the same reason",
    ),
    Case(
        "the scheduler says 3 nodes did not match Pod's node affinity/selector\n",
        answer="pending-node-selector-mismatch",
        why="a scheduler reason retyped without its contraction is the same reason",
    ),
    Case(
        "it says the nodes did not find available persistent volumes to bind\n",
        answer="pending-no-persistent-volume",
        why="a scheduler reason retyped without its contraction is the same reason",
    ),
    Case(
        "Pods are failing to schedule because of not enough CPU being available.\n",
        answer="pending-insufficient-resources",
        why="a failure said in words is read as its cause",
    ),
    Case(
        "The ingester pod will OOM every 20 minutes, going beyond the 8GB limit.\n",
        answer="oom-killed",
        why="a failure said in words is read as its cause",
    ),
    Case(
        "Our data PVC reached full capacity, which took the database down.\n",
        answer="filesystem-full",
        why="a failure said in words is read as its cause",
    ),
    Case(
        "The log shipper started filling up the disk on every node.\n",
        answer="filesystem-full",
        why="a failure said in words is read as its cause",
    ),
    Case(
        "The install is still failing with the 'insufficient memory' error on idle nodes.",
        answer="pending-insufficient-resources",
        why="the fit plugins reason quoted in a sentence",
    ),
    Case(
        "The gpu pods stay Pending, the event says Insufficient nvidia.com/gpu.",
        answer="pending-insufficient-resources",
        why="the fit plugins reason quoted in a sentence",
    ),
    Case(
        "There is insufficient memory for the Java Runtime Environment to continue.",
        answer=None,
        why="the fit plugins reason quoted in a sentence",
    ),
    Case(
        "The new pods stay Pending: there are no pod slots available on the two small nodes.\n",
        answer="too-many-pods",
        why="a node out of pod slots said in words",
    ),
    Case(
        "Each t3.small node reached its max pods, so nothing else gets scheduled.\n",
        answer="too-many-pods",
        why="a node out of pod slots said in words",
    ),
    Case(
        "Pods stay pending because the node has taint dedicated=gpu:NoSchedule.\n",
        answer="pending-untolerated-taint",
        why="pods kept from scheduling by a taint said in words",
    ),
    Case(
        "My pods are stuck in Pending due to the control-plane taint.\n",
        answer="pending-untolerated-taint",
        why="pods kept from scheduling by a taint said in words",
    ),
    Case(
        (
            "The new nodes are Ready but carry the taint node.cluster.x-k8s.io/uninitialized:NoSchedule, "
            "preventing any workloads from running.\n"
        ),
        answer="pending-untolerated-taint",
        why="pods kept from scheduling by a taint said in words",
    ),
    Case(
        "The taint keeps all new pods from being scheduled on the pool.\n",
        answer="pending-untolerated-taint",
        why="pods kept from scheduling by a taint said in words",
    ),
    Case(
        "We taint the GPU nodes so that only training jobs land there.\n",
        answer=None,
        why="a taint named without a pod kept from a node is no scheduling failure",
    ),
    Case(
        "Our nodes ran into the 110 pod limit and new pods stay Pending.\n",
        answer="too-many-pods",
        why="a node at its pod count said as a limit run into",
    ),
    Case(
        "We keep hitting the max pods per node limit on the small instances.\n",
        answer="too-many-pods",
        why="a node at its pod count said as a limit run into",
    ),
    Case(
        "The pod hit its memory limit and was restarted.\n",
        not_answer="too-many-pods",
        why="a node at its pod count said as a limit run into",
    ),
    # replica_calculator.go around the REST metrics client (metrics/client.go)
    Case(
        (
            "Warning  FailedGetPodsMetric  41s  horizontal-pod-autoscaler  unable to get metric "
            "gpu_utilization: no metrics returned from custom metrics API\n"
        ),
        answer="hpa-missing-metrics",
        why="the hpas custom and external metric failures are missing metrics",
    ),
    Case(
        (
            "Warning  FailedGetExternalMetric  2m  horizontal-pod-autoscaler  unable to get external metric "
            "shop/queue_depth/&LabelSelector{MatchLabels:map[string]string{queue: orders,},}: no metrics "
            "returned from external metrics API\n"
        ),
        answer="hpa-missing-metrics",
        why="the hpas custom and external metric failures are missing metrics",
    ),
    Case(
        (
            "unable to fetch metrics from custom metrics API: the server could not find the metric "
            "http_requests_per_second for pods\n"
        ),
        answer="hpa-missing-metrics",
        why="the hpas custom and external metric failures are missing metrics",
    ),
    Case(
        "Every new pod on the cluster stays Pending until the taint is removed from the node.",
        answer="pending-untolerated-taint",
        why="pods pending until a taint is removed are held by the taint",
    ),
    Case(
        "After the OS upgrade the workers come back Ready but they remain with SchedulingDisabled.",
        answer="pending-node-unschedulable",
        why="nodes left cordoned said in words are unschedulable nodes",
    ),
    Case(
        "If a node stays cordoned after the drain, the pods will not move back.",
        answer=None,
        why="nodes left cordoned said in words are unschedulable nodes",
    ),
    Case(
        'the HPA shows a status "unknown/60%" all the time',
        answer="hpa-missing-metrics",
        why="targets said unknown or pods without requests or no custom metric lack metrics",
    ),
    Case(
        (
            "The HorizontalPodAutoscaler never scales because the deployments are missing requests for cpu."
        ),
        answer="hpa-missing-metrics",
        why="targets said unknown or pods without requests or no custom metric lack metrics",
    ),
    Case(
        (
            "Error from server (NotFound): the server could not find the metric http_requests_per_second for "
            "pods"
        ),
        answer="hpa-missing-metrics",
        why="targets said unknown or pods without requests or no custom metric lack metrics",
    ),
    Case(
        "Under-utilized nodes with local PVs are never scaled down by the cluster autoscaler.",
        answer="cluster-autoscaler-no-scale-down",
        why="nodes said never scaled down are the autoscaler keeping them",
    ),
    Case(
        (
            "I0917 20:18:09.691194       1 filter_out_schedulable.go:83] No schedulable pods\n"
            "I0917 20:18:09.691218       1 filter_out_daemon_sets.go:49] Filtered out 0 daemon set pods, 0 "
            "unschedulable pods left\n"
        ),
        answer=None,
        why="the autoscaler counting zero unschedulable pods is no cordoned node",
    ),
    Case(
        "The cluster autoscaler is not scaling up the cluster once every node is at pod capacity.",
        answer="cluster-autoscaler-no-scale-up",
        why="autoscaler webhook and taint failures said in words",
    ),
    Case(
        (
            "During the Helm upgrade this causes the admission webhooks to fail while the single pod is "
            "replaced."
        ),
        answer="admission-webhook-failed",
        why="autoscaler webhook and taint failures said in words",
    ),
    Case(
        "The agents are unable to be spun up due to the taint on the node pool.",
        answer="pending-untolerated-taint",
        why="autoscaler webhook and taint failures said in words",
    ),
    Case(
        (
            "$ kubectl top pod web-0\n"
            "error: Metrics not available for pod default/web-0, age: 41m12.3s\n"
        ),
        not_answer="hpa-missing-metrics",
        why="one pod without metrics while the api answers is not the missing metrics api",
    ),
    Case(
        "The deployment keeps saying unable to schedule, insufficient cpu.\n",
        answer="pending-insufficient-resources",
        why="failures said in words",
    ),
    Case(
        "The pod requests 6 CPU in total, which can't be scheduled on our 4 core nodes.\n",
        answer="pending-insufficient-resources",
        why="failures said in words",
    ),
    Case(
        (
            "The replicas stay pending until I change the podAntiAffinity from required to preferred.\n"
        ),
        answer="pending-inter-pod-affinity",
        why="failures said in words",
    ),
    Case(
        "With hard anti-affinity the third replica cannot be scheduled.\n",
        answer="pending-inter-pod-affinity",
        why="failures said in words",
    ),
    Case(
        "The small nodes are limited to 4 pods per node, so the rest stay pending.\n",
        answer="too-many-pods",
        why="failures said in words",
    ),
    Case(
        (
            "The cloud controller manager isn't removing the taint, so coredns never runs on the new nodes."
        ),
        answer="pending-untolerated-taint",
        why="read as pending-untolerated-taint",
    ),
    Case(
        "Sometimes the worker is pending due to resouce request not enough",
        answer="pending-insufficient-resources",
        why="failures said in a sentence",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_scheduling_failure_in_words_is_answered_as_its_row_says(
    case: Case,
) -> None:
    check(case)


def test_a_scheduler_message_held_in_a_yaml_or_json_string_is_read_clause_by_clause() -> None:
    from intents.scheduling import clauses

    quoted = [
        "    message: '0/3 nodes are available: 3 node(s) didn''t match Pod''s node affinity/selector.'",
        '      "message": "0/2 nodes are available: 2 Insufficient memory.",',
        '"FailedScheduling ... fit failure summary on nodes : MatchNodeSelector (2), PodToleratesNodeTaints (1)"',
    ]
    read = [[(clause.nodes, clause.answer) for clause in clauses(line)] for line in quoted]
    assert read == [
        [(3, "pending-node-selector-mismatch")],
        [(2, "pending-insufficient-resources")],
        [(2, "pending-node-selector-mismatch"), (1, "pending-untolerated-taint")],
    ]


def test_gkes_dotted_scale_up_message_ids_are_the_autoscaler_not_scaling_up() -> None:
    for message_id in (
        "scale.up.error.quota.exceeded",
        "scale.up.error.ip.space.exhausted",
        "no.scale.up.mig.failing.predicate",
    ):
        paste = (
            f"The autoscaler event for the pending pod says {message_id} and no node is added.\n"
        )
        assert match_json(paste)["answer"] == "cluster-autoscaler-no-scale-up", message_id
