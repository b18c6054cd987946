"""A sentence that retells a `kubectl get` status (bot/diagnosis/paste_prose.py): "the PVC stays
Pending", "worker1 became NotReady", "the pods are crashlooping".

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json, rules_ids
from tests.readings.cases import Case, check

CASES = [
    Case(
        "the worker pods went into CrashLoopBackOff right after the helm upgrade",
        answer="crashloop-backoff",
        why="a crash loop named in words with no cause is answered as one",
        read_by="sentence",
    ),
    Case(
        "my pod keeps going into crash loop backoff, any idea?",
        answer="crashloop-backoff",
        why="a crash loop named in words with no cause is answered as one",
        read_by="sentence",
    ),
    Case(
        "both replicas are in CrashLoopBackoff state",
        answer="crashloop-backoff",
        why="a crash loop named in words with no cause is answered as one",
    ),
    Case(
        '2025-01-02T10:00:00.000Z\tV4\tNodes are not ready yet\t{"total": 3, "ready": 2}\n',
        answer="node-not-ready",
        why="a node said not ready",
    ),
    Case(
        "After about twenty minutes the worker node went NotReady and pods were evicted.\n",
        answer="node-not-ready",
        why="a node said not ready",
        read_by="sentence",
    ),
    Case(
        "The api pod seems to be crashlooping since the upgrade.\n",
        answer="crashloop-backoff",
        why="a crash loop said in words is the crash loop",
    ),
    Case(
        "Our worker pods are stuck in a crash loop after the config change.\n",
        answer="crashloop-backoff",
        why="a crash loop said in words is the crash loop",
        read_by="sentence",
    ),
    Case(
        "After deploying, the pod keeps crash-looping.\n",
        answer="crashloop-backoff",
        why="a crash loop said in words is the crash loop",
        read_by="sentence",
    ),
    Case(
        "The scheduler pod is repeatedly crashing and I cannot find why.\n",
        answer="crashloop-backoff",
        why="a crash loop said in words is the crash loop",
    ),
    Case(
        "The controller pod is crashing after 5 restarts.\n",
        answer="crashloop-backoff",
        why="a crash loop said in words is the crash loop",
    ),
    Case(
        "The container gets killed because it exceeds its memory limit.\n",
        answer="oom-killed",
        why="a common failure said plainly",
    ),
    Case(
        "The node can't pull the image from our private registry, it says unauthorized.\n",
        answer="image-pull-unauthorized",
        why="a common failure said plainly",
    ),
    Case(
        "I forgot to add the imagePullSecret so the pull fails\n",
        answer="image-pull-unauthorized",
        why="a common failure said plainly",
    ),
    Case(
        "The pod cannot pull images because the registry times out.\n",
        answer="image-registry-unreachable",
        why="a common failure said plainly",
    ),
    Case(
        "The pod stays Pending because the nodes don't have enough CPU.\n",
        answer="pending-insufficient-resources",
        why="a common failure said plainly",
    ),
    Case(
        "No node matches the pod's nodeSelector so it stays pending.\n",
        answer="pending-node-selector-mismatch",
        why="a common failure said plainly",
    ),
    Case(
        "the pod does not tolerate the taint on the node\n",
        answer="pending-untolerated-taint",
        why="a common failure said plainly",
    ),
    Case(
        "my persistent volume claim is never bound\n",
        answer="pvc-pending",
        why="a common failure said plainly",
        read_by="sentence",
    ),
    Case(
        "The PVC is pending because the storage class does not exist.\n",
        answer="pending-storageclass-missing",
        why="a common failure said plainly",
        read_by="sentence",
    ),
    Case(
        "The volume fails to mount on the node.\n",
        answer="volume-mount-failed",
        why="a common failure said plainly",
    ),
    Case(
        "When the credentials are wrong the AttachVolume call simply times out.\n",
        answer="csi-attach-timeout",
        why="a common failure said plainly",
    ),
    Case(
        "DNS lookups fail inside the pod\n",
        answer="dns-resolution-failure",
        why="a common failure said plainly",
    ),
    Case(
        "The service account is forbidden from listing pods.\n",
        answer="rbac-forbidden",
        why="a common failure said plainly",
    ),
    Case(
        "The container fails to start because the executable is not found in PATH.\n",
        answer="executable-not-found",
        why="a common failure said plainly",
    ),
    Case(
        "The node is NotReady because the CNI plugin is not initialized.\n",
        answer="cni-network-plugin-not-ready",
        why="a common failure said plainly",
        read_by="sentence",
    ),
    Case(
        "Pods are not created because the namespace quota is exceeded.\n",
        answer="resource-quota-exceeded",
        why="a common failure said plainly",
    ),
    Case(
        "The certificate is not issued because the issuer is not ready.\n",
        answer="cert-manager-issuer-not-ready",
        why="a common failure said plainly",
    ),
    Case(
        "etcd reports database space exceeded.\n",
        answer="etcd-space-exceeded",
        why="a common failure said plainly",
    ),
    Case(
        "The ingress controller ignores my ingress.\n",
        answer="ingress-class-missing",
        why="a common failure said plainly",
    ),
    Case(
        "The job failed after reaching its backoff limit.\n",
        answer="job-backoff-limit",
        why="a common failure said plainly",
    ),
    Case(
        "kubectl says I am unauthorized since this morning.\n",
        answer="kubectl-unauthorized",
        why="a common failure said plainly",
    ),
    Case(
        "The volume is still attached to the old node so the new pod cannot attach it.\n",
        answer="volume-multi-attach",
        why="a common failure said plainly",
    ),
    Case(
        "The node has reached its maximum number of pods.\n",
        answer="too-many-pods",
        why="a common failure said plainly",
    ),
    Case(
        (
            "[os,thread] Failed to start thread - pthread_create failed (EAGAIN) for attributes: stacksize: "
            "1024k\n"
        ),
        answer="pid-exhaustion",
        why="a common failure said plainly",
    ),
    Case(
        "The operator restarts whenever its lease could not be renewed in time.\n",
        answer="leader-election-lost",
        why="a common failure said plainly",
    ),
    Case(
        "All the kube-proxy targets in Prometheus are down after the upgrade.\n",
        answer="prometheus-target-down",
        why="a common failure said plainly",
    ),
    Case(
        "the node is NotReady after the kernel upgrade, kubelet keeps restarting",
        not_answer="cni-network-plugin-not-ready",
        why="not ready alone is not the network",
        read_by="sentence",
    ),
    Case(
        "We get a lot of evicted worker pods on GKE since the upgrade.",
        answer="pod-evicted",
        why="pods said evicted for the nodes resources are evictions",
    ),
    Case(
        "These pods get evicted first when the node runs low on memory, they have no requests.",
        answer="pod-evicted",
        why="pods said evicted for the nodes resources are evictions",
        read_by="sentence",
    ),
    Case(
        "I changed the claims to use the default class, but the pvcs didn't bound to the volumes",
        answer="pvc-pending",
        why="claims said never bound are pending claims",
    ),
    Case(
        "the claims are still unbound after ten minutes",
        answer="pvc-pending",
        why="claims said never bound are pending claims",
        read_by="sentence",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_status_said_in_words_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


@pytest.mark.parametrize(
    "sentence",
    [
        "The pod is pending and describe says it has unbound PersistantVolumeClaims.",  # misspelt as typed
        "The logs say the stateful set isn't binding the PVC.",
        "My PVC is not bound yet after ten minutes.",
    ],
)
def test_a_claim_said_not_to_bind_is_the_pending_claim(sentence: str) -> None:
    body = match_json(sentence + "\n")
    assert body["answer"] == "pvc-pending"
    assert any("pasted sentence" in fact for fact in body["matches"][0]["evidence"])


def test_a_node_named_by_its_role_is_a_node_not_ready() -> None:
    """ "The master is NotReady": the node's role names the node, even beside a node that is ready;
    pods "not ready" are no node."""
    assert (
        match_json("After the update the master and one worker are NotReady in kubectl get nodes.")[
            "answer"
        ]
        == "node-not-ready"
    )
    assert (
        match_json("The master and the old worker is NotReady, the new worker is ready.")["answer"]
        == "node-not-ready"
    )
    assert "node-not-ready" not in rules_ids(
        match_json("The api pods are not ready yet after the rollout.")
    )
