"""Readings of the sixth pass (issue 21), each case written from the format, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


@pytest.mark.parametrize("message", [
    "pod has unbound PersistentVolumeClaims",  # the volume binder's error, 1.9-1.11
    "pod has unbound immediate PersistentVolumeClaims (repeated 4 times)",  # 1.12-1.18
])
def test_a_scheduler_error_printed_as_the_whole_message_is_read(message: str) -> None:
    paste = ("Events:\n  Type     Reason            Age                 From               Message\n"
             "  ----     ------            ----                ----               -------\n"
             f"  Warning  FailedScheduling  2m (x31 over 12m)   default-scheduler  {message}\n")
    body = match_json(paste)
    assert body["answer"] == "pvc-pending", body["matches"]


def test_a_conflict_whose_cause_is_a_replaced_object_is_not_answered_as_a_stale_write() -> None:
    # the object was deleted and created again: its UID precondition fails, with the new
    # object's UID empty in the message (Go prints an empty value, the line ends at the colon)
    line = ('E0102 03:04:05.678901       1 controller.go:114] Reconciler error Operation cannot be '
            'fulfilled on services "web": StorageError: invalid object, Code: 4, Key: '
            '/registry/services/specs/shop/web, ResourceVersion: 0, AdditionalErrorMsg: '
            'Precondition failed: UID in precondition: 7d1e2f30-5a6b-4c7d-8e9f-0a1b2c3d4e5f, '
            'UID in object meta: \n')
    assert match_json(line)["answer"] != "object-modified-conflict"
    stale = line.replace("UID in precondition: 7d1e2f30-5a6b-4c7d-8e9f-0a1b2c3d4e5f, UID in object meta: ",
                         "ResourceVersion in precondition: 4711, ResourceVersion in object meta: 4712")
    assert match_json(stale)["answer"] == "object-modified-conflict"


def test_event_rows_copied_from_a_terminal_pane_are_read_as_if_unframed() -> None:
    rows = [
        ("Normal   Scheduled           5m    default-scheduler        Successfully assigned shop/db-7c9d-x2x4z "
        "to node-2"),
        ('  Warning  FailedAttachVolume  4m    attachdetach-controller  Multi-Attach error for volume "pvc-1f2e" '
        "Volume is already used by pod(s) db-7c9d-x2x4z"),
        ("  Warning  FailedMount         2m    kubelet, node-2          Unable to attach or mount volumes: "
        "unmounted volumes=[data], unattached volumes=[data]: timed out waiting for the condition"),
    ]
    width = max(map(len, rows)) + 2
    framed = [f"\u2502 {row.ljust(width)}\u2502" for row in rows]
    framed[0] = framed[0][2:]  # the selection began inside the pane, after its left border
    assert match_json("\n".join(framed))["answer"] == match_json("\n".join(rows))["answer"] == "volume-multi-attach"


@pytest.mark.parametrize(("age", "stuck"), [("1s", False), ("40s", False), ("3m", True), ("2d", True)])
def test_a_load_balancer_pending_for_seconds_is_starting_and_for_minutes_is_stuck(age: str, stuck: bool) -> None:
    paste = ("==> v1/Service\n"
             "NAME      TYPE          CLUSTER-IP     EXTERNAL-IP  PORT(S)        AGE\n"
             f"web-edge  LoadBalancer  10.27.254.178  <pending>    443:31230/TCP  {age}\n")
    body = match_json(paste)
    assert (body["answer"] == "loadbalancer-service-pending") is stuck, body["matches"]


@pytest.mark.parametrize(("targets", "age", "failing"), [
    ("<unknown>/50%", "21h", True),
    ("cpu: <unknown>/80%", "3d", True),  # kubectl 1.30's column names the resource
    ("<unknown>/100", "15s", False),  # no metrics read yet: the controller reads every 15 s
    ("cpu: 12%/80%", "3d", False),
])
def test_an_hpa_row_with_unknown_targets_is_read_as_missing_metrics(targets: str, age: str, failing: bool) -> None:
    paste = ("$ kubectl get hpa -n shop\n"
             "NAME       REFERENCE             TARGETS             MINPODS   MAXPODS   REPLICAS   AGE\n"
             f"consumer   Deployment/consumer   {targets:<18}  1         10        1          {age}\n")
    body = match_json(paste)
    assert (body["answer"] == "hpa-missing-metrics") is failing, body["matches"]


SERVICE_YAML = """$ kubectl get svc web-edge -n shop -o yaml
apiVersion: v1
kind: Service
metadata:
  name: web-edge
  namespace: shop
spec:
  clusterIP: 10.96.14.7
  ports:
  - name: https
    nodePort: 30166
    port: 443
    protocol: TCP
    targetPort: 8443
  selector:
    app: web
  type: LoadBalancer
status:
  loadBalancer: {STATUS}
"""


@pytest.mark.parametrize(("status", "pending"), [
    ("{}", True),
    ("\n    ingress:\n    - ip: 203.0.113.10", False),
])
def test_a_load_balancer_service_read_from_yaml_without_an_address_is_pending(status: str, pending: bool) -> None:
    body = match_json(SERVICE_YAML.replace("{STATUS}", status))
    assert (body["answer"] == "loadbalancer-service-pending") is pending, body["matches"]
    if not pending:
        assert body["answer"] is None


DESCRIBED_CLAIM = """Name:          data
Namespace:     shop
StorageClass:  csi-disk
Status:        Pending
Volume:
Annotations:   volume.beta.kubernetes.io/storage-provisioner: disk.csi.example.com
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:
Access Modes:
VolumeMode:    Filesystem
{USERS}
Events:
  Type    Reason                Age   From                                   Message
  ----    ------                ----  ----                                   -------
  Normal  WaitForFirstConsumer  9m    persistentvolume-controller            waiting for first consumer to be created before binding
  Normal  Provisioning          9m    disk.csi.example.com_node-1_5f1c0d2e   External provisioner is provisioning volume for claim "shop/data"
"""


@pytest.mark.parametrize(("users", "pending"), [
    ("Mounted By:    web-7b64b9d76f-mttzv", True),  # kubectl <= 1.19
    ("Used By:       web-7b64b9d76f-mttzv", True),
    ("Used By:       <none>", False),  # waits for its first pod by design
])
def test_a_claim_a_pod_uses_still_pending_is_stuck_whatever_kubectl_called_its_users(users: str,
                                                                                      pending: bool) -> None:
    body = match_json(DESCRIBED_CLAIM.replace("{USERS}", users))
    assert (body["answer"] == "pvc-pending") is pending, body["matches"]


@pytest.mark.parametrize("server", ["on 172.20.0.10:53", "on xx.xx.xx.xx:53", ""])  # any resolver, or none named
def test_a_go_programs_failed_name_lookup_is_a_dns_failure_wherever_it_is_printed(server: str) -> None:
    line = ('ts=2025-03-01T08:22:02.642Z caller=main.go:145 level=error err="Get '
            f'\\"https://store.example.net/bucket?restype=container\\": dial tcp: lookup store.example.net {server}'.rstrip()
            + ': no such host\\ncreate object store client\\nmain.main\\n\\t/app/main.go:145"\n')
    assert match_json(line)["answer"] == "dns-resolution-failure"


SCHEDULED_THEN_FAILED = """Events:
  Type     Reason            Age                From               Message
  ----     ------            ----               ----               -------
  Warning  FailedScheduling  12m                default-scheduler  0/3 nodes are available: 3 pod has unbound immediate PersistentVolumeClaims.
  Normal   Scheduled         10m                default-scheduler  Successfully assigned shop/web-0 to node-2
{AFTER}"""


@pytest.mark.parametrize(("after", "answer"), [
    (('  Warning  FailedMount       2m (x5 over 9m)    kubelet            MountVolume.SetUp failed for volume "pvc-1f2e" : '
     "rpc error: code = Internal desc = mount failed: exit status 32"), "volume-mount-failed"),
    # nothing failed after it: the scheduling failure stays the story
    ("  Normal   Pulled            9m                 kubelet            Container image \"web:1.2\" already present",
     "pvc-pending"),
])
def test_a_scheduling_failure_the_scheduler_got_past_yields_to_what_failed_after(after: str, answer: str) -> None:
    body = match_json(SCHEDULED_THEN_FAILED.replace("{AFTER}", after))
    assert body["answer"] == answer, body["matches"]


@pytest.mark.parametrize("detail", [
    "volume pvc-1f2e failed to attach to node node-3: the volume is currently attached to different node node-1",
    "disk data-01 is already attached to another instance",
])
def test_a_csi_driver_saying_the_volume_sits_on_another_node_is_a_multi_attach(detail: str) -> None:
    line = (f'  Warning  FailedAttachVolume  3m  attachdetach-controller  AttachVolume.Attach failed for volume '
            f'"pvc-1f2e" : rpc error: code = Internal desc = {detail}\n')
    assert match_json(line)["answer"] == "volume-multi-attach"


def test_a_pull_the_docker_daemon_refused_for_want_of_credentials_is_unauthorized() -> None:
    line = ('E0902 17:08:30.672936    5467 kuberuntime_manager.go:801] container start failed: ErrImagePull: '
            'rpc error: code = Unknown desc = Error response from daemon: Get '
            'http://registry.internal:8083/v2/team/api/manifests/1.4.0: no basic auth credentials\n')
    assert match_json(line)["answer"] == "image-pull-unauthorized"


def test_a_name_lookup_timing_out_without_a_named_server_is_a_dns_failure() -> None:
    line = ('Post "http://prometheus-operated.monitoring:9090/api/v1/query": dial tcp: lookup '
            'prometheus-operated.monitoring: i/o timeout - There was an error returned querying the Prometheus API.\n')
    assert match_json(line)["answer"] == "dns-resolution-failure"


def test_a_manifest_pasted_beside_the_error_states_nothing_about_the_cluster() -> None:
    paste = ('creating the claim below fails with `failed to provision volume with StorageClass "fast-local": '
             "rpc error: code = Internal desc = not able to provision the volume, nodes [node-1]`\n\n"
             "```yaml\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  namespace: shop\n"
             "spec:\n  accessModes:\n  - ReadWriteOnce\n  resources:\n    requests:\n      storage: 5Gi\n"
             "  storageClassName: fast-local\n```\n")
    body = match_json(paste)
    assert body["answer"] == "pvc-pending", body["matches"]


def test_the_docker_daemons_tag_not_found_is_an_image_that_does_not_exist() -> None:
    line = ('kubectl describe pods shows: Failed to pull image "registry.example.com/team/api:v1.6.1": rpc error: '
            "code = 2 desc = Tag v1.6.1 not found in repository registry.example.com/team/api\n")
    assert match_json(line)["answer"] == "image-not-found"


GET_EVENTS = """$ kubectl get events -n shop
LAST SEEN   TYPE      REASON             OBJECT      MESSAGE
{SCHEDULING}   Warning   FailedScheduling   pod/web-0   0/6 nodes are available: 6 pod has unbound immediate PersistentVolumeClaims.
5m13s       Warning   FailedMount        pod/web-0   MountVolume.SetUp failed for volume "pvc-253476b1" : rpc error: code = Internal desc = mount failed: exit status 32
"""


@pytest.mark.parametrize(("scheduling_age", "answer"), [
    ("35m      ", "volume-mount-failed"),  # the pod got a node since: the mount is its problem now
    ("10s      ", "pvc-pending"),  # failing to schedule again after the mount failed
])
def test_a_get_events_list_reads_which_came_last_by_its_ages(scheduling_age: str, answer: str) -> None:
    body = match_json(GET_EVENTS.replace("{SCHEDULING}", scheduling_age))
    assert body["answer"] == answer, body["matches"]
