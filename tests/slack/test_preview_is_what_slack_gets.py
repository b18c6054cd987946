"""`kubemedic preview` draws exactly the blocks the bot posts for the same paste."""

from __future__ import annotations

import asyncio
from pathlib import Path

from responses.slack_preview import block_html
from tests.cli.runner import kubemedic
from tests.slack.harness import running_bot

PASTE = Path(__file__).resolve().parents[2] / "examples" / "pastes" / "oom-killed-describe.txt"


def test_the_preview_shows_the_blocks_the_bot_posted(tmp_path: Path) -> None:
    async def posted() -> list[dict[str, object]]:
        async with running_bot(tmp_path) as bot:
            assert (await bot.send(bot.requests.message("C0INCIDENT1", PASTE.read_text())))[
                0
            ] == 200
            [reply] = await bot.slack.wait_for("chat.postMessage")
            return list(reply.blocks)

    blocks = asyncio.run(posted())
    assert any(b["type"] == "actions" for b in blocks)  # buttons are part of what is compared
    result = kubemedic("preview", str(PASTE))
    assert result.code == 0, result.stderr
    assert "".join(block_html(block) for block in blocks) in result.stdout
