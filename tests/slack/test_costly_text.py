"""A text whose reading runs past KUBEMEDIC_TEXT_CPU_SECONDS (issue 76): one line, "too costly to
read", where the asker looks (the message's thread, the command's response_url), and nothing of
it kept: a message too costly to redact is stored without its text, so its secrets are not."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from tests.slack.harness import running_bot

CHANNEL = "C0INCIDENT1"
SECRET = "hunter2-Zq8vX31kLp0"
LOG = "".join(f"E0514 08:27:51 kubelet error syncing pod web-{n}: timeout\n" for n in range(3_000))
PASTE = f"{LOG}db_password={SECRET}\nLast State: Terminated\n  Reason: OOMKilled\n"
TINY = {"KUBEMEDIC_TEXT_CPU_SECONDS": "0.0005"}


def stored_payloads(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return [str(row[0]) for row in db.execute("SELECT payload FROM work_items")]


def test_a_message_too_costly_to_redact_is_told_so_and_stored_without_its_text(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, **TINY) as bot:
            request = bot.requests.message(CHANNEL, PASTE, ts="1700000100.000200")
            assert (await bot.send(request))[0] == 200
            [reply] = await bot.slack.wait_for("chat.postMessage")
            await bot.settle()
        assert reply.params["thread_ts"] == "1700000100.000200"
        assert "too costly to read" in (reply.text or "")
        assert len((reply.text or "").splitlines()) == 1
        payloads = stored_payloads(tmp_path / "kubemedic.db")
        assert payloads and not any(SECRET in p or "kubelet" in p for p in payloads), payloads

    asyncio.run(scenario())


def test_a_command_too_costly_to_match_is_told_through_its_response_url(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, **TINY) as bot:
            assert (await bot.send(bot.requests.slash_command(PASTE)))[0] == 200
            [told] = await bot.slack.wait_for("response_url")
            await bot.settle()
        assert "too costly to read" in str(told.params)
        assert bot.slack.calls_to("chat.postMessage") == []

    asyncio.run(scenario())
