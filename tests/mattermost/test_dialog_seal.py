"""A remediation dialog acts only for the user Mattermost vouched for at the click.

Mattermost hands a dialog's `state` to the clicker's own client and does not sign the submission,
so anyone can POST a state to /mattermost/dialogs with any `user_id`. These tests make that
attack as it was made: a non-admin clicks, takes the state, and submits it as an admin; or forges,
replays or outlives a state; or passes a state off as a button context. Nothing changes in the
cluster, the refusal is audited and the submitter is told.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.remediation.sealed_clicks import STATE_TTL
from tests.mattermost.harness import ADMIN, GENERAL, MALLORY, MmBot, running_mattermost_bot
from tests.mattermost.test_remediation import _answer_with_button, _audit, _tikv


async def _post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as reply:
        assert reply.status == 200
        answer: dict[str, Any] = await reply.json(content_type=None)
        return answer


async def _dialog_opened_by(bot: MmBot, user: str) -> dict[str, Any]:
    answer, button = await _answer_with_button(bot, _COMMAND)
    await bot.mm.click(answer["id"], button["id"], user)
    [dialog] = bot.mm.state.dialogs
    assert dialog["user_id"] == user
    return dialog


async def _submit_as(dialog: dict[str, Any], user: str, state: str | None = None) -> dict[str, Any]:
    """The attacker's own POST: the state as their client got it, any user id they like."""
    body = {
        "type": "dialog_submission",
        "callback_id": dialog["dialog"]["callback_id"],
        "state": dialog["dialog"]["state"] if state is None else state,
        "user_id": user,
        "channel_id": GENERAL,
        "team_id": "team",
        "submission": {},
        "cancelled": False,
    }
    return await _post(dialog["url"], body)


_COMMAND = _tikv()[1]


def _run(tmp_path: Path, scenario: Any) -> None:
    async def main() -> None:
        kube, _ = _tikv()
        async with running_mattermost_bot(tmp_path, kube=kube) as bot:
            await scenario(bot)

    asyncio.run(main())


def test_a_non_admins_dialog_submitted_as_an_admin_changes_nothing(tmp_path: Path) -> None:
    async def scenario(bot: MmBot) -> None:
        dialog = await _dialog_opened_by(bot, MALLORY)
        reply = await _submit_as(dialog, ADMIN)
        await bot.settle()
        assert "someone else" in reply["error"]  # the submitter is told
        assert bot.kube.writes() == []
        assert await _audit(bot) == ["refused"]
        assert bot.mm.state.replies(_answer_id(bot)) == []  # no "Done by @admin"

    _run(tmp_path, scenario)


def _answer_id(bot: MmBot) -> str:
    [answer] = bot.mm.posts_in(GENERAL)
    return str(answer["id"])


def test_a_forged_state_naming_the_admin_as_clicker_changes_nothing(tmp_path: Path) -> None:
    async def scenario(bot: MmBot) -> None:
        dialog = await _dialog_opened_by(bot, MALLORY)
        state = json.loads(dialog["dialog"]["state"])
        assert MALLORY in json.dumps(state)
        forged = json.dumps(state).replace(MALLORY, ADMIN)
        reply = await _submit_as(dialog, ADMIN, state=forged)
        await bot.settle()
        assert "not valid" in reply["error"]
        assert bot.kube.writes() == []
        assert await _audit(bot) == ["refused"]

    _run(tmp_path, scenario)


def test_the_admins_own_state_acts_once_and_a_replay_is_refused(tmp_path: Path) -> None:
    async def scenario(bot: MmBot) -> None:
        dialog = await _dialog_opened_by(bot, ADMIN)
        assert "error" not in await _submit_as(dialog, ADMIN)
        await bot.settle()
        writes = len(bot.kube.writes())
        assert writes and await _audit(bot) == ["done"]
        reply = await _submit_as(dialog, ADMIN)  # the same state again
        await bot.settle()
        assert "already" in reply["error"]
        assert len(bot.kube.writes()) == writes
        assert sorted(await _audit(bot)) == ["done", "refused"]

    _run(tmp_path, scenario)


def test_an_expired_state_is_refused_even_for_the_admin_who_opened_it(tmp_path: Path) -> None:
    async def scenario(bot: MmBot) -> None:
        dialog = await _dialog_opened_by(bot, ADMIN)
        bot.clock.advance(STATE_TTL.total_seconds() + 1)
        reply = await _submit_as(dialog, ADMIN)
        await bot.settle()
        assert "expired" in reply["error"]
        assert bot.kube.writes() == [] and await _audit(bot) == ["refused"]

    _run(tmp_path, scenario)


def test_a_dialog_state_is_not_a_button_context(tmp_path: Path) -> None:
    async def scenario(bot: MmBot) -> None:
        dialog = await _dialog_opened_by(bot, MALLORY)
        click = {
            "user_id": ADMIN,
            "channel_id": GENERAL,
            "post_id": _answer_id(bot),
            "trigger_id": "t",
            "context": json.loads(dialog["dialog"]["state"]),
        }
        reply = await _post(dialog["url"].replace("/dialogs", "/actions"), click)
        assert "not valid" in reply["ephemeral_text"]
        assert len(bot.mm.state.dialogs) == 1 and bot.kube.writes() == []

    _run(tmp_path, scenario)


def test_deeply_nested_json_gets_400_with_one_line_and_no_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    deep = "[" * 50_000 + "]" * 50_000

    async def scenario(bot: MmBot) -> None:
        for path in ("/mattermost/actions", "/mattermost/dialogs"):
            async with (
                aiohttp.ClientSession() as session,
                session.post(
                    bot.url + path,
                    data='{"context": ' + deep + "}",
                    headers={"Content-Type": "application/json"},
                ) as reply,
            ):
                assert reply.status == 400, path
                assert (await reply.text()) == "JSON nested more than 64 levels deep\n"
        state = json.dumps(
            {"state": "[" * 4000 + "]" * 4000, "user_id": ADMIN}
        )  # deep inside the state
        async with (
            aiohttp.ClientSession() as session,
            session.post(bot.url + "/mattermost/dialogs", data=state) as reply,
        ):
            assert reply.status == 200 and "not valid" in (await reply.json())["error"]
        assert bot.kube.writes() == []

    _run(tmp_path, scenario)
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
