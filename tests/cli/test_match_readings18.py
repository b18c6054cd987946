"""Readings of the eighteenth pass (issue 21), each case written from a component's format, not the corpus."""

from __future__ import annotations

from tests.cli.runner import match_json


def test_the_vpc_cnis_empty_address_pool_is_the_sandbox_failing_for_want_of_an_ip() -> None:
    # ipamd's datastore (data_store.go) once every ENI address or prefix is assigned
    exhausted = ('{"level":"error","ts":"2025-02-03T08:00:00.000Z","caller":"datastore/data_store.go:735",'
                 '"msg":"DataStore has no available IP/Prefix addresses"}\n')
    assert match_json(exhausted)["answer"] == "cni-sandbox-failed"
    refused = "AssignPodIPv4Address: no available IP/Prefix addresses\n"
    assert match_json(refused)["answer"] == "cni-sandbox-failed"


def test_the_vpc_cnis_scan_past_one_full_prefix_is_no_problem() -> None:
    # a debug line while ipamd walks its CIDRs: one full prefix while another has room is normal
    scan = ('{"level":"debug","ts":"2025-02-03T08:00:00.000Z","caller":"datastore/data_store.go:808",'
            '"msg":"Unable to get IP address from CIDR: no free IP available in the prefix - 10.4.128.240/ffffffff"}\n')
    assert match_json(scan)["answer"] is None


def test_gkes_dotted_scale_up_message_ids_are_the_autoscaler_not_scaling_up() -> None:
    for message_id in ("scale.up.error.quota.exceeded", "scale.up.error.ip.space.exhausted",
                       "no.scale.up.mig.failing.predicate"):
        paste = f"The autoscaler event for the pending pod says {message_id} and no node is added.\n"
        assert match_json(paste)["answer"] == "cluster-autoscaler-no-scale-up", message_id


def test_kubeadm_marking_its_control_plane_is_no_taint_problem() -> None:
    # kubeadm init's mark-control-plane phase prints the taint every control plane starts with
    init = ("[upload-certs] Skipping phase. Please see --upload-certs\n"
            "[mark-control-plane] Marking the node cp-1 as control-plane by adding the labels:"
            " [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]\n"
            "[mark-control-plane] Marking the node cp-1 as control-plane by adding the taints"
            " [node-role.kubernetes.io/control-plane:NoSchedule]\n"
            "[bootstrap-token] Using token: abcdef.0123456789abcdef\n")
    assert match_json(init)["answer"] is None


def test_the_autoscalers_loop_setting_aside_pods_an_upcoming_node_will_take_is_no_problem() -> None:
    # filter_out_schedulable.go: pods that fit on an existing or upcoming node need no scale-up
    loop = ("I0529 00:34:21.801929       1 filter_out_schedulable.go:124] Pod web-5d8c9-x2x marked as"
            " unschedulable can be scheduled on upcoming node template-node-for-ng-1-upcoming-0\n"
            "I0529 00:34:21.802000       1 filter_out_schedulable.go:130] 2 other pods marked as unschedulable"
            " can be scheduled.\n"
            "I0529 00:34:21.802010       1 static_autoscaler.go:402] No unschedulable pods\n")
    assert match_json(loop)["answer"] is None


def test_an_alb_action_backend_is_no_missing_service() -> None:
    # the AWS Load Balancer Controller's `use-annotation` port names an actions annotation; kubectl
    # describe looks for its endpoints anyway
    action = ("Rules:\n"
              "  Host         Path      Backends\n"
              "  ----         ----      --------\n"
              "  example.com  /metrics  response-403:use-annotation (<error: endpoints \"response-403\" not found>)\n")
    assert match_json(action)["answer"] is None
    missing = ("Rules:\n"
               "  Host         Path  Backends\n"
               "  ----         ----  --------\n"
               "  example.com  /api  api-svc:8080 (<error: endpoints \"api-svc\" not found>)\n")
    assert match_json(missing)["answer"] == "ingress-backend-service-not-found"


def test_a_pods_client_timing_out_on_the_kubernetes_services_clusterip_is_the_service_routing() -> None:
    # net.OpError to the first address of the Service range on 443: an in-cluster client the node's
    # Service rules do not take to the API server; the same timeout inside kubectl's own message stays kubectl's
    in_cluster = ("2024-04-26 19:49:21.632 [ERROR][1] client.go 290: Error getting cluster information\n"
                  "dial tcp 10.43.0.1:443: i/o timeout\n")
    assert match_json(in_cluster)["answer"] == "kube-proxy-service-broken"
    kubectl = "Unable to connect to the server: dial tcp 10.43.0.1:443: i/o timeout\n"
    assert match_json(kubectl)["answer"] == "kubectl-apiserver-unreachable-timeout"
    elsewhere = "dial tcp 10.20.30.40:5432: i/o timeout\n"
    assert match_json(elsewhere)["answer"] != "kube-proxy-service-broken"


def test_the_checks_kubeadm_is_told_to_ignore_are_no_failed_checks_however_long_the_line() -> None:
    # minikube and other installers print kubeadm's command line when init fails; its
    # --ignore-preflight-errors lists check names, and a line long enough to be read in windows
    # is still one line to an entry's excludes
    ignored = ("DirAvailable--etc-kubernetes-manifests,DirAvailable--var-lib-minikube,"
               "DirAvailable--var-lib-minikube-etcd,FileAvailable--etc-kubernetes-manifests-kube-scheduler.yaml,"
               "FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml,"
               "FileAvailable--etc-kubernetes-manifests-kube-controller-manager.yaml,"
               "FileAvailable--etc-kubernetes-manifests-etcd.yaml,Port-10250,Swap,Mem")
    line = (f'X Exiting due to K8S_KUBELET_NOT_RUNNING: wait: /bin/bash -c "sudo env PATH="/var/lib/minikube/'
            f'binaries/v1.25.0:$PATH" kubeadm init --config /var/tmp/minikube/kubeadm.yaml  '
            f'--ignore-preflight-errors={ignored}": Process exited with status 1\n')
    assert match_json(line)["answer"] != "kubeadm-preflight-previous-install"
    failed = "\t[ERROR Port-10250]: Port 10250 is in use\n"
    assert match_json(failed)["answer"] == "kubeadm-preflight-previous-install"
