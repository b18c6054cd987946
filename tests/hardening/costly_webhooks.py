"""The costliest delivery each webhook route takes, shared by the test that drives every route
beside other traffic (test_webhooks_beside_traffic.py) and its bench (bench/webhook_costly.py).

`key=` repeated (a key judged not secret: what once cost redaction its length squared) fills
every field up to the route's caps and what is read past them, or its body limit.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

UNIT = "key="
LABEL, ANNOTATION, DETAIL, AHEAD = 1_000, 8_000, 8_000, 4_096
"""The routes' caps (bot/alerting/payload.py, bot/incidents/intake.py) and the characters read
past a cap (a secret the cut would split is redacted whole)."""


def costly(length: int, salt: int = 0) -> str:
    """`UNIT` repeated to `length`, after `salt` (texts that differ: no memory of a clean text
    spares the next one its reading)."""
    return (f"{salt} " + UNIT * (length // len(UNIT) + 1))[:length]


def alert_group(scale: int = 1) -> bytes:
    """A group of alerts, each label and annotation at its cap (and what is read past it)."""
    alerts = [
        {
            "status": "firing",
            "labels": {"alertname": "KubePodCrashLooping", "pod": costly(LABEL + AHEAD, number)},
            "annotations": {"description": costly(ANNOTATION + AHEAD, number)},
            "startsAt": datetime.now(UTC).isoformat(),
            "fingerprint": f"{number:016x}",
        }
        for number in range(150 * scale)
    ]
    head = {"version": "4", "groupKey": '{}:{alertname="KubePodCrashLooping"}', "status": "firing"}
    return json.dumps({**head, "receiver": "kubemedic", "alerts": alerts}).encode()


def pagerduty_details(scale: int = 1) -> dict[str, Any]:
    """Custom details PagerDuty's API gives for an incident: 100 at the cap, per scale."""
    return {f"detail{n}": costly(DETAIL + AHEAD, n) for n in range(100 * scale)}


def opsgenie_details() -> dict[str, str]:
    """Opsgenie clips each detail to 1,000 characters: as many as the route's 512 KiB hold."""
    return {f"detail{n}": costly(1_000, n) for n in range(480)}


def slack_text(scale: int = 1) -> str:
    """A message as long as a signed event of at most 1 MiB holds (scale 2 and more: the event
    carries its text twice, as text and as rich-text blocks)."""
    return costly(240_000 * min(scale, 2))


def teams_text(scale: int = 1) -> str:
    """A message as long as an activity of at most 256 KiB holds (scale 4)."""
    return costly(60_000 * scale)
