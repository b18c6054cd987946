"""The walk through Slack: `/diagnose namespace|service` with a symptom, a mention, and a message
naming a Service in prose lead with the object most likely at fault and its one fix.

The real bolt app over HTTP, requests signed as Slack signs them, the Web API at the Slack
stand-in, and the test shop (tests/suspects/shop.py) served by the Kubernetes API stand-in to
the real client; the faults are those the walk is tested on in memory.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from tests.responses.conftest import check_limits
from tests.slack.harness import Bot, block_text, running_bot
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_record import RecordedCall
from tests.suspects import faults
from tests.suspects import shop as shops


def _kube(*inject: Any) -> KubeStandIn:
    kube = KubeStandIn(latency=0.0)
    shop = shops.healthy()
    for fault in inject:
        fault(shop)
    shop.load(kube)
    return kube


def _lead(blocks: list[dict[str, Any]]) -> tuple[str, str]:
    """The first suspect's section (right under the header, its context line and any preface), and
    all the text."""
    assert blocks[0]["type"] == "header", blocks[0]
    lead = next(b["text"]["text"] for b in blocks[:4] if b["type"] == "section")
    return lead, block_text(blocks)


async def _answer(bot: Bot, count: int) -> RecordedCall:
    return (await bot.slack.wait_for("chat.postMessage", count=count))[count - 1]


def test_namespace_and_service_commands_lead_with_the_faulty_object_and_details_hold_the_chain(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        kube = _kube(faults.selector_typo, faults.target_port)
        async with running_bot(tmp_path, kube=kube) as bot:
            status, body = await bot.send(
                bot.requests.slash_command("namespace shop checkout is failing")
            )
            assert status == 200 and "Diagnosing namespace shop" in json.loads(body)["text"]
            posted = await _answer(bot, 1)
            check_limits(posted.blocks)
            header, text = _lead(posted.blocks)
            assert header.startswith(
                "*Most likely: service/checkout*"
            )  # the Service, not its healthy pods
            assert "`service-endpoints-empty`" in text and "high confidence" in text
            assert (
                "app=check_out" in text and "Fix" in text
            )  # the evidence and the fix in its names
            assert "service/cart" in text and "ranks lower" in text  # the other fault, below it
            assert "service/checkout" in (posted.text or "")  # the notification names it too
            await bot.send(bot.requests.click(posted, "show_details"))
            details = await _answer(bot, 2)
            check_limits(details.blocks)
            folded = block_text(details.blocks)  # every suspect's facts, reasons and chain
            assert "Chain: symptom: checkout is failing → service/checkout" in folded
            assert (
                "deployment/checkout: selector app=check_out but the pods carry app=checkout"
                in folded
            )
            assert "Why: " in folded and "`service-target-port-mismatch`" in folded

            await bot.send(bot.requests.slash_command("service shop/cart returns errors"))
            header, text = _lead((await _answer(bot, 3)).blocks)
            assert (
                header.startswith("*Most likely: service/cart*")
                and "`service-target-port-mismatch`" in text
            )
            assert "7071" in text and "service/checkout" not in text  # kept to cart's chain

            await bot.send(bot.requests.slash_command("svc cart -n shop"))  # the same answer again:
            again = (await bot.slack.wait_for("chat.update", count=2))[
                1
            ]  # (the first: Details moved)
            assert _lead(again.params["blocks"])[0].startswith("*Most likely: service/cart*")

            await bot.send(bot.requests.slash_command("service shop/billing"))
            [refusal] = await bot.slack.wait_for("response_url")
            assert "not found" in json.dumps(refusal.params)

    asyncio.run(scenario())


def test_a_mention_and_a_message_naming_a_service_in_prose_are_walked(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(
            tmp_path, kube=_kube(faults.selector_typo, faults.target_port)
        ) as bot:
            await bot.send(
                bot.requests.app_mention("C0GENERAL1", "namespace shop checkout is failing")
            )
            mention = await _answer(bot, 1)
            assert mention.params.get("thread_ts")
            assert _lead(mention.blocks)[0].startswith("*Most likely: service/checkout*")

            await bot.send(
                bot.requests.message("C0GENERAL1", "the checkout service in shop returns 503s")
            )
            reply = await _answer(bot, 2)
            header, text = _lead(reply.blocks)
            assert header.startswith("*Most likely: service/checkout*") and reply.params.get(
                "thread_ts"
            )
            assert "your question names service shop/checkout" in text

            # a name that is no object stays a paste: this one matches nothing, so no reply
            await bot.send(
                bot.requests.message("C0GENERAL1", "the billing service in shop returns 503s")
            )
            await bot.send(
                bot.requests.message("C0GENERAL1", "deployment cart in shop keeps failing")
            )
            third = await _answer(bot, 3)
            assert _lead(third.blocks)[0].startswith("*Most likely: service/cart*")
            assert "walked from Service cart" in block_text(third.blocks)
            await bot.settle()
            assert len(bot.slack.calls_to("chat.postMessage")) == 3

    asyncio.run(scenario())


def test_a_healthy_namespace_says_no_problem_was_found(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, kube=_kube()) as bot:
            await bot.send(bot.requests.slash_command("namespace shop checkout is failing"))
            posted = await _answer(bot, 1)
            text = block_text(posted.blocks).lower()
            assert "no problem found" in text and "ranks lower" not in text
            # a message naming a healthy Service has no confident suspect: no reply at all
            await bot.send(
                bot.requests.message("C0GENERAL1", "the cart service in shop returns 503s")
            )
            await bot.settle()
            assert len(bot.slack.calls_to("chat.postMessage")) == 1

    asyncio.run(scenario())
