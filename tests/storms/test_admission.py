"""Storms through the real bolt app over HTTP: limits per user and channel, and the busy line.

A flooding user is told privately to slow down and nothing they send past
their budget is matched or posted, while other people in the same channel
are still answered. When the bounded queue is full a request is acked and
answered at once with one line beginning `kubemedic is busy`, never left
waiting in memory and never left untold.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.slack.harness import ONE_SLOT, running_bot, slot_holder

OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
TIKV = "[FATAL] failed to start node: cluster ID mismatch, local 7262388432156321285 != remote 7339127044327413962"
CHANNEL = "C0STORM0001"


def _ack_text(body: str) -> str:
    return str(json.loads(body)["text"])


def test_a_flooding_user_is_told_to_slow_down_and_others_are_still_answered(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, KUBEMEDIC_USER_REQUESTS_PER_MINUTE="3",
                               KUBEMEDIC_CHANNEL_REQUESTS_PER_MINUTE="100") as bot:
            acks = []
            for n in range(8):  # distinct pastes, so no answer is shared
                _, body = await bot.send(bot.requests.slash_command(
                    f"{OOM}pod web-{n} in shop", channel_id=CHANNEL, user_id="U0FLOOD001"))
                acks.append(_ack_text(body))
            assert sum("Diagnosing" in ack for ack in acks) == 3
            assert all(ack.startswith("🐢 Slow down: you have") for ack in acks[3:]), acks
            _, body = await bot.send(bot.requests.slash_command(f"{TIKV}", channel_id=CHANNEL,
                                                                user_id="U0CALM0001"))
            assert "Diagnosing" in _ack_text(body)  # someone else in the same channel
            for n in range(5):  # the flooder's pasted messages past the budget: dropped before matching
                await bot.send(bot.requests.message(CHANNEL, f"{OOM} again {n}", user="U0FLOOD001",
                                                    ts=f"1700000200.{n:06d}"))
            await bot.settle()
            posted = bot.slack.calls_to("chat.postMessage")
            repeats = bot.slack.calls_to("chat.update")  # a repeat of the same problem updates the reply
            assert len(posted) + len(repeats) == 4  # the flooder's three commands and the other user's one
            assert any("cluster-id-mismatch" in json.dumps(call.params) for call in posted)
            told = bot.slack.calls_to("chat.postEphemeral")
            assert len(told) == 1 and told[0].params["user"] == "U0FLOOD001"  # once a minute, privately
            assert "Slow down" in str(told[0].params["text"])
            _, metrics = await bot.get("/metrics")
            assert 'kubemedic_requests_shed_total{reason="user_rate"} 10.0' in metrics

    asyncio.run(scenario())


def test_a_busy_channel_is_limited_as_a_whole(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, KUBEMEDIC_USER_REQUESTS_PER_MINUTE="100",
                               KUBEMEDIC_CHANNEL_REQUESTS_PER_MINUTE="2") as bot:
            acks = [_ack_text((await bot.send(bot.requests.slash_command(
                f"{OOM} #{n}", channel_id=CHANNEL, user_id=f"U0USER{n:04d}")))[1]) for n in range(3)]
            assert acks[2].startswith("🐢 Slow down: this channel has"), acks
            _, body = await bot.send(bot.requests.slash_command(f"{OOM} #9", channel_id="C0OTHER001",
                                                                user_id="U0USER0002"))
            assert "Diagnosing" in _ack_text(body)  # the same user elsewhere is fine
            await bot.settle()

    asyncio.run(scenario())


def test_past_the_queue_a_request_is_acked_and_told_busy_at_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        slot = slot_holder(1.5)  # the first diagnosis holds the only slot
        async with running_bot(tmp_path, kube=slot.kube, **ONE_SLOT) as bot:
            _, first = await bot.send(bot.requests.slash_command(slot.command, channel_id="C0FIRST001"))
            assert "Diagnosing" in _ack_text(first)
            _, second = await bot.send(bot.requests.slash_command(slot.command, channel_id="C0SECOND01",
                                                                  user_id="U0BOB00001"))
            line = _ack_text(second)
            assert line.startswith("kubemedic is busy") and "try again in about" in line
            assert len(line.splitlines()) == 1
            await bot.send(bot.requests.app_mention("C0THIRD001", f"<@{bot.slack.bot_user_id}> pod shop/x",
                                                    user="U0CAROL001", ts="1700000300.000100"))
            await bot.send(bot.requests.message("C0FOURTH01", OOM, user="U0DAVE0001", ts="1700000301.000100"))
            [busy_mention] = await bot.slack.wait_for(
                "chat.postMessage", predicate=lambda c: c.params.get("channel") == "C0THIRD001")
            assert str(busy_mention.params["text"]).startswith("kubemedic is busy")
            assert busy_mention.params["thread_ts"] == "1700000300.000100"
            [busy_paste] = await bot.slack.wait_for(
                "chat.postMessage", predicate=lambda c: c.params.get("channel") == "C0FOURTH01")
            assert str(busy_paste.params["text"]).startswith("kubemedic is busy")
            slot.hold.seconds = 0.0
            [answer] = await bot.slack.wait_for(
                "chat.postMessage", predicate=lambda c: c.params.get("channel") == "C0FIRST001", timeout=15)
            assert "oom-killed" in json.dumps(answer.params)
            await bot.settle()
            assert [c.params.get("channel") for c in bot.slack.calls_to("chat.postMessage")].count("C0SECOND01") == 0
            # shedding costs no lookup of a channel never seen (is it an incident channel?); a command
            # names its channel itself
            assert bot.slack.calls_to("conversations.info") == []
            _, metrics = await bot.get("/metrics")
            assert 'kubemedic_requests_shed_total{reason="queue_full"} 3.0' in metrics
            assert "kubemedic_work_queue_depth 0.0" in metrics

    asyncio.run(scenario())


def test_a_request_waits_a_moment_for_a_slot_rather_than_being_shed(tmp_path: Path) -> None:
    async def scenario() -> None:
        slot = slot_holder(0.3)  # each diagnosis holds the only slot that long
        async with running_bot(tmp_path, kube=slot.kube, KUBEMEDIC_QUEUE_LIMIT="1",
                               KUBEMEDIC_ADMISSION_WAIT_SECONDS="2", KUBEMEDIC_RESULT_CACHE_SECONDS="0") as bot:
            bodies = await asyncio.gather(*(bot.send(bot.requests.slash_command(
                slot.command, channel_id=f"C0WAIT{n:04d}", user_id=f"U0W{n:06d}")) for n in range(3)))
            assert all("Diagnosing" in _ack_text(body) for _, body in bodies)
            await bot.slack.wait_for("chat.postMessage", count=3, timeout=15)

    asyncio.run(scenario())
