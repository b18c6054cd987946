""" "Is it one of these?": a direct ask without an answer offers its candidates; a click answers
with one, marked as chosen, and the team's example answers the same error next time. Signed
Slack requests to the real bolt app, the Slack stand-in, a real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.storage.records import AuditRecord, ChannelMessage
from bot.summary.builder import SummaryInputs, build_summary
from responses.summary_text import render_summary_text
from tests.ask.flows import (
    ASKED_AT,
    CHANNEL,
    NOTHING,
    SECRET,
    UNSURE,
    as_first_posted,
    asked_in_thread,
    audit_rows,
    button_values,
    option_of,
    posts_in,
    question_ids,
    store_of,
)
from tests.slack.harness import ADMIN, block_text, running_bot, shared_matcher
from tests.standins.slack_events import message_event


def test_a_mention_without_an_answer_asks_which_entry_with_its_candidates_and_none(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            question = await asked_in_thread(bot)
            ids = question_ids(question.blocks)
            assert (
                ids[:2] == ["choose_1", "choose_2"] and ids[-1] == "choose_none" and len(ids) <= 4
            )
            text = block_text(question.blocks)
            assert (
                "Is it one of these?" in text
                and "`oom-killed`" in text
                and "`exit-code-137-sigkill`" in text
            )
            assert "> the init container was killed, exit code 137" in text  # the line that matched
            assert "the line resembles its symptom" in text  # the one-line why
            assert SECRET not in str(question.params)
            [stored] = [
                q
                for q in [
                    await store_of(bot).get_question(v) for v in button_values(question.blocks)
                ]
                if q is not None
            ]  # every button carries the one opaque question id
            assert (
                stored.text is not None
                and SECRET not in stored.text
                and stored.asker == "U0ALICE001"
            )

    asyncio.run(scenario())


def test_choosing_answers_in_the_thread_marked_as_chosen_and_leaves_undo(
    tmp_path: Path, database_url: str
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, database_url=database_url) as bot:
            question = await asked_in_thread(bot)
            await bot.send(
                bot.requests.click(
                    question,
                    option_of(question, "exit-code-137-sigkill"),
                    user_id="U0BOB00001",
                    user_name="bob",
                )
            )
            _, answer = await bot.slack.wait_for("chat.postMessage", count=2)
            assert answer.params["thread_ts"] == ASKED_AT
            text = block_text(answer.blocks)
            assert (
                text.startswith("🔴 Container killed with SIGKILL")
                and "`exit-code-137-sigkill`" in text
            )
            assert "chosen by @bob on " in text and "for the same error" in text
            [updated] = await bot.slack.wait_for("chat.update")
            assert updated.params["ts"] == question.ts
            assert "<@U0BOB00001> chose *Container killed with SIGKILL" in block_text(
                updated.params["blocks"]
            )
            assert question_ids(updated.params["blocks"]) == ["undo_choice"]
            [row] = await audit_rows(bot, "choose")
            assert (row.user, row.outcome, row.target["entry"], row.channel) == (
                "U0BOB00001",
                "done",
                "exit-code-137-sigkill",
                CHANNEL,
            )

    asyncio.run(scenario())


def test_a_choice_answers_in_its_channel_and_everywhere_once_a_second_person_confirms_it(
    tmp_path: Path, database_url: str
) -> None:
    """One person's choice must not rewrite the answer for everyone: it answers the same error in
    the channel it was made in; another channel stays unsure until someone else finds that answer
    helpful."""

    async def scenario() -> None:
        async with running_bot(tmp_path, database_url=database_url) as bot:
            question = await asked_in_thread(bot)
            await bot.send(
                bot.requests.click(question, option_of(question, "oom-killed"), user_name="alice")
            )
            await bot.slack.wait_for("chat.update")
            # the same error, quoted and wrapped in chat, another secret: first in another channel
            later = f"seeing this again:\n> {UNSURE.replace(SECRET, 'other-pass-9')}\nany idea?"
            await bot.send(bot.requests.message("C0PASSIVE01", later, ts="1700000000.000301"))
            await bot.settle()
            assert posts_in(bot, "C0PASSIVE01") == []  # unsure there: the example is not confirmed
            await bot.send(bot.requests.message(CHANNEL, later, ts="1700000000.000302"))
            [reply] = await bot.slack.wait_for(
                "chat.postMessage",
                predicate=lambda c: (
                    c.channel == CHANNEL and c.params.get("thread_ts") == "1700000000.000302"
                ),
            )
            text = block_text(reply.blocks)
            assert (
                text.startswith("🔴 Container killed for exceeding its memory limit")
                and "high confidence" in text
            )
            assert "chosen by @alice on " in text and "for the same error" in text
            await bot.send(
                bot.requests.click(as_first_posted(reply), "feedback_helpful", user_id="U0BOB00001")
            )
            await bot.slack.wait_for("response_url")
            [example] = await store_of(bot).list_examples()
            assert (example.chosen_by, example.confirmed_by) == ("U0ALICE001", "U0BOB00001")
            await bot.send(bot.requests.message("C0PASSIVE01", later, ts="1700000000.000303"))
            [elsewhere] = await bot.slack.wait_for(
                "chat.postMessage", predicate=lambda c: c.channel == "C0PASSIVE01"
            )
            assert "chosen by @alice on " in block_text(elsewhere.blocks)

    asyncio.run(scenario())


def test_a_paste_nobody_addressed_to_the_bot_stays_silent_when_unsure(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            await bot.send(bot.requests.message(CHANNEL, UNSURE))
            await bot.settle()
            assert bot.slack.calls_to("chat.postMessage") == []
            assert (await store_of(bot).ask_stats()).questions == {}

    asyncio.run(scenario())


def test_a_slash_command_asks_in_the_channel_and_the_choice_answers_in_its_thread(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            await bot.send(bot.requests.slash_command(UNSURE, channel_id=CHANNEL))
            [question] = await bot.slack.wait_for("chat.postMessage")
            assert question.params.get("thread_ts") is None and "Is it one of these?" in block_text(
                question.blocks
            )
            await bot.send(bot.requests.click(question, "choose_1"))
            _, answer = await bot.slack.wait_for("chat.postMessage", count=2)
            assert answer.params["thread_ts"] == question.ts

    asyncio.run(scenario())


def test_a_direct_message_is_a_direct_ask(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            event = message_event(
                "D0ALICE0001", "U0ALICE001", UNSURE, ts=ASKED_AT, channel_type="im"
            )
            await bot.send(bot.requests.event(event))
            [question] = await bot.slack.wait_for("chat.postMessage")
            assert (question.channel, question.params["thread_ts"]) == ("D0ALICE0001", ASKED_AT)
            assert question_ids(question.blocks)[-1] == "choose_none"

    asyncio.run(scenario())


def test_a_second_click_is_told_who_chose_first_and_changes_nothing(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            question = await asked_in_thread(bot)
            await bot.send(bot.requests.click(question, "choose_1", user_id="U0BOB00001"))
            await bot.slack.wait_for("chat.update")
            await bot.send(
                bot.requests.click(as_first_posted(question), "choose_2", user_id="U0CAROL001")
            )
            [told] = await bot.slack.wait_for("response_url")
            assert told.params["response_type"] == "ephemeral"
            assert told.params["text"].startswith("Already answered: <@U0BOB00001> chose `")
            await bot.settle()
            assert len(posts_in(bot, CHANNEL)) == 2 and len(await audit_rows(bot, "choose")) == 1

    asyncio.run(scenario())


def test_a_click_from_another_channel_is_refused_and_audited(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            question = await asked_in_thread(bot)
            elsewhere = {
                **(bot.slack.message(CHANNEL, str(question.ts)) or {}),
                "channel": "C0ELSEWHERE",
            }
            await bot.send(bot.requests.click(elsewhere, "choose_1", channel_id="C0ELSEWHERE"))
            [told] = await bot.slack.wait_for("response_url")
            assert "belongs to another channel" in told.params["text"]
            [row] = await audit_rows(bot, "choose")
            assert (row.outcome, row.channel) == ("refused", "C0ELSEWHERE")
            await bot.settle()
            assert len(posts_in(bot, CHANNEL)) == 1 and bot.slack.calls_to("chat.update") == []

    asyncio.run(scenario())


def test_only_the_chooser_or_an_admin_can_undo_and_an_undo_withdraws_the_answer_and_the_example(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            question = await asked_in_thread(bot)
            await bot.send(
                bot.requests.click(
                    question, option_of(question, "oom-killed"), user_id="U0BOB00001"
                )
            )
            _, answer = await bot.slack.wait_for("chat.postMessage", count=2)
            await bot.slack.wait_for("chat.update")
            await bot.send(bot.requests.click(question, "undo_choice", user_id="U0CAROL001"))
            [told] = await bot.slack.wait_for("response_url")
            assert (
                told.params["text"]
                == "Only the person who chose, or an admin, can undo this choice."
            )
            await bot.send(bot.requests.click(question, "undo_choice", user_id=ADMIN))
            updates = await bot.slack.wait_for("chat.update", count=3)
            withdrawn = next(u for u in updates if u.params["ts"] == answer.ts)
            assert (
                "Withdrawn: <@U0ADMIN0001> undid <@U0BOB00001>'s choice of `oom-killed`"
                in block_text(withdrawn.params["blocks"])
            )
            reopened = [u for u in updates if u.params["ts"] == question.ts][-1]
            assert question_ids(reopened.params["blocks"])[-1] == "choose_none"
            assert sorted(r.outcome for r in await audit_rows(bot, "undo_choice")) == [
                "done",
                "refused",
            ]
            # the example answers nothing any more: the same paste is silent in a passive channel
            await bot.send(bot.requests.message("C0PASSIVE01", UNSURE))
            await bot.settle()
            assert posts_in(bot, "C0PASSIVE01") == []
            # and the question can be answered again
            await bot.send(bot.requests.click(question, "choose_1", user_id="U0CAROL001"))
            answers = await bot.slack.wait_for("chat.postMessage", count=3)
            assert answers[2].params["thread_ts"] == ASKED_AT

    asyncio.run(scenario())


def test_none_of_these_without_an_agent_keeps_the_paste_for_new_entries(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            question = await asked_in_thread(bot)
            await bot.send(bot.requests.click(question, "choose_none", user_id="U0BOB00001"))
            [updated] = await bot.slack.wait_for("chat.update")
            assert block_text(updated.params["blocks"]) == (
                "<@U0BOB00001> chose none of these; kept for new "
                "catalog entries (`kubemedic catalog suggest`)."
            )
            [kept] = await store_of(bot).unanswered_questions()
            assert kept.state == "none" and kept.text is not None and "exit code 137" in kept.text
            assert SECRET not in kept.text
            [row] = await audit_rows(bot, "choose_none")
            assert row.outcome == "done"

    asyncio.run(scenario())


def test_a_direct_ask_with_no_candidate_is_told_so_and_kept(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            await bot.send(
                bot.requests.app_mention(
                    CHANNEL, f"<@{bot.slack.bot_user_id}> {NOTHING}", ts=ASKED_AT
                )
            )
            [told] = await bot.slack.wait_for("chat.postMessage")
            assert "no confident match" in block_text(told.blocks).lower()
            assert question_ids(told.blocks) == []
            [kept] = await store_of(bot).unanswered_questions()
            assert (kept.state, kept.text) == ("unanswered", NOTHING)

    asyncio.run(scenario())


def test_a_choice_on_one_replica_answers_the_same_error_on_another(
    tmp_path: Path, database_url: str
) -> None:
    async def scenario() -> None:
        async with (
            running_bot(tmp_path / "one", database_url=database_url) as one,
            running_bot(tmp_path / "two", database_url=database_url) as two,
        ):
            question = await asked_in_thread(one)
            await one.send(
                one.requests.click(question, option_of(question, "oom-killed"), user_name="alice")
            )
            await one.slack.wait_for("chat.update")
            await two.send(two.requests.message(CHANNEL, UNSURE, ts="1700000000.000401"))
            [reply] = await two.slack.wait_for("chat.postMessage")
            assert "`oom-killed`" in block_text(reply.blocks) and "chosen by @alice" in block_text(
                reply.blocks
            )

    asyncio.run(scenario())


def test_a_click_not_signed_by_slack_is_refused_with_401_and_changes_nothing(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            question = await asked_in_thread(bot)
            click = bot.requests.click(question, "choose_1")
            assert (await bot.send(bot.requests.bad_signature(click)))[0] == 401
            assert (await bot.send(bot.requests.stale(click)))[0] == 401
            await bot.settle()
            assert len(posts_in(bot, CHANNEL)) == 1 and await audit_rows(bot, "choose") == []
            [stored] = [
                q
                for v in button_values(question.blocks)
                if (q := await store_of(bot).get_question(v))
            ]
            assert stored.state == "open"

    asyncio.run(scenario())


def test_a_slash_command_where_the_bot_cannot_post_gets_its_closest_matches_privately(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            bot.slack.error("chat.postMessage", "not_in_channel")
            await bot.send(bot.requests.slash_command(UNSURE, channel_id=CHANNEL))
            [closest] = await bot.slack.wait_for("response_url")
            assert closest.params["response_type"] == "ephemeral"
            text = block_text(closest.params["blocks"])
            assert "oom-killed" in text and "exit-code-137-sigkill" in text

    asyncio.run(scenario())


def test_a_choice_in_an_incident_channel_is_in_its_timeline_but_mitigates_nothing() -> None:
    now = datetime.now(UTC)
    asked = ChannelMessage(
        channel="C0INC00001",
        ts="1",
        user="U0ALICE001",
        text=UNSURE,
        posted_at=now - timedelta(minutes=9),
    )
    choice = AuditRecord(
        user="U0BOB00001",
        kind="choose",
        target={"question": "q1", "entry": "oom-killed"},
        channel="C0INC00001",
        action_id="q1",
        outcome="done",
        created_at=now - timedelta(minutes=5),
    )
    summary = build_summary(
        SummaryInputs("inc-1-checkout", [asked], [], [choice]), matcher=shared_matcher(), now=now
    )
    assert summary.status != "mitigated"
    assert "choose oom-killed: done (U0BOB00001)" in render_summary_text(summary)


def test_a_passive_paste_with_no_candidate_stays_unanswered_but_is_counted_and_kept(
    tmp_path: Path,
) -> None:
    # nobody addressed the bot: no reply, but the paste is what the catalog lacks, so it is
    # counted in /metrics and kept redacted for `kubemedic catalog suggest`; a healthy listing is not
    from tests.observability.test_metrics import scrape, value

    unknown = f"quarkus-fizz reactor stalled: fizzbuzz ledger out of tokens DB_PASSWORD={SECRET}"
    healthy = (
        "NAME         READY   STATUS    RESTARTS   AGE\n"
        "web-5d8c7b   1/1     Running   0          3d\n"
    )

    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            await bot.send(bot.requests.message("C0PASSIVE01", unknown))
            await bot.send(bot.requests.message("C0PASSIVE01", healthy, ts="1700000002.000200"))
            await bot.settle()
            assert bot.slack.calls_to("chat.postMessage") == []
            [kept] = await store_of(bot).unanswered_questions()
            assert (kept.state, kept.asked_via, kept.channel) == (
                "unanswered",
                "message",
                "C0PASSIVE01",
            )
            assert (
                kept.text is not None and "fizzbuzz ledger" in kept.text and SECRET not in kept.text
            )
            assert value(await scrape(bot), "kubemedic_unmatched_pastes_total", via="message") == 1

    asyncio.run(scenario())
