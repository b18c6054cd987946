"""The rest of the contract's chat rules, on Mattermost: a repeat updates the earlier reply, a
repeated delivery is answered once, a healthy pod is said to be fine, past the queue a request is
told `kubemedic is busy` once, "None of these" closes the question, `/diagnose summary` in an
incident channel keeps the pinned post current."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.mattermost.harness import ALICE, GENERAL, MALLORY, MmBot, running_mattermost_bot
from tests.slack.harness import slot_holder
from tests.standins import kube_scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.mattermost_api import BOT_ID

OOM = Path("examples/pastes/oom-killed-describe.txt").read_text()


def _bot_posts(bot: MmBot) -> list[dict[str, object]]:
    return [p for p in bot.mm.state.posts.values() if p["user_id"] == BOT_ID]


def test_the_same_error_again_updates_the_earlier_reply_instead_of_posting(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path) as bot:
            await bot.mm.say(GENERAL, ALICE, OOM)
            [first] = await bot.mm.wait_for("POST", "^/posts$")
            await bot.settle()
            await bot.mm.say(GENERAL, MALLORY, OOM)
            await bot.mm.wait_for("PUT", f"^/posts/{first.answer['id']}/patch$")
            await bot.settle()
            assert len(_bot_posts(bot)) == 1
            assert "Seen 2 times" in str(bot.mm.state.posts[first.answer["id"]]["message"])

    asyncio.run(scenario())


def test_a_post_delivered_twice_is_answered_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path) as bot:
            pasted = await bot.mm.say(GENERAL, ALICE, OOM)
            await bot.mm.broadcast_post(
                pasted
            )  # a second replica's socket, a reconnect: the same event
            await bot.mm.wait_for("POST", "^/posts$")
            await bot.settle()
            assert len(_bot_posts(bot)) == 1

    asyncio.run(scenario())


def test_a_healthy_pod_gets_a_reply_that_says_no_problem_was_found(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    case = kube_scenarios.healthy(kube)

    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path, kube=kube) as bot:
            await bot.command(f"pod {case.namespace}/{case.pod}")
            [created] = await bot.mm.wait_for("POST", "^/posts$")
            assert "No problem found" in created.body["message"]

    asyncio.run(scenario())


def test_past_the_queue_a_command_and_a_mention_are_told_busy_once(tmp_path: Path) -> None:
    slot = slot_holder(30)

    async def scenario() -> None:
        async with running_mattermost_bot(
            tmp_path,
            kube=slot.kube,
            KUBEMEDIC_QUEUE_LIMIT="1",
            KUBEMEDIC_ADMISSION_WAIT_SECONDS="0.5",
        ) as bot:
            status, first = await bot.command(slot.command)
            assert status == 200 and "Diagnosing" in first["text"]
            status, second = await bot.command(slot.command, user=MALLORY)
            assert status == 200 and "Diagnosing" in second["text"]  # acked at once all the same
            mention = await bot.mm.say(GENERAL, ALICE, f"@kubemedic {slot.command}")
            for _ in range(60):
                if any(
                    e.startswith("kubemedic is busy") for e in bot.mm.ephemerals_for(MALLORY)
                ) and bot.mm.state.replies(str(mention["id"])):
                    break
                await asyncio.sleep(0.1)
            assert [
                e for e in bot.mm.ephemerals_for(MALLORY) if e.startswith("kubemedic is busy")
            ] != []
            [told] = bot.mm.state.replies(str(mention["id"]))
            assert str(told["message"]).startswith("kubemedic is busy")
            slot.hold.seconds = 0.0
            await bot.mm.wait_for("POST", "^/posts$", count=2)  # the first one's answer
            await bot.settle()
            assert (
                len(
                    [e for e in bot.mm.ephemerals_for(MALLORY) if e.startswith("kubemedic is busy")]
                )
                == 1
            )

    asyncio.run(scenario())


def test_none_of_these_closes_the_question_with_one_line(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path) as bot:
            await bot.command("the init container was killed, exit code 137, no idea why")
            await bot.mm.wait_for("POST", "^/posts$")
            await bot.settle()
            [question] = bot.mm.posts_in(GENERAL)
            none = question["props"]["attachments"][0]["actions"][-1]
            assert none["name"] == "None of these"
            await bot.mm.click(question["id"], none["id"], ALICE)
            await bot.settle()
            closed = bot.mm.state.posts[question["id"]]
            assert "none of these" in closed["message"] and closed["props"]["attachments"] == []
            status, again = await bot.mm.click(
                question["id"], none["id"], MALLORY
            )  # stale copy of the post
            assert status == 404 or "already" in str(again.get("ephemeral_text", ""))

    asyncio.run(scenario())
