"""Failures an object got past are history: a controller's refusals it created pods since or met
another refusal after, and the start-up probe failures of a pod now running ready and never
restarted.  Cases are written from the formats the controllers and kubelet print
(controller_utils "Error creating: %v", replica_set "Created pod: %v", deployment sync
"Scaled up replica set %s to %d", prober "%s probe failed: %s")."""

from __future__ import annotations

import pytest

from bot.evidence import history
from intents.facts.model import EventFacts
from tests.cli.runner import match_json

SA_REFUSED = (
    'Error creating: pods "cart-79b49f5555-" is forbidden: error looking up service account '
    'shop/cart: serviceaccount "cart" not found'
)
QUOTA_REFUSED = (
    'Error creating: pods "cart-79b49f5555-{}" is forbidden: exceeded quota: cpu-quota, '
    "requested: requests.cpu=1, used: requests.cpu={}, limited: requests.cpu=10"
)
SCHEDULER_DOWN = (
    "$ systemctl status kube-scheduler\n"
    "○ kube-scheduler.service - Kubernetes Scheduler\n"
    "     Loaded: loaded (/etc/systemd/system/kube-scheduler.service; enabled; vendor preset: enabled)\n"
    "     Active: inactive (dead) since Tue 2025-12-02 21:13:59 CST; 1min 50s ago\n"
)


def get_events(*rows: tuple[str, str, str, str, str]) -> str:
    header = f"{'LAST SEEN':<12}{'TYPE':<10}{'REASON':<20}{'OBJECT':<40}MESSAGE\n"
    return (
        "$ kubectl get events -n shop\n"
        + header
        + "".join(
            f"{age:<12}{kind:<10}{reason:<20}{obj:<40}{message}\n"
            for age, kind, reason, obj, message in rows
        )
    )


def creation(scaled_to: int, created_age: str = "110s") -> str:
    return get_events(
        (
            "110s",
            "Normal",
            "ScalingReplicaSet",
            "deployment/cart",
            f"Scaled up replica set cart-79b49f5555 to {scaled_to}",
        ),
        (
            created_age,
            "Normal",
            "SuccessfulCreate",
            "replicaset/cart-79b49f5555",
            "Created pod: cart-79b49f5555-mmhv4",
        ),
        ("110s", "Warning", "FailedCreate", "replicaset/cart-79b49f5555", SA_REFUSED),
    )


def test_a_refusal_the_controller_created_all_its_pods_after_is_history() -> None:
    body = match_json(creation(scaled_to=1) + "\n" + SCHEDULER_DOWN)
    assert body["answer"] == "scheduler-not-running"
    assert "serviceaccount-not-found" not in [m["id"] for m in body["matches"]]


def test_a_refusal_with_pods_still_missing_stays_the_answer() -> None:
    # scaled to 3, one pod created in the same second: the other two are still refused
    assert match_json(creation(scaled_to=3))["answer"] == "serviceaccount-not-found"


def test_a_creation_strictly_after_the_refusal_ends_it_without_a_scaling_event() -> None:
    events = [
        EventFacts("FailedCreate", SA_REFUSED, "Warning", 1, "ReplicaSet", "cart-79b49f5555"),
        EventFacts(
            "SuccessfulCreate",
            "Created pod: cart-79b49f5555-x",
            "Normal",
            1,
            "ReplicaSet",
            "cart-79b49f5555",
        ),
    ]
    assert history.creations_got_past(events, [-110, -30]) == {0}
    assert (
        history.creations_got_past(events, [-110, -110]) == set()
    )  # same second: maybe one of several
    assert history.creations_got_past(events, [-30, -110]) == set()  # refused after it created


def test_scaling_from_and_to_is_read_as_the_desired_count() -> None:
    events = [
        EventFacts("ScalingReplicaSet", "Scaled up replica set web-5d4f 2 to 4"),
        EventFacts("ScalingReplicaSet", "Scaled up replica set web-5d4f from 2 to 4"),
        EventFacts("ScalingReplicaSet", "Scaled down replica set api-7c9 to 0"),
    ]
    assert history.desired_replicas(events, [-3, -2, -1]) == {"web-5d4f": 4, "api-7c9": 0}


def describe_replicaset(events: str) -> str:
    return (
        "Name:           cart-79b49f5555\nNamespace:      shop\nSelector:       app=cart\n"
        "Replicas:       0 current / 1 desired\nPods Status:    0 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Conditions:\n  Type             Status  Reason\n  ----             ------  ------\n"
        "  ReplicaFailure   True    FailedCreate\nEvents:\n"
        "  Type     Reason        Age                 From                   Message\n"
        "  ----     ------        ----                ----                   -------\n" + events
    )


def test_a_refusal_followed_by_another_refusal_is_history() -> None:
    events = (
        f"  Warning  FailedCreate  103s                replicaset-controller  {SA_REFUSED}\n"
        f"  Warning  FailedCreate  103s                replicaset-controller  {QUOTA_REFUSED.format('7hfxx', 10)}\n"
        f"  Warning  FailedCreate  21s (x6 over 101s)  replicaset-controller  (combined from similar events): "
        f"{QUOTA_REFUSED.format('fzvkf', 10)}\n"
    )
    assert match_json(describe_replicaset(events))["answer"] == "resource-quota-exceeded"


def test_the_same_refusal_repeated_is_not_history_of_itself() -> None:
    events = (
        f"  Warning  FailedCreate  103s                replicaset-controller  {QUOTA_REFUSED.format('7hfxx', 9)}\n"
        f"  Warning  FailedCreate  21s (x6 over 101s)  replicaset-controller  {SA_REFUSED}\n"
    )
    assert match_json(describe_replicaset(events))["answer"] == "serviceaccount-not-found"


def get_pods(ready: str, restarts: str) -> str:
    return (
        "$ kubectl get pods -n shop\nNAME                         READY   STATUS    RESTARTS   AGE\n"
        f"ads-64ddc5c766-5hsdb         {ready}     Running   {restarts:<10} 93s\n"
        "web-657dd795f-998vc          1/1     Running   0          92s\n\n"
    )


def probe_events(count: str = "") -> str:
    age = f"20s ({count} over 109s)" if count else "109s"
    return get_events(
        (
            age,
            "Warning",
            "Unhealthy",
            "pod/ads-64ddc5c766-5hsdb",
            "Liveness probe failed: timeout: health rpc did not complete within 1s",
        ),
        (
            age,
            "Warning",
            "Unhealthy",
            "pod/ads-64ddc5c766-5hsdb",
            "Readiness probe failed: timeout: health rpc did not complete within 1s",
        ),
        ("35s", "Warning", "FailedCreate", "replicaset/cart-79b49f5555", SA_REFUSED),
    )


def test_start_up_probe_failures_of_a_pod_ready_and_never_restarted_are_history() -> None:
    body = match_json(get_pods("1/1", "0") + probe_events())
    assert body["answer"] == "serviceaccount-not-found"
    assert not {"liveness-probe-failed", "readiness-probe-failed"} & {
        m["id"] for m in body["matches"]
    }


@pytest.mark.parametrize(
    ("ready", "restarts", "count"),
    [
        ("0/1", "0", ""),  # not ready now: readiness still fails
        ("1/1", "2", ""),  # liveness restarted it
        ("1/1", "0", "x7"),  # failing again and again on a ready pod: it flaps
    ],
)
def test_probe_failures_stay_trouble_unless_the_pod_got_past_them(
    ready: str, restarts: str, count: str
) -> None:
    ids = {m["id"] for m in match_json(get_pods(ready, restarts) + probe_events(count))["matches"]}
    assert ids & {"liveness-probe-failed", "readiness-probe-failed"}


def describe_pod(ready: str, restarts: str) -> str:
    return (
        "Name:             ads-ffb868985-x5cm6\nNamespace:        shop\nStatus:           Running\n"
        "Containers:\n  server:\n    Image:          ads:v1\n    State:          Running\n"
        "      Started:      Tue, 02 Dec 2025 21:12:01 +0800\n"
        f"    Ready:          {ready}\n    Restart Count:  {restarts}\n"
        "Events:\n  Type     Reason     Age   From               Message\n"
        "  ----     ------     ----  ----               -------\n"
        "  Normal   Started    70s   kubelet            Started container server\n"
        '  Warning  Unhealthy  65s   kubelet            Liveness probe failed: timeout: failed to connect service "10.0.1.4:9555" within 1s\n'
        '  Warning  Unhealthy  65s   kubelet            Readiness probe failed: timeout: failed to connect service "10.0.1.4:9555" within 1s\n'
    )


def test_a_described_pod_running_ready_unrestarted_got_past_its_probe_failures() -> None:
    assert match_json(describe_pod("True", "0"))["answer"] is None
    assert match_json(describe_pod("False", "0"))["answer"] in (
        "readiness-probe-failed",
        "liveness-probe-failed",
    )
    assert match_json(describe_pod("True", "3"))["answer"] == "liveness-probe-failed"


def test_warming_up_is_a_probe_failure_seen_under_the_failure_threshold() -> None:
    assert history.warming_up(
        EventFacts(
            "Unhealthy",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
            "Warning",
            2,
        )
    )
    assert not history.warming_up(
        EventFacts(
            "Unhealthy",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
            "Warning",
            3,
        )
    )
    assert not history.warming_up(
        EventFacts("BackOff", "Back-off restarting failed container", "Warning", 1)
    )
