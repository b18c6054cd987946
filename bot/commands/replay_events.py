"""What `kubemedic replay` sends: a recorded incident's alerts and pages, each at its own time.

The alerts are the ones the recording lists (`amtool alert query -o json`, or Alertmanager's API,
among recorded kubectl outputs: bot/cluster/outputs/alerts.py), each sent as Alertmanager's
webhook sends one alert's group at its `startsAt`. The pages are webhook bodies kept as their
tool sent them, in the recording's `pages/` folder, each named after its tool
(`pagerduty-*.json`, `opsgenie-*.json`, `jsm-*.json`), sent at the time the body says (read by the
tool's own parser, bot/incidents/). Nothing here is sent; `replaying.py` sends it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.cluster.reader import ClusterReader, JsonObject
from bot.errors import BadInput
from bot.incidents.opsgenie_webhook import parse_opsgenie
from bot.incidents.pagerduty_webhook import parse_pagerduty
from bot.incidents.pages import BadPage

PAGES = "pages"
TOOLS = ("pagerduty", "opsgenie", "jsm")
MAX_PAGE_BYTES = 512 * 1024


@dataclass(frozen=True)
class Recorded:
    """One thing to send: to `door` ("alertmanager" or a tool), `body`, at `at` (the recording's
    time); `said` names it in the replay's output."""

    at: datetime
    door: str
    body: bytes
    said: str


def recorded_events(
    directory: Path, reader: ClusterReader, *, fallback: datetime
) -> list[Recorded]:
    """The recording's alerts and pages, oldest first (`fallback`: the time of one that says none)."""
    events = [_alert(alert, fallback) for alert in getattr(reader, "alerts", None) or []]
    events += [_page(path, fallback) for path in _page_files(directory)]
    return sorted(events, key=lambda event: event.at)


def _alert(alert: JsonObject, fallback: datetime) -> Recorded:
    labels = {str(k): str(v) for k, v in (alert.get("labels") or {}).items()}
    name = labels.get("alertname", "alert")
    at = _moment(alert.get("startsAt")) or fallback
    body = json.dumps(_notification(alert, labels)).encode()
    where = ", ".join(f"{k}={labels[k]}" for k in ("namespace", "service", "pod") if k in labels)
    return Recorded(at, "alertmanager", body, f"alert {name} ({where or 'no target'})")


def _notification(alert: JsonObject, labels: dict[str, str]) -> dict[str, Any]:
    """The alert alone in its group, as Alertmanager's webhook (version 4) carries it."""
    fingerprint = (
        str(alert.get("fingerprint") or "")
        or hashlib.sha256(json.dumps(sorted(labels.items())).encode()).hexdigest()[:16]
    )
    sent = {
        "status": "firing",
        "labels": labels,
        "annotations": dict(alert.get("annotations") or {}),
        "startsAt": alert.get("startsAt"),
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": alert.get("generatorURL") or "",
        "fingerprint": fingerprint,
    }
    pairs = ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return {
        "receiver": "kubemedic-replay",
        "status": "firing",
        "alerts": [sent],
        "groupLabels": labels,
        "commonLabels": labels,
        "commonAnnotations": sent["annotations"],
        "externalURL": "http://alertmanager.replay",
        "version": "4",
        "groupKey": f"{{}}:{{{pairs}}}",
        "truncatedAlerts": 0,
    }


def _page_files(directory: Path) -> list[Path]:
    folder = directory / PAGES
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.glob("*.json")
        if path.is_file() and path.name.split("-", 1)[0] in TOOLS
    )


def _page(path: Path, fallback: datetime) -> Recorded:
    """A recorded page: its tool from its file's name, its time from its own body."""
    tool = path.name.split("-", 1)[0]
    body = path.read_bytes()[: MAX_PAGE_BYTES + 1]
    try:
        page = (
            parse_pagerduty(body)
            if tool == "pagerduty"
            else parse_opsgenie(body, now=fallback, tool="jsm" if tool == "jsm" else "opsgenie")
        )
    except BadPage as exc:
        raise BadInput(f"{path}: {exc}") from None
    if page is None:
        raise BadInput(f"{path}: not an event kubemedic acts on")
    return Recorded(page.occurred_at, tool, body, f"{page.named}: {page.title[:80]}")


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
