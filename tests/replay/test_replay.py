"""`kubemedic replay`: a recorded incident's alerts and pages posted into a channel, diagnosed.

The replay runs as the command runs it (the whole bot, its real doors on loopback), against the
Slack stand-in; its diagnoses are compared with `kubemedic diagnose --from-outputs --at` on the
same folder, run as the console script runs it (in this process). Pages kept in the recording reach no incident tool unless
`--write-incidents` is given.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.cluster.recording import Recording
from bot.commands.replaying import Replay, replay_into_chat
from bot.settings import Settings
from tests.cli.runner import kubemedic_in_process as kubemedic
from tests.slack.harness import BOT_TOKEN, block_text
from tests.standins.jsm_api import JsmStandIn
from tests.standins.opsgenie_api import alertmanager_description, webhook
from tests.standins.slack_api import SlackStandIn, running_slack_standin
from tests.standins.vendor_api import running

ROOT = Path(__file__).resolve().parents[2]
CATALOG_DELAY = ROOT / "tests" / "cascade" / "recorded" / "catalog-delay"
RECORDED_AT = "2026-11-28T00:35:50Z"
CHANNEL = "C0REPLAY01"


def settings_for(slack: SlackStandIn, tmp_path: Path, **more: str) -> Settings:
    return Settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=slack.api_url,
        KUBEMEDIC_CACHE_DIR=str(tmp_path / "cache"),
        KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS="0.05",  # the channel's pace, not what is tested
        **more,  # type: ignore[arg-type]
    )


async def replayed(settings: Settings, directory: Path, **options: Any) -> str:
    recording = Recording("outputs", str(directory), options.pop("at", None))
    out = io.StringIO()
    replay = Replay(directory, recording, CHANNEL, speed=3600, **options)
    await replay_into_chat(settings, replay, out)
    return out.getvalue()


def recorded_alerts(directory: Path) -> list[dict[str, Any]]:
    text = (directory / "outputs" / "alerts.txt").read_text()
    return list(json.loads(text.split("\n", 1)[1]))


def shop_incident(where: Path) -> Path:
    """examples/outputs/shop with the alerts Alertmanager listed then: one per failing Service."""
    shutil.copytree(ROOT / "examples" / "outputs" / "shop", where / "outputs")
    alerts = [
        {
            "labels": {"alertname": "ServiceErrors", "namespace": "shop", "service": service},
            "annotations": {"summary": f"{service} answers 5xx to 30% of requests"},
            "startsAt": f"2024-05-14T08:{minute:02d}:00Z",
            "endsAt": "2024-05-14T09:30:00Z",
            "fingerprint": f"{minute:016x}",
            "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
        }
        for minute, service in ((10, "checkout"), (12, "frontend"), (15, "payments"))
    ]
    listing = "$ amtool alert query -o json\n" + json.dumps(alerts, indent=2) + "\n"
    (where / "outputs" / "alerts.txt").write_text(listing)
    return where


@pytest.mark.parametrize("incident", ["catalog-delay", "shop"])
async def test_the_replay_posts_the_same_diagnoses_as_diagnose_on_the_same_folder(
    tmp_path: Path, incident: str
) -> None:
    directory = CATALOG_DELAY if incident == "catalog-delay" else shop_incident(tmp_path / "shop")
    at = RECORDED_AT if incident == "catalog-delay" else "2024-05-14T08:29:00Z"
    slack = SlackStandIn(bot_token=BOT_TOKEN)
    async with running_slack_standin(slack):
        told = await replayed(
            settings_for(slack, tmp_path), directory, at=datetime.fromisoformat(at)
        )
        posted = slack.calls_to("chat.postMessage", ok=True)
    alerts = recorded_alerts(directory)
    assert f"{len(alerts)} messages posted" in told, told
    leads = []
    for alert in alerts:
        labels = alert["labels"]
        where = f"{labels['namespace']}/{labels['service']}"
        [message] = [
            block_text(call.blocks)
            for call in posted
            if call.params["channel"] == CHANNEL and where in block_text(call.blocks[:1])
        ]
        made = datetime.fromisoformat(at).strftime("%Y-%m-%d %H:%M")
        assert f"read from a recording made {made} UTC" in message
        cli = (
            await asyncio.to_thread(  # the command runs its own event loop
                kubemedic,
                *("diagnose", "service", where, "--from-outputs", str(directory), "--at", at),
                *("--symptom", alert["annotations"]["summary"], "--json"),
            )
        ).json()
        assert _lead(message) == _cli_lead(cli), (labels, message, cli["suspects"])
        leads.append(_lead(message))
    if incident == "shop":  # the comparison is not between two silences
        assert leads == [
            ("service/checkout", "oom-killed"),
            ("service/frontend", "image-not-found"),
            ("service/payments", "create-container-config-error"),
        ]


def _lead(message: str) -> tuple[str, str] | None:
    """The message's first suspect: (object, catalog id), or None when it names none."""
    found = re.search(r"Most likely: (\S+): .*?`([a-z0-9-]+)`", message, flags=re.DOTALL)
    return (found.group(1), found.group(2)) if found else None


def _cli_lead(cli: dict[str, Any]) -> tuple[str, str] | None:
    suspects = cli.get("suspects") or []
    return (suspects[0]["object"], suspects[0]["id"]) if suspects else None


async def test_recorded_pages_reach_no_incident_tool_unless_asked(tmp_path: Path) -> None:
    recording = tmp_path / "incident"
    shutil.copytree(ROOT / "examples" / "outputs" / "shop", recording / "outputs")
    jsm = JsmStandIn()
    labels = {"alertname": "KubePodCrashLooping", "namespace": "shop", "pod": _oom_pod()}
    alert = jsm.add_alert(
        "[FIRING:1] KubePodCrashLooping shop",
        details=labels,
        description=alertmanager_description(labels=labels, annotations={"summary": "crashing"}),
    )
    (recording / "pages").mkdir()
    body = webhook(alert, updated_ns=1_778_000_000_000_000_000)  # its own time, kept
    (recording / "pages" / "jsm-1.json").write_bytes(body)
    slack = SlackStandIn(bot_token=BOT_TOKEN)
    async with running_slack_standin(slack), running(jsm):
        settings = settings_for(
            slack,
            tmp_path,
            KUBEMEDIC_JSM_API_TOKEN=jsm.token,
            KUBEMEDIC_JSM_EMAIL=jsm.email,
            KUBEMEDIC_JSM_API_URL=jsm.api_url,
        )
        told = await replayed(settings, recording)
        assert "Jira Service Management alert" in told and ": 202 accepted" in told, told
        [message] = slack.calls_to("chat.postMessage", ok=True)
        assert "`oom-killed`" in block_text(message.blocks)
        assert jsm.calls == [] and alert.notes == []  # not asked: nothing reached JSM

        await replayed(settings, recording, write_incidents=True)
        assert len(alert.notes) == 1 and "[oom-killed]" in alert.notes[0]["note"]
        assert "(read from a recording made" in alert.notes[0]["note"]


def _oom_pod() -> str:
    text = (ROOT / "examples" / "outputs" / "shop").rglob("*")
    for path in text:
        found = (
            re.search(r"(checkout-[a-z0-9]+-[a-z0-9]+)\s", path.read_text())
            if path.is_file()
            else None
        )
        if found:
            return found.group(1)
    raise AssertionError("no checkout pod in examples/outputs/shop")
