"""People's words and node lines for a node's failures (not ready, pressure, full disks, hung tasks,
limits), read by the entries' own patterns and symptoms.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "I0514 11:44:37.833089    3277 nodecontroller.go:569] NodeController detected that all Nodes are "
            "not-Ready. Entering master disruption mode.\n"
        ),
        answer="node-not-ready",
        why="the node controller entering disruption mode means every node is not ready",
    ),
    Case(
        (
            "I0126 15:19:20.901414       1 node_lifecycle_controller.go:1230] Controller detected that all "
            "Nodes are not-Ready. Entering master disruption mode.\n"
        ),
        answer="node-not-ready",
        why="the node controller entering disruption mode means every node is not ready",
    ),
    Case(
        (
            'I1103 08:00:01.000000       1 node_lifecycle_controller.go:1020] "Controller detected that all '
            'Nodes are not-Ready. Entering master disruption mode"\n'
        ),
        answer="node-not-ready",
        why="the node controller entering disruption mode means every node is not ready",
    ),
    Case(
        (
            "Nov 29 10:42:17 node-1 systemd[1]: kubelet.service: Scheduled restart job, restart counter is "
            "at 175.\n"
        ),
        answer="node-frequent-restarts",
        why="systemd s restart counter is about the unit it names",
    ),
    Case(
        (
            "Nov 29 10:42:17 node-1 systemd[1]: containerd.service: Scheduled restart job, restart counter "
            "is at 175.\n"
        ),
        answer="node-frequent-restarts",
        why="systemd s restart counter is about the unit it names",
    ),
    # an edge agent restarting is the agent's own problem
    Case(
        (
            "Nov 29 10:42:17 node-1 systemd[1]: edgecore.service: Scheduled restart job, restart counter is "
            "at 175.\n"
        ),
        answer=None,
        why="systemd s restart counter is about the unit it names",
    ),
    Case(
        (
            "Nov 29 10:42:17 node-1 systemd[1]: myapp.service: Scheduled restart job, restart counter is at "
            "175.\n"
        ),
        answer=None,
        why="systemd s restart counter is about the unit it names",
    ),
    Case(
        (
            "[kubelet-check] Initial timeout of 40s passed.\n"
            "[kubelet-check] It seems like the kubelet isn't running or healthy.\n"
            "[kubelet-check] The HTTP call equal to 'curl -sSL http://localhost:10248/healthz' failed with "
            'error: Get "http://localhost:10248/healthz": dial tcp 127.0.0.1:10248: connect: connection '
            "refused.\n"
        ),
        answer=None,
        why="kubeadm s kubelet check is no probe failure",
    ),
    Case(
        (
            "[kubelet-check] Initial timeout of 40s passed.\n"
            "[kubelet-check] It seems like the kubelet isn't running or healthy.\n"
            "[kubelet-check] The HTTP call equal to 'curl -sSL http://localhost:10248/healthz' failed with "
            'error: Get "http://localhost:10248/healthz": dial tcp 127.0.0.1:10248: connect: connection '
            "refused.\n"
            'E0101 10:00:00.000000    1234 run.go:74] "command failed" err="failed to run Kubelet: running '
            'with swap on is not supported, please disable swap! or set --fail-swap-on flag to false."\n'
        ),
        answer="kubelet-swap-enabled",
        why="kubeadm s kubelet check is no probe failure",
    ),
    Case(
        "The PVC has plenty of free space left.\n",
        answer=None,
        why="the same words saying all is well are no answer",
    ),
    Case(
        "Pods were scheduled once we added a node with more CPU.\n",
        answer=None,
        why="the same words saying all is well are no answer",
    ),
    Case(
        "The namespace is no longer stuck in Terminating.\n",
        answer=None,
        why="a state denied or supposed is not read",
    ),
    Case(
        "The node is not under memory pressure.\n",
        answer=None,
        why="a state denied or supposed is not read",
    ),
    Case(
        "Pods can be evicted if there is memory pressure on the node.\n",
        answer=None,
        why="a state denied or supposed is not read",
    ),
    Case(
        "java.nio.file.FileSystemException: /var/lib/app/queue.xml: No space left on device",
        answer="filesystem-full",
        why="a full disk as the language runtimes say it",
    ),
    Case(
        "OSError: [Errno 28] No space left on device: '/data/cache/index'",
        answer="filesystem-full",
        why="a full disk as the language runtimes say it",
    ),
    Case(
        "Error: ENOSPC: no space left on device, write",
        answer="filesystem-full",
        why="a full disk as the language runtimes say it",
    ),
    Case(
        (
            "Warning  Unhealthy  10s (x3 over 30s)  kubelet  Readiness probe failed: calico/node is not "
            "ready: BIRD is not ready: BGP not established with 10.0.0.12\n"
        ),
        answer="calico-bgp-not-established",
        why="calicos own readiness message is no node not ready: the calico packs BGP entry",
    ),
    Case(
        (
            "Events:\n"
            "  Type     Reason    Age   From            Message\n"
            "  Warning  TaskHung  5m  kernel-monitor  INFO: task jbd2/sda4-8:363 blocked for more than 120 "
            "seconds.\n"
            "  Warning  TaskHung  5m  kernel-monitor  INFO: task dockerd:6500 blocked for more than 120 "
            "seconds.\n"
            "  Warning  TaskHung  5m  kernel-monitor  INFO: task containerd:7378 blocked for more than 120 "
            "seconds.\n"
        ),
        answer="node-task-hung",
        why="a hung task event is task hung even when the task is dockerd",
    ),
    Case(
        "kernel: INFO: task docker:20744 blocked for more than 120 seconds.\n",
        answer="node-kernel-deadlock",
        why="the kernels own report of a hung runtime is the kernel deadlock",
    ),
    Case(
        "kernel: INFO: task dockerd:1532 blocked for more than 120 seconds.\n",
        answer="node-kernel-deadlock",
        why="the kernels own report of a hung runtime is the kernel deadlock",
    ),
    Case(
        "kernel: INFO: task containerd:812 blocked for more than 120 seconds.\n",
        answer="node-kernel-deadlock",
        why="the kernels own report of a hung runtime is the kernel deadlock",
    ),
    Case(
        (
            "Warning  FreeDiskSpaceFailed  3m (x12 over 1h)  kubelet  failed to garbage collect required "
            "amount of images. Wanted to free 8123456789 bytes, but freed 0 bytes\n"
        ),
        answer="node-disk-pressure",
        why="the image collector unable to free space is the node filling toward disk pressure",
    ),
    Case(
        (
            'E0412 08:00:00.000000    2211 kubelet.go:1400] "Image garbage collection failed multiple times '
            'in a row" err="Failed to garbage collect required amount of images. Attempted to free '
            '5368709120 bytes, but only found 0 bytes eligible to free."\n'
        ),
        answer="node-disk-pressure",
        why="the image collector unable to free space is the node filling toward disk pressure",
    ),
    Case(
        "Feature request: a flag to disable swap checks in the minikube kubelet configuration.\n",
        answer=None,
        why="a symptom that says not is never a line that says no trouble",
    ),
    Case(
        "failed to run Kubelet: running with swap on is not supported, please disable swap!\n",
        answer="kubelet-swap-enabled",
        why="a symptom that says not is never a line that says no trouble",
    ),
    Case(
        "our k8s nodes not ready after the install, kubelet runs",
        answer="node-not-ready",
        why="nodes said not ready without a verb or never ready are not ready",
    ),
    Case(
        "the vms come up but the nodes never reach the Ready state",
        answer="node-not-ready",
        why="nodes said not ready without a verb or never ready are not ready",
    ),
    Case(
        (
            "After setting the routing mode it provisioned and was no longer stuck in the `Control plane "
            "nodes not ready yet` phase."
        ),
        answer=None,
        why="a phase named nodes not ready yet that passed is no problem",
    ),
    Case(
        "Error: ENOSPC: System limit for number of file watchers reached, watch '/app/public'",
        answer="inotify-limit-reached",
        why="node out of file watchers is the inotify limit",
    ),
    Case(
        "Error: watch /code/node_modules/lodash/index.js ENOSPC at FSWatcher.start (fs.js:1382:19)",
        answer="inotify-limit-reached",
        why="node out of file watchers is the inotify limit",
    ),
    Case(
        (
            "minikube\n"
            "type: Control Plane\n"
            "host: Running\n"
            "kubelet: Running\n"
            "apiserver: Running\n"
            "kubeconfig: Configured\n"
        ),
        answer=None,
        why="minikube status all running is healthy",
    ),
    Case(
        (
            "Ready  False  KubeletNotReady  PLEG is not healthy: pleg was last seen active 4m2.1s ago; "
            "threshold is 3m0s"
        ),
        answer="node-not-ready",
        why="a pleg last seen minutes ago is still a not ready node",
    ),
    Case(
        (
            "W1018 19:47:44.637292   21571 warnings.go:70] policy/v1beta1 PodSecurityPolicy is deprecated in "
            "v1.21+, unavailable in v1.25+"
        ),
        answer=None,
        why="the api servers deprecation warning is no removed api",
    ),
    Case(
        "Warning: policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+",
        answer=None,
        why="the api servers deprecation warning is no removed api",
    ),
    Case(
        (
            "[2024/01/02 10:00:00] [error] [plugins/in_tail/tail_fs.c:168 errno=24] Too many open files"
        ),
        answer="inotify-limit-reached",
        why="fluent bits tail out of inotify is the inotify limit",
    ),
    Case(
        "[2018/12/20 10:06:41] [error] [in_tail] could not register file into fs_events",
        answer="inotify-limit-reached",
        why="fluent bits tail out of inotify is the inotify limit",
    ),
    Case(
        "Ready  False  KubeletNotReady  container runtime is down\n",
        answer="node-not-ready",
        why="failures said in words",
    ),
    Case(
        ("alertname: NodeMemoryHighUtilization\nsummary: Host is running out of memory."),
        answer="node-memory-pressure",
        why="read as node-memory-pressure",
    ),
    Case(
        "csr-zxlx2   55m   kubernetes.io/kubelet-serving   system:node:cp-2   <none>   Denied\n",
        answer="kubelet-serving-certificate-invalid",
        why="read as kubelet-serving-certificate-invalid",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_node_failure_in_words_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
