"""Incident channels end to end: join, back-fill, pinned summary, updates in place, restarts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from bot.storage.records import AuditRecord
from tests.slack.harness import ADMIN, ONE_SLOT, Bot, block_text, running_bot, slot_holder
from tests.standins.slack_api import RecordedCall
from tests.standins.slack_events import (
    channel_created_event,
    member_joined_channel_event,
    message_changed_event,
    message_deleted_event,
    message_event,
)
from tests.summary.history import ALICE, CAROL, CHANNEL, IMAGE, MOUNT, NAME, SECRET, history, ts_at
from tests.waiting import PATIENCE


def _summary_posts(bot: Bot) -> list[RecordedCall]:
    """Summary messages posted (paste answers go in threads)."""
    return [
        c for c in bot.slack.calls_to("chat.postMessage", ok=True) if not c.params.get("thread_ts")
    ]


def _summary_updates(bot: Bot, ts: str) -> list[RecordedCall]:
    return [c for c in bot.slack.calls_to("chat.update", ok=True) if c.params.get("ts") == ts]


async def _wait(condition: Callable[[], bool], timeout: float = PATIENCE) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def _join(bot: Bot) -> tuple[str, str, dict[str, str]]:
    messages, replies, ts = history()
    bot.slack.add_channel(CHANNEL, NAME, members=[ALICE, CAROL], history=messages, replies=replies)
    await bot.send(bot.requests.event(member_joined_channel_event(CHANNEL)))
    [posted] = await bot.slack.wait_for("chat.postMessage")
    await bot.slack.wait_for("pins.add")
    return posted.ts or "", block_text(posted.blocks), ts


def test_joining_posts_and_pins_a_summary_from_the_history(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            ts, text, named = await _join(bot)
            assert bot.slack.pinned(CHANNEL) == [ts]
            for catalog_id in (
                "tikv-cluster-id-mismatch",
                "oom-killed",
                "pending-insufficient-resources",
            ):
                assert catalog_id in text
            assert text.index("tikv-cluster-id-mismatch") < text.index(
                "oom-killed"
            )  # timeline order
            assert "tidb/pd-0" in text  # named in a thread reply of the error thread
            assert SECRET not in text
            # only the thread whose parent is an error is read
            assert [c.params["ts"] for c in bot.slack.calls_to("conversations.replies")] == [
                named["tikv"]
            ]

    asyncio.run(scenario())


def test_bursts_update_the_same_message_with_edits_deletions_and_actions(tmp_path: Path) -> None:
    async def scenario() -> None:
        # the burst must arrive within one debounce window, even on a loaded machine
        async with running_bot(tmp_path, KUBEMEDIC_SUMMARY_DEBOUNCE_SECONDS="2") as bot:
            ts, _text, named = await _join(bot)
            deleted = ts_at(5, 1)  # once: ts_at reads the clock
            burst = [
                message_changed_event(
                    CHANNEL, named["chat"], f"nope, related:\n{IMAGE}", user=CAROL
                ),
                message_event(CHANNEL, ALICE, MOUNT, ts=deleted),
                message_deleted_event(CHANNEL, deleted, previous_text=MOUNT),
                message_event(
                    CHANNEL,
                    ALICE,
                    "restarting the api deployment",
                    ts=ts_at(4, 2),
                    thread_ts=named["oom"],
                ),
            ]
            for event in burst:
                await bot.send(bot.requests.event(event))
            await _wait(lambda: bool(_summary_updates(bot, ts)))
            await bot.settle()
            [update] = _summary_updates(bot, ts)  # one update for the whole burst
            text = block_text(update.blocks)
            assert "image-not-found" in text  # from the edited message
            assert "volume-mount-failed" not in text  # the deleted paste is gone
            await bot.kubemedic.store.write_audit(
                AuditRecord(
                    user=ADMIN,
                    kind="rollout-restart",
                    target={"name": "api"},
                    namespace="web",
                    channel=CHANNEL,
                    outcome="done",
                    result="deployment web/api restarted",
                )
            )
            await bot.send(
                bot.requests.message(
                    CHANNEL, "rolled back, error rate is back to normal", user=ALICE, ts=ts_at(1, 3)
                )
            )
            await _wait(lambda: len(_summary_updates(bot, ts)) == 2)
            text = block_text(_summary_updates(bot, ts)[1].blocks)
            assert "Mitigated" in text
            assert "rollout-restart web/api: done - deployment web/api restarted" in text
            assert len(_summary_posts(bot)) == 1

    asyncio.run(scenario())


def test_a_restart_edits_the_same_message(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            ts, _text, _named = await _join(bot)
        async with running_bot(tmp_path) as bot:
            messages, replies, _ = history()
            summary = {
                "ts": ts,
                "user": bot.slack.bot_user_id,
                "bot_id": bot.slack.bot_id,
                "text": "summary",
            }
            bot.slack.add_channel(CHANNEL, NAME, history=[*messages, summary], replies=replies)
            await bot.send(bot.requests.message(CHANNEL, IMAGE, user=ALICE, ts=ts_at(1, 4)))
            await _wait(lambda: bool(_summary_updates(bot, ts)))
            text = block_text(_summary_updates(bot, ts)[0].blocks)
            assert "oom-killed" in text and "image-not-found" in text
            await bot.send(
                bot.requests.event(member_joined_channel_event(CHANNEL))
            )  # re-added: no second post
            await _wait(lambda: len(_summary_updates(bot, ts)) == 2)
            assert _summary_posts(bot) == []
            assert bot.slack.calls_to("conversations.history") == []  # the back-fill happened once

    asyncio.run(scenario())


def test_a_created_incident_channel_is_joined_and_summarised(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            bot.slack.add_channel("C0INC00002", "inc-payments", is_member=False)
            await bot.send(bot.requests.event(channel_created_event("C0INC00002", "inc-payments")))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            assert bot.slack.calls_to("conversations.join")[0].params["channel"] == "C0INC00002"
            assert posted.params["channel"] == "C0INC00002" and "inc-payments" in block_text(
                posted.blocks
            )
            await bot.send(bot.requests.event(channel_created_event("C0RANDOM01", "random-chat")))
            await bot.settle()
            assert len(bot.slack.calls_to("conversations.join")) == 1

    asyncio.run(scenario())


def test_history_rate_limits_do_not_stop_the_summary(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            bot.slack.rate_limit("conversations.history", times=None, retry_after=1)
            bot.slack.add_channel(CHANNEL, NAME)
            await bot.send(bot.requests.message(CHANNEL, IMAGE, user=ALICE, ts=ts_at(2, 1)))
            await bot.send(bot.requests.event(member_joined_channel_event(CHANNEL)))

            def partial() -> list[str]:
                calls = _summary_posts(bot) + bot.slack.calls_to("chat.update", ok=True)
                return [
                    block_text(c.blocks) for c in calls if "partly read" in block_text(c.blocks)
                ]

            await _wait(lambda: bool(partial()))
            assert "image-not-found" in partial()[0] and len(_summary_posts(bot)) == 1

    asyncio.run(scenario())


def test_summary_command_is_ephemeral_outside_incident_channels(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            messages, _replies, _ = history()
            bot.slack.add_channel("C0GENERAL1", "general", history=messages)
            await bot.send(bot.requests.slash_command("summary", channel_id="C0GENERAL1"))
            [reply] = await bot.slack.wait_for(
                "response_url", predicate=lambda c: bool(c.params.get("blocks"))
            )
            assert reply.params["response_type"] == "ephemeral"
            assert "oom-killed" in block_text(reply.blocks)
            assert (
                bot.slack.calls_to("chat.postMessage") == []
                and bot.slack.pinned("C0GENERAL1") == []
            )

    asyncio.run(scenario())


def test_summary_command_in_an_incident_channel_updates_the_pinned_message(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            ts, _text, _ = await _join(bot)
            await bot.send(
                bot.requests.slash_command("summary", channel_id=CHANNEL, channel_name=NAME)
            )
            [update] = await bot.slack.wait_for("chat.update")
            assert update.params["ts"] == ts
            await bot.slack.wait_for(
                "response_url", predicate=lambda c: "pinned" in str(c.params.get("text"))
            )
            assert len(_summary_posts(bot)) == 1

    asyncio.run(scenario())


def test_a_command_names_its_channel_so_no_lookup_is_needed(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            bot.slack.error(
                "conversations.info", "channel_not_found", times=None
            )  # a lookup would miss it
            bot.slack.add_channel(CHANNEL, NAME, members=[ALICE])
            await bot.send(bot.requests.slash_command(IMAGE, channel_id=CHANNEL, user_id=ALICE))
            [answer] = await bot.slack.wait_for("chat.postMessage")
            assert "image-not-found" in block_text(answer.blocks)
            # the incident channel's summary notes the diagnosis: the name came with the command
            summary = (await bot.slack.wait_for("chat.postMessage", count=2))[1]
            assert "image-not-found" in block_text(summary.blocks) and NAME in block_text(
                summary.blocks
            )
            assert bot.slack.calls_to("conversations.info") == []

    asyncio.run(scenario())


def test_a_placeholder_channel_name_is_looked_up(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            bot.slack.add_channel("G0PRIVATE1", "inc-private", members=[ALICE], is_private=True)
            await bot.send(
                bot.requests.slash_command(
                    IMAGE, channel_id="G0PRIVATE1", channel_name="privategroup", user_id=ALICE
                )
            )
            await bot.slack.wait_for("chat.postMessage")
            await bot.settle()
            assert [c.params["channel"] for c in bot.slack.calls_to("conversations.info")] == [
                "G0PRIVATE1"
            ]

    asyncio.run(scenario())


def test_while_busy_a_known_incident_channel_still_records_its_messages(tmp_path: Path) -> None:
    async def scenario() -> None:
        slot = slot_holder(30)  # a diagnosis holds the only queue slot
        async with running_bot(
            tmp_path, kube=slot.kube, **ONE_SLOT, KUBEMEDIC_SUMMARY_DEBOUNCE_SECONDS="0.5"
        ) as bot:
            ts, text, _ = await _join(bot)
            assert "volume-mount-failed" not in text
            await bot.send(bot.requests.slash_command(slot.command, channel_id="C0OTHER001"))
            pasted = ts_at(1, 7)  # once: ts_at reads the clock
            await bot.send(bot.requests.message(CHANNEL, MOUNT, user=ALICE, ts=pasted))
            [busy] = await bot.slack.wait_for(
                "chat.postMessage",
                predicate=lambda c: c.params.get("thread_ts") == pasted,
            )
            assert str(busy.params["text"]).startswith("kubemedic is busy")
            await _wait(
                lambda: any(
                    "volume-mount-failed" in block_text(c.blocks) for c in _summary_updates(bot, ts)
                )
            )  # recorded all the same
            assert [c.params["channel"] for c in bot.slack.calls_to("conversations.info")] == [
                CHANNEL
            ]
            slot.hold.seconds = 0.0

    asyncio.run(scenario())
