"""Three values, not two: a fact the input did not show is neither present nor absent.

The four made-up cases of issue 66, each once answered confidently wrong: a Service only
described read as missing, `get svc`'s `80/TCP` read as targetPort 80, pods listed without
--show-labels read as matching no selector, a Pending pod whose events are not in the input
read as "no scheduler ran". Each now gets no suspect, and the answer says what to run."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from bot.cluster.outputs import OutputsReader
from bot.cluster.seen import (
    CONTAINER_MESSAGES,
    CONTAINER_SPECS,
    EVENTS,
    EXIT_CODES,
    LABELS,
    POD_MESSAGES,
    PORT_NAMES,
    SELECTOR,
    TARGET_PORTS,
)
from tests.cli.runner import kubemedic_in_process

PODS_ROWS = """\
$ kubectl get pods -n shop
NAME                        READY   STATUS    RESTARTS   AGE
{rows}
"""
RUNNING = "{name}   1/1     Running   0          3d"

DESCRIBED_ONLY = """\
$ kubectl get deploy -n shop
NAME       READY   UP-TO-DATE   AVAILABLE   AGE
frontend   1/1     1            1           3d
checkout   1/1     1            1           3d

$ kubectl describe deploy frontend -n shop
Name:                   frontend
Namespace:              shop
Selector:               app=frontend
Replicas:               1 desired | 1 updated | 1 total | 1 available | 0 unavailable
StrategyType:           RollingUpdate
Pod Template:
  Labels:  app=frontend
  Containers:
   server:
    Image:      frontend:1.0
    Port:       8080/TCP
    Environment:
      CHECKOUT_ADDR:  checkout:5050
Events:          <none>

$ kubectl describe svc frontend -n shop
Name:              frontend
Namespace:         shop
Selector:          app=frontend
Type:              ClusterIP
IP:                10.96.0.10
Port:              http  80/TCP
TargetPort:        8080/TCP
Endpoints:         10.1.0.5:8080
Events:            <none>
"""

GET_SVC = """\
$ kubectl get pods -n shop -o wide --show-labels
NAME                  READY   STATUS    RESTARTS   AGE   IP         NODE       NOMINATED NODE   READINESS GATES   LABELS
web-7d4b9c8f6-x2k9p   1/1     Running   0          3d    10.1.0.5   worker-1   <none>           <none>            app=web,pod-template-hash=7d4b9c8f6

$ kubectl get svc -n shop -o wide
NAME   TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE   SELECTOR
web    ClusterIP   10.96.0.10    <none>        80/TCP    3d    app=web

$ kubectl describe pod web-7d4b9c8f6-x2k9p -n shop
Name:             web-7d4b9c8f6-x2k9p
Namespace:        shop
Node:             worker-1/192.168.0.2
Labels:           app=web
Status:           Running
IP:               10.1.0.5
Controlled By:    ReplicaSet/web-7d4b9c8f6
Containers:
  web:
    Image:          nginx:1.27
    Port:           8080/TCP
    State:          Running
    Ready:          True
    Restart Count:  0
Events:            <none>
"""

NO_LABELS = """\
$ kubectl get pods -n shop
NAME                        READY   STATUS    RESTARTS   AGE
checkout-7d4b9c8f6-x2k9p    1/1     Running   0          3d
checkout-7d4b9c8f6-a1b2c    1/1     Running   0          3d

$ kubectl get deploy -n shop
NAME       READY   UP-TO-DATE   AVAILABLE   AGE
checkout   1/1     1            1           3d

$ kubectl get endpoints -n shop
NAME       ENDPOINTS                     AGE
checkout   10.1.0.5:5050,10.1.0.6:5050   3d

$ kubectl get svc -n shop -o wide
NAME       TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)    AGE   SELECTOR
checkout   ClusterIP   10.96.0.11    <none>        5050/TCP   3d    app=checkout
"""

PENDING = """\
$ kubectl get pods -n shop
NAME                  READY   STATUS    RESTARTS   AGE
web-7d4b9c8f6-x2k9p   0/1     Pending   0          10m
api-5c6d7e8f9-q8w7e   1/1     Running   0          3d

$ kubectl get events -n shop | tail -3
LAST SEEN   TYPE     REASON    OBJECT                    MESSAGE
3d          Normal   Started   pod/api-5c6d7e8f9-q8w7e   Started container api

$ kubectl get nodes
NAME       STATUS   ROLES           AGE   VERSION
master     Ready    control-plane   30d   v1.30.0
worker-1   Ready    <none>          30d   v1.30.0
"""


def _walk(tmp_path: Path, text: str) -> dict[str, Any]:
    (tmp_path / "ticket.txt").write_text(text)
    result = kubemedic_in_process(
        "diagnose", "namespace", "shop", "--from-outputs", str(tmp_path), "--json"
    )
    assert result.code == 0, result.stderr
    body: dict[str, Any] = result.json()
    return body


@pytest.mark.parametrize(
    ("text", "said", "never"),
    [
        # a Service only described (and the Deployment its env names listed): not "missing"
        (
            DESCRIBED_ONLY,
            "kubectl get services -n shop",
            {"service-missing", "env-service-not-found"},
        ),
        # `get svc` prints 80/TCP, never the port it sends to: no targetPort mismatch
        (GET_SVC, "kubectl describe service web -n shop", {"service-target-port-mismatch"}),
        # pods without --show-labels, a Deployment 1/1, two endpoint addresses: nothing empty
        (NO_LABELS, "kubectl get pods --show-labels -n shop", {"service-endpoints-empty"}),
        # a Pending pod whose events were cut off by `| tail`: nobody knows about the scheduler
        (
            PENDING,
            "kubectl describe pod web-7d4b9c8f6-x2k9p -n shop",
            {"scheduler-not-running"},
        ),
    ],
    ids=["described-service", "get-svc-ports", "no-labels", "pending-without-events"],
)
def test_what_the_input_did_not_show_is_asked_never_answered(
    tmp_path: Path, text: str, said: str, never: set[str]
) -> None:
    body = _walk(tmp_path, text)
    assert [s["id"] for s in body["suspects"] if s["confidence"] != "low"] == []
    assert not never & {s["id"] for s in body["suspects"]}
    assert any(said in note for note in body["notes"]), body["notes"]


def test_the_same_facts_seen_are_still_answered(tmp_path: Path) -> None:
    """With the pods' labels shown and no endpoint, the selector that matches nothing is named."""
    seen = NO_LABELS.split("$ kubectl get deploy")[1].replace(
        "checkout   10.1.0.5:5050,10.1.0.6:5050   3d", "checkout   <none>   3d"
    )
    body = _walk(
        tmp_path,
        "$ kubectl get pods -n shop --show-labels\n"
        "NAME                        READY   STATUS    RESTARTS   AGE   LABELS\n"
        "checkout-7d4b9c8f6-x2k9p    1/1     Running   0          3d    app=check-out\n\n"
        "$ kubectl get deploy" + seen,
    )
    assert body["suspects"][0]["object"] == "service/checkout"
    assert body["suspects"][0]["id"] == "service-endpoints-empty"
    assert body["suspects"][0]["confidence"] in ("high", "medium")


def _read(tmp_path: Path, text: str) -> OutputsReader:
    (tmp_path / "01.txt").write_text(textwrap.dedent(text))
    return OutputsReader(tmp_path)


def test_each_view_names_what_it_could_not_show_and_views_together_show_more(
    tmp_path: Path,
) -> None:
    rows = PODS_ROWS.format(rows=RUNNING.format(name="web-7d4b9c8f6-x2k9p"))
    reader = _read(tmp_path, rows + "\n" + GET_SVC.split("$ kubectl get svc")[0])
    # a row never prints a container's exit code, message nor the pod's message, nor its ports
    row = {CONTAINER_SPECS, PORT_NAMES, EVENTS, EXIT_CODES, CONTAINER_MESSAGES, POD_MESSAGES}
    assert reader.unseen("pods", "shop", "web-7d4b9c8f6-x2k9p") == row
    reader = _read(tmp_path, rows)
    assert reader.unseen("pods", "shop", "web-7d4b9c8f6-x2k9p") == {*row, LABELS}
    reader = _read(tmp_path, GET_SVC)  # (its describe prints `8080/TCP`, never a port's name)
    assert reader.unseen("pods", "shop", "web-7d4b9c8f6-x2k9p") == {PORT_NAMES}
    assert reader.unseen("services", "shop", "web") == {EVENTS, LABELS, TARGET_PORTS}
    assert reader.complete("services", "shop") and not reader.complete("endpoints", "shop")


def test_a_listed_deployments_template_shows_its_pods_labels(tmp_path: Path) -> None:
    """A pod table without labels beside a described Deployment: the pods carry its template's."""
    rows = PODS_ROWS.format(rows=RUNNING.format(name="frontend-7d4b9c8f6-x2k9p"))
    reader = _read(tmp_path, rows + "\n" + DESCRIBED_ONLY)
    assert LABELS not in reader.unseen("pods", "shop", "frontend-7d4b9c8f6-x2k9p")
    assert SELECTOR in reader.unseen("deployments", "shop", "checkout")
