"""\"Is it one of these?\": a direct ask without an answer offers its candidates; a click answers
with one, marked as chosen, and the team's example answers the same error next time."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.ask.flows import UNSURE, asked_in_thread, question_ids
from tests.slack.harness import block_text, running_bot

CHANNEL = "C0GENERAL1"


def test_a_mention_without_an_answer_asks_which_entry_with_three_candidates_and_none(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            question = await asked_in_thread(bot, CHANNEL, "1700000000.000100")
            ids = question_ids(question.blocks)
            assert ids[:2] == ["choose_1", "choose_2"] and ids[-1] == "choose_none" and len(ids) <= 4
            text = block_text(question.blocks)
            assert "Is it one of these?" in text and "oom-killed" in text and "exit-code-137-sigkill" in text
            assert "exit code 137" in text  # the line that matched
            assert "resembles" in text or "format" in text  # the one-line why

    asyncio.run(scenario())
