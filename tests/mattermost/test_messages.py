"""Posted messages reach the bot over its WebSocket; it answers pasted errors in their thread.

The Mattermost side of the contract's message rules: a threaded reply (root_id = the pasted
post) when the top match is high or medium confidence, silence on chat, never an answer to a
bot, a webhook or itself; a mention and a direct message work like the slash command.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.mattermost.harness import ALICE, GENERAL, MmBot, running_mattermost_bot
from tests.standins import kube_scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.mattermost_api import BOT_ID

OOM = Path("examples/pastes/oom-killed-describe.txt").read_text()


async def _replies(bot: MmBot, root: str) -> list[dict[str, object]]:
    await bot.settle()
    return [p for p in bot.mm.state.replies(root) if p["user_id"] == BOT_ID]


def test_pasted_error_gets_a_threaded_reply_naming_the_catalog_id(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path) as bot:
            pasted = await bot.mm.say(GENERAL, ALICE, OOM)
            [created] = await bot.mm.wait_for("POST", "^/posts$")
            assert created.body["root_id"] == pasted["id"]  # in the paste's thread
            [reply] = await _replies(bot, pasted["id"])
            assert "`oom-killed`" in str(reply["message"])
            assert "memory limit" in str(reply["message"]).lower()

    asyncio.run(scenario())


def test_chat_bots_webhooks_and_its_own_posts_get_no_answer(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path) as bot:
            chat = await bot.mm.say(GENERAL, ALICE, "we should grab lunch after the standup today")
            by_bot = await bot.mm.say(GENERAL, ALICE, OOM, props={"from_bot": "true"})
            hooked = await bot.mm.say(GENERAL, ALICE, OOM, props={"from_webhook": "true"})
            own = await bot.mm.say(GENERAL, BOT_ID, OOM)
            for post in (chat, by_bot, hooked, own):
                assert await _replies(bot, str(post["id"])) == []
            assert bot.mm.calls_to("POST", "^/posts$") == []

    asyncio.run(scenario())


def test_a_mention_is_answered_like_the_slash_command(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    case = kube_scenarios.oom_killed_deployment(kube)

    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path, kube=kube) as bot:
            asked = await bot.mm.say(GENERAL, ALICE, f"@kubemedic pod {case.namespace}/{case.pod}")
            await bot.mm.wait_for("POST", "^/posts$")
            [reply] = await _replies(bot, str(asked["id"]))
            assert "`oom-killed`" in str(reply["message"])
            assert "limit 256Mi" in str(reply["message"])  # read from the cluster

    asyncio.run(scenario())


def test_a_direct_message_is_a_direct_ask(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path) as bot:
            bot.mm.state.add_channel(
                "dmalicebot00000000000000d1", "alice__bot", type="D", members=(ALICE,)
            )
            asked = await bot.mm.say("dmalicebot00000000000000d1", ALICE, "help")
            await bot.mm.wait_for("POST", "^/posts$")
            [reply] = await _replies(bot, str(asked["id"]))
            assert "/diagnose pod" in str(reply["message"])

    asyncio.run(scenario())
