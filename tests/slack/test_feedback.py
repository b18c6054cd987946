"""Feedback buttons are stored and `kubemedic stats` reports them per catalog id."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.cli.runner import kubemedic
from tests.slack.harness import running_bot

OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"


def test_feedback_clicks_show_up_in_stats(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            await bot.send(bot.requests.message("C0INCIDENT1", OOM))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            for user in ("U0ALICE001", "U0BOB00001"):
                await bot.send(bot.requests.click(posted, "feedback_helpful", user_id=user))
            await bot.send(bot.requests.click(posted, "feedback_not_this", user_id="U0CAROL001"))
            await bot.slack.wait_for("response_url", count=3)

    asyncio.run(scenario())
    env = {"KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}"}
    rows = {row["catalog_id"]: row for row in kubemedic("stats", "--json", env=env).json()}
    assert rows["oom-killed"]["helpful"] == 2
    assert rows["oom-killed"]["not_this"] == 1
    assert rows["oom-killed"]["shown"] == 1
    assert "oom-killed" in kubemedic("stats", env=env).stdout


def test_show_other_matches_on_an_older_reply_answers_privately(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            paste = (
                OOM
                + "\nWarning  Unhealthy  kubelet  Liveness probe failed: HTTP probe failed with statuscode: 500"
            )
            await bot.send(bot.requests.message("C0INCIDENT1", paste))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            # a reply posted before the Details button carried "Show other matches": its clicks still work
            [value] = {
                e["value"] for b in posted.blocks if b["type"] == "actions" for e in b["elements"]
            }
            older = {
                **posted.params,
                "ts": posted.ts,
                "blocks": [
                    {
                        "type": "actions",
                        "block_id": "feedback",
                        "elements": [
                            {
                                "type": "button",
                                "action_id": "show_other_matches",
                                "value": value,
                                "text": {"type": "plain_text", "text": "Show other matches"},
                            }
                        ],
                    }
                ],
            }
            await bot.send(bot.requests.click(older, "show_other_matches"))
            [answer] = await bot.slack.wait_for("response_url")
            assert answer.params["response_type"] == "ephemeral"
            assert "Other likely matches" in answer.params["text"]

    asyncio.run(scenario())


def test_answers_and_click_replies_reuse_kept_alive_connections(tmp_path: Path) -> None:
    """Every Web API call and response_url post shares the bot's kept-alive connection (a new TCP/TLS
    connection per message was most of what a message cost under load). One at a time, so that
    at most the pasted message's two calls (its answer and the lookup of its channel's name) overlap."""

    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            for n in range(3):
                await bot.send(
                    bot.requests.slash_command(f"{OOM} #{n}", channel_id=f"C0KEEP000{n}")
                )
                await bot.slack.wait_for("chat.postMessage", count=n + 1)
            await bot.send(bot.requests.message("C0INCIDENT1", OOM))
            posted = (await bot.slack.wait_for("chat.postMessage", count=4))[-1]
            for n, action in enumerate(("feedback_helpful", "feedback_not_this")):
                await bot.send(bot.requests.click(posted, action))
                await bot.slack.wait_for("response_url", count=n + 1)
            await bot.settle()
            calls = [
                call for call in bot.slack.calls if call.method != "auth.test"
            ]  # checked at start-up
            assert (
                len(calls) >= 7
            )  # four answers, two click replies, the channel-name lookup of the paste
            assert len({call.peer for call in calls}) <= 2, sorted(
                {call.peer or "" for call in calls}
            )

    asyncio.run(scenario())
