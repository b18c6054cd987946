"""People's words and logs for a pod's failures (crash loops, OOM kills, probes, exit codes, init
containers, evictions), read by the entries' own patterns and symptoms.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_ids, match_json
from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "the admin console binds to 127.0.0.1, which causes the liveness probe to fail every 5 minutes"
        ),
        answer="liveness-probe-failed",
        why="a state named in words is answered",
    ),
    Case(
        "since the upgrade our readiness probes keep failing on the api pods",
        answer="readiness-probe-failed",
        why="a state named in words is answered",
    ),
    Case(
        (
            "since the upgrade the operator pod is stuck in CreateContainerConfigError and never starts, "
            "what am I missing?\n"
        ),
        answer="create-container-config-error",
        why="a pod said to be stuck in create container config error is a missing config reference",
    ),
    Case(
        (
            "  Warning  Unhealthy  2m (x9 over 4m)  kubelet  Readiness probe failed: Get "
            '"http://10.1.2.3:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting '
            "headers)\n"
        ),
        answer="readiness-probe-failed",
        why="the same timeout reported by a probe is one",
    ),
    Case(
        "The gateway pods are stuck in a crash loop because of a 503 on the liveness probe.\n",
        answer="liveness-probe-failed",
        why="a restart told with its health check is the liveness probe",
    ),
    Case(
        (
            "Once livenessProbe is turned on, the broker pods crash loop since /health/live answers 404.\n"
        ),
        answer="liveness-probe-failed",
        why="a restart told with its health check is the liveness probe",
    ),
    Case(
        "The head and worker pods fail health checks and go into a crash loop backoff.\n",
        answer="liveness-probe-failed",
        why="a restart told with its health check is the liveness probe",
    ),
    Case(
        "The exporter keeps restarting due to failing health checks.\n",
        answer="liveness-probe-failed",
        why="a restart told with its health check is the liveness probe",
    ),
    Case(
        "We restarted the pods and the health checks pass now.\n",
        not_answer="liveness-probe-failed",
        why="a health check not said to restart anything is not liveness",
    ),
    Case(
        "The readiness probe fails, so the Service has no endpoints.\n",
        not_answer="liveness-probe-failed",
        why="a health check not said to restart anything is not liveness",
    ),
    Case(
        "The calico containers fail their readiness probe too many times.\n",
        answer="readiness-probe-failed",
        why="a container said not to pass its probe failed it",
    ),
    Case(
        "Now the elasticsearch pods do not pass the readiness probe.\n",
        answer="readiness-probe-failed",
        why="a container said not to pass its probe failed it",
    ),
    Case(
        "After the upgrade the app never passes its startup probe.\n",
        answer="startup-probe-failed",
        why="a container said not to pass its probe failed it",
    ),
    Case(
        "The pods pass the readiness probe within a minute.\n",
        answer=None,
        why="a sentence saying a check passed is no failure",
    ),
    Case(
        "After the rollout every replica passed its liveness probe.\n",
        answer=None,
        why="a sentence saying a check passed is no failure",
    ),
    Case(
        "The image pull succeeded on the second node.\n",
        answer=None,
        why="a sentence saying a check passed is no failure",
    ),
    Case(
        (
            "The pods pass the readiness probe at first, but then: Readiness probe failed: HTTP probe failed "
            "with statuscode: 503\n"
        ),
        answer="readiness-probe-failed",
        why="a check said to pass but then fail is still read",
    ),
    Case(
        "The operator is OOM killed on OpenShift.\n",
        answer="oom-killed",
        why="oom killed written apart is oom killed",
    ),
    Case(
        "the worker got OOM-killed twice today\n",
        answer="oom-killed",
        why="oom killed written apart is oom killed",
    ),
    Case(
        "The init container fails with: mkdir /data: permission denied\n",
        answer="volume-permission-denied",
        caused_by=(("init-container-failed", "volume-permission-denied"),),
        why="an init container said to fail on a path it may not write: the cause it states leads",
    ),
    Case(
        "our initContainer keeps crashing after the upgrade\n",
        answer="init-container-failed",
        why="an init container said to fail is the init container",
    ),
    Case(
        "The init container does not fail; the app container does.\n",
        not_answer="init-container-failed",
        why="an init container not said to fail is not read",
    ),
    Case(
        "Init containers run before app containers and must succeed.\n",
        not_answer="init-container-failed",
        why="an init container not said to fail is not read",
    ),
    Case(
        "kubectl get pods shows the api pod in CrashLoopBackOff",
        answer="crashloop-backoff",
        why="a sentence that starts with a command is still read",
    ),
    Case(
        "Following the guide, logstash fails with OOM.",
        answer="oom-killed",
        why="a container said to fail with oom",
    ),
    Case(
        "The collector pods keep restarting with OOM as the termination reason.",
        answer="oom-killed",
        why="a container said to fail with oom",
    ),
    Case(
        "Since the upgrade the agent no longer restarts with OOM.",
        not_answer="oom-killed",
        why="a container said not to fail with oom any more",
    ),
    Case(
        (
            'Error: failed to start container "gpu-job": Error response from daemon: failed to create shim '
            "task: OCI runtime create failed: runc create failed: unable to start container process: error "
            "during container init: error running hook #0: error running hook: exit status 1, stdout: , "
            "stderr: nvidia-container-cli: initialization error: nvml error: driver not loaded: unknown"
        ),
        answer="nvidia-container-cli-init-failed",
        why="a failing runtime hook is no entrypoint or init container problem",
    ),
    Case(
        "If I set the memory limit to 256Mi, the api pod is OOMKilled within a minute.",
        answer="oom-killed",
        why="a report that merely contains if is still read",
    ),
    Case(
        "I wonder if it is related, my controller pod is in CrashLoopBackOff since the upgrade.",
        answer="crashloop-backoff",
        why="a report that merely contains if is still read",
    ),
    Case(
        (
            "Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: "
            'runc create failed: unable to start container process: exec: "gunicorn": executable file not '
            "found in $PATH: unknown\n"
        ),
        answer="executable-not-found",
        why="go s exec error in a container start is the missing executable",
    ),
    Case(
        "We get this error from the init container on every rollout:\n",
        answer="init-container-failed",
        why="an error reported from an init container",
    ),
    Case(
        "After the upgrade there are failures in the initMigrate container, see below.\n",
        answer="init-container-failed",
        why="an error reported from an init container",
    ),
    Case(
        "The worker pods show Completed/CrashLoopBackOff after the upgrade.\n",
        answer="crashloop-backoff",
        why="a crash loop in a list of states",
    ),
    Case(
        "On a fresh volume the init container of the broker pod will fail with this error:\n",
        answer="init-container-failed",
        why="an init container failing named by its role",
    ),
    Case(
        "We see permission errors in the `fix-perms` init container logs after every restart.\n",
        answer="init-container-failed",
        why="an init container failing named by its role",
    ),
    Case(
        "The OOM errors page of the docs explains how the kernel picks a victim.\n",
        answer=None,
        why="oom said of something else is no container kill",
    ),
    Case(
        (
            "time=2024-01-05T10:06:21Z level=info msg=completed handling request "
            "http_request=map[headers:map[user-agent:kube-probe/1.29] method:GET path:/health/ready] "
            "http_response=map[status:503 text_status:Service Unavailable]\n"
        ),
        answer="readiness-probe-failed",
        why="a probe request answered with a failure in the access log is that probe",
    ),
    Case(
        (
            "INFO Cli.java:617 - address=/10.0.0.9:46815 url=/api/v0/probes/readiness status=500 Internal "
            "Server Error\n"
        ),
        answer="readiness-probe-failed",
        why="a probe request answered with a failure in the access log is that probe",
    ),
    Case(
        (
            '10.1.2.3 - - [01/Jan/2024:10:00:00 +0000] "GET /healthz/live HTTP/1.1" 503 12 "-" '
            '"kube-probe/1.27"\n'
        ),
        answer="liveness-probe-failed",
        why="a probe request answered with a failure in the access log is that probe",
    ),
    Case(
        "INFO Cli.java:617 - address=/10.0.0.9:46815 url=/api/v0/probes/liveness status=200 OK\n",
        answer=None,
        why="a probe request answered ok is no failure",
    ),
    Case(
        (
            '10.1.2.3 - - [01/Jan/2024:10:00:00 +0000] "GET /ready HTTP/1.1" 200 12 "-" "kube-probe/1.27"\n'
        ),
        answer=None,
        why="a probe request answered ok is no failure",
    ),
    Case(
        "The init container OOM kills the client every time it starts.\n",
        answer="oom-killed",
        why="oom kills in the present tense are oom kills",
    ),
    Case(
        "We still see OOM kills on the worker pods after the upgrade.\n",
        answer="oom-killed",
        why="oom kills in the present tense are oom kills",
    ),
    Case(
        (
            "[web-7d4b9-x2x web] /opt/scripts/start.sh: line 61: cannot create temp file for here-document: "
            "Read-only file system\n"
        ),
        answer="read-only-root-filesystem",
        why="a containers read only file system and the nodes are told apart",
    ),
    Case(
        (
            "Nov 28 08:00:43 worker-2 node-agent.sh[1051774]: /var/lib/agent/run.sh: line 124: cannot create "
            "temp file for here-document: Read-only file system\n"
        ),
        answer="node-readonly-filesystem",
        why="a containers read only file system and the nodes are told apart",
    ),
    Case(
        "The db-init Job never ends because of OOMKilled.\n",
        answer="oom-killed",
        why="a denial of something else near the kill still reports the kill",
    ),
    Case(
        "Since we raised the limit nothing has been OOM killed.\n",
        answer=None,
        why="a denial of something else near the kill still reports the kill",
    ),
    Case(
        "After the upgrade every api pod shows a readyness probe failure.",
        answer="readiness-probe-failed",
        why="a probe misspelled is still the probe",
    ),
    Case(
        "The api pods look fine, no errors so far.",
        answer=None,
        why="a probe misspelled is still the probe",
    ),
    Case(
        "The worker keeps restarting because its liveliness probe fails.",
        answer="liveness-probe-failed",
        why="a probe misspelled is still the probe",
    ),
    Case(
        "The api pods look fine, no errors so far.",
        answer=None,
        why="a probe misspelled is still the probe",
    ),
    Case(
        (
            "No error in the log now, but the Rediness prob is failing and the web pod never gets healthy."
        ),
        answer="readiness-probe-failed",
        why="a probe misspelled is still the probe",
    ),
    Case(
        "The api pods look fine, no errors so far.",
        answer=None,
        why="a probe misspelled is still the probe",
    ),
    Case(
        (
            "We deploy the operator on GKE and find its pod has restarted several times. We don't know why.\n"
        ),
        answer="crashloop-backoff",
        why="restarts kills and refusals said their own way",
    ),
    Case(
        "The cluster on the second box gets stuck getting killed by the OOMKiller.\n",
        answer="oom-killed",
        why="restarts kills and refusals said their own way",
    ),
    Case(
        (
            "k8s.Autorest.HttpOperationException: Operation returned an invalid status code 'Forbidden'\n"
        ),
        answer="rbac-forbidden",
        why="restarts kills and refusals said their own way",
    ),
    Case(
        "The worker node has restarted several times since the kernel update.\n",
        not_answer="crashloop-backoff",
        why="a node restarting is no pod crash loop",
    ),
    Case(
        (
            "Normal  DisruptionBlocked  node/ip-10-0-1-7  Cannot disrupt Node: PDB "
            '"kube-system/ebs-csi-controller" prevents pod evictions\n'
        ),
        answer="pdb-blocks-eviction",
        why="what controllers and people report about blocks and missing things",
    ),
    Case(
        (
            'The new app came up, but the ingress sends "503 Service Temporarily Unavailable" for 30 minutes '
            "now.\n"
        ),
        answer="service-endpoints-empty",
        why="what controllers and people report about blocks and missing things",
    ),
    Case(
        (
            "I tried to deploy it, but the image quay.io/acme/redis:v2.0 is not found or it's private.\n"
        ),
        answer="image-not-found",
        why="what controllers and people report about blocks and missing things",
    ),
    Case(
        "Some of the agent pods restart once, they are all terminated with 139 and log nothing.",
        answer="exit-code-139-segfault",
        why="an exit code said in words is that exit",
    ),
    Case(
        "The worker container exited with code 134 right after loading the model.",
        answer="exit-code-134-abort",
        why="an exit code said in words is that exit",
    ),
    Case(
        "Our sidecar is always terminated with exit code 143 during the rollout.",
        answer="exit-code-143-sigterm",
        why="an exit code said in words is that exit",
    ),
    Case(
        "The init container exited with code 127 as soon as it started.",
        answer="executable-not-found",
        why="an exit code said in words is that exit",
    ),
    Case(
        (
            "{\n"
            '  "name": "agent",\n'
            '  "state": {\n'
            '    "terminated": {\n'
            '      "exitCode": 127,\n'
            '      "reason": "Error",\n'
            '      "containerID": "containerd://5d2e0c1a"\n'
            "    }\n"
            "  },\n"
            '  "ready": false,\n'
            '  "restartCount": 3\n'
            "}\n"
        ),
        answer="executable-not-found",
        why="a container status exit 127 is a command the shell did not find",
    ),
    Case(
        (
            "{\n"
            '  "name": "agent",\n'
            '  "state": {\n'
            '    "terminated": {\n'
            '      "exitCode": 1,\n'
            '      "reason": "Error",\n'
            '      "containerID": "containerd://5d2e0c1a"\n'
            "    }\n"
            "  },\n"
            '  "ready": false,\n'
            '  "restartCount": 3\n'
            "}\n"
        ),
        not_answer="executable-not-found",
        why="a container status exit 127 is a command the shell did not find",
    ),
    # a pattern whose words are spelled with optional letters ("pods?", "OOM'?ed") now runs
    # wherever one of its spellings is, not only once fuzzy matching reached its entry
    Case(
        "the pod got OOMed again last night",
        answer="oom-killed",
        why="a failure said in words is read wherever it is said",
    ),
    Case(
        "The pods are pending due to missing ram, the chart asks for 16Gi.",
        answer="pending-insufficient-resources",
        why="a failure said in words is read wherever it is said",
    ),
    Case(
        "Our workers crash every hour because they exceed their fairly generous memory limits.",
        answer="oom-killed",
        why="a failure said in words is read wherever it is said",
    ),
    Case(
        "The kubelet kills the sidecar as soon as the memory limit is reached.",
        answer="oom-killed",
        why="a failure said in words is read wherever it is said",
    ),
    Case(
        "The brokers are being killed due to a failed liveness/readiness check.",
        answer="liveness-probe-failed",
        why="a failure said in words is read wherever it is said",
    ),
    Case(
        "The external IP of the ingress Service has been pending for two hours.",
        answer="loadbalancer-service-pending",
        why="a failure said in words is read wherever it is said",
    ),
    Case(
        "After growing the claim to 50Gi it stays with FileSystemResizePending forever.",
        answer="pvc-volume-resize-failed",
        why="a failure said in words is read wherever it is said",
    ),
    Case(
        (
            "The new node is in zone c but the volume has node affinity for zone b, so the pod hangs in "
            "Pending."
        ),
        answer="pending-volume-node-affinity-conflict",
        why="a failure said in words is read wherever it is said",
    ),
    Case(
        "Our dev cluster keeps running into DiskPressure every afternoon.",
        answer="node-disk-pressure",
        why="a failure said in words is read wherever it is said",
    ),
    Case(
        (
            'Exception in thread "pool-3-thread-12" java.lang.OutOfMemoryError: unable to create native '
            "thread: possibly out of memory or process/resource limits reached"
        ),
        answer="pid-exhaustion",
        why="the jvm unable to create a native thread is the thread limit",
    ),
    Case(
        "kubectl drain node-3 --ignore-daemonsets, the pods were evicted and rescheduled fine",
        not_answer="pod-evicted",
        why="pods evicted by a drain are not node pressure",
    ),
    Case(
        (
            'standard_init_linux.go:211: exec user process caused "permission denied"\n'
            "container exited"
        ),
        answer="container-entrypoint-permission-denied",
        why="old runc and a shells exec name why the entrypoint did not start",
    ),
    Case(
        ("CrashLoopBackOff\n./docker-entrypoint.sh: line 9: exec: gunicorn: not found"),
        answer="executable-not-found",
        why="old runc and a shells exec name why the entrypoint did not start",
    ),
    Case(
        "2021/02/22 22:30:18 [alert] 27#27: worker process 38 exited on signal 11 (core dumped)",
        answer="exit-code-139-segfault",
        why="a worker exited on signal 11 is a segfault",
    ),
    Case(
        (
            "ERROR 2013 (HY000) at line 1: Lost connection to MySQL server during query\n"
            '/scripts/start.sh: line 394:   472 Killed                  "$@" --skip-networking '
            "--socket=/tmp/mysqld.sock\n"
        ),
        answer="oom-killed",
        why="a job bash reports killed inside a container is the oom kill",
    ),
    Case(
        (
            "I installed the chart on minikube but the pod of the gateway kept restarting, no idea why."
        ),
        answer="crashloop-backoff",
        why="a pods restarts said as a loop are a crash loop",
    ),
    Case(
        "The web pods continue to restart while the chart installs.",
        answer="crashloop-backoff",
        why="a pods restarts said as a loop are a crash loop",
    ),
    Case(
        "the worker container restarts over and over after the upgrade",
        answer="crashloop-backoff",
        why="a pods restarts said as a loop are a crash loop",
    ),
    Case(
        "the search container is constantly in crashbackoffloop",
        answer="crashloop-backoff",
        why="a pods restarts said as a loop are a crash loop",
    ),
    Case(
        "my node keeps restarting every night",
        not_answer="crashloop-backoff",
        why="a nodes restarts or a loop denied are not a crash loop",
    ),
    Case(
        "after the fix the pod no longer keeps restarting",
        not_answer="crashloop-backoff",
        why="a nodes restarts or a loop denied are not a crash loop",
    ),
    Case(
        "the liveness probe timeout of 1s is too short for this app",
        answer="liveness-probe-failed",
        why="a probes timing said too tight is that probe failing",
    ),
    Case(
        "the startupProbe failureThreshold is too low for a cold JVM",
        answer="startup-probe-failed",
        why="a probes timing said too tight is that probe failing",
    ),
    Case(
        "our readiness probe period is too aggressive for the warm-up",
        answer="readiness-probe-failed",
        why="a probes timing said too tight is that probe failing",
    ),
    Case(
        "After a while it restarts; the logs show a 400 error on the liveness probe.",
        answer="liveness-probe-failed",
        why="an error reported from a probe is that probe failing",
    ),
    Case(
        "we get timeouts on the readiness check every few minutes",
        answer="readiness-probe-failed",
        why="an error reported from a probe is that probe failing",
    ),
    Case(
        (
            "This change should mitigate pod eviction failures due to insufficient ephemeral-storage when "
            "building."
        ),
        answer="pod-evicted",
        why="an eviction and its reason said as a noun is the eviction",
    ),
    Case(
        "we see evictions because of low disk space on the build nodes",
        answer="pod-evicted",
        why="an eviction and its reason said as a noun is the eviction",
    ),
    Case(
        (
            "the api pod keeps restarting, log tail:\n"
            "\n"
            "2021/03/02 11:20:14 [FATAL] failed to init db: error: pq: password authentication failed for "
            'user "app"\n'
        ),
        answer="db-credentials-rejected",
        why="restarts said with the database's refusal following: the refusal is the cause",
    ),
    Case(
        (
            "E1214 07:08:57.133819       1 certificate_manager.go:318] Reached backoff limit, still unable "
            "to rotate certs: timed out waiting for the condition"
        ),
        not_answer="job-backoff-limit",
        why="a certificate rotation backing off is no job",
    ),
    Case(
        "I find that the operator gets killed repeatedly - before I have even added any jenkins.",
        answer="oom-killed",
        why="a container killed again and again is the memory limit",
    ),
    Case(
        "eventually the worker will just go over its memory limit and crash",
        answer="oom-killed",
        why="memory and crashes said in a sentence",
    ),
    Case(
        "只要前端组件有访问，就会频繁出现OOM",
        answer="oom-killed",
        why="memory and crashes said in a sentence",
    ),
    Case(
        "We see frequent OOM on the frontend pods under load.",
        answer="oom-killed",
        why="memory and crashes said in a sentence",
    ),
    Case(
        "Harbor V2 installed over k8s (new installation). I see a lot of Harbor core crashes",
        answer="crashloop-backoff",
        why="memory and crashes said in a sentence",
    ),
    # the status word as people shorten or scramble it
    Case(
        "The api pod goes into CrashLoopBack after every deploy.",
        answer="crashloop-backoff",
        why="failures said in a users words",
    ),
    Case(
        "our operator pod is in crashbackloopoff since the upgrade",
        answer="crashloop-backoff",
        why="failures said in a users words",
    ),
    # the loop said in words
    Case(
        "The scheduler pods come up and then keep crashing every few minutes.",
        answer="crashloop-backoff",
        why="failures said in a users words",
    ),
    # an OOM kill as a noun, and said in words
    Case(
        "It fails to start, sometimes with OOMKill as the pod status.",
        answer="oom-killed",
        why="failures said in a users words",
    ),
    Case(
        "The ingester replays its WAL until it got killed because of OOM.",
        answer="oom-killed",
        why="failures said in a users words",
    ),
    Case(
        "I got OOM errors on the Kafka pods, the limit is lower than the heap.\n",
        answer="oom-killed",
        why="a failure named in plain words",
    ),
    Case(
        "After the upgrade the worker containers hit OOM issues every night.\n",
        answer="oom-killed",
        why="a failure named in plain words",
    ),
    Case(
        "The agent container keeps failing to become ready after the upgrade.\n",
        answer="readiness-probe-failed",
        why="read as readiness-probe-failed",
    ),
    Case(
        "Yes, I checked: the prometheus server pod is getting to crash loopback state.\n",
        answer="crashloop-backoff",
        why="read as crashloop-backoff",
    ),
    Case(
        "The slow start means the pod is killed by the liveness probe before it is ready.\n",
        answer="liveness-probe-failed",
        why="failures said in words",
    ),
    Case(
        "Seems like the exporter is OOMming again after the upgrade.\n",
        answer="oom-killed",
        why="failures said in words",
    ),
    Case(
        "Every night one workflow pod goes OOM.\n",
        answer="oom-killed",
        why="failures said in words",
    ),
    Case(
        "The OOM killer reaped the controller pod 200 times this week.\n",
        answer="oom-killed",
        why="failures said in words",
    ),
    Case(
        "Regarding the readiness probe,it is always failing after an upgrade.\n",
        answer="readiness-probe-failed",
        why="failures said in words",
    ),
    Case(
        "Watch the rabbitmq-server-0 pod go on CrashLoop with nothing more than a warning.\n",
        answer="crashloop-backoff",
        why="failures said in words",
    ),
    Case(
        "The api-server keeps restarting, terminated with a reason code of 137.\n",
        answer="exit-code-137-sigkill",
        why="failures said in words",
    ),
    Case(
        "Builds fail and the events give low ephemeral storage as the reason.\n",
        answer="pod-evicted",
        why="failures said in words",
    ),
    Case(
        "The pod won't start because of the failing init container init-chown-data.",
        answer="init-container-failed",
        why="failures said in words",
    ),
    Case(
        "Slow starting containers get killed by the readiness and liveness probes.",
        answer="liveness-probe-failed",
        why="failures said in words",
    ),
    Case(
        "The service has no endpoints, but the readiness check is not met on the pod.",
        answer="readiness-probe-failed",
        why="failures said in words",
    ),
    Case(
        "With 100m of CPU we noticed many liveness probe failures on the controller.",
        answer="liveness-probe-failed",
        why="failures said in words",
    ),
    Case(
        (
            "Under load the source-controller readinessProbe will start to fail and enter CrashLoopBackOff."
        ),
        # a failing readiness probe never restarts a container: the crash loop it ends in leads
        answer="crashloop-backoff",
        why="failures said in words",
    ),
    Case(
        "Events show an infinite sequence of Unhealthy -> Killing -> Created on the broker pod.",
        answer="liveness-probe-failed",
        why="read as liveness-probe-failed",
    ),
    Case(
        "The replica keeps restarting every few minutes after receiving a SIGTERM signal.",
        answer="exit-code-143-sigterm",
        why="read as exit-code-143-sigterm",
    ),
    Case(
        (
            "Containers in the pod db-0 get stuck in initializing state although there are enough resources"
        ),
        answer="init-container-failed",
        why="failures said in a sentence",
    ),
    Case(
        (
            "Pods are crashing because of read only file system for the ConfigMap mounted next to the data "
            "folder"
        ),
        answer="read-only-root-filesystem",
        why="read as read-only-root-filesystem",
    ),
    Case(
        (
            "The memory grows till it reaches the max limits, then the pod gets restarted and it grows again."
        ),
        answer="oom-killed",
        why="read as oom-killed",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_pod_failure_in_words_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


def test_an_init_container_s_crash_loop_in_words_is_not_the_main_container_s() -> None:
    # Init:CrashLoopBackOff is the init container's status: the words pattern of
    # crashloop-backoff does not read it (it once tied the answer on catalog weights alone)
    body = match_json("the migrate pod sits in Init:CrashLoopBackOff since the deploy")
    assert body["answer"] == "init-container-failed"
    scores = {m["id"]: m["score"] for m in body["matches"]}
    assert scores.get("crashloop-backoff", 0.0) < 0.5


@pytest.mark.parametrize(
    "line",
    [
        (
            "INFO[0010] Waiting to retrieve agent configuration; server is not ready: CA cert validation failed: "
            'Get "https://127.0.0.1:6444/cacerts": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
        ),
        'Error: Get "https://10.0.0.5:8443/api": net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
    ],
)
def test_an_http_timeout_that_no_probe_reported_is_no_probe_failure(line: str) -> None:
    body = match_json(line + "\n")
    assert not {"readiness-probe-failed", "liveness-probe-failed", "startup-probe-failed"} & set(
        body["answers"]
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "The pods no longer keep crashing since we raised the limit.",
        "If the worker keeps crashing, look at its previous log.",
        "The node keeps crashing every night, the VM host reboots it.",
        "The pod keeps restarting after each rollout, which is expected with our hook.",
    ],
)
def test_a_loop_denied_supposed_or_of_a_machine_is_no_crash_loop(sentence: str) -> None:
    answer = match_json(sentence)["answer"]
    assert answer != "crashloop-backoff"


def test_the_kernel_killing_the_sandbox_is_sandbox_oom_not_the_workloads() -> None:
    paste = (
        "Warning  FailedCreatePodSandBox  15s  kubelet  Failed to create pod sandbox: rpc error: code = Unknown "
        "desc = failed to create containerd task: failed to create shim task: ttrpc: closed: unknown\n"
        "[40743.903412] Memory cgroup out of memory: Killed process 1162211 (qemu-system-x86) total-vm:2804836kB, "
        "anon-rss:20456kB, file-rss:61968kB, shmem-rss:100848kB, UID:0 pgtables:692kB oom_score_adj:-999\n"
    )
    ids = [m["id"] for m in match_json(paste)["matches"] if m["confidence"] != "low"]
    assert "oom-killed" not in ids
    assert "pod-sandbox-oom" in [m["id"] for m in match_json(paste)["matches"]]


def test_probes_called_checks_are_the_probes() -> None:
    assert (
        match_json("After the upgrade the liveness checks keep failing and the pod restarts.\n")[
            "answer"
        ]
        == "liveness-probe-failed"
    )
    both = match_json("Since 2.3 the readiness and liveness checks always fail.\n")
    assert {"liveness-probe-failed", "readiness-probe-failed"} <= set(match_ids(both))
    assert match_json("The liveness check passes and the pod is Ready.\n")["answer"] is None
