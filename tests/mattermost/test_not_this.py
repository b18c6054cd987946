""" "Not this" on Mattermost: the vote is noted privately, a dialog offers what else it could be, and
the pick replaces the answer in place (with Undo), as the team's example."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.mattermost.harness import ALICE, GENERAL, MALLORY, running_mattermost_bot

OOM = Path("examples/pastes/oom-killed-describe.txt").read_text()


def test_not_this_opens_a_dialog_whose_pick_replaces_the_answer(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path) as bot:
            await bot.mm.say(GENERAL, ALICE, OOM)
            [created] = await bot.mm.wait_for("POST", "^/posts$")
            await bot.settle()
            answer = bot.mm.state.posts[created.answer["id"]]
            [not_this] = [
                a for a in answer["props"]["attachments"][0]["actions"] if a["name"] == "Not this"
            ]
            status, reply = await bot.mm.click(answer["id"], not_this["id"], ALICE)
            assert (
                status == 200 and "oom-killed" in reply["ephemeral_text"]
            )  # the vote, told privately
            [dialog] = bot.mm.state.dialogs
            options = [o["value"] for o in dialog["dialog"]["elements"][0]["options"]]
            assert options and "oom-killed" not in options  # what else it could be
            status, refused = await bot.mm.submit(dialog, MALLORY, submission={"entry": options[0]})
            assert status == 200 and refused.get("error")  # only whoever opened it may pick
            status, done = await bot.mm.submit(dialog, ALICE, submission={"entry": options[0]})
            assert status == 200 and done == {}
            replaced = bot.mm.state.posts[answer["id"]]
            assert f"`{options[0]}`" in replaced["message"]
            assert "Undo" in [a["name"] for a in replaced["props"]["attachments"][0]["actions"]]

    asyncio.run(scenario())


def test_a_pick_the_dialog_did_not_offer_changes_nothing(tmp_path: Path) -> None:
    """The submission is the clicker's own POST: an entry that was not among the dialog's options
    is refused there, however it got into the submission."""

    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path) as bot:
            await bot.mm.say(GENERAL, ALICE, OOM)
            [created] = await bot.mm.wait_for("POST", "^/posts$")
            await bot.settle()
            answer = bot.mm.state.posts[created.answer["id"]]
            [not_this] = [
                a for a in answer["props"]["attachments"][0]["actions"] if a["name"] == "Not this"
            ]
            await bot.mm.click(answer["id"], not_this["id"], ALICE)
            [dialog] = bot.mm.state.dialogs
            options = [o["value"] for o in dialog["dialog"]["elements"][0]["options"]]
            assert "node-disk-pressure" not in options
            status, refused = await bot.mm.submit(
                dialog, ALICE, submission={"entry": "node-disk-pressure"}
            )
            assert status == 200 and "was not offered here" in refused["error"]
            assert (
                bot.mm.state.posts[answer["id"]]["message"] == answer["message"]
            )  # the answer stands
            assert await bot.bot.store.list_examples() == []

    asyncio.run(scenario())
