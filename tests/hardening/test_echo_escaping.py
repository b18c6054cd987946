"""Escape every echo (issue 12): nothing a user typed can ping a channel or fake a link.

Through signed requests to the real bot: bad names, namespaces, contexts and options
that carry Slack's control syntax - broadcasts, user and group mentions, channel links,
`<url|text>` links - in slash commands (private ack and response_url) and @mentions
(public thread replies). Every reply is recorded by the Slack stand-in (or is the ack
itself) and must show the text escaped (`&lt;!everyone&gt;`), never live syntax.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from tests.slack.harness import ADMIN, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn

HOSTILE = [
    "namespace <!everyone>",
    "namespace <!channel>",
    "ns <!here|here>",
    "node <@U0ALICE001>",
    "node <!subteam^S0ONCALL1|@oncall>",
    "pod shop/x --context=<https://ev.il|VPN>",
    "pod <https://ev.il/login|shop/x>",
    "pod shop/<#C0GENERAL1|general>",
    "pod <!everyone>:shop/x",
    "pod shop/x -n <!channel>",
    "namespace a&lt;!everyone&gt;b",
]
LIVE = re.compile(r"<(?:!|@|#|https?://)")
"""Slack control syntax that would be parsed: <!broadcast>, <@mention>, <#channel>, <link>."""


def _live_syntax(payload: object) -> list[str]:
    """Every text field of a recorded payload that contains live Slack syntax."""
    found: list[str] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                walk(value, name)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)
        elif isinstance(node, str) and key == "text" and LIVE.search(node):
            found.append(node)

    walk(payload)
    return found


@pytest.mark.parametrize("surface", ["slash command", "mention"])
def test_hostile_names_are_echoed_inert(tmp_path: Path, surface: str) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            acks: list[object] = []
            for index, text in enumerate(HOSTILE):
                if surface == "slash command":
                    status, body = await bot.send(
                        bot.requests.slash_command(text, channel_id="C0ECHO0001")
                    )
                    assert status == 200
                    acks.append(json.loads(body) if body else {})
                else:
                    mention = f"<@{bot.slack.bot_user_id}> {text}"
                    status, _ = await bot.send(
                        bot.requests.app_mention(
                            "C0ECHO0001", mention, ts=f"1700005{index:03d}.000100"
                        )
                    )
                    assert status == 200
            if surface == "mention":
                await bot.slack.wait_for("chat.postMessage", count=len(HOSTILE))
            await bot.settle()
            await bot.kubemedic.background.drain(5)
            replies = acks + [call.params for call in bot.slack.calls]
            shown = json.dumps(replies, ensure_ascii=False)
            assert _live_syntax(replies) == []
            assert "&lt;!everyone&gt;" in shown and "&lt;https://ev.il" in shown  # echoed, inert
            if surface == "mention":  # the public replies are in the thread of each mention
                public = bot.slack.calls_to("chat.postMessage")
                assert len(public) == len(HOSTILE)
                assert all(call.params.get("thread_ts") for call in public)

    asyncio.run(scenario())


def test_the_bot_never_asks_slack_to_parse_mentions(tmp_path: Path) -> None:
    """A bare "@here" is only parsed with link_names or parse=full, which kubemedic never sends."""

    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            paste = "@here @channel Last State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137\n"
            await bot.send(bot.requests.message("C0ECHO0002", paste))
            await bot.send(
                bot.requests.app_mention(
                    "C0ECHO0002",
                    f"<@{bot.slack.bot_user_id}> namespace @here",
                    ts="1700006000.000100",
                )
            )
            calls = await bot.slack.wait_for("chat.postMessage", count=2)
            assert any("oom-killed" in json.dumps(call.params) for call in calls)
            for call in calls:
                assert "link_names" not in call.params and call.params.get("parse") in (
                    None,
                    "none",
                )

    asyncio.run(scenario())


def test_an_api_error_quoted_in_a_remediation_result_is_inert(tmp_path: Path) -> None:
    """An admission webhook's denial is text someone in the cluster wrote; the thread post and
    the outcome line quote it escaped, and only the clicker's mention is live."""

    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.out_of_pods(kube)
        kube.fail(
            "DELETE",
            rf"/pods/{case.pod}$",
            403,
            message='admission webhook "guard" denied: ask <!channel> or <https://ev.il|the runbook>',
        )
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(
                bot.requests.slash_command(
                    f"pod {case.namespace}/{case.pod}", channel_id="C0ECHO0003"
                )
            )
            [posted] = await bot.slack.wait_for("chat.postMessage")
            await bot.send(bot.requests.click(posted, "remediate", user_id=ADMIN))
            await bot.slack.wait_for("chat.update")
            [update] = bot.slack.calls_to("chat.update")
            results = [
                call.params
                for call in bot.slack.calls_to("chat.postMessage")
                if call.params.get("thread_ts")
            ]
            results += [
                block for block in update.blocks if block.get("block_id") == "remediate-outcome"
            ]
            shown = json.dumps(results, ensure_ascii=False)
            assert len(results) == 2 and "&lt;!channel&gt;" in shown  # the denial was quoted...
            bot_written = re.compile(rf"<@{ADMIN}>|<!date\^[0-9]+\^\{{time\}}\|[0-9:]+ UTC>")
            assert [
                t for t in _live_syntax(results) if LIVE.search(bot_written.sub("", t))
            ] == []  # ...inert
            assert f"<@{ADMIN}>" in shown  # the clicker is still mentioned

    asyncio.run(scenario())
