"""Hostile pastes through Slack: a pasted message and `/diagnose <text>` (issue 7, "Bad input").

The CLI equivalents are in test_paste_cli.py and tests/cli/test_match_cli.py.
Slack itself caps a message at 40,000 characters; the bot must still cope
with more: bodies over 1 MiB get HTTP 413 (test_slack_payloads.py), and
anything under it is matched in bounded time.  Errors get an answer,
everything else stays quiet (message) or gets the private "no confident
match" (slash command); never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from tests.slack.harness import block_text, running_bot

OOM_LINE = "Last State: Terminated Reason: OOMKilled Exit Code: 137"
ZW, RLO, LRM = "\u200b", "\u202e", "\u200e"
ARABIC = "\u0641\u0634\u0644 \u0627\u0644\u062d\u0627\u0648\u064a\u0629"

ANSWERED = {
    "nul bytes": "\x00\x00Reason: OOMKilled\x00 Exit Code: 137\x00 Last State: Terminated",
    "zero-width and bidi": f"Last State:{ZW} Terminated\nReason: OOM{ZW}Kill{ZW}ed{RLO}\nExit{LRM} Code: 1{ZW}37\ufeff",
    "right-to-left text": f"\u202b{ARABIC}\u202c\n{OOM_LINE}\n\u2067{ARABIC}\u2069",
    "500 KB single line": "Reason: OOMKilled Exit Code: 137 " + "y" * 500_000,
    "1 MB single line": "y" * 990_000 + " " + OOM_LINE,
    "nested JSON around it": "[" * 10_000 + f'"{OOM_LINE}"' + "]" * 10_000,
    "10,000 copies": "Back-off restarting failed container\n" * 10_000,
}
QUIET = {
    "nested JSON": "[" * 10_000 + "]" * 10_000,
    "a-run bait": "a" * 50_000 + "!",
    "spaces": " " * 200_000 + "x" * 20,
    "colons": ":" * 200_000,
    "repeated prefix": "Error: " * 60_000,
    "open mention": "<@U" + "A" * 100_000,
    "open link": "<https://" + "x" * 100_000 + "|",
    "zero-width only": ZW * 50_000,
}
MAX_BODY = 1024 * 1024
"""The endpoint's body limit; a message event carries its text twice (text and rich_text blocks)."""
SLACK_TEXT_LIMIT = 40_000
SECTION_LIMIT = 3000


def assert_bounded_reply(blocks: list[dict[str, object]], text: str | None) -> None:
    assert len(text or "") <= SLACK_TEXT_LIMIT
    for block in blocks:
        body = block.get("text")
        if isinstance(body, dict):
            assert len(str(body.get("text", ""))) <= SECTION_LIMIT


def assert_no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, [f"{r.name}: {r.getMessage()}" for r in bad]


def test_pasted_messages(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            for number, text in enumerate(["", "   \n\t  ", *QUIET.values()]):
                status, _ = await bot.send(bot.requests.message(f"C0QUIET{number:04d}", text))
                assert status == 200
            expected: list[str] = []
            for number, (name, text) in enumerate(ANSWERED.items()):
                request = bot.requests.message(
                    f"C0ANSWER{number:03d}", text, ts=f"17000010{number:02d}.000100"
                )
                status, reason = await bot.send(request)
                if len(request.body) > MAX_BODY:  # the 1 MB line: refused before it is read
                    assert (status, name) == (413, "1 MB single line") and "body size" in reason
                    continue
                assert status == 200, name
                expected.append(f"C0ANSWER{number:03d}")
            await bot.slack.wait_for("chat.postMessage", count=len(expected))
            await bot.settle()
            replies = bot.slack.calls_to("chat.postMessage")
            assert sorted(r.params["channel"] for r in replies) == expected
            for reply in replies:
                name = list(ANSWERED)[int(reply.params["channel"][-3:])]
                expected = "crashloop-backoff" if name == "10,000 copies" else "oom-killed"
                assert expected in block_text(reply.blocks), name
                assert reply.params["thread_ts"].startswith("17000010")
                assert_bounded_reply(reply.blocks, reply.text)
        assert_no_tracebacks(caplog)

    asyncio.run(scenario())


def test_diagnose_with_pasted_text(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            status, body = await bot.send(bot.requests.slash_command("   \t "))
            assert status == 200 and "/diagnose pod" in block_text(
                json.loads(body)["blocks"]
            )  # usage
            cases = {**{f"quiet: {k}": v for k, v in QUIET.items()}, **ANSWERED}
            for number, (name, text) in enumerate(cases.items()):
                status, body = await bot.send(
                    bot.requests.slash_command(text, channel_id=f"C0CMD{number:05d}")
                )
                assert status == 200, name
                assert "Diagnosing the pasted text" in json.loads(body)["text"], name
            private = await bot.slack.wait_for("response_url", count=len(QUIET))
            posted = await bot.slack.wait_for("chat.postMessage", count=len(ANSWERED))
            await bot.settle()
            assert len(bot.slack.calls_to("response_url")) == len(QUIET)
            assert all("No confident match" in r.params["text"] for r in private)
            assert all(r.params["response_type"] == "ephemeral" for r in private)
            for reply in posted:
                assert "oom-killed" in block_text(
                    reply.blocks
                ) or "crashloop-backoff" in block_text(reply.blocks)
                assert_bounded_reply(reply.blocks, reply.text)
            for reply in private:
                assert_bounded_reply(reply.params.get("blocks") or [], reply.params.get("text"))
        assert_no_tracebacks(caplog)

    asyncio.run(scenario())
