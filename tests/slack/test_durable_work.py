"""Work a dead replica acked is finished by another: commands answered, clicks never acted twice.

A "dead replica" here is a work item left in the shared database with an
expired lease, exactly what a killed process leaves behind; the live bot's
sweep takes it over. tests/replicas runs the same with real processes.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.logs import REQUEST_ID
from bot.remediation.tokens import BUTTONS, signing_keys, verify
from bot.storage.records import AuditRecord, WorkItem
from tests.slack.harness import ADMIN, Bot, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_requests import block_actions_from_message

CHANNEL = "C0GENERAL1"


async def _left_by_a_dead_replica(
    bot: Bot, kind: str, payload: dict[str, Any], key: str = "1"
) -> None:
    now = bot.kubemedic.clock()
    assert await bot.kubemedic.store.accept_work(
        WorkItem(
            id=f"{kind}:{key}",
            kind=kind,
            payload=payload,
            owner="dead-replica",
            lease_until=now - timedelta(seconds=1),
            created_at=now - timedelta(seconds=30),
        )
    )


def _tikv() -> tuple[KubeStandIn, str]:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.tikv_cluster_id_mismatch(kube)
    return kube, str(case.pod)


async def _click_payload(bot: Bot, pod: str) -> tuple[dict[str, Any], str]:
    """Diagnose the TiKV pod; the stored form of an admin's click on its remediation button."""
    await bot.send(bot.requests.slash_command(f"pod tidb/{pod}", channel_id=CHANNEL))
    [posted] = await bot.slack.wait_for("chat.postMessage")
    click = block_actions_from_message(
        posted,
        "remediate",
        user_id=ADMIN,  # type: ignore[arg-type]
        response_url=bot.slack.response_url(CHANNEL, posted.ts),
    )  # type: ignore[attr-defined]
    stored = {
        "signed_button": click["actions"][0]["value"],
        "user_id": ADMIN,
        "channel": CHANNEL,
        "ts": posted.ts,
        "thread_ts": None,
        "text": "diagnosis",  # type: ignore[attr-defined]
        "blocks": posted.blocks,
        "response_url": click["response_url"],
    }  # type: ignore[attr-defined]
    return stored, click["actions"][0]["value"]


def test_a_command_acked_by_a_dead_replica_is_answered_once(
    tmp_path: Path, database_url: str
) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        async with running_bot(tmp_path, kube=kube, database_url=database_url) as bot:
            url = bot.slack.response_url(CHANNEL, user_id="U0ALICE001")
            await _left_by_a_dead_replica(
                bot,
                "command",
                {
                    "text": f"pod {case.namespace}/{case.pod}",
                    "channel_id": CHANNEL,
                    "user_id": "U0ALICE001",
                    "response_url": url,
                },
            )
            taken = await bot.kubemedic.work.sweep()
            assert [item.id for item in taken] == ["command:1"]
            assert await bot.kubemedic.work.sweep() == []
            answers = await bot.slack.wait_for("chat.postMessage")
            await bot.kubemedic.background.drain(5)
            assert len(bot.slack.calls_to("chat.postMessage")) == len(answers) == 1
            assert "oom-killed" in str(answers[0].params)
            done = await bot.kubemedic.store.get_work("command:1")
            assert done is not None and done.done_at is not None

    asyncio.run(scenario())


def test_a_click_that_never_started_is_carried_out_on_takeover(
    tmp_path: Path, database_url: str
) -> None:
    async def scenario() -> None:
        kube, pod = _tikv()
        async with running_bot(tmp_path, kube=kube, database_url=database_url) as bot:
            stored, _ = await _click_payload(bot, pod)
            await _left_by_a_dead_replica(bot, "click", stored)
            await bot.kubemedic.work.sweep()
            await bot.slack.wait_for("chat.update")
            assert [w for w in bot.kube.writes() if not w.dry_run]
            outcomes = [row.outcome for row in await bot.kubemedic.store.list_audit()]
            assert outcomes == ["done"]

    asyncio.run(scenario())


def test_a_click_interrupted_mid_action_is_reported_not_repeated(
    tmp_path: Path, database_url: str
) -> None:
    async def scenario() -> None:
        kube, pod = _tikv()
        async with running_bot(tmp_path, kube=kube, database_url=database_url) as bot:
            stored, value = await _click_payload(bot, pod)
            store = bot.kubemedic.store
            pending_id = verify(value, signing_keys(bot.kubemedic.settings, BUTTONS))
            assert pending_id is not None
            # What the dead replica got done: the "started" audit row, then the consume.
            await store.write_audit(
                AuditRecord(
                    user=ADMIN,
                    kind="delete-pvc-and-pod",
                    target={},
                    channel=CHANNEL,
                    action_id=pending_id,
                    outcome="started",
                )
            )
            assert await store.consume_pending_action(pending_id, user=ADMIN) is not None
            await _left_by_a_dead_replica(bot, "click", stored)
            await bot.kubemedic.work.sweep()
            await bot.slack.wait_for("chat.postMessage", count=2)
            note = bot.slack.calls_to("chat.postMessage")[-1]
            assert "may or may not have been made" in note.params["text"]
            assert note.params["thread_ts"] == stored["ts"]
            assert [w for w in bot.kube.writes() if not w.dry_run] == []  # not acted a second time
            assert [row.outcome for row in await store.list_audit()] == ["interrupted"]

    asyncio.run(scenario())


def test_a_burst_of_requests_is_stored_and_each_answered_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            work = bot.kubemedic.work
            assert work is not None
            seen: list[str] = []
            logged_as: dict[str, str | None] = {}

            @work.handler("probe")
            async def probe(payload: dict[str, Any], attempt: int) -> None:
                seen.append(payload["n"])
                logged_as[payload["n"]] = REQUEST_ID.get()

            keys = [str(n) for n in range(40)] + ["7", "7"]  # a request delivered three times
            await asyncio.gather(*(work.submit("probe", key, {"n": key}) for key in keys))
            await bot.kubemedic.background.drain(5)
            assert sorted(seen) == sorted(str(n) for n in range(40))
            assert logged_as["3"] == "probe:3"  # outside a Slack request: the work item's id
            for key in ("0", "7", "39"):
                stored = await bot.kubemedic.store.get_work(f"probe:{key}")
                assert stored is not None and stored.done_at is not None

    asyncio.run(scenario())
