"""The Teams bot (`serve --teams`) through the Bot Framework stand-in: only activities the Bot
Framework signed for this bot are read; a remediation button is confirmed on a card sealed to its
clicker, then dry-runs, acts and is audited as in Slack and Mattermost; a clicker who is not an
admin is refused and nothing changes."""

from __future__ import annotations

import json
from pathlib import Path

from bot.storage.sql import SqlStore
from tests.standins import kube_scenarios
from tests.standins.botframework import APP_ID, Sent, task_card
from tests.standins.kube_api import KubeStandIn
from tests.teams.harness import ADMIN, Teams, running_teams_bot, shown, thread

EXPIRED = -3600


async def answer_of(teams: Teams, text: str) -> Sent:
    assert (await teams.send(teams.bf.message(text)))[0] == 200
    [answer] = await teams.bf.wait_sent(1)
    await teams.kubemedic.background.idle()
    return answer


def tikv() -> tuple[KubeStandIn, str]:
    kube = KubeStandIn(latency=0.0)
    case = kube_scenarios.tikv_cluster_id_mismatch(kube)
    return kube, f"pod {case.namespace}/{case.pod}"


async def audit(teams: Teams) -> list[str]:
    store = teams.kubemedic.store
    assert isinstance(store, SqlStore)
    return [row.outcome for row in await store.list_audit(limit=20)]


async def test_only_activities_the_bot_framework_signed_for_this_bot_are_read(
    tmp_path: Path,
) -> None:
    async with running_teams_bot(tmp_path) as teams:
        bf = teams.bf
        message = bf.message("pod shop/checkout-0")
        cases = {
            "forged": {"forged": True},
            "another bot's": {"audience": "00000000-0000-0000-0000-000000000000"},
            "expired": {"expires_in": EXPIRED},
            "for another service": {"service_url": "https://evil.example.com/"},
        }
        for why, signing in cases.items():
            status, text = await teams.send(message, **signing)
            assert status == 401 and str(text).count("\n") == 1, (why, text)
        import aiohttp

        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{teams.url}/teams/messages", json=message) as answer,
        ):
            assert (answer.status, await answer.text()) == (401, "missing Bot Framework token\n")
        await teams.kubemedic.background.idle()
        assert bf.sent == [] and bf.calls_to("POST", "/token$") == []
        status, _ = await teams.send(message)  # the real thing is read
        assert status == 200


async def test_an_admin_confirms_a_remediation_then_it_dry_runs_acts_and_is_audited(
    tmp_path: Path,
) -> None:
    kube, ask = tikv()
    async with running_teams_bot(tmp_path, kube=kube) as teams:
        answer = await answer_of(teams, ask)
        assert "tikv-cluster-id-mismatch" in answer.text()
        [button] = [a for a in answer.actions() if a.get("verb", "").startswith("remediate")]
        status, told = await teams.send(teams.bf.invoke(answer, button["title"], user=ADMIN))
        assert status == 200 and "Confirm" in told["value"]
        assert kube.writes() == []  # the click alone changes nothing
        [_, question] = await teams.bf.wait_sent(2)
        assert question.reply_to == answer.reply_to and "tikv" in question.text()  # what changes
        confirm, cancel = (a["title"] for a in question.actions())
        assert cancel == "Cancel"
        status, outcome = await teams.send(teams.bf.invoke(question, confirm, user=ADMIN))
        assert status == 200, outcome
        await teams.kubemedic.background.idle()
        writes = kube.writes()
        assert writes and writes[0].dry_run and any(not w.dry_run for w in writes)
        assert "done" in await audit(teams)
        assert "deleted" in thread(teams.bf, answer.id)  # the outcome, in the answer's thread
        acted = [w for w in kube.writes() if not w.dry_run]
        again, told = await teams.send(teams.bf.invoke(question, confirm, user=ADMIN))
        await teams.kubemedic.background.idle()
        assert again == 200 and "already" in json.dumps(told).lower()  # confirmed once only
        assert [w for w in kube.writes() if not w.dry_run] == acted


async def test_someone_not_an_admin_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    kube, ask = tikv()
    async with running_teams_bot(tmp_path, kube=kube) as teams:
        answer = await answer_of(teams, ask)
        [button] = [a for a in answer.actions() if a.get("verb", "").startswith("remediate")]
        await teams.send(teams.bf.invoke(answer, button["title"], user="aad-mallory"))
        [_, question] = await teams.bf.wait_sent(2)
        confirm = question.actions()[0]["title"]
        status, told = await teams.send(teams.bf.invoke(question, confirm, user="aad-mallory"))
        assert status == 200 and "admin" in json.dumps(told).lower()
        await teams.kubemedic.background.idle()
        assert [w for w in kube.writes() if not w.dry_run] == []
        assert "refused" in await audit(teams)
        # and an admin cannot confirm Mallory's card: it is sealed to its clicker
        status, told = await teams.send(teams.bf.invoke(question, confirm, user=ADMIN))
        assert "not yours" in json.dumps(told).lower() or "someone else" in json.dumps(told).lower()
        assert [w for w in kube.writes() if not w.dry_run] == []


async def test_the_bot_answers_with_its_own_token_and_the_serviceurl_it_was_told(
    tmp_path: Path,
) -> None:
    async with running_teams_bot(tmp_path) as teams:
        await answer_of(teams, "pod shop/nothing-here")
        [token_call] = teams.bf.calls_to("POST", "/token$")
        assert "client_id=" + APP_ID in str(token_call.body)
        assert shown(teams.bf, teams.bf.sent[0].id)  # posted through the stand-in's Connector


async def test_not_this_opens_a_task_module_whose_pick_replaces_the_answer(
    tmp_path: Path,
) -> None:
    """The button asks Teams for a task module; its answer is the picker (a filtered choice of
    the entries offered); the opener's pick replaces the answer in the thread, anyone else's is
    refused."""
    kube, ask = tikv()
    async with running_teams_bot(tmp_path, kube=kube) as teams:
        bf = teams.bf
        answer = await answer_of(teams, ask)
        [button] = [a for a in answer.actions() if a["type"] == "Action.Submit"]
        assert button["data"]["msteams"] == {"type": "task/fetch"}
        status, task = await teams.send(bf.task("task/fetch", answer, button["data"]))
        assert status == 200
        card = task_card(task)
        [choice] = [e for e in card["body"] if e["type"] == "Input.ChoiceSet"]
        offered = [c["value"] for c in choice["choices"]]
        assert offered and "tikv-cluster-id-mismatch" not in offered[:1]  # not the answer again
        [pick] = card["actions"]
        picked = {**pick["data"], "entry": offered[0]}
        status, told = await teams.send(bf.task("task/submit", answer, picked, user="aad-mallory"))
        assert status == 200 and "opened" in told["task"]["value"].lower(), told
        status, told = await teams.send(bf.task("task/submit", answer, picked))
        assert status == 200 and told["task"]["type"] == "message"
        [updated] = [s for s in await bf.wait_sent(2) if s.updated]
        assert updated.id == answer.id and offered[0] in updated.text()
