"""POST /incidents/jsm end to end: Jira Service Management's alert webhook (Opsgenie's successor)
with its shared secret, the diagnosis in chat and as one note on the alert through JSM's
operations API (processed later, as Opsgenie's: kubemedic asks until it is), never a second one;
`doctor` reads one alert and says when the token or the site's URL is wrong."""

from __future__ import annotations

from pathlib import Path

from bot.doctor.tools import tool_checks
from bot.settings import Settings
from tests.alerts.test_receiver import oom_cluster
from tests.incidents.harness import CHANNEL, JSM_SECRET, Paged, running_paged_bot
from tests.slack.harness import block_text
from tests.standins.jsm_api import EMAIL, JsmStandIn
from tests.standins.opsgenie_api import OgAlert, alertmanager_description, bearer, webhook
from tests.standins.vendor_api import running
from tests.waiting import until

PATH = "/incidents/jsm"


def crash_alert(jsm: JsmStandIn, crash: dict[str, object]) -> OgAlert:
    labels = dict(crash["labels"])  # type: ignore[call-overload]
    return jsm.add_alert(
        "[FIRING:1] KubePodCrashLooping shop",
        details=labels,
        description=alertmanager_description(labels=labels, annotations=dict(crash["annotations"])),  # type: ignore[call-overload]
    )


async def metric(paged: Paged, line: str) -> bool:
    return line in (await paged.bot.get("/metrics"))[1]


async def test_a_jsm_alert_is_diagnosed_and_noted_once_even_when_it_closes(
    tmp_path: Path,
) -> None:
    kube, crash = oom_cluster()
    jsm = JsmStandIn(process_after=2)  # JSM takes a while to process the write
    async with running_paged_bot(tmp_path, kube=kube, jsm=jsm) as paged:
        alert = crash_alert(jsm, crash)
        status, text = await paged.deliver(PATH, webhook(alert), bearer(JSM_SECRET))
        assert (status, text) == (202, f"accepted Jira Service Management alert {alert.tiny_id}\n")
        [posted] = await paged.bot.slack.wait_for(
            "chat.postMessage", predicate=lambda c: c.channel == CHANNEL
        )
        assert "`oom-killed`" in block_text(posted.blocks)
        assert "Jira Service Management alert" in block_text(posted.blocks)
        await until(lambda: bool(alert.notes), what="the note added")
        [note] = alert.notes
        assert "[oom-killed], confirmed in the cluster" in note["note"]
        assert f"(kubemedic · jsm:{alert.id})" in note["note"]
        statuses = [c.status for c in jsm.calls_to("GET", "/v1/alerts/requests/", ok=None)]
        assert statuses == [404, 404, 200]  # asked until JSM had processed it
        assert all("identifierType" not in c.query for c in jsm.calls)  # JSM's API takes ids

        assert (await paged.deliver(PATH, webhook(alert, "Close"), bearer(JSM_SECRET)))[0] == 202
        await paged.bot.slack.wait_for(
            "chat.update", predicate=lambda c: "Resolved:" in block_text(c.blocks)
        )
        await until(
            lambda: metric(paged, 'kubemedic_incident_notes_total{action="kept",tool="jsm"} 1.0'),
            what="the closed alert's note kept as written",
        )
        assert len(alert.notes) == 1 and len(jsm.calls_to("POST", "/notes$")) == 1
        assert paged.opsgenie.calls == []  # nothing went to Opsgenie


async def test_a_wrong_secret_a_replay_and_an_action_kubemedic_ignores(tmp_path: Path) -> None:
    async with running_paged_bot(tmp_path) as paged:
        alert = paged.jsm.add_alert("Disk almost full on db-1")
        body = webhook(alert)
        assert await paged.deliver(PATH, body, bearer("guess")) == (
            401,
            "missing or wrong bearer secret\n",
        )
        assert (await paged.deliver(PATH, body, bearer(JSM_SECRET)))[0] == 202
        status, text = await paged.deliver(PATH, body, bearer(JSM_SECRET))
        assert status == 409 and text.startswith("already received: Jira Service Management")
        assert (await paged.deliver(PATH, webhook(alert, "AddNote"), bearer(JSM_SECRET)))[0] == 200
        status, text = await paged.deliver(PATH, b'{"action": "Create"}', bearer(JSM_SECRET))
        assert status == 400 and "a webhook of Jira Service Management" in text


async def test_doctor_reads_one_alert_and_names_a_wrong_token_or_a_missing_url(
    tmp_path: Path,
) -> None:
    jsm = JsmStandIn()
    async with running(jsm):
        base = {
            "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
            "KUBEMEDIC_JSM_EMAIL": EMAIL,
            "KUBEMEDIC_JSM_API_URL": jsm.api_url,
        }
        [good] = await tool_checks(Settings(**base, KUBEMEDIC_JSM_API_TOKEN=jsm.token))
        assert (good.name, good.status) == ("Jira Service Management", "ok")
        assert [c.path for c in jsm.calls] == [f"{jsm.prefix}/v1/alerts"]
        assert jsm.calls[0].query == {"size": "1"} and jsm.calls[0].method == "GET"
        [wrong] = await tool_checks(Settings(**base, KUBEMEDIC_JSM_API_TOKEN="wrong"))
        assert wrong.status == "fail" and "401" in wrong.detail
        assert "KUBEMEDIC_JSM_API_URL" in (wrong.fix or "")
        no_url = {**base, "KUBEMEDIC_JSM_API_URL": "", "KUBEMEDIC_JSM_API_TOKEN": jsm.token}
        [unset] = await tool_checks(Settings(**no_url))
        assert unset.status == "fail" and "KUBEMEDIC_JSM_API_URL is not set" in unset.detail
