"""The note on a PagerDuty incident, delivered honestly: quiet when unsure, on the Alertmanager
group's own message when Alertmanager raised the incident, never doubled when an answer is lost
or kubemedic restarts, waiting out a 429's Retry-After, and a breaker while PagerDuty is down."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.alerts.payloads import body as alert_body
from tests.alerts.payloads import group
from tests.alerts.test_receiver import oom_cluster
from tests.incidents.harness import CHANNEL, PD_SECRET, Paged, running_paged_bot
from tests.slack.harness import block_text
from tests.standins.pagerduty_api import (
    Incident,
    PagerDutyStandIn,
    alertmanager_details,
    event,
    signed,
)
from tests.waiting import until

PATH = "/incidents/pagerduty"
AM_TOKEN = "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"


async def page(paged: Paged, incident: Incident, event_type: str = "incident.triggered") -> None:
    body = event(incident, event_type)
    assert (await paged.deliver(PATH, body, signed(body, PD_SECRET)))[0] == 202


async def metric(paged: Paged, line: str) -> bool:
    return line in (await paged.bot.get("/metrics"))[1]


async def test_an_incident_kubemedic_cannot_explain_gets_a_message_and_no_note(
    tmp_path: Path,
) -> None:
    async with running_paged_bot(tmp_path) as paged:
        incident = paged.pagerduty.add_incident(
            "Disk almost full on db-1", details={"host": "db-1"}
        )
        await page(paged, incident)
        [posted] = await paged.bot.slack.wait_for(
            "chat.postMessage", predicate=lambda c: c.channel == CHANNEL
        )
        assert "No catalog entry explains this incident" in block_text(posted.blocks)
        await until(
            lambda: metric(
                paged, 'kubemedic_incident_notes_total{action="quiet",tool="pagerduty"} 1.0'
            ),
            what="the unsure incident counted as quiet",
        )
        assert paged.pagerduty.calls_to("POST", "/notes$") == [] and incident.notes == []


async def test_an_incident_alertmanager_raised_joins_the_groups_message(tmp_path: Path) -> None:
    kube, crash = oom_cluster()
    notification = group(crash)
    digest = hashlib.sha256(
        notification["groupKey"].encode()
    ).hexdigest()  # Alertmanager's dedup key
    async with running_paged_bot(
        tmp_path, kube=kube, KUBEMEDIC_ALERTMANAGER_TOKEN=AM_TOKEN
    ) as paged:
        bot = paged.bot
        assert (await bot.post_alert(alert_body(notification), token=AM_TOKEN))[0] == 200
        await bot.slack.wait_for("chat.postMessage", predicate=lambda c: c.channel == CHANNEL)
        incident = paged.pagerduty.add_incident(
            "[FIRING:1] KubePodCrashLooping shop",
            details=alertmanager_details(firing=[crash]),
            incident_key=digest,
        )
        await page(paged, incident)
        [note_post] = await bot.slack.wait_for(
            "chat.postMessage", predicate=lambda c: bool(c.params.get("thread_ts"))
        )
        assert f"PagerDuty incident #{incident.number} was opened for this" in (
            note_post.text or ""
        )
        await paged.pagerduty.wait_for("POST", "/notes$")
        assert "[oom-killed]" in incident.notes[0]["content"]
        top = [
            c
            for c in bot.slack.calls_to("chat.postMessage", ok=True)
            if c.channel == CHANNEL and not c.params.get("thread_ts")
        ]
        assert len(top) == 1  # the group's message, not a second one for the incident


async def test_a_note_whose_answer_was_lost_is_found_after_a_restart_not_written_twice(
    tmp_path: Path,
) -> None:
    kube, crash = oom_cluster()
    pd = PagerDutyStandIn()
    pd.fail("POST", "/notes$", drop=True)  # PagerDuty keeps the note; kubemedic never hears so
    incident = pd.add_incident(
        "[FIRING:1] KubePodCrashLooping shop", details=alertmanager_details(firing=[crash])
    )
    async with running_paged_bot(tmp_path, kube=kube, pagerduty=pd) as paged:
        await page(paged, incident)
        await until(
            lambda: metric(
                paged, 'kubemedic_incident_notes_total{action="failed",tool="pagerduty"} 1.0'
            ),
            what="the lost answer counted as a failed try",
        )
    assert len(incident.notes) == 1
    async with running_paged_bot(tmp_path, kube=kube, pagerduty=pd) as paged:
        paged.bot.clock.advance(600)  # the retry is due
        await until(
            lambda: metric(
                paged, 'kubemedic_incident_notes_total{action="adopted",tool="pagerduty"} 1.0'
            ),
            what="the note found on the incident",
        )
    assert len(incident.notes) == 1
    assert len(pd.calls_to("POST", "/notes$")) == 1 and pd.calls_to("GET", "/notes$")


async def test_a_429_is_waited_out_for_its_retry_after(tmp_path: Path) -> None:
    kube, crash = oom_cluster()
    async with running_paged_bot(tmp_path, kube=kube) as paged:
        pd = paged.pagerduty
        pd.fail("POST", "/notes$", 429, retry_after=1)
        incident = pd.add_incident(
            "[FIRING:1] KubePodCrashLooping shop", details=alertmanager_details(firing=[crash])
        )
        await page(paged, incident)
        await pd.wait_for("POST", "/notes$")
        limited, written = pd.calls_to("POST", "/notes$", ok=None)
        assert limited.status == 429 and written.status == 201
        assert written.at - limited.at >= 1.0  # not before PagerDuty said
        assert len(incident.notes) == 1
        assert await metric(
            paged,
            'kubemedic_outbound_retries_total{call="add_note",reason="rate_limited",tool="pagerduty"} 1.0',
        )


async def test_while_pagerduty_is_down_the_breaker_refuses_then_the_note_goes_through(
    tmp_path: Path,
) -> None:
    kube, crash = oom_cluster()
    settings = {
        "KUBEMEDIC_OUTBOUND_ATTEMPTS": "1",
        "KUBEMEDIC_OUTBOUND_BREAKER_FAILURES": "2",
        "KUBEMEDIC_OUTBOUND_BREAKER_SECONDS": "1000",  # on the bot's clock: only steps pass it
    }
    async with running_paged_bot(tmp_path, kube=kube, **settings) as paged:
        pd, bot = paged.pagerduty, paged.bot
        down = pd.fail("POST", "/notes$", 503, times=None)
        incident = pd.add_incident(
            "[FIRING:1] KubePodCrashLooping shop", details=alertmanager_details(firing=[crash])
        )
        await page(paged, incident)

        def tries() -> int:
            return len(pd.calls_to("POST", "/notes$", ok=None))

        await until(lambda: tries() == 1, what="the first try")
        bot.clock.advance(600)  # its retry is due
        await until(lambda: tries() == 2, what="the second try, which opens the breaker")
        bot.clock.advance(600)
        await until(
            lambda: metric(
                paged,
                'kubemedic_outbound_calls_total{call="add_note",outcome="refused",tool="pagerduty"}',
            ),
            what="a call refused by the open breaker",
        )
        assert tries() == 2  # the refused call never reached PagerDuty
        assert await metric(
            paged, 'kubemedic_outbound_breaker_open{call="add_note",tool="pagerduty"} 1.0'
        )
        down.times = 0  # PagerDuty is back

        async def written() -> bool:
            bot.clock.advance(600)
            return bool(incident.notes)

        await until(written, what="the note written once PagerDuty is back")
        assert len(incident.notes) == 1


async def test_a_page_pagerduty_sent_again_hours_later_is_diagnosed_and_its_note_says_how_late(
    tmp_path: Path,
) -> None:
    """Issue 83: PagerDuty sends a page again for hours (its docs: up to 48) while kubemedic
    answers 503; past KUBEMEDIC_INCIDENT_MAX_AGE_MINUTES (60) it was refused as "old" and lost."""
    kube, crash = oom_cluster()
    async with running_paged_bot(tmp_path, kube=kube) as paged:
        incident = paged.pagerduty.add_incident(
            "[FIRING:1] KubePodCrashLooping shop", details=alertmanager_details(firing=[crash])
        )
        late = event(incident, occurred_at=datetime.now(UTC) - timedelta(hours=30, minutes=5))
        status, _ = await paged.deliver("/incidents/pagerduty", late, signed(late, PD_SECRET))
        assert status == 202
        await paged.pagerduty.wait_for("POST", "/notes$")
        note = incident.notes[0]["content"]
        assert "[oom-killed]" in note and "Late: received 30 h 5 min after it occurred" in note
