"""Alertmanager's payload: the real shape parses, anything else is refused in one line."""

from __future__ import annotations

import json

import pytest

from bot.alerting.grouping import delivery_id, group_noise_key, group_state
from bot.alerting.payload import BadPayload, parse
from tests.alerts.payloads import FIRING, alert, body, group, resolved


def test_a_real_notification_parses_with_its_alerts_labels_and_annotations() -> None:
    notification = parse(body(FIRING))
    assert notification.version == "4" and notification.status == "firing"
    assert notification.group_key.endswith('{alertname="KubePodCrashLooping", namespace="shop"}')
    (crash,) = notification.alerts
    assert crash.name == "KubePodCrashLooping" and crash.labels["pod"] == "web-7d9c6b8f5-x2x4q"
    assert crash.annotations["runbook_url"].endswith("/kubepodcrashlooping")
    assert crash.ends_at.year == 1  # Go's zero time: still firing
    assert crash.fingerprint == "4b3cd5e7f1a2b9c0"


BAD = [
    (b"{not json", "malformed JSON"),
    (b"\xff\xfe", "malformed JSON"),
    (b"[]", "expected a JSON object"),
    (
        b'{"version": "3", "groupKey": "g", "status": "firing", "alerts": []}',
        "unsupported payload version '3'",
    ),
    (json.dumps({**FIRING, "groupKey": ""}).encode(), "groupKey"),
    (json.dumps({**FIRING, "status": "exploding"}).encode(), "status"),
    (json.dumps({**FIRING, "alerts": [{"status": "firing"}]}).encode(), "alerts.0.startsAt"),
    (json.dumps({**FIRING, "alerts": "many"}).encode(), "alerts"),
]


@pytest.mark.parametrize(("raw", "said"), BAD, ids=[said for _, said in BAD])
def test_anything_but_the_payload_is_refused_in_one_line(raw: bytes, said: str) -> None:
    with pytest.raises(BadPayload) as refused:
        parse(raw)
    assert said in str(refused.value) and "\n" not in str(refused.value)


def test_newer_alertmanager_fields_are_accepted() -> None:
    parse(body({**FIRING, "routeLabels": {"team": "a"}, "notification_reason": "repeat"}))


def test_heartbeats_are_left_out() -> None:
    notification = parse(
        body(
            group(
                alert("Watchdog", severity="none"),
                alert("KubePodNotReady", namespace="shop", pod="b"),
                alert("KubePodCrashLooping", namespace="shop", pod="a", severity="critical"),
                alert("KubePodCrashLooping", status="resolved", namespace="shop", pod="c"),
                by=("namespace",),
            )
        )
    )
    state = group_state(notification)
    assert [a.name for a in state.firing] == ["KubePodNotReady", "KubePodCrashLooping"]
    assert [a.labels["pod"] for a in state.resolved] == ["c"]


def test_one_delivery_id_per_content_and_one_noise_key_per_group() -> None:
    first = parse(body(FIRING))
    same = parse(
        json.dumps(FIRING, sort_keys=True).encode()
    )  # another Alertmanager, other key order
    assert delivery_id(first) == delivery_id(same)
    assert delivery_id(parse(body(resolved(FIRING)))) != delivery_id(first)
    assert group_noise_key(first.group_key) == group_noise_key(
        parse(body(resolved(FIRING))).group_key
    )
