"""Storms through the real bolt app over HTTP: limits per user and channel, and the busy line.

A flooding user is told privately to slow down and nothing they send past
their budget is matched or posted, while other people in the same channel
are still answered. When the bounded queue is full a request is still acked
at once, waits in line for a slot a moment after its ack, and is then told
once, in one line beginning `kubemedic is busy`, never left untold.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.storage.records import WorkItem
from bot.storage.sql import SqlStore
from tests.slack.harness import Bot, running_bot, slot_holder

OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
TIKV = "[FATAL] failed to start node: cluster ID mismatch, local 7262388432156321285 != remote 7339127044327413962"
CHANNEL = "C0STORM0001"


def _ack_text(body: str) -> str:
    return str(json.loads(body)["text"])


def test_a_flooding_user_is_told_to_slow_down_and_others_are_still_answered(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(
            tmp_path,
            KUBEMEDIC_USER_REQUESTS_PER_MINUTE="3",
            KUBEMEDIC_CHANNEL_REQUESTS_PER_MINUTE="100",
        ) as bot:
            acks = []
            for n in range(8):  # distinct pastes, so no answer is shared
                _, body = await bot.send(
                    bot.requests.slash_command(
                        f"{OOM}pod web-{n} in shop", channel_id=CHANNEL, user_id="U0FLOOD001"
                    )
                )
                acks.append(_ack_text(body))
            assert sum("Diagnosing" in ack for ack in acks) == 3
            assert all(ack.startswith("🐢 Slow down: you have") for ack in acks[3:]), acks
            _, body = await bot.send(
                bot.requests.slash_command(f"{TIKV}", channel_id=CHANNEL, user_id="U0CALM0001")
            )
            assert "Diagnosing" in _ack_text(body)  # someone else in the same channel
            for n in range(
                5
            ):  # the flooder's pasted messages past the budget: dropped before matching
                await bot.send(
                    bot.requests.message(
                        CHANNEL, f"{OOM} again {n}", user="U0FLOOD001", ts=f"1700000200.{n:06d}"
                    )
                )
            await bot.settle()
            posted = bot.slack.calls_to("chat.postMessage")
            repeats = bot.slack.calls_to(
                "chat.update"
            )  # a repeat of the same problem updates the reply
            assert (
                len(posted) + len(repeats) == 4
            )  # the flooder's three commands and the other user's one
            assert any("cluster-id-mismatch" in json.dumps(call.params) for call in posted)
            told = bot.slack.calls_to("chat.postEphemeral")
            assert (
                len(told) == 1 and told[0].params["user"] == "U0FLOOD001"
            )  # once a minute, privately
            assert "Slow down" in str(told[0].params["text"])
            _, metrics = await bot.get("/metrics")
            assert 'kubemedic_requests_shed_total{reason="user_rate"} 10.0' in metrics

    asyncio.run(scenario())


def test_a_busy_channel_is_limited_as_a_whole(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(
            tmp_path,
            KUBEMEDIC_USER_REQUESTS_PER_MINUTE="100",
            KUBEMEDIC_CHANNEL_REQUESTS_PER_MINUTE="2",
        ) as bot:
            acks = [
                _ack_text(
                    (
                        await bot.send(
                            bot.requests.slash_command(
                                f"{OOM} #{n}", channel_id=CHANNEL, user_id=f"U0USER{n:04d}"
                            )
                        )
                    )[1]
                )
                for n in range(3)
            ]
            assert acks[2].startswith("🐢 Slow down: this channel has"), acks
            _, body = await bot.send(
                bot.requests.slash_command(
                    f"{OOM} #9", channel_id="C0OTHER001", user_id="U0USER0002"
                )
            )
            assert "Diagnosing" in _ack_text(body)  # the same user elsewhere is fine
            await bot.settle()

    asyncio.run(scenario())


def test_past_the_queue_a_request_is_acked_at_once_and_told_busy_once_afterwards(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        slot = slot_holder(30)  # the first diagnosis holds the only slot until released below
        async with running_bot(
            tmp_path,
            kube=slot.kube,
            KUBEMEDIC_QUEUE_LIMIT="1",
            KUBEMEDIC_ADMISSION_WAIT_SECONDS="1",
        ) as bot:
            _, first = await bot.send(
                bot.requests.slash_command(slot.command, channel_id="C0FIRST001")
            )
            assert "Diagnosing" in _ack_text(first)
            _, second = await bot.send(
                bot.requests.slash_command(
                    slot.command, channel_id="C0SECOND01", user_id="U0BOB00001"
                )
            )
            assert "Diagnosing" in _ack_text(second)
            await bot.send(
                bot.requests.app_mention(
                    "C0THIRD001",
                    f"<@{bot.slack.bot_user_id}> pod shop/x",
                    user="U0CAROL001",
                    ts="1700000300.000100",
                )
            )
            await bot.send(
                bot.requests.message("C0FOURTH01", OOM, user="U0DAVE0001", ts="1700000301.000100")
            )
            [told] = await bot.slack.wait_for(
                "response_url",
                predicate=lambda c: (
                    bot.slack.hooks[str(c.response_url_id)]["channel"] == "C0SECOND01"
                ),
            )
            line = str(told.params["text"])
            assert line.startswith("kubemedic is busy") and "try again in about" in line
            assert len(line.splitlines()) == 1 and told.params["response_type"] == "ephemeral"
            [busy_mention] = await bot.slack.wait_for(
                "chat.postMessage", predicate=lambda c: c.params.get("channel") == "C0THIRD001"
            )
            assert str(busy_mention.params["text"]).startswith("kubemedic is busy")
            assert busy_mention.params["thread_ts"] == "1700000300.000100"
            [busy_paste] = await bot.slack.wait_for(
                "chat.postMessage", predicate=lambda c: c.params.get("channel") == "C0FOURTH01"
            )
            assert str(busy_paste.params["text"]).startswith("kubemedic is busy")
            assert busy_paste.params["thread_ts"] == "1700000301.000100"
            slot.hold.seconds = 0.0  # every other request was shed: the first may finish now
            [answer] = await bot.slack.wait_for(
                "chat.postMessage",
                predicate=lambda c: c.params.get("channel") == "C0FIRST001",
            )
            assert "oom-killed" in json.dumps(answer.params)
            await bot.settle()
            await asyncio.sleep(1.5)  # a second telling or a late answer would come now
            told_second = [
                c
                for c in bot.slack.calls_to("response_url")
                if bot.slack.hooks[str(c.response_url_id)]["channel"] == "C0SECOND01"
            ]
            assert told_second == [told]  # told exactly once, and never answered
            posted = [c.params.get("channel") for c in bot.slack.calls_to("chat.postMessage")]
            assert posted.count("C0SECOND01") == 0 and posted.count("C0THIRD001") == 1
            assert posted.count("C0FOURTH01") == 1
            # shedding costs no lookup of a channel never seen (is it an incident channel?); a command
            # names its channel itself
            assert bot.slack.calls_to("conversations.info") == []
            _, metrics = await bot.get("/metrics")
            assert 'kubemedic_requests_shed_total{reason="queue_full"} 3.0' in metrics
            assert (
                "kubemedic_work_queue_depth 0.0" in metrics
                and "kubemedic_work_queue_waiting 0.0" in metrics
            )
            for key in ("command", "mention", "paste"):  # each recorded before its ack, then done
                assert all(item.done_at is not None for item in await _work_of(bot, key))

    asyncio.run(scenario())


async def _work_of(bot: Bot, kind: str) -> list[WorkItem]:
    from sqlalchemy import select

    from bot.storage.tables import work_items

    store = bot.kubemedic.store
    assert isinstance(store, SqlStore)
    async with store._tx() as conn:
        rows = (
            (await conn.execute(select(work_items).where(work_items.c.kind == kind)))
            .mappings()
            .all()
        )
    return [WorkItem(**row) for row in rows]


def test_a_request_waits_a_moment_for_a_slot_rather_than_being_shed(tmp_path: Path) -> None:
    async def scenario() -> None:
        slot = slot_holder(0.3)  # each diagnosis holds the only slot that long
        async with running_bot(
            tmp_path,
            kube=slot.kube,
            KUBEMEDIC_QUEUE_LIMIT="1",
            KUBEMEDIC_ADMISSION_WAIT_SECONDS="10",
            KUBEMEDIC_RESULT_CACHE_SECONDS="0",
        ) as bot:
            bodies = await asyncio.gather(
                *(
                    bot.send(
                        bot.requests.slash_command(
                            slot.command, channel_id=f"C0WAIT{n:04d}", user_id=f"U0W{n:06d}"
                        )
                    )
                    for n in range(3)
                )
            )
            assert all("Diagnosing" in _ack_text(body) for _, body in bodies)
            await bot.slack.wait_for("chat.postMessage", count=3)
            await bot.settle()
            assert (
                bot.slack.calls_to("response_url") == []
            )  # each got the slot in turn: none told busy

    asyncio.run(scenario())


def test_a_flood_of_busy_lines_does_not_delay_an_admitted_answer(tmp_path: Path) -> None:
    """120 commands shed while Slack takes 3 s to take each busy line: the admitted mention is still answered
    as soon as its diagnosis is done (busy lines are told a few at a time, not all at once ahead of it), and
    every shed command is told once."""

    async def scenario() -> None:
        slot = slot_holder(1)  # the admitted diagnosis reads its pod for 1 s
        async with running_bot(
            tmp_path,
            kube=slot.kube,
            KUBEMEDIC_QUEUE_LIMIT="1",
            KUBEMEDIC_ADMISSION_WAIT_SECONDS="0",
        ) as bot:
            bot.slack.delay("response_url", 3.0)
            await bot.send(
                bot.requests.app_mention(
                    "C0ADMITTED",
                    f"<@{bot.slack.bot_user_id}> {slot.command}",
                    user="U0ADMIT001",
                    ts="1700000400.000100",
                )
            )
            shed = await asyncio.gather(
                *(
                    bot.send(
                        bot.requests.slash_command(
                            slot.command, channel_id=f"C0SHED{n:04d}", user_id=f"U0S{n:06d}"
                        )
                    )
                    for n in range(120)
                )
            )
            assert all(
                "Diagnosing" in _ack_text(body) for _, body in shed
            )  # acked at once, told afterwards
            [answer] = await bot.slack.wait_for(
                "chat.postMessage",
                predicate=lambda c: c.params.get("channel") == "C0ADMITTED",
            )
            told_first = len(bot.slack.calls_to("response_url", ok=None))
            assert told_first < 120, "the answer waited behind busy lines"
            assert "oom-killed" in json.dumps(answer.params)
            bot.slack.clear_faults()
            told = await bot.slack.wait_for("response_url", count=120)
            await bot.settle()
            channels = [
                bot.slack.hooks[str(c.response_url_id)]["channel"]
                for c in bot.slack.calls_to("response_url")
            ]
            assert len(told) == 120 and sorted(channels) == sorted(
                f"C0SHED{n:04d}" for n in range(120)
            )
            assert all(str(c.params["text"]).startswith("kubemedic is busy") for c in told)

    asyncio.run(scenario())
