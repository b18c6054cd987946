"""Cluster tools' message formats (intents/messages/data: helm, kops, skaffold, kubeadm, minikube).

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "Validating cluster prod.example.com\n"
            "\n"
            "INSTANCE GROUPS\n"
            "NAME\t\t\tROLE\tMACHINETYPE\tMIN\tMAX\tSUBNETS\n"
            "master-eu-west-1a\tMaster\tm5.large\t1\t1\teu-west-1a\n"
            "nodes\t\t\tNode\tm5.xlarge\t2\t4\teu-west-1a\n"
            "\n"
            "NODE STATUS\n"
            "NAME\t\t\t\tROLE\tREADY\n"
            "ip-10-0-1-10.eu-west-1.compute.internal\tmaster\tTrue\n"
            "\n"
            "Validation Failed\n"
            "Ready Master(s) 1 out of 1.\n"
            "Ready Node(s) 0 out of 2.\n"
        ),
        answer="node-not-ready",
        why="kops counting no ready node is nodes not ready",
    ),
    Case(
        (
            "Validating cluster prod.example.com\n"
            "\n"
            "INSTANCE GROUPS\n"
            "NAME\t\t\tROLE\tMACHINETYPE\tMIN\tMAX\tSUBNETS\n"
            "master-eu-west-1a\tMaster\tm5.large\t1\t1\teu-west-1a\n"
            "nodes\t\t\tNode\tm5.xlarge\t2\t4\teu-west-1a\n"
            "\n"
            "NODE STATUS\n"
            "NAME\t\t\t\tROLE\tREADY\n"
            "ip-10-0-1-10.eu-west-1.compute.internal\tmaster\tTrue\n"
            "ip-10-0-1-11.eu-west-1.compute.internal\tnode\tTrue\n"
            "ip-10-0-1-12.eu-west-1.compute.internal\tnode\tTrue\n"
            "ip-10-0-1-13.eu-west-1.compute.internal\tnode\tTrue\n"
            "\n"
            "Validation Failed\n"
            "Ready Master(s) 1 out of 1.\n"
            "Ready Node(s) 3 out of 2.\n"
            "\n"
            "your nodes are NOT ready prod.example.com\n"
        ),
        answer=None,
        why="kops verdict from its counts alone is not an answer",
    ),
    Case(
        (
            "VALIDATION ERRORS\n"
            "KIND\tNAME\t\t\t\t\tMESSAGE\n"
            'Node\tip-10-0-1-11.eu-west-1.compute.internal\tnode "ip-10-0-1-11.eu-west-1.compute.internal" is '
            "not ready\n"
            "\n"
            "Validation Failed\n"
        ),
        answer="node-not-ready",
        why="kops validation error rows naming a node not ready",
    ),
    Case(
        (
            "VALIDATION ERRORS\n"
            "KIND\tNAME\t\t\t\t\tMESSAGE\n"
            'Node\tip-10-0-1-11.eu-west-1.compute.internal\tnode "ip-10-0-1-11.eu-west-1.compute.internal" of '
            'role "node" is not ready\n'
            "\n"
            "Validation Failed\n"
        ),
        answer="node-not-ready",
        why="kops validation error rows naming a node not ready",
    ),
    Case(
        (
            "VALIDATION ERRORS\n"
            "KIND\tNAME\t\t\t\t\tMESSAGE\n"
            'Node\tip-10-0-1-10.eu-west-1.compute.internal\tmaster "ip-10-0-1-10.eu-west-1.compute.internal" '
            "is not ready\n"
            "\n"
            "Validation Failed\n"
        ),
        answer="node-not-ready",
        why="kops validation error rows naming a node not ready",
    ),
    Case(
        (
            "VALIDATION ERRORS\n"
            "KIND\tNAME\t\t\tMESSAGE\n"
            'Machine\ti-0a1b2c3d4e5f67890\tmachine "i-0a1b2c3d4e5f67890" has not yet joined cluster\n'
            "\n"
            "Validation Failed\n"
        ),
        not_answer="node-not-ready",
        why="kops row of a machine that never joined is not called a not ready node",
    ),
    Case(
        (
            "Waiting for deployments to stabilize...\n"
            " - deployment/checkout: container app is backing off waiting to restart\n"
            "    - pod/checkout-5f7b9c6d8-qx2mz: container app is backing off waiting to restart\n"
            " - deployment/checkout failed. Error: container app is backing off waiting to restart.\n"
        ),
        answer="crashloop-backoff",
        why="skaffold status check lines",
    ),
    Case(
        (
            "Waiting for deployments to stabilize...\n"
            " - deployment/checkout: container app terminated with exit code 137\n"
            "    - pod/checkout-5f7b9c6d8-qx2mz: container app terminated with exit code 137\n"
            " - deployment/checkout failed. Error: container app terminated with exit code 137.\n"
        ),
        answer="exit-code-137-sigkill",
        why="skaffold status check lines",
    ),
    Case(
        (
            "Waiting for deployments to stabilize...\n"
            " - deployment/checkout: container app terminated with exit code 139\n"
            "    - pod/checkout-5f7b9c6d8-qx2mz: container app terminated with exit code 139\n"
            " - deployment/checkout failed. Error: container app terminated with exit code 139.\n"
        ),
        answer="exit-code-139-segfault",
        why="skaffold status check lines",
    ),
    Case(
        (
            " - deployment/checkout: creating container app\n"
            "    - pod/checkout-5f7b9c6d8-qx2mz: creating container app\n"
        ),
        answer=None,
        why="skaffold creating a container is not a problem",
    ),
    Case(
        (
            "Validating cluster prod.example.com\n"
            "\n"
            "W0301 10:00:05.000000   41 validate_cluster.go:173] (will retry): unexpected error during "
            "validation: error listing nodes: Unauthorized\n"
            "W0301 10:00:15.000000   41 validate_cluster.go:173] (will retry): unexpected error during "
            "validation: error listing nodes: Unauthorized\n"
        ),
        answer="kubectl-unauthorized",
        why="kops retrying on an api server that refuses its credentials is unauthorized",
    ),
    Case(
        (
            "Error: a release named web already exists.\n"
            "Run: helm ls --all web; to check the status of the release\n"
            "Or run: helm del --purge web; to delete it"
        ),
        answer="helm-release-name-in-use",
        why="helm 2 refusing a release name still held",
    ),
    Case(
        " - deployment/api: container api terminated with exit code 1\n",
        answer="crashloop-backoff",
        why="skaffold reports a container terminated by its exit code",
    ),
    Case(
        " - deployment/api: container api terminated with exit code 137\n",
        answer="exit-code-137-sigkill",
        why="skaffold reports a container terminated by its exit code",
    ),
    Case(
        " - deployment/api: container api terminated with exit code 0\n",
        answer=None,
        why="skaffold reports a container terminated by its exit code",
    ),
    Case(
        (
            "[upload-certs] Skipping phase. Please see --upload-certs\n"
            "[mark-control-plane] Marking the node cp-1 as control-plane by adding the labels: "
            "[node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]\n"
            "[mark-control-plane] Marking the node cp-1 as control-plane by adding the taints "
            "[node-role.kubernetes.io/control-plane:NoSchedule]\n"
            "[bootstrap-token] Using token: abcdef.0123456789abcdef\n"
        ),
        answer=None,
        why="kubeadm marking its control plane is no taint problem",
    ),
    Case(
        (
            'X Exiting due to K8S_KUBELET_NOT_RUNNING: wait: /bin/bash -c "sudo env '
            'PATH="/var/lib/minikube/binaries/v1.25.0:$PATH" kubeadm init --config '
            "/var/tmp/minikube/kubeadm.yaml  --ignore-preflight-errors=DirAvailable--etc-kubernetes-manifests"
            ",DirAvailable--var-lib-minikube,DirAvailable--var-lib-minikube-etcd,FileAvailable--etc-kubernete"
            "s-manifests-kube-scheduler.yaml,FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml,File"
            "Available--etc-kubernetes-manifests-kube-controller-manager.yaml,FileAvailable--etc-kubernetes-m"
            'anifests-etcd.yaml,Port-10250,Swap,Mem": Process exited with status 1\n'
        ),
        not_answer="kubeadm-preflight-previous-install",
        why="the checks kubeadm is told to ignore are no failed checks however long the line",
    ),
    Case(
        "\t[ERROR Port-10250]: Port 10250 is in use\n",
        answer="kubeadm-preflight-previous-install",
        why="the checks kubeadm is told to ignore are no failed checks however long the line",
    ),
    Case(
        (
            "Error: UPGRADE FAILED: rendered manifests contain a new resource that already exists. Unable to "
            "continue with update: existing resource conflict: kind: ClusterRole, namespace: , name: "
            "agent-reader"
        ),
        answer="helm-invalid-ownership-metadata",
        why="helm 3 0 new resource conflict is a resource outside the release",
    ),
    Case(
        (
            'Updating the running docker "minikube" container ...\n'
            "This container is having trouble accessing https://registry.k8s.io\n"
            "To pull new external images, you may need to configure a proxy: "
            "https://minikube.sigs.k8s.io/docs/reference/networking/proxy/\n"
        ),
        answer="image-registry-unreachable",
        why="minikube unable to reach its registry is the registry unreachable",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_tools_message_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
