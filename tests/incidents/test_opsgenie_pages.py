"""POST /incidents/opsgenie end to end: the Webhook integration's body with its shared secret, the
alert's labels from the details Alertmanager filled, the diagnosis in chat and as one note on
the alert (Opsgenie processes it later: kubemedic asks until it did), never a second one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.alerts.test_receiver import oom_cluster
from tests.incidents.harness import CHANNEL, OG_SECRET, Paged, running_paged_bot
from tests.slack.harness import block_text
from tests.standins.opsgenie_api import (
    OgAlert,
    OpsgenieStandIn,
    alertmanager_description,
    bearer,
    webhook,
)
from tests.waiting import until

PATH = "/incidents/opsgenie"


def crash_alert(og: OpsgenieStandIn, crash: dict[str, object]) -> OgAlert:
    labels = dict(crash["labels"])  # type: ignore[call-overload]
    return og.add_alert(
        "[FIRING:1] KubePodCrashLooping shop",
        details=labels,  # Alertmanager's opsgenie_configs: the group's common labels
        description=alertmanager_description(labels=labels, annotations=dict(crash["annotations"])),  # type: ignore[call-overload]
    )


async def metric(paged: Paged, line: str) -> bool:
    return line in (await paged.bot.get("/metrics"))[1]


async def test_an_opsgenie_alert_is_diagnosed_and_noted_once_even_when_it_closes(
    tmp_path: Path,
) -> None:
    kube, crash = oom_cluster()
    og = OpsgenieStandIn(process_after=2)  # Opsgenie takes a while to process the write
    async with running_paged_bot(tmp_path, kube=kube, opsgenie=og) as paged:
        alert = crash_alert(og, crash)
        status, text = await paged.deliver(PATH, webhook(alert), bearer(OG_SECRET))
        assert (status, text) == (202, f"accepted Opsgenie alert {alert.tiny_id}\n")
        [posted] = await paged.bot.slack.wait_for(
            "chat.postMessage", predicate=lambda c: c.channel == CHANNEL
        )
        assert "`oom-killed`" in block_text(posted.blocks)
        await until(lambda: bool(alert.notes), what="the note added")
        [note] = alert.notes
        assert "[oom-killed], confirmed in the cluster" in note["note"]
        assert "Chat thread: https://" in note["note"]
        statuses = [c.status for c in og.calls_to("GET", "/requests/", ok=None)]
        assert statuses == [404, 404, 200]  # asked until Opsgenie had processed it

        assert (await paged.deliver(PATH, webhook(alert, "Close"), bearer(OG_SECRET)))[0] == 202
        await paged.bot.slack.wait_for(
            "chat.update", predicate=lambda c: "Resolved:" in block_text(c.blocks)
        )
        await until(
            lambda: metric(
                paged, 'kubemedic_incident_notes_total{action="kept",tool="opsgenie"} 1.0'
            ),
            what="the resolved alert's note kept as written",
        )
        assert len(alert.notes) == 1 and len(og.calls_to("POST", "/notes$")) == 1


async def test_a_wrong_secret_a_replay_and_an_action_kubemedic_ignores(tmp_path: Path) -> None:
    async with running_paged_bot(tmp_path) as paged:
        alert = paged.opsgenie.add_alert("Disk almost full on db-1")
        body = webhook(alert)
        assert await paged.deliver(PATH, body, bearer("guess")) == (
            401,
            "missing or wrong bearer secret\n",
        )
        assert (await paged.deliver(PATH, body, {"Content-Type": "application/json"}))[0] == 401
        assert (await paged.deliver(PATH, body, bearer(OG_SECRET)))[0] == 202
        status, text = await paged.deliver(PATH, body, bearer(OG_SECRET))
        assert status == 409 and text.startswith("already received: Opsgenie event ")
        noted = webhook(alert, "AddNote")
        assert await paged.deliver(PATH, noted, bearer(OG_SECRET)) == (
            200,
            "ignored (not an event kubemedic acts on)\n",
        )


async def test_a_note_for_an_alert_deleted_meanwhile_is_given_up_not_retried(
    tmp_path: Path,
) -> None:
    kube, crash = oom_cluster()
    async with running_paged_bot(tmp_path, kube=kube) as paged:
        og = paged.opsgenie
        alert = crash_alert(og, crash)
        body = webhook(alert)
        del og.alerts[alert.id]  # deleted in Opsgenie before kubemedic writes
        assert (await paged.deliver(PATH, body, bearer(OG_SECRET)))[0] == 202
        await until(
            lambda: metric(
                paged, 'kubemedic_incident_notes_total{action="gave_up",tool="opsgenie"} 1.0'
            ),
            what="the refused note given up",
        )
        store, later = paged.bot.kubemedic.store, paged.bot.clock() + timedelta(days=1)
        assert await store.due_incidents(now=later) == []  # never tried again
        assert len(og.calls_to("POST", "/notes$")) == 1
