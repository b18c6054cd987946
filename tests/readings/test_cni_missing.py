"""A `kubectl get pods -A` of a kubeadm-style cluster without a pod network (bot/diagnosis/paste_links.py).

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "NAMESPACE     NAME                               READY   STATUS              RESTARTS   AGE\n"
            "kube-system   coredns-5d78c9869d-4xk2p           0/1     Pending             0          9m\n"
            "kube-system   coredns-5d78c9869d-q8wzt           0/1     Pending             0          9m\n"
            "kube-system   etcd-cp-1                          1/1     Running             0          9m\n"
            "kube-system   kube-apiserver-cp-1               1/1     Running             0          9m\n"
            "kube-system   kube-proxy-7lq2d                   1/1     Running             0          9m\n"
        ),
        answer="cni-network-plugin-not-ready",
        why="a kubeadm cluster listing coredns waiting and no network add on lacks its cni",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAMESPACE     NAME                               READY   STATUS              RESTARTS   AGE\n"
            "kube-system   coredns-5d78c9869d-4xk2p           0/1     ContainerCreating   0          9m\n"
            "kube-system   coredns-5d78c9869d-q8wzt           0/1     ContainerCreating   0          9m\n"
            "kube-system   etcd-cp-1                          1/1     Running             0          9m\n"
            "kube-system   kube-apiserver-cp-1               1/1     Running             0          9m\n"
            "kube-system   kube-proxy-7lq2d                   1/1     Running             0          9m\n"
        ),
        answer="cni-network-plugin-not-ready",
        why="a kubeadm cluster listing coredns waiting and no network add on lacks its cni",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAMESPACE     NAME                               READY   STATUS              RESTARTS   AGE\n"
            "kube-system   coredns-5d78c9869d-4xk2p           0/1     ContainerCreating   0          9m\n"
            "kube-system   coredns-5d78c9869d-q8wzt           0/1     ContainerCreating   0          9m\n"
            "kube-system   etcd-cp-1                          1/1     Running             0          9m\n"
            "kube-system   kube-apiserver-cp-1               1/1     Running             0          9m\n"
            "kube-system   kube-proxy-7lq2d                   1/1     Running             0          9m\n"
            "kube-system   calico-node-x8r2v                  0/1     Running             0          9m\n"
        ),
        not_answer="cni-network-plugin-not-ready",
        why="coredns waiting beside a network add on is not a missing cni",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAMESPACE     NAME                               READY   STATUS              RESTARTS   AGE\n"
            "kube-system   coredns-5d78c9869d-4xk2p           0/1     Pending             0          9m\n"
            "kube-system   coredns-5d78c9869d-q8wzt           0/1     Pending             0          9m\n"
            "kube-system   etcd-cp-1                          1/1     Running             0          9m\n"
            "kube-system   local-path-provisioner-6c86-xx   1/1     Running             0          9m\n"
            "kube-system   kube-proxy-7lq2d                   1/1     Running             0          9m\n"
        ),
        not_answer="cni-network-plugin-not-ready",
        why="coredns waiting on a cluster without static control plane pods is not a missing cni",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAMESPACE         NAME                               READY   STATUS    RESTARTS   AGE\n"
            "kube-system       coredns-74ff55c5b-58m75            0/1     Pending   0          21m\n"
            "kube-system       etcd-node1                         1/1     Running   1          42s\n"
            "kube-system       kube-apiserver-node1               1/1     Running   1          43s\n"
            "kube-system       kube-proxy-rf4fw                   1/1     Running   0          21m\n"
            "tigera-operator   tigera-operator-d499f5c8f-xndbv    1/1     Running   1          6m5s\n"
        ),
        answer="cni-network-plugin-not-ready",
        why="coredns waiting beside only the calico operator is the missing network",
        read_by="kubectl get pods",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_listing_of_every_namespace_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
