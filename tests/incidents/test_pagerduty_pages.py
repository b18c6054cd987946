"""POST /incidents/pagerduty end to end: a v3 webhook signed as PagerDuty signs it, the incident's
custom details read from the PagerDuty stand-in's REST API, the diagnosis posted to the Slack
stand-in, and written back as one note on the incident, edited in place when it resolves."""

from __future__ import annotations

from pathlib import Path

from tests.alerts.test_receiver import oom_cluster
from tests.incidents.harness import CHANNEL, PD_SECRET, running_paged_bot
from tests.slack.harness import block_text
from tests.standins.pagerduty_api import alertmanager_details, event, signed

PATH = "/incidents/pagerduty"


async def test_a_page_is_diagnosed_in_chat_and_its_diagnosis_goes_back_as_one_note(
    tmp_path: Path,
) -> None:
    kube, crash = oom_cluster()
    async with running_paged_bot(tmp_path, kube=kube) as paged:
        bot, pd = paged.bot, paged.pagerduty
        incident = pd.add_incident(
            "[FIRING:1] KubePodCrashLooping shop", details=alertmanager_details(firing=[crash])
        )
        body = event(incident)
        status, text = await paged.deliver(PATH, body, signed(body, PD_SECRET))
        assert (status, text) == (202, f"accepted PagerDuty incident #{incident.number}\n")
        [posted] = await bot.slack.wait_for(
            "chat.postMessage", predicate=lambda c: c.channel == CHANNEL
        )
        shown = block_text(posted.blocks)
        assert "`oom-killed`" in shown and "confirmed in the cluster" in shown
        assert incident.html_url in shown  # the chat links the incident

        await pd.wait_for("POST", rf"/incidents/{incident.id}/notes$")
        [note] = incident.notes
        assert "[oom-killed], confirmed in the cluster" in note["content"]
        assert "OOMKilled" in note["content"]  # why: the cluster's fact
        assert "Chat thread: https://" in note["content"]  # the thread's address
        assert note["user"]["summary"] == "kubemedic@example.com"

        body = event(incident, "incident.resolved")
        assert (await paged.deliver(PATH, body, signed(body, PD_SECRET)))[0] == 202
        await pd.wait_for("PUT", rf"/incidents/{incident.id}/notes/{note['id']}$")
        assert len(incident.notes) == 1  # edited in place, never a second note
        assert "Status: resolved after" in incident.notes[0]["content"]
        await bot.slack.wait_for(
            "chat.update", predicate=lambda c: "Resolved:" in block_text(c.blocks)
        )
