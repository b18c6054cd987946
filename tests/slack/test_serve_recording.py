"""`serve --from-dump` / `--from-outputs`: the bot answers chat, alerts and pages from a recording.

The bot is composed as `serve` composes it with a recording's reader (no cluster anywhere); the
questions arrive signed as Slack and Alertmanager send them. Every answer names the recording
and when it was made; a remediation click stops at its dry run, with nothing written.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from tests.alerts.payloads import alert, body, group
from tests.slack.harness import ADMIN, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn

ROOT = Path(__file__).resolve().parents[2]
DUMP = ROOT / "examples" / "dump"
OUTPUTS = ROOT / "examples" / "outputs" / "shop"
TOKEN = "kmsk_ztQf4gyDKtquGNQ0IZEPBeJICq7vVZaJMuHfQc2A0vZ9U5v9"  # from `kubemedic keygen`
RECORDED = f"read from a recording made 2024-05-14 08:29 UTC ({DUMP}), not a live cluster"
"""The example dump's own moment: its newest node heartbeat and event (no --at given)."""


def test_slash_command_is_answered_from_the_dump_and_says_so(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, KUBEMEDIC_FROM_DUMP=str(DUMP)) as bot:
            await bot.send(bot.requests.slash_command("namespace shop"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            text = block_text(posted.blocks)
            assert RECORDED in text
            assert "service/checkout" in text and "oom-killed" in text  # as `diagnose` says
            assert bot.kube.requests == []  # no cluster was asked anything

    asyncio.run(scenario())


def test_outputs_are_judged_at_the_given_moment(tmp_path: Path) -> None:
    async def scenario() -> None:
        recording = {
            "KUBEMEDIC_FROM_OUTPUTS": str(OUTPUTS),
            "KUBEMEDIC_RECORDED_AT": "2026-05-01T10:00:00Z",
        }
        async with running_bot(tmp_path, **recording) as bot:
            await bot.send(bot.requests.slash_command("namespace shop"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            assert f"a recording made 2026-05-01 10:00 UTC ({OUTPUTS})" in block_text(posted.blocks)

    asyncio.run(scenario())


def test_an_alert_is_explained_from_the_recording_and_its_message_says_so(tmp_path: Path) -> None:
    async def scenario() -> None:
        settings = {
            "KUBEMEDIC_FROM_DUMP": str(DUMP),
            "KUBEMEDIC_ALERTMANAGER_TOKEN": TOKEN,
            "KUBEMEDIC_ALERT_CHANNEL": "C0ALERTS01",
            "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "0",
        }
        async with running_bot(tmp_path, **settings) as bot:
            crash = alert(
                "KubePodCrashLooping",
                namespace="shop",
                pod="checkout-t6ljkgdzfx-bzm4s",
                container="checkout",
                cluster="prod-eu",  # whatever cluster the alert names, the recording answers
            )
            status, _ = await bot.post_alert(body(group(crash)), token=TOKEN)
            assert status == 200
            [posted] = await bot.slack.wait_for("chat.postMessage")
            text = block_text(posted.blocks)
            assert "read from a recording made 2024-05-14 08:29 UTC" in text
            assert "Cause (confirmed in the cluster)" in text and "oom-killed" in text

    asyncio.run(scenario())


def test_a_remediation_click_shows_its_dry_run_and_writes_nothing(tmp_path: Path) -> None:
    async def scenario() -> None:
        dump, case = _dump_of_rejected_pod(tmp_path / "dump")
        async with running_bot(tmp_path, KUBEMEDIC_FROM_DUMP=str(dump)) as bot:
            await bot.send(bot.requests.slash_command(f"pod {case.namespace}/{case.pod}"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            assert "read from a recording made" in block_text(posted.blocks)
            await bot.send(bot.requests.click(posted, "remediate", user_id=ADMIN))
            [outcome] = await bot.slack.wait_for("chat.update")
            told = block_text(outcome.blocks)
            assert "dry run only" in told and "nothing was changed" in told
            assert f"Delete pod `{case.namespace}/{case.pod}`" in told  # what it would have done
            assert bot.kube.writes() == [] and bot.kube.requests == []

    asyncio.run(scenario())


def _dump_of_rejected_pod(root: Path) -> tuple[Path, scenarios.Scenario]:
    """A `kubectl cluster-info dump` of a Deployment's pod its kubelet rejected (OutOfpods):
    deleting the pod fixes it, so a remediation button is offered. The objects are the API
    stand-in's, written as the dump writes them (the stand-in itself is never started)."""
    kube = KubeStandIn(latency=0.0)
    case = scenarios.out_of_pods(kube)
    for kind in ("nodes", "pods", "events", "replicasets", "deployments"):
        for namespace, items in _by_namespace(kube.objects(kind)).items():
            where = root / namespace if namespace else root
            where.mkdir(parents=True, exist_ok=True)
            listed = {"kind": "List", "apiVersion": "v1", "items": items}
            (where / f"{kind}.json").write_text(json.dumps(listed))
    return root, case


def _by_namespace(objects: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for obj in objects:
        grouped[obj["metadata"].get("namespace", "")].append(obj)
    return grouped
