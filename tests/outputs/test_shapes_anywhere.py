"""Outputs pasted without their command lines, among sentences: each is read where it stands.

A table's header under a sentence, rows without their header, a describe that lost its
indentation or was cut to its Containers, an Events table alone, output after a command
kubemedic does not read or after kubectl's own error: the one reader finds each by its shape.
"""

from __future__ import annotations

import textwrap

from bot.cluster.outputs.ages import Clock
from bot.cluster.outputs.parse import read_text
from bot.cluster.outputs.recording import Recording
from bot.cluster.outputs.store import Store
from bot.cluster.reader import JsonObject
from tests.outputs.conftest import NOW


def _read(text: str) -> tuple[Recording, Store]:
    recording = read_text(textwrap.dedent(text).lstrip("\n"), "paste")
    return recording, Store(recording, Clock(NOW))


def _pods(store: Store) -> dict[str, JsonObject]:
    return {name: pod for (_ns, name), pod in store.objects.get("pods", {}).items()}


def _state(pod: JsonObject, key: str = "containerStatuses") -> JsonObject:
    statuses: list[JsonObject] = pod["status"][key]
    return statuses[0]


def test_a_header_under_a_sentence_starts_its_table() -> None:
    _, store = _read(
        """
        pods after the rollback:
        NAME                        READY   STATUS             RESTARTS   AGE
        checkout-7d4b9c8f6-x2k9p    1/1     Running            0          9d
        cart-5f6d7c8b9-hjngg        0/1     CrashLoopBackOff   7          26h
        """
    )
    pods = _pods(store)
    assert set(pods) == {"checkout-7d4b9c8f6-x2k9p", "cart-5f6d7c8b9-hjngg"}
    assert _state(pods["cart-5f6d7c8b9-hjngg"])["state"] == {
        "waiting": {"reason": "CrashLoopBackOff"}
    }


def test_rows_without_their_header_are_read_as_what_they_are() -> None:
    _, store = _read(
        """
        one of our tidb pods keeps restarting:

        demo   demo-tidb-1   1/2   CrashLoopBackOff   27   1h
        """
    )
    pod = store.objects["pods"]["demo", "demo-tidb-1"]
    assert _state(pod)["restartCount"] == 27


def test_an_events_table_alone_is_about_an_object_the_paste_does_not_name() -> None:
    recording, store = _read(
        """
        Events:
          Type     Reason       Age                From     Message
          ----     ------       ----               ----     -------
          Warning  FailedMount  2m (x3 over 6m)    kubelet  MountVolume.SetUp failed for volume "certs" : secret "tls-certs" not found
        """
    )
    (event,) = store.objects["events"].values()
    assert event["reason"] == "FailedMount" and event["count"] == 3
    assert event["involvedObject"]["name"] == ""
    assert not recording.skipped


def test_a_describe_cut_to_a_container_is_an_unnamed_pod() -> None:
    recording, _ = _read(
        """
            Last State:     Terminated
              Reason:       OOMKilled
              Exit Code:    137
            Ready:          False
            Restart Count:  4
        """
    )
    (view,) = recording.unnamed
    last = _state(view.obj)["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"]) == ("OOMKilled", 137)


def test_a_container_above_containers_is_an_init_container() -> None:
    recording, _ = _read(
        """
            State:          Waiting
              Reason:       CrashLoopBackOff
            Ready:          False
            Restart Count:  46
        Containers:
          api:
            State:          Waiting
              Reason:       PodInitializing
            Ready:          False
        """
    )
    (view,) = recording.unnamed
    assert view.obj["status"]["phase"] == "Pending"
    assert _state(view.obj, "initContainerStatuses")["state"]["waiting"]["reason"] == (
        "CrashLoopBackOff"
    )


def test_a_describe_without_its_indentation_keeps_each_container_apart() -> None:
    _, store = _read(
        """
        Name: grafana-5d9c-bz4qq
        Namespace: monitoring
        Status: Running
        Init Containers:
        wait-for-db:
        State: Terminated
        Reason: Completed
        Exit Code: 0
        Ready: True
        Restart Count: 0
        Containers:
        grafana:
        State: Running
        Started: Mon, 03 Jun 2024 09:14:12 +0000
        Ready: True
        Restart Count: 0
        """
    )
    pod = store.objects["pods"]["monitoring", "grafana-5d9c-bz4qq"]
    assert "reason" not in pod["status"]  # the init container's Reason stays its own
    assert _state(pod, "initContainerStatuses")["state"]["terminated"]["reason"] == "Completed"
    assert set(_state(pod)["state"]) == {"running"}


def test_output_after_a_command_kubemedic_does_not_read_is_read_by_its_shape() -> None:
    recording, store = _read(
        """
        $ kubectl apply -f shop.yaml
        NAME                        READY   STATUS    RESTARTS   AGE
        pod/smef-567b56d6ff-lcjnk   1/1     Running   0          34m
        """
    )
    assert ("default", "smef-567b56d6ff-lcjnk") in store.objects["pods"]
    assert not recording.skipped


def test_output_pasted_after_kubectl_s_own_error_is_still_read() -> None:
    recording, store = _read(
        """
        $ kubectl top pods
        Error from server (ServiceUnavailable): the server is currently unable to handle the request (get pods.metrics.k8s.io)
        NAMESPACE     NAME                    READY   STATUS    RESTARTS   AGE
        kube-system   coredns-6955765f44-x9   1/1     Running   2          2d1h
        """
    )
    assert ("kube-system", "coredns-6955765f44-x9") in store.objects["pods"]
    assert [s.why[:35] for s in recording.skipped] == ["kubectl printed an error, not outpu"]


def test_a_later_row_of_a_watched_pod_keeps_its_earlier_end() -> None:
    _, store = _read(
        """
        $ kubectl get pods -n analytics -w
        NAME                              READY   STATUS             RESTARTS      AGE
        spark-driver-7c9f8d6b54-kq2vd     0/1     OOMKilled          3 (2m ago)    13m
        spark-driver-7c9f8d6b54-kq2vd     0/1     CrashLoopBackOff   3 (1s ago)    13m
        """
    )
    pod = store.objects["pods"]["analytics", "spark-driver-7c9f8d6b54-kq2vd"]
    assert _state(pod)["state"] == {"waiting": {"reason": "CrashLoopBackOff"}}
    assert _state(pod)["lastState"]["terminated"]["reason"] == "OOMKilled"
