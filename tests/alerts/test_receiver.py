"""POST /alertmanager end to end: the real bot over HTTP, Alertmanager's real payload shape, the
Slack stand-in recording what is posted, the Kubernetes stand-in giving the evidence, SQLite."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from tests.alerts.payloads import alert, body, group, resolved
from tests.slack.harness import ADMIN, Bot, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_record import RecordedCall

TOKEN = "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"
CHANNEL = "C0ALERTS01"
SETTINGS = {
    "KUBEMEDIC_ALERTMANAGER_TOKEN": TOKEN,
    "KUBEMEDIC_ALERT_CHANNEL": CHANNEL,
    "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "0",
    "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.1",
    "KUBEMEDIC_LEADER_LEASE_SECONDS": "3",
}


def oom_cluster() -> tuple[KubeStandIn, dict[str, Any]]:
    kube = KubeStandIn(latency=0.0)
    scenario = scenarios.oom_killed_deployment(kube, namespace="shop", name="checkout")
    crash = alert(
        "KubePodCrashLooping",
        namespace="shop",
        pod=str(scenario.pod),
        container="checkout",
        reason="CrashLoopBackOff",
        fingerprint="fp-checkout",
    )
    return kube, crash


def top_level(bot: Bot) -> list[RecordedCall]:
    return [
        c
        for c in bot.slack.calls_to("chat.postMessage", ok=True)
        if c.channel == CHANNEL and not c.params.get("thread_ts")
    ]


async def quiet(bot: Bot, seconds: float = 0.6) -> None:
    """Let the leader's loops run a few rounds (to show that nothing more happens)."""
    await asyncio.sleep(seconds)


async def test_a_firing_group_is_diagnosed_and_posted_once(tmp_path: Path) -> None:
    kube, crash = oom_cluster()
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        payload = body(group(crash))
        assert await bot.post_alert(payload, token=TOKEN) == (200, "ok\n")
        posted = (
            await bot.slack.wait_for("chat.postMessage", predicate=lambda c: c.channel == CHANNEL)
        )[0]
        text = block_text(posted.blocks)
        assert (
            "`oom-killed`" in text and "confirmed in the cluster" in text
        )  # the cluster says why it loops
        assert "runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping" in text
        assert "Mute 1 h" in text and "KubePodCrashLooping" in (posted.text or "")
        assert await bot.post_alert(payload, token=TOKEN) == (
            200,
            "ok (already received)\n",
        )  # an HA twin
        await quiet(bot)
        assert len(top_level(bot)) == 1
        metrics = (await bot.get("/metrics"))[1]
        assert 'kubemedic_alert_deliveries_total{status="200"} 2.0' in metrics
        assert (
            'kubemedic_alert_messages_total{action="posted",source="alertmanager"} 1.0' in metrics
        )


async def test_a_resent_group_updates_the_message_and_threads_the_new_alert(tmp_path: Path) -> None:
    kube, crash = oom_cluster()
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        await bot.post_alert(body(group(crash)), token=TOKEN)
        first = (
            await bot.slack.wait_for("chat.postMessage", predicate=lambda c: c.channel == CHANNEL)
        )[0]
        second = alert(
            "KubePodCrashLooping", namespace="shop", pod="checkout-other-0", fingerprint="fp-other"
        )
        assert (await bot.post_alert(body(group(crash, second)), token=TOKEN))[0] == 200
        note = (
            await bot.slack.wait_for(
                "chat.postMessage", predicate=lambda c: c.params.get("thread_ts")
            )
        )[0]
        assert note.params["thread_ts"] == first.ts and "checkout-other-0" in (note.text or "")
        update = (
            await bot.slack.wait_for(
                "chat.update", predicate=lambda c: c.params.get("ts") == first.ts
            )
        )[-1]
        assert "2 alerts firing" in block_text(update.blocks)
        assert len(top_level(bot)) == 1


async def test_resolution_edits_the_message_in_place(tmp_path: Path) -> None:
    kube, crash = oom_cluster()
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        await bot.post_alert(body(group(crash)), token=TOKEN)
        first = (
            await bot.slack.wait_for("chat.postMessage", predicate=lambda c: c.channel == CHANNEL)
        )[0]
        await bot.post_alert(body(resolved(group(crash))), token=TOKEN)
        update = (
            await bot.slack.wait_for(
                "chat.update", predicate=lambda c: "Resolved" in block_text(c.blocks)
            )
        )[0]
        assert update.params["ts"] == first.ts and "resolved after" in block_text(update.blocks)
        assert "Mute" not in block_text(update.blocks)
        await quiet(bot)
        assert len(top_level(bot)) == 1


async def test_a_wrong_or_missing_token_gets_401_and_bad_json_400_and_nothing_is_posted(
    tmp_path: Path,
) -> None:
    kube, crash = oom_cluster()
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        payload = body(group(crash))
        assert (await bot.post_alert(payload, token=None))[0] == 401
        assert (await bot.post_alert(payload, token="not-the-token"))[0] == 401
        status, text = await bot.post_alert(b'{"version": "4", "groupKey": ', token=TOKEN)
        assert status == 400 and text.startswith("malformed JSON") and text.count("\n") == 1
        status, text = await bot.post_alert(json.dumps({"version": "3"}).encode(), token=TOKEN)
        assert status == 400 and "unsupported payload version" in text
        heartbeat = body(group(alert("Watchdog", severity="none"), by=("alertname",)))
        assert (await bot.post_alert(heartbeat, token=TOKEN))[0] == 200
        await quiet(bot, 1.0)
        assert bot.slack.calls_to("chat.postMessage") == []


async def test_an_alert_no_entry_explains_gets_a_short_notice(tmp_path: Path) -> None:
    async with running_bot(tmp_path, **SETTINGS) as bot:
        odd = alert(
            "PaymentsQueueBacklog",
            namespace="payments",
            severity="critical",
            summary="Queue is backing up.",
        )
        await bot.post_alert(body(group(odd)), token=TOKEN)
        posted = (await bot.slack.wait_for("chat.postMessage"))[0]
        text = block_text(posted.blocks)
        assert "No catalog entry explains this alert" in text and "Queue is backing up." in text
        assert "Usually means" not in text and "Cause" not in text  # no guess
        assert len(posted.blocks) <= 6


async def test_unmapped_alerts_can_be_skipped(tmp_path: Path) -> None:
    async with running_bot(tmp_path, KUBEMEDIC_UNMAPPED_ALERTS="skip", **SETTINGS) as bot:
        await bot.post_alert(
            body(group(alert("PaymentsQueueBacklog", namespace="payments"))), token=TOKEN
        )
        await quiet(bot, 1.0)
        assert bot.slack.calls_to("chat.postMessage") == []


async def test_an_admin_mutes_a_group_and_its_thread_stays_quiet(tmp_path: Path) -> None:
    kube, crash = oom_cluster()
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        await bot.post_alert(body(group(crash)), token=TOKEN)
        posted = (
            await bot.slack.wait_for("chat.postMessage", predicate=lambda c: c.channel == CHANNEL)
        )[0]
        assert (await bot.send(bot.requests.click(posted, "alert_mute_1h", user_id="U0NOTADMIN")))[
            0
        ] == 200
        refusal = (await bot.slack.wait_for("response_url"))[-1]
        assert "Only kubemedic admins" in str(refusal.params.get("text"))
        assert (await bot.send(bot.requests.click(posted, "alert_mute_1h", user_id=ADMIN)))[
            0
        ] == 200
        await bot.slack.wait_for(
            "response_url", predicate=lambda c: "Muted until" in str(c.params.get("text"))
        )
        audit = await bot.kubemedic.store.list_audit(channel=CHANNEL)
        assert sorted((row.user, row.outcome) for row in audit if row.kind == "mute") == [
            (ADMIN, "done"),
            ("U0NOTADMIN", "refused"),
        ]
        await bot.slack.wait_for(
            "chat.update", predicate=lambda c: "muted until" in block_text(c.blocks)
        )
        other = alert(
            "KubePodCrashLooping", namespace="shop", pod="checkout-other-0", fingerprint="fp-other"
        )
        await bot.post_alert(body(group(crash, other)), token=TOKEN)
        await bot.slack.wait_for(
            "chat.update", predicate=lambda c: "2 alerts firing" in block_text(c.blocks)
        )
        await quiet(bot)
        assert [
            c for c in bot.slack.calls_to("chat.postMessage") if c.params.get("thread_ts")
        ] == []


async def test_without_a_token_the_receiver_is_off(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        assert (await bot.post_alert(b"{}", token=TOKEN))[0] == 404


async def test_a_large_group_beyond_slacks_1_mib_is_still_received(tmp_path: Path) -> None:
    many = [
        alert("KubePodCrashLooping", namespace="shop", pod=f"web-{i}", summary="x" * 400)
        for i in range(1500)
    ]
    payload = body(group(*many))
    assert len(payload) > 1024 * 1024
    async with running_bot(tmp_path, **SETTINGS) as bot:
        assert await bot.post_alert(payload, token=TOKEN) == (200, "ok\n")
        posted = (await bot.slack.wait_for("chat.postMessage"))[0]  # 1.6 MB parsed twice, redacted
        assert "1500 alerts firing" in block_text(posted.blocks)


async def test_socket_mode_serves_the_receiver_on_the_probe_port(tmp_path: Path) -> None:
    from aiohttp import web

    from bot.remediation.stored_key import with_signing_key
    from bot.settings import Settings
    from bot.storage.sql import SqlStore
    from bot.wiring.root import compose
    from bot.wiring.slack import SlackChat
    from tests.slack.harness import BOT_TOKEN, shared_matcher
    from tests.standins.slack_requests import post

    config = Settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN="xapp-1-socket",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        KUBEMEDIC_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        **SETTINGS,
    )
    store = SqlStore(config.database_url)
    await store.start()
    config = await with_signing_key(config, store)  # Socket Mode: no chat secret, a stored key
    bot = compose(
        config,
        chat=SlackChat(config, socket_mode=True),
        matcher=shared_matcher(),
        store=store,
    )
    runner = web.AppRunner(bot.web)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        payload = body(group(alert("KubePodCrashLooping", namespace="shop", pod="web-0")))
        assert (await post(f"{url}/alertmanager", payload, {"Authorization": f"Bearer {TOKEN}"}))[
            0
        ] == 200
        assert (await post(f"{url}/alertmanager", payload, {}))[0] == 401
        assert (await post(f"{url}/slack/events", b"{}", {}))[
            0
        ] == 404  # Socket Mode: no Slack route
    finally:
        await runner.cleanup()
        await store.close()


async def test_an_annotation_past_its_cap_is_cut_and_the_message_says_so(tmp_path: Path) -> None:
    """Issue 83: a 200,000-character description (and label) is cut to its cap as it is read,
    saying so, instead of being read, stored and posted whole."""
    kube, crash = oom_cluster()
    crash["annotations"]["description"] = "checkout fails: " + "x" * 200_000
    crash["labels"]["team"] = "y" * 120_000
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        assert await bot.post_alert(body(group(crash)), token=TOKEN) == (200, "ok\n")
        posted = (
            await bot.slack.wait_for("chat.postMessage", predicate=lambda c: c.channel == CHANNEL)
        )[0]
        assert "[cut: 200,016 characters, the first 8,000 shown]" in block_text(posted.blocks)
