"""Remediation buttons on Mattermost: a click opens a dialog stating what will change; only its
submission acts, with the same allowlists, dry run first, audit and single use as in Slack.
A context the bot did not seal is refused before anything is read."""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from typing import Any

import aiohttp

from bot.storage.sql import SqlStore
from tests.mattermost.harness import ADMIN, GENERAL, MALLORY, MmBot, running_mattermost_bot
from tests.standins import kube_scenarios
from tests.standins.kube_api import KubeStandIn


def _tikv() -> tuple[KubeStandIn, str]:
    kube = KubeStandIn(latency=0.0)
    case = kube_scenarios.tikv_cluster_id_mismatch(kube)
    return kube, f"pod {case.namespace}/{case.pod}"


async def _answer_with_button(bot: MmBot, command: str) -> tuple[dict[str, Any], dict[str, Any]]:
    await bot.command(command)
    await bot.mm.wait_for("POST", "^/posts$")
    await bot.settle()
    [answer] = bot.mm.posts_in(GENERAL)
    assert "tikv-cluster-id-mismatch" in answer["message"]
    [button] = [
        a
        for att in answer["props"]["attachments"]
        for a in att["actions"]
        if a["id"].startswith("remediate")
    ]
    return answer, button


async def _audit(bot: MmBot) -> list[str]:
    store = bot.bot.store
    assert isinstance(store, SqlStore)
    return [row.outcome for row in await store.list_audit(limit=20)]


def test_admin_confirms_in_the_dialog_then_it_dry_runs_acts_audits_and_the_button_is_gone(
    tmp_path: Path,
) -> None:
    kube, command = _tikv()

    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path, kube=kube) as bot:
            answer, button = await _answer_with_button(bot, command)
            status, _ = await bot.mm.click(answer["id"], button["id"], ADMIN)
            assert status == 200 and bot.kube.writes() == []  # the click alone changes nothing
            [dialog] = bot.mm.state.dialogs
            assert "tikv" in dialog["dialog"]["introduction_text"]  # it states what will change
            status, reply = await bot.mm.submit(dialog, ADMIN)
            assert status == 200 and "error" not in reply
            await bot.settle()
            writes = bot.kube.writes()
            assert writes and writes[0].dry_run and any(not w.dry_run for w in writes)
            assert "done" in await _audit(bot)
            shown = bot.mm.state.posts[answer["id"]]
            assert not any(
                a["id"].startswith("remediate")
                for att in shown["props"]["attachments"]
                for a in att.get("actions") or []
            )
            [outcome] = [p["message"] for p in bot.mm.state.replies(answer["id"])]
            assert outcome.startswith("✅ Done by @admin") and "deleted" in outcome

    asyncio.run(scenario())


def test_a_non_admin_is_refused_in_the_dialog_and_nothing_changes(tmp_path: Path) -> None:
    kube, command = _tikv()

    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path, kube=kube) as bot:
            answer, button = await _answer_with_button(bot, command)
            await bot.mm.click(answer["id"], button["id"], MALLORY)
            [dialog] = bot.mm.state.dialogs
            status, reply = await bot.mm.submit(dialog, MALLORY)
            assert status == 200 and reply.get("error")  # shown to the clicker alone, in the dialog
            await bot.settle()
            assert bot.kube.writes() == []
            assert await _audit(bot) == ["refused"]

    asyncio.run(scenario())


def test_a_forged_context_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    kube, command = _tikv()

    async def scenario() -> None:
        async with running_mattermost_bot(tmp_path, kube=kube) as bot:
            answer, button = await _answer_with_button(bot, command)
            forged = copy.deepcopy(button["integration"]["context"])
            forged["action"] = "remediate:delete-everything"
            request = {
                "user_id": ADMIN,
                "channel_id": GENERAL,
                "post_id": answer["id"],
                "trigger_id": "x",
                "context": forged,
            }
            async with (
                aiohttp.ClientSession() as session,
                session.post(button["integration"]["url"], json=request) as reply,
            ):
                body = await reply.json()
            assert "not valid" in body["ephemeral_text"]
            assert bot.mm.state.dialogs == [] and bot.kube.writes() == []

    asyncio.run(scenario())
