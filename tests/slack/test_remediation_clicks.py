"""Remediation buttons end to end: click exactly what the bot posted, as Slack sends it.

Asserts what matters to an operator: the cluster writes that happened (dry
run first, then the real call), the audit rows, who saw what, and that a
button can neither be reused nor forged.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.storage.sql import SqlStore
from tests.slack.harness import ADMIN, Bot, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_requests import block_actions_from_message

CHANNEL = "C0GENERAL1"


TIKV_POD: list[str] = []


async def _diagnose_tikv(bot: Bot) -> object:
    await bot.send(bot.requests.slash_command(f"pod tidb/{TIKV_POD[0]}", channel_id=CHANNEL))
    [posted] = await bot.slack.wait_for("chat.postMessage")
    return posted


def _tikv_cluster() -> KubeStandIn:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.tikv_cluster_id_mismatch(kube)
    TIKV_POD[:] = [str(case.pod)]
    return kube


async def _audit(bot: Bot) -> list[str]:
    store = bot.kubemedic.store
    assert isinstance(store, SqlStore)
    return [row.outcome for row in await store.list_audit(limit=20)]


def test_admin_click_dry_runs_then_deletes_and_audits(tmp_path: Path, database_url: str) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, kube=_tikv_cluster(), database_url=database_url) as bot:
            posted = await _diagnose_tikv(bot)
            assert "tikv-cluster-id-mismatch" in block_text(posted.blocks)  # type: ignore[attr-defined]
            await bot.send(bot.requests.click(posted, "remediate", user_id=ADMIN))  # type: ignore[arg-type]
            await bot.slack.wait_for("chat.update")
            writes = bot.kube.writes()
            assert [w.dry_run for w in writes[:2]] == [True, True]  # the dry run comes first
            assert {w.method for w in writes} == {"DELETE"}
            assert any(not w.dry_run and "/persistentvolumeclaims/" in w.path for w in writes)
            assert any(not w.dry_run and w.path.endswith(f"/pods/{TIKV_POD[0]}") for w in writes)
            [update] = bot.slack.calls_to("chat.update")
            block_ids = [b.get("block_id") for b in update.blocks]
            assert (
                "remediate" not in block_ids and "remediate-outcome" in block_ids
            )  # no second click
            assert not any(
                e.get("action_id", "").startswith("remediate")
                for b in update.blocks
                for e in b.get("elements", [])
            )
            assert "done" in await _audit(bot)

    asyncio.run(scenario())


def test_non_admin_click_changes_nothing_and_is_refused_privately(
    tmp_path: Path, database_url: str
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, kube=_tikv_cluster(), database_url=database_url) as bot:
            posted = await _diagnose_tikv(bot)
            await bot.send(bot.requests.click(posted, "remediate", user_id="U0MALLORY1"))  # type: ignore[arg-type]
            [refusal] = await bot.slack.wait_for("response_url")
            assert refusal.params["response_type"] == "ephemeral"
            assert bot.kube.writes() == []
            assert await _audit(bot) == ["refused"]
            # the refusal did not burn the button: an admin can still use it
            await bot.send(bot.requests.click(posted, "remediate", user_id=ADMIN))  # type: ignore[arg-type]
            await bot.slack.wait_for("chat.update")
            assert any(not w.dry_run for w in bot.kube.writes())

    asyncio.run(scenario())


def test_a_used_button_is_expired_and_acts_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, kube=_tikv_cluster()) as bot:
            posted = await _diagnose_tikv(bot)
            click = block_actions_from_message(
                posted,
                "remediate",
                user_id=ADMIN,  # type: ignore[arg-type]
                response_url=bot.slack.response_url(CHANNEL, posted.ts),
            )  # type: ignore[attr-defined]
            await bot.send(bot.requests.interaction(click))
            await bot.slack.wait_for("chat.update")
            real_writes = [w for w in bot.kube.writes() if not w.dry_run]
            await bot.send(bot.requests.interaction(click))  # the same (old) button again
            [expired] = await bot.slack.wait_for("response_url")
            assert "expired" in expired.params["text"].lower()
            assert [w for w in bot.kube.writes() if not w.dry_run] == real_writes

    asyncio.run(scenario())


def test_tampered_button_values_are_refused(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, kube=_tikv_cluster()) as bot:
            posted = await _diagnose_tikv(bot)
            genuine = block_actions_from_message(
                posted,
                "remediate",
                user_id=ADMIN,  # type: ignore[arg-type]
                response_url=bot.slack.response_url(CHANNEL, posted.ts),
            )  # type: ignore[attr-defined]
            value = genuine["actions"][0]["value"]
            forged_values = [
                value[:-2] + ("AA" if not value.endswith("AA") else "BB"),
                "x" + value,
                "kube-system/coredns",
                "A" * 5000,
                "",
            ]
            for forged in forged_values:
                payload = json.loads(json.dumps(genuine))
                payload["actions"][0]["value"] = forged
                assert (await bot.send(bot.requests.interaction(payload)))[0] == 200
            await bot.slack.wait_for("response_url", count=len(forged_values))
            assert bot.kube.writes() == []

    asyncio.run(scenario())


def test_a_rejected_pod_offers_recreating_it_and_dry_run_mode_only_dry_runs(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.out_of_pods(kube)
        async with running_bot(tmp_path, kube=kube, KUBEMEDIC_DRY_RUN="true") as bot:
            await bot.send(bot.requests.slash_command(f"pod {case.namespace}/{case.pod}"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            assert "too-many-pods" in block_text(posted.blocks)
            assert "Recreate the pod the kubelet rejected with OutOfpods" in block_text(
                posted.blocks
            )
            await bot.send(bot.requests.click(posted, "remediate", user_id=ADMIN))
            await bot.slack.wait_for("chat.update")
            assert bot.kube.writes() and all(w.dry_run for w in bot.kube.writes())

    asyncio.run(scenario())


def test_an_oomkilled_pod_gets_no_restart_button(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(bot.requests.slash_command(f"pod {case.namespace}/{case.pod}"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            ids = [
                e["action_id"]
                for b in posted.blocks
                if b["type"] == "actions"
                for e in b["elements"]
            ]
            assert not any(i.startswith("remediate") for i in ids), ids
            assert "memory limit" in block_text(posted.blocks)  # what to change instead

    asyncio.run(scenario())
