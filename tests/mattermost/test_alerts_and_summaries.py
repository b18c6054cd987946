"""Alert and incident-channel posts on Mattermost: posted once, kept current in place (PUT
/posts/{id}/patch), notes in the thread; an incident channel's summary posted and pinned when the
bot is added, and edited as messages arrive."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from tests.alerts.payloads import alert, body, group, resolved
from tests.mattermost.harness import ALICE, running_mattermost_bot
from tests.standins import kube_scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.mattermost_api import BOT_ID
from tests.standins.teams_webhook import rendered
from tests.teams.test_teams_posts import LURE

TOKEN = "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"
ALERTS = "challerts000000000000000c2"
INCIDENT = "chinc42db0000000000000000c"
SETTINGS = {
    "KUBEMEDIC_ALERTMANAGER_TOKEN": TOKEN,
    "KUBEMEDIC_ALERT_CHANNEL": ALERTS,
    "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "0",
    "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.1",
    "KUBEMEDIC_LEADER_LEASE_SECONDS": "3",
}
OOM = Path("examples/pastes/oom-killed-describe.txt").read_text()


async def _post_alert(url: str, payload: bytes) -> int:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{url}/alertmanager", data=payload, headers=headers) as reply,
    ):
        return reply.status


def test_an_alert_is_posted_once_and_its_resolution_edits_it_in_place(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    case = kube_scenarios.oom_killed_deployment(kube, namespace="shop", name="checkout")
    crash = alert(
        "KubePodCrashLooping",
        namespace="shop",
        pod=str(case.pod),
        container="checkout",
        reason="CrashLoopBackOff",
        fingerprint="fp-checkout",
    )
    crash["annotations"]["description"] = LURE  # type: ignore[index]

    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path, kube=kube, **SETTINGS) as bot:
            bot.mm.state.add_channel(ALERTS, "alerts")
            assert await _post_alert(bot.url, body(group(crash))) == 200
            [created] = await bot.mm.wait_for("POST", "^/posts$")
            assert (
                created.body["channel_id"] == ALERTS and "`oom-killed`" in created.body["message"]
            )
            assert "[Runbook](https://runbooks.prometheus-operator.dev" in created.body["message"]
            words, targets = rendered(created.body["message"])
            assert (
                "[the runbook](https://attacker.example/login) ![x](https://attacker.example/p.png)"
                in words
            )
            assert not any(
                "attacker" in target for target in targets
            )  # shown as typed: no link, no image
            assert await _post_alert(bot.url, body(resolved(group(crash)))) == 200
            for _ in range(50):
                post = bot.mm.state.posts[created.answer["id"]]
                if "Resolved" in post["message"]:
                    break
                await asyncio.sleep(0.1)
            assert "Resolved" in post["message"]
            assert len(bot.mm.posts_in(ALERTS)) == 1  # edited, never a second top-level post

    asyncio.run(scenario())


def test_added_to_an_incident_channel_it_posts_pins_and_keeps_the_summary_current(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path) as bot:
            bot.mm.state.add_channel(INCIDENT, "inc-42-db", members=(ALICE,), bot=False)
            await bot.mm.say(
                INCIDENT, ALICE, OOM
            )  # before the bot was there: read from the history
            await bot.mm.add_member(INCIDENT, BOT_ID)
            [created] = await bot.mm.wait_for("POST", "^/posts$")
            summary = created.answer["id"]
            assert (
                "inc-42-db" in created.body["message"] and "`oom-killed`" in created.body["message"]
            )
            await bot.mm.wait_for("POST", f"^/posts/{summary}/pin$")
            assert summary in bot.mm.state.pinned
            await bot.mm.say(
                INCIDENT, ALICE, "restarted checkout with a 512Mi limit, looks stable now"
            )
            await bot.mm.wait_for("PUT", f"^/posts/{summary}/patch$")
            await bot.settle()
            assert [p["id"] for p in bot.mm.posts_in(INCIDENT)] == [summary]  # one message, edited

    asyncio.run(scenario())
