"""The Teams bot reads its channels' history through Microsoft Graph (the Graph stand-in over
HTTP, the bot's own credentials): a summary asked in a channel comes from what people said there
before the bot was asked, and an alert whose post was in doubt after a crash is found in its
channel by its card's marker, not posted again. Without Graph, both stay as before (nothing read,
posted again): the control that shows the reading is what makes the difference."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.storage.sql import SqlStore
from tests.alerts.payloads import alert, body, group
from tests.standins import kube_scenarios
from tests.standins.botframework import BotFrameworkStandIn
from tests.standins.graph_api import GraphStandIn
from tests.standins.kube_api import KubeStandIn
from tests.standins.vendor_api import running
from tests.teams.harness import running_teams_bot, shown
from tests.waiting import until

TOKEN = "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"
ONCALL = "19:shop-oncall@thread.tacv2"
ALERTS = "19:shop-alerts@thread.tacv2"
OOM = Path("examples/pastes/oom-killed-describe.txt").read_text()
ALERTING = {
    "KUBEMEDIC_ALERTMANAGER_TOKEN": TOKEN,
    "KUBEMEDIC_ALERT_CHANNEL": ALERTS,
    "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "0",
    "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.1",
    "KUBEMEDIC_LEADER_LEASE_SECONDS": "3",
}


@pytest.mark.parametrize("with_graph", [True, False])
async def test_a_summary_is_built_from_what_people_said_in_the_channel(
    tmp_path: Path, with_graph: bool
) -> None:
    graph = GraphStandIn(BotFrameworkStandIn())
    graph.add_channel(ONCALL, "shop-oncall")
    async with running(graph.bf), running(graph):
        graph.say(ONCALL, OOM, user="aad-bob", name="Bob")  # before anyone asked the bot
        async with running_teams_bot(
            tmp_path, bf=graph.bf, graph=graph if with_graph else None
        ) as teams:
            status, _ = await teams.send(teams.bf.message("summary", conversation=ONCALL))
            assert status == 200
            [told] = await teams.bf.wait_sent(1)
            await teams.kubemedic.background.idle()
            summary = shown(teams.bf, told.id)
            if with_graph:
                assert "oom-killed" in summary, summary
                assert graph.calls_to("GET", "/messages$", ok=True)  # read through Graph
            else:
                assert "oom-killed" not in summary and graph.calls == []


async def _alerting(url: str, body_: bytes) -> int:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{url}/alertmanager", data=body_, headers=headers) as answer,
    ):
        return answer.status


async def _stored(store: SqlStore) -> bool:
    return any(t.message_ts for t in await store.open_threads(source="alertmanager"))


def _posts(bf: BotFrameworkStandIn) -> list[str]:
    """The new messages (not replies, not updates) the bot started in the alerts channel."""
    return [s.id for s in bf.sent if s.conversation == ALERTS and not s.updated]


@pytest.mark.parametrize("with_graph", [True, False])
async def test_a_post_in_doubt_after_a_crash_is_found_in_the_channel_not_posted_again(
    tmp_path: Path, with_graph: bool
) -> None:
    kube = KubeStandIn(latency=0.0)
    case = kube_scenarios.oom_killed_deployment(kube, namespace="shop", name="checkout")
    crash = alert("KubePodCrashLooping", namespace="shop", pod=str(case.pod), fingerprint="fp-1")
    graph = GraphStandIn(BotFrameworkStandIn())
    graph.add_channel(ALERTS, "shop-alerts")
    uses = {"graph": graph} if with_graph else {}
    async with running(graph.bf), running(graph):
        bf = graph.bf
        async with running_teams_bot(tmp_path, kube=kube, bf=bf, **uses, **ALERTING) as first:
            assert await _alerting(first.url, body(group(crash))) == 200
            store = first.kubemedic.store
            assert isinstance(store, SqlStore)
            await until(lambda: _stored(store), what="the post stored")
            [thread] = await store.open_threads(source="alertmanager")
            posted = thread.message_ts
            assert posted and _posts(bf) == [posted]
            # the bot died after Teams answered and before it stored the answer: the database
            # holds a post begun, whose message it does not know
            await store.put_thread(
                dataclasses.replace(
                    thread, message_ts=None, posted_version=0, posting_at=datetime.now(UTC)
                )
            )
        async with running_teams_bot(tmp_path, kube=kube, bf=bf, **uses, **ALERTING) as second:
            assert await _alerting(second.url, body(group(crash))) == 200  # Alertmanager repeats
            if with_graph:
                await bf.wait_for("PUT", f"^/v3/conversations/{ALERTS}/activities/{posted}$")
                store = second.kubemedic.store
                assert isinstance(store, SqlStore)
                [adopted] = await store.open_threads(source="alertmanager")
                assert adopted.message_ts == posted and adopted.posting_at is None
                assert _posts(bf) == [posted]  # found, not posted again
            else:
                await bf.wait_for("POST", f"^/v3/conversations/{ALERTS}/activities$", count=2)
                assert len(_posts(bf)) == 2  # nothing to look in: posted again


async def test_an_incident_channel_gets_its_summary_from_its_history(tmp_path: Path) -> None:
    """A channel Graph names as an incident channel: asked, the bot reads its history back (the
    paste before it was asked, and the thread's reply), posts the summary there and says so."""
    incident = "19:inc-42-checkout@thread.tacv2"
    graph = GraphStandIn(BotFrameworkStandIn())
    graph.add_channel(incident, "inc-42-checkout")
    async with running(graph.bf), running(graph):
        paste = graph.say(incident, OOM, user="aad-bob", name="Bob")
        graph.say(incident, "raised checkout's limit to 512Mi", reply_to=paste.id)
        async with running_teams_bot(tmp_path, bf=graph.bf, graph=graph) as teams:
            status, _ = await teams.send(teams.bf.message("summary", conversation=incident))
            assert status == 200
            await until(
                lambda: any("oom-killed" in s.text() and s.reply_to is None for s in teams.bf.sent),
                what="the summary posted in the channel",
            )
            assert graph.calls_to("GET", f"/messages/{paste.id}/replies$", ok=True)
