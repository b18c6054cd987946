"""Issue 24 (LOW): Mute clicks - refusals audited once per user, message and reason in the
window; a click from another channel refused like a remediation click; "until resolved" on a
message that has just resolved mutes nothing (it used to silence the next firing)."""

from __future__ import annotations

from pathlib import Path

from tests.alerts.payloads import body, group, resolved
from tests.alerts.test_receiver import CHANNEL, SETTINGS, TOKEN, oom_cluster, quiet
from tests.slack.harness import ADMIN, block_text, running_bot


async def test_fifty_refused_clicks_write_one_audit_row(tmp_path: Path) -> None:
    kube, crash = oom_cluster()
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        await bot.post_alert(body(group(crash)), token=TOKEN)
        [posted] = await bot.slack.wait_for(
            "chat.postMessage", predicate=lambda c: c.channel == CHANNEL
        )
        for _ in range(50):
            assert (
                await bot.send(bot.requests.click(posted, "alert_mute_1h", user_id="U0NOTADMIN"))
            )[0] == 200
        answers = await bot.slack.wait_for("response_url", count=50)
        assert all("Only kubemedic admins" in str(answer.params.get("text")) for answer in answers)
        audit = await bot.kubemedic.store.list_audit(channel=CHANNEL)
        assert [(row.user, row.outcome) for row in audit if row.kind == "mute"] == [
            ("U0NOTADMIN", "refused")
        ]


async def test_a_mute_click_from_another_channel_is_refused_and_audited(tmp_path: Path) -> None:
    kube, crash = oom_cluster()
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        await bot.post_alert(body(group(crash)), token=TOKEN)
        [posted] = await bot.slack.wait_for(
            "chat.postMessage", predicate=lambda c: c.channel == CHANNEL
        )
        forged = bot.requests.click(
            posted, "alert_mute_24h", user_id=ADMIN, channel_id="C0ELSEWHERE"
        )
        assert (await bot.send(forged))[0] == 200
        [answer] = await bot.slack.wait_for("response_url")
        assert "another channel" in str(answer.params.get("text"))
        refused = [row for row in await bot.kubemedic.store.list_audit() if row.kind == "mute"]
        assert [(row.outcome, row.reason, row.channel) for row in refused] == [
            ("refused", "clicked outside the message's channel", "C0ELSEWHERE")
        ]
        await quiet(bot)
        assert not [c for c in bot.slack.calls_to("chat.update") if "muted" in block_text(c.blocks)]


async def test_mute_until_resolved_just_after_a_resolve_does_not_silence_the_next_firing(
    tmp_path: Path,
) -> None:
    kube, crash = oom_cluster()
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        firing = group(crash)
        await bot.post_alert(body(firing), token=TOKEN)
        [posted] = await bot.slack.wait_for(
            "chat.postMessage", predicate=lambda c: c.channel == CHANNEL
        )
        await bot.post_alert(body(resolved(firing)), token=TOKEN)
        await bot.slack.wait_for(
            "chat.update", predicate=lambda c: "resolved" in block_text(c.blocks).lower()
        )
        stale = {
            "channel": CHANNEL,
            "ts": str(posted.ts),
            "text": posted.text,
            "blocks": posted.blocks,
        }
        # the click comes from the message as the clicker's Slack still shows it: firing, with its buttons
        assert (await bot.send(bot.requests.click(stale, "alert_mute_resolved", user_id=ADMIN)))[
            0
        ] == 200
        [answer] = await bot.slack.wait_for("response_url")
        assert "already resolved" in str(answer.params.get("text"))
        before = len(bot.slack.calls)
        again = group({**crash, "startsAt": "2026-11-23T10:02:00.000Z"})
        assert await bot.post_alert(body(again), token=TOKEN) == (200, "ok\n")  # it fires again
        for _ in range(50):
            shown = [
                c
                for c in bot.slack.calls[before:]
                if c.method in ("chat.postMessage", "chat.update")
                and c.channel == CHANNEL
                and not c.params.get("thread_ts")
            ]
            if shown:
                break
            await quiet(bot, 0.1)
        assert shown, "the new firing was never shown"
        text = block_text(shown[-1].blocks)
        assert "Mute 1 h" in text and "muted" not in text.lower()
