"""Teams posts: alerts, their updates and incident summaries reach a Workflows webhook as valid
Adaptive Cards within Teams' 28 KB, links only; a webhook cannot edit, so updates are new cards."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from tests.alerts.payloads import alert, body, group, resolved
from tests.mattermost.harness import ALICE, running_mattermost_bot
from tests.slack.harness import running_bot
from tests.standins import kube_scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.mattermost_api import BOT_ID
from tests.standins.teams_webhook import (
    TeamsWebhookStandIn,
    card_text,
    running_teams_webhook,
    shown,
)

log = logging.getLogger(__name__)

TOKEN = "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"
SLACK_ALERTS = "C0ALERTS01"
ALERT_SETTINGS = {
    "KUBEMEDIC_ALERTMANAGER_TOKEN": TOKEN,
    "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "0",
    "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.1",
    "KUBEMEDIC_LEADER_LEASE_SECONDS": "3",
}
OOM = Path("examples/pastes/oom-killed-describe.txt").read_text()
LURE = (
    "Sign in at [the runbook](https://attacker.example/login) "
    "![x](https://attacker.example/p.png) <https://attacker.example> *now*"
)
"""An alert description written as Markdown: a link, an image, an autolink, emphasis; Teams must
show it as typed."""


def _crash(kube: KubeStandIn, **annotations: str) -> dict[str, object]:
    case = kube_scenarios.oom_killed_deployment(kube, namespace="shop", name="checkout")
    crash = alert(
        "KubePodCrashLooping",
        namespace="shop",
        pod=str(case.pod),
        container="checkout",
        reason="CrashLoopBackOff",
        fingerprint="fp-checkout",
    )
    crash["annotations"].update(annotations)  # type: ignore[union-attr]
    return crash


def test_an_alert_reaches_teams_as_a_valid_card_and_its_resolution_as_an_update_card(
    tmp_path: Path,
) -> None:
    kube = KubeStandIn(latency=0.0)
    crash = _crash(kube, description=LURE)
    teams = TeamsWebhookStandIn()

    async def scenario() -> None:
        async with (
            running_teams_webhook(teams) as url,
            running_bot(
                tmp_path,
                kube=kube,
                KUBEMEDIC_ALERT_CHANNEL=SLACK_ALERTS,
                KUBEMEDIC_TEAMS_WEBHOOK_URL=url,
                **ALERT_SETTINGS,
            ) as bot,
        ):
            sent = time.monotonic()
            assert (await bot.post_alert(body(group(crash)), token=TOKEN))[0] == 200
            [first] = await teams.wait_for(1)
            log.info(
                "alert POST to valid Teams card: %.0f ms", (teams.messages[0][0] - sent) * 1000
            )
            text = card_text(first)
            assert "Catalog id: oom-killed" in text and "KubePodCrashLooping" in text
            assert any(
                a["type"] == "Action.OpenUrl" and "runbooks.prometheus-operator.dev" in a["url"]
                for a in first["actions"]
            )
            words, targets = shown(first)
            assert LURE in words and targets == []  # the description's Markdown stays inert
            assert not any("attacker" in a["url"] for a in first["actions"])
            assert await bot.slack.wait_for("chat.postMessage")  # the interactive chat got it too
            await bot.post_alert(body(resolved(group(crash))), token=TOKEN)
            [_, update] = await teams.wait_for(2)
            assert card_text(update).startswith("Update: ") and "Resolved" in card_text(update)
            assert teams.refused == []

    asyncio.run(scenario())


def test_a_huge_alert_still_fits_teams_28_kb(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    crash = _crash(kube, description="x" * 200_000, summary="y" * 50_000)
    teams = TeamsWebhookStandIn()

    async def scenario() -> None:
        async with (
            running_teams_webhook(teams) as url,
            running_bot(
                tmp_path,
                kube=kube,
                KUBEMEDIC_ALERT_CHANNEL=SLACK_ALERTS,
                KUBEMEDIC_TEAMS_WEBHOOK_URL=url,
                **ALERT_SETTINGS,
            ) as bot,
        ):
            await bot.post_alert(body(group(crash)), token=TOKEN)
            [card] = await teams.wait_for(1)
            assert teams.refused == [] and "oom-killed" in card_text(card)

    asyncio.run(scenario())


def test_an_incident_summary_from_mattermost_is_copied_to_teams(tmp_path: Path) -> None:
    teams = TeamsWebhookStandIn()
    incident = "chinc42db0000000000000000c"

    async def scenario() -> None:
        async with (
            running_teams_webhook(teams) as url,
            running_mattermost_bot(tmp_path, KUBEMEDIC_TEAMS_WEBHOOK_URL=url) as bot,
        ):
            bot.mm.state.add_channel(incident, "inc-42-db", members=(ALICE,), bot=False)
            await bot.mm.say(incident, ALICE, OOM)
            await bot.mm.add_member(incident, BOT_ID)
            [card] = await teams.wait_for(1)
            text = card_text(card)
            assert "Incident summary: inc-42-db" in text and "oom-killed" in text
            assert teams.refused == []

    asyncio.run(scenario())
