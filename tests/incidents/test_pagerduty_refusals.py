"""Bad pages at POST /incidents/pagerduty: each gets a 4xx (or 503 to be sent again) and one line,
nothing is stored, posted or written back, and the bot goes on taking good pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.alerts.test_receiver import oom_cluster
from tests.incidents.harness import PD_SECRET, running_paged_bot
from tests.standins.pagerduty_api import alertmanager_details, event, signed

PATH = "/incidents/pagerduty"


async def test_a_forged_or_missing_signature_is_refused_and_nothing_is_read(tmp_path: Path) -> None:
    async with running_paged_bot(tmp_path) as paged:
        incident = paged.pagerduty.add_incident("[FIRING:1] KubePodCrashLooping shop")
        body = event(incident)
        forged = signed(body, "not-the-secret")
        assert await paged.deliver(PATH, body, forged) == (401, "wrong X-PagerDuty-Signature\n")
        tampered = body.replace(b"KubePodCrashLooping", b"KubePodCrashLoopinG")
        assert (await paged.deliver(PATH, tampered, signed(body, PD_SECRET)))[0] == 401
        headers = {"Content-Type": "application/json"}
        assert await paged.deliver(PATH, body, headers) == (401, "missing X-PagerDuty-Signature\n")
        assert paged.pagerduty.calls == []  # not even its details were read
        metrics = (await paged.bot.get("/metrics"))[1]
        assert 'kubemedic_incident_webhooks_total{status="401",tool="pagerduty"} 3.0' in metrics


async def test_a_rotated_secret_still_signs_when_one_signature_matches(tmp_path: Path) -> None:
    async with running_paged_bot(tmp_path) as paged:
        incident = paged.pagerduty.add_incident("[FIRING:1] KubePodCrashLooping shop")
        body = event(incident)
        headers = signed(body, "the-new-secret", PD_SECRET)
        assert (await paged.deliver(PATH, body, headers))[0] == 202


async def test_a_replayed_webhook_is_refused_once_stored(tmp_path: Path) -> None:
    async with running_paged_bot(tmp_path) as paged:
        incident = paged.pagerduty.add_incident("[FIRING:1] KubePodCrashLooping shop")
        body = event(incident, id="01DEN5QZKDRTXDPKHCKRPHWFAW")
        assert (await paged.deliver(PATH, body, signed(body, PD_SECRET)))[0] == 202
        status, text = await paged.deliver(PATH, body, signed(body, PD_SECRET))
        replayed = (
            "already received: PagerDuty event 01DEN5QZKDRTXDPKHCKRPHWFAW "
            "(a replayed webhook is not processed twice)\n"
        )
        assert (status, text) == (409, replayed)
        old = event(incident, occurred_at=datetime.now(UTC) - timedelta(hours=49))
        status, text = await paged.deliver(PATH, old, signed(old, PD_SECRET))
        assert status == 400 and "more than 2880 min ago: refused as a replay" in text


async def test_an_incident_for_a_cluster_kubemedic_does_not_read_is_refused(tmp_path: Path) -> None:
    kube, crash = oom_cluster()
    crash["labels"]["cluster"] = "mars"
    async with running_paged_bot(tmp_path, kube=kube) as paged:
        incident = paged.pagerduty.add_incident(
            "[FIRING:1] KubePodCrashLooping", details=alertmanager_details(firing=[crash])
        )
        body = event(incident)
        status, text = await paged.deliver(PATH, body, signed(body, PD_SECRET))
        assert status == 422
        assert text == (
            f"PagerDuty incident #{incident.number} names cluster 'mars': "
            "kubemedic does not read it (it reads: lab)\n"
        )
        await paged.bot.settle()
        assert paged.bot.slack.calls_to("chat.postMessage") == []


async def test_a_two_megabyte_custom_details_field_is_refused_in_one_line(tmp_path: Path) -> None:
    async with running_paged_bot(tmp_path) as paged:
        incident = paged.pagerduty.add_incident("[FIRING:1] KubePodCrashLooping shop")
        document = json.loads(event(incident))
        document["event"]["data"]["body"] = {"details": {"firing": "x" * (2 * 1024 * 1024)}}
        body = json.dumps(document).encode()
        status, text = await paged.deliver(PATH, body, signed(body, PD_SECRET))
        assert (status, text) == (413, "payload larger than 524288 bytes\n")


async def test_malformed_and_foreign_bodies_get_one_line(tmp_path: Path) -> None:
    async with running_paged_bot(tmp_path) as paged:
        for body, expected in (
            (b"{not json", "malformed JSON"),
            (b'{"messages": []}', 'expected a PagerDuty v3 webhook: {"event": {...}}'),
            (
                b'{"event": {"id": "E1", "event_type": "incident.triggered"}}',
                "not a PagerDuty v3 event: occurred_at",
            ),
            (("[" * 5000 + "]" * 5000).encode(), "nested more than"),
        ):
            status, text = await paged.deliver(PATH, body, signed(body, PD_SECRET))
            assert status == 400 and expected in text and text.count("\n") == 1, text
        ping = json.dumps(
            {
                "event": {
                    "id": "P1",
                    "event_type": "pagey.ping",
                    "occurred_at": "2026-11-28T09:00:00Z",
                }
            }
        ).encode()
        assert await paged.deliver(PATH, ping, signed(ping, PD_SECRET)) == (
            200,
            "ignored (not an event kubemedic acts on)\n",
        )


async def test_while_pagerduty_cannot_answer_the_page_is_sent_back_then_taken(
    tmp_path: Path,
) -> None:
    kube, crash = oom_cluster()
    async with running_paged_bot(tmp_path, kube=kube) as paged:
        pd = paged.pagerduty
        incident = pd.add_incident(
            "[FIRING:1] KubePodCrashLooping shop", details=alertmanager_details(firing=[crash])
        )
        pd.fail("GET", "/alerts$", 503, times=2)
        body = event(incident)
        status, text = await paged.deliver(PATH, body, signed(body, PD_SECRET))
        assert status == 503 and "cannot read PagerDuty incident" in text and "HTTP 503" in text
        assert await paged.deliver(PATH, body, signed(body, PD_SECRET)) == (
            202,
            f"accepted PagerDuty incident #{incident.number}\n",
        )  # as PagerDuty retries it
        await pd.wait_for("POST", "/notes$")
