"""The walk through Mattermost: the same `/diagnose namespace|service` words and prose as Slack,
the post leading with the object most likely at fault, Details holding every suspect's chain.

The real bot against the Mattermost stand-in (slash command hook, WebSocket, REST), the test
shop (tests/suspects/shop.py) served by the Kubernetes API stand-in to the real client.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.mattermost.harness import ALICE, GENERAL, MmBot, running_mattermost_bot
from tests.standins.kube_api import KubeStandIn
from tests.standins.mattermost_api import BOT_ID
from tests.suspects import faults
from tests.suspects import shop as shops


def _kube() -> KubeStandIn:
    kube = KubeStandIn(latency=0.0)
    shop = shops.healthy()
    faults.selector_typo(shop)
    faults.target_port(shop)
    shop.load(kube)
    return kube


async def _bot_posts(bot: MmBot, count: int) -> list[dict[str, object]]:
    await bot.mm.wait_for("POST", "^/posts$", count=count)
    await bot.settle()
    return [post for post in bot.mm.state.posts.values() if post["user_id"] == BOT_ID]


def test_commands_and_prose_lead_with_the_faulty_object_and_details_hold_the_chain(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path, kube=_kube()) as bot:
            status, ack = await bot.command("namespace shop checkout is failing")
            assert status == 200 and "namespace shop" in ack["text"]
            [answer] = await _bot_posts(bot, 1)
            message = str(answer["message"])
            lead = message.index("#### service/checkout: ")
            assert lead < message.index("`service-endpoints-empty`") < message.index("ranks lower")
            assert "app=check_out" in message and "**Fix:**" in message
            assert "service/cart" in message  # the other fault, one line, below

            [details] = [
                a
                for att in answer["props"]["attachments"]  # type: ignore[index]
                for a in att["actions"]
                if a["id"].startswith("showdetails")
            ]
            status, _ = await bot.mm.click(str(answer["id"]), details["id"], ALICE)
            assert status == 200
            posts = await _bot_posts(bot, 2)
            folded = next(str(p["message"]) for p in posts if "**Suspects:**" in str(p["message"]))
            assert "_Chain: symptom: checkout is failing → service/checkout" in folded

            pasted = await bot.mm.say(GENERAL, ALICE, "the cart service in shop returns errors")
            await bot.mm.wait_for("POST", "^/posts$", count=3)
            await bot.settle()
            [reply] = [p for p in bot.mm.state.replies(str(pasted["id"])) if p["user_id"] == BOT_ID]
            assert str(reply["message"]).find("#### service/cart: ") >= 0
            assert "`service-target-port-mismatch`" in str(reply["message"])

            asked = await bot.mm.say(
                GENERAL, ALICE, "@kubemedic namespace shop cart returns errors"
            )
            await bot.mm.wait_for("POST", "^/posts$", count=4)
            await bot.settle()
            [mention] = [
                p for p in bot.mm.state.replies(str(asked["id"])) if p["user_id"] == BOT_ID
            ]
            assert "#### service/cart: " in str(mention["message"])  # the symptom ranks cart first

    asyncio.run(scenario())
