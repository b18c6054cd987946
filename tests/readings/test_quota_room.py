"""A quota with no room for a Service or claim the paste declares and does not have refused it.

Written from the formats: `kubectl get resourcequota` (REQUEST column `resource: used/hard`),
`kubectl get services`, a manifest, and the scheduler's `persistentvolumeclaim "%s" not found`."""

from __future__ import annotations

from bot.cluster.outputs.parse import read_text
from bot.diagnosis.paste_quota import Declared, declared
from tests.cli.runner import explained, match_json

SERVICE = (
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  type: ClusterIP\n"
    "  selector:\n    app: cart\n  ports:\n  - name: grpc\n    port: 7070\n    targetPort: 7070\n"
)
SERVICES = (
    "$ kubectl get services -n shop\nNAME       TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)    AGE\n"
    "frontend   ClusterIP   10.68.28.85     <none>        80/TCP     96s\n"
    "payments   ClusterIP   10.68.10.75     <none>        50051/TCP  96s\n{extra}\n"
)
FRONTEND_LOG = (
    "$ kubectl logs deploy/frontend\n"
    'level=error msg="could not retrieve cart: rpc error: code = Unavailable desc = connection error: '
    'desc = \\"transport: Error while dialing: dial tcp: lookup cart on 10.96.0.10:53: no such host\\""\n\n'
)


def quota(cell: str) -> str:
    return (
        "$ kubectl get resourcequota -n shop\nNAME            AGE    REQUEST           LIMIT\n"
        f"object-quota    111s   {cell}   \n"
    )


def test_a_declared_service_missing_under_a_full_count_quota_was_refused() -> None:
    paste = FRONTEND_LOG + SERVICES.format(extra="") + SERVICE + "\n" + quota("services: 2/2")
    body = match_json(paste)
    assert body["answer"] == "resource-quota-exceeded"
    evidence = next(m["evidence"] for m in body["matches"] if m["id"] == "resource-quota-exceeded")
    assert any("no room for Service cart" in fact for fact in evidence)


def test_the_service_listed_or_room_left_is_no_refusal() -> None:
    listed = SERVICES.format(
        extra="cart       ClusterIP   10.68.254.208   <none>        7070/TCP   95s"
    )
    for paste in (
        FRONTEND_LOG + listed + SERVICE + "\n" + quota("services: 3/3"),
        FRONTEND_LOG + SERVICES.format(extra="") + SERVICE + "\n" + quota("services: 2/5"),
    ):
        body = match_json(paste)
        quota_match = [m for m in body["matches"] if m["id"] == "resource-quota-exceeded"]
        assert not any("no room for" in fact for m in quota_match for fact in m["evidence"])


CLAIM = (
    "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: redis-data\n  namespace: shop\n"
    "spec:\n  accessModes:\n    - ReadWriteOnce\n  resources:\n    requests:\n      storage: {size}\n"
    '  storageClassName: ""\n'
)
PENDING = (
    "Events:\n  Type     Reason            Age   From               Message\n"
    "  ----     ------            ----  ----               -------\n"
    "  Warning  FailedScheduling  109s  default-scheduler  0/4 nodes are available: persistentvolumeclaim "
    '"redis-data" not found. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.\n\n'
)


def test_a_claim_larger_than_the_storage_quota_left_is_refused_and_explains_the_missing_claim() -> (
    None
):
    body = match_json(PENDING + CLAIM.format(size="10Gi") + "\n" + quota("requests.storage: 0/1Gi"))
    assert body["answer"] == "resource-quota-exceeded"
    assert "resource-quota-exceeded" in explained(body).get("pod-pvc-not-found", [])


def test_a_claim_that_fits_the_storage_quota_is_just_missing() -> None:
    body = match_json(
        PENDING + CLAIM.format(size="500Mi") + "\n" + quota("requests.storage: 0/1Gi")
    )
    assert body["answer"] == "pod-pvc-not-found"


def test_declared_reads_top_level_manifests_only() -> None:
    text = (
        SERVICE
        + "---\n"
        + CLAIM.format(size="2Gi")
        + "---\napiVersion: apps/v1\nkind: Deployment\n"
        "metadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n"
    )
    assert declared(read_text(text, "paste").views) == [
        Declared("services", "cart"),
        Declared("persistentvolumeclaims", "redis-data", "2Gi"),
    ]
    indented = "  kind: Service\n  metadata:\n    name: cart\n"  # inside a List or a chart's values
    assert declared(read_text(indented, "paste").views) == []
