"""The suspects walk runs on a paste too: a pasted `get pods` and `describe svc` are read by the
same reader as a folder of outputs, and the same walk names the object that breaks the Service."""

from __future__ import annotations

from tests.cli.runner import kubemedic_in_process

SELECTOR_TYPO = """\
$ kubectl get pods -n shop --show-labels
NAME                        READY   STATUS    RESTARTS   AGE   LABELS
checkout-7d4b9c8f6-x2k9p    1/1     Running   0          3d    app=check-out,pod-template-hash=7d4b9c8f6

$ kubectl describe svc checkout -n shop
Name:              checkout
Namespace:         shop
Selector:          app=checkout
Type:              ClusterIP
IP:                10.96.0.11
Port:              grpc  5050/TCP
TargetPort:        5050/TCP
Endpoints:         <none>
Events:            <none>
"""

TARGET_PORT = """\
kubectl get pods -n shop --show-labels
NAME                     READY   STATUS    RESTARTS   AGE   LABELS
web-7d4b9c8f6-x2k9p      1/1     Running   0          3d    app=web,pod-template-hash=7d4b9c8f6

kubectl describe pod web-7d4b9c8f6-x2k9p -n shop
Name:             web-7d4b9c8f6-x2k9p
Namespace:        shop
Labels:           app=web
Status:           Running
Containers:
  web:
    Image:          nginx:1.27
    Port:           8080/TCP
    State:          Running
    Ready:          True
    Restart Count:  0
Events:            <none>

kubectl describe svc web -n shop
Name:              web
Namespace:         shop
Selector:          app=web
Type:              ClusterIP
IP:                10.96.0.12
Port:              http  80/TCP
TargetPort:        9090/TCP
Endpoints:         10.1.0.5:9090
Events:            <none>
"""


def _match(text: str) -> dict[str, object]:
    result = kubemedic_in_process("match", "--json", stdin=text.encode())
    assert result.code == 0, result.stderr
    body: dict[str, object] = result.json()
    return body


def test_a_pasted_selector_that_matches_no_pod_is_walked_to_the_typo() -> None:
    body = _match(SELECTOR_TYPO)
    assert body["answer"] == "service-endpoints-empty"
    [first, *_] = body["suspects"]  # type: ignore[misc]
    assert (first["object"], first["id"]) == ("service/checkout", "service-endpoints-empty")
    assert any("app=check-out" in fact for fact in first["evidence"])


def test_a_pasted_target_port_no_container_declares_is_named() -> None:
    body = _match(TARGET_PORT)
    [first, *_] = body["suspects"]  # type: ignore[misc]
    assert (first["object"], first["id"]) == ("service/web", "service-target-port-mismatch")
    assert any("9090" in fact and "8080" in fact for fact in first["evidence"])


def test_a_paste_without_pods_and_services_is_not_walked() -> None:
    body = _match("Back-off restarting failed container app in pod web-1\n" * 3)
    assert "suspects" not in body
