""" "Not this" leads somewhere: a dialog with the other candidates and a catalog search; the pick
replaces the answer in the thread. It names only what the dialog offered, and one person's pick
never rewrites a high-confidence answer for anyone else."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from tests.ask.dialogs import selected, submission, suggestion
from tests.ask.flows import CHANNEL, audit_rows, question_ids, store_of
from tests.slack.harness import ADMIN, Bot, block_text, running_bot, shared_matcher
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn

ROOT = Path(__file__).resolve().parents[2]
OOM = (ROOT / "examples" / "pastes" / "oom-killed-describe.txt").read_text()
PASTE_AT = "1700000000.000500"


async def answered(bot: Bot) -> Any:
    await bot.send(bot.requests.message(CHANNEL, OOM, ts=PASTE_AT))
    [answer] = await bot.slack.wait_for("chat.postMessage")
    assert "`oom-killed`" in block_text(answer.blocks)
    return answer


async def searched(bot: Bot, view: dict[str, Any], query: str) -> list[str]:
    """Type `query` into the dialog's search: the entry ids Slack shows (and the bot offered)."""
    status, body = await bot.send(
        bot.requests.interaction(
            suggestion(view, block_id="search", action_id="catalog_search", value=query)
        )
    )
    assert status == 200
    return [str(option["value"]) for option in json.loads(body)["options"]]


async def opened_dialog(bot: Bot, answer: Any, user: str = "U0ALICE001") -> dict[str, Any]:
    """Click "Not this"; the dialog Slack shows, once the bot has thanked the voter (its question is stored)."""
    await bot.send(bot.requests.click(answer, "feedback_not_this", user_id=user))
    await bot.slack.wait_for("views.open")
    await bot.slack.wait_for("response_url")
    return dict(bot.slack.views[-1])


def test_not_this_opens_a_dialog_with_the_other_candidates_and_a_catalog_search(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            answer = await answered(bot)
            view = await opened_dialog(bot, answer)
            assert (
                view["callback_id"] == "not_this_pick" and view["title"]["text"] == "What was it?"
            )
            kinds = [
                block["element"]["type"] for block in view["blocks"] if block["type"] == "input"
            ]
            assert kinds[-1] == "external_select"
            assert "kubemedic answered `oom-killed`" in block_text(view["blocks"])
            assert await store_of(bot).get_question(view["private_metadata"]) is not None
            [thanks] = await bot.slack.wait_for("response_url")
            assert (
                "`oom-killed` was not this" in thanks.params["text"]
            )  # the vote is still recorded
            stats = {s.catalog_id: s for s in await bot.kubemedic.store.feedback_stats()}
            assert stats["oom-killed"].not_this == 1

    asyncio.run(scenario())


def test_the_catalog_search_answers_in_the_matchers_order(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            view = await opened_dialog(bot, await answered(bot))

            async def options(query: str) -> list[dict[str, Any]]:
                status, body = await bot.send(
                    bot.requests.interaction(
                        suggestion(view, block_id="search", action_id="catalog_search", value=query)
                    )
                )
                assert status == 200
                found: list[dict[str, Any]] = json.loads(body)["options"]
                assert found and all(len(o["text"]["text"]) <= 75 for o in found)
                return found

            log_line = "Back-off pulling image registry.local/shop/web:1.2"
            read = [m.id for m in shared_matcher().match(log_line, top=25)]
            assert (
                read and [o["value"] for o in await options(log_line)][: len(read)] == read
            )  # the matcher's order
            assert any(
                "evict" in o["text"]["text"].lower() for o in await options("evicted")
            )  # then by words
            first = (await options("oom"))[0]
            assert first["value"] == "oom-killed" and len(first["text"]["text"]) <= 75

    asyncio.run(scenario())


def test_the_pick_replaces_the_answer_but_never_a_high_confidence_answer_elsewhere(
    tmp_path: Path,
) -> None:
    """Issue 60's attack, made by an admin so the example is confirmed at once and answers in every
    channel: the same error pasted later elsewhere still gets the catalog's high-confidence answer."""

    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            answer = await answered(bot)
            view = await opened_dialog(bot, answer, user=ADMIN)
            assert "exit-code-137-sigkill" in await searched(bot, view, "sigkill")
            status, body = await bot.send(
                bot.requests.interaction(
                    submission(
                        view,
                        {"search": {"catalog_search": selected("exit-code-137-sigkill")}},
                        user_id=ADMIN,
                        user_name="admin",
                    )
                )
            )
            assert (status, body) == (200, "")  # acked: the dialog closes
            [update] = await bot.slack.wait_for("chat.update")
            assert update.params["ts"] == answer.ts
            text = block_text(update.params["blocks"])
            assert (
                text.startswith("🔴 Container killed with SIGKILL")
                and "chosen by @admin on " in text
            )
            assert "undo_choice" in question_ids(update.params["blocks"])
            [row] = await audit_rows(bot, "not_this_pick")
            assert (row.outcome, row.target["entry"]) == ("done", "exit-code-137-sigkill")
            [example] = await store_of(bot).list_examples()
            assert example.confirmed_by == ADMIN
            await bot.send(bot.requests.message("C0OTHER0001", OOM))
            [later] = await bot.slack.wait_for(
                "chat.postMessage", predicate=lambda c: c.channel == "C0OTHER0001"
            )
            text = block_text(later.blocks)
            assert text.startswith("🔴 Container killed for exceeding its memory limit"), text
            assert "kept before exit-code-137-sigkill, which @admin chose" in text  # and says why

    asyncio.run(scenario())


def test_a_submission_naming_nothing_or_an_unknown_entry_is_refused_in_the_dialog(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            view = await opened_dialog(bot, await answered(bot))
            for values, said in (
                ({}, "Pick a candidate"),
                ({"search": {"catalog_search": selected("no-such-entry")}}, "not in the catalog"),
            ):
                status, body = await bot.send(bot.requests.interaction(submission(view, values)))
                reply = json.loads(body)
                assert (
                    status == 200
                    and reply["response_action"] == "errors"
                    and said in reply["errors"]["search"]
                )
            await bot.settle()
            assert bot.slack.calls_to("chat.update") == []

    asyncio.run(scenario())


def test_only_who_opened_the_dialog_can_pick_in_it(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            view = await opened_dialog(bot, await answered(bot))
            await bot.send(
                bot.requests.interaction(
                    submission(
                        view,
                        {"search": {"catalog_search": selected("exit-code-137-sigkill")}},
                        user_id="U0MALLORY1",
                    )
                )
            )
            [told] = await bot.slack.wait_for("chat.postEphemeral")
            assert (
                told.params["user"] == "U0MALLORY1"
                and "opened by someone else" in told.params["text"]
            )
            [row] = await audit_rows(bot, "not_this_pick")
            assert row.outcome == "refused"
            assert bot.slack.calls_to("chat.update") == []

    asyncio.run(scenario())


def test_a_pick_on_a_cluster_diagnosis_replaces_it_without_making_an_example(
    tmp_path: Path,
) -> None:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.oom_killed_deployment(kube)

    async def scenario() -> None:
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(
                bot.requests.slash_command(f"pod {case.namespace}/{case.pod}", channel_id=CHANNEL)
            )
            [answer] = await bot.slack.wait_for("chat.postMessage")
            view = await opened_dialog(bot, answer)
            assert "exit-code-137-sigkill" in await searched(bot, view, "sigkill")
            await bot.send(
                bot.requests.interaction(
                    submission(
                        view, {"search": {"catalog_search": selected("exit-code-137-sigkill")}}
                    )
                )
            )
            [update] = await bot.slack.wait_for("chat.update")
            text = block_text(update.params["blocks"])
            assert (
                text.startswith("🔴 Container killed with SIGKILL")
                and f"pod {case.namespace}/{case.pod}" in text
            )
            assert "chosen by @alice on " in text and "for the same error" not in text
            assert await store_of(bot).list_examples() == []  # no paste: nothing to recognise later

    asyncio.run(scenario())


def test_a_pick_the_dialog_never_offered_is_refused_in_the_dialog(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            view = await opened_dialog(bot, await answered(bot))
            offered = await searched(bot, view, "image pull")
            assert "node-disk-pressure" not in offered
            status, body = await bot.send(
                bot.requests.interaction(
                    submission(view, {"search": {"catalog_search": selected("node-disk-pressure")}})
                )
            )
            reply = json.loads(body)
            assert (
                reply["response_action"] == "errors"
                and "was not offered here" in reply["errors"]["search"]
            )
            status, body = await bot.send(
                bot.requests.interaction(
                    submission(view, {"search": {"catalog_search": selected(offered[0])}})
                )
            )
            assert (status, body) == (200, "")  # what the search showed may be picked
            await bot.slack.wait_for("chat.update")

    asyncio.run(scenario())
