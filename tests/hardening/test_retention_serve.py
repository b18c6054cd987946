"""Retention end to end: `serve` prunes at start-up, and refused clicks cannot flood the audit log."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.storage.records import AuditRecord, DiagnosisRecord, utcnow
from bot.storage.sql import SqlStore
from tests.observability.test_metrics import value
from tests.slack.harness import SECRET, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.bot_process import BotProcess
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.waiting import PATIENCE


@pytest.mark.parametrize(("window", "rows"), [("10", 1), ("0", 20)])
def test_refused_clicks_are_audited_once_per_window(tmp_path: Path, window: str, rows: int) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.out_of_pods(kube)
        async with running_bot(
            tmp_path, kube=kube, KUBEMEDIC_REFUSAL_AUDIT_WINDOW_MINUTES=window
        ) as bot:
            await bot.send(
                bot.requests.slash_command(
                    f"pod {case.namespace}/{case.pod}", channel_id="C0RET00001"
                )
            )
            [posted] = await bot.slack.wait_for("chat.postMessage")
            for _ in range(20):
                await bot.send(bot.requests.click(posted, "remediate", user_id="U0MALLORY1"))
            refusals = await bot.slack.wait_for("response_url", count=20)
            assert all(
                r.params["response_type"] == "ephemeral" for r in refusals
            )  # each one is told
            store = bot.kubemedic.store
            assert isinstance(store, SqlStore)
            assert len(await store.list_audit(outcome="refused")) == rows
            assert bot.kube.writes() == []
            _, metrics = await bot.get("/metrics")
            assert (
                value(
                    metrics,
                    "kubemedic_remediation_actions_total",
                    kind="delete-pod",
                    outcome="refused",
                )
                == 20
            )  # every refusal still counted

    asyncio.run(scenario())


def test_serve_prunes_what_is_past_retention_at_start_up(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    now = utcnow()

    async def seed() -> None:
        store = SqlStore(url)
        await store.start()
        await store.save_diagnosis(
            DiagnosisRecord(id="d-old", subject="paste", created_at=now - timedelta(days=40))
        )
        await store.save_diagnosis(DiagnosisRecord(id="d-new", subject="paste", created_at=now))
        await store.write_audit(
            AuditRecord(
                id="a-old",
                user="U1",
                kind="delete-pod",
                outcome="done",
                created_at=now - timedelta(days=400),
            )
        )
        await store.close()

    async def left() -> tuple[bool, bool, bool]:
        store = SqlStore(url)
        await store.start()
        try:
            return (
                await store.get_diagnosis("d-old") is None,
                await store.get_diagnosis("d-new") is not None,
                await store.get_audit("a-old") is None,
            )
        finally:
            await store.close()

    asyncio.run(seed())
    slack = SlackStandIn(bot_token="xoxb-kubemedic-test")
    with start_slack(slack) as server:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-kubemedic-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.api_url,
            "KUBECONFIG": str(tmp_path / "no-kubeconfig"),
            "KUBEMEDIC_DATABASE_URL": url,
        }
        with BotProcess(env, tmp_path / "serve.log").wait_ready() as bot:
            deadline = time.monotonic() + PATIENCE
            # the rows go first, the log line says so after the commit: wait for both
            while asyncio.run(left()) != (True, True, True) or "retention deleted" not in bot.log():
                assert time.monotonic() < deadline, bot.log()
                time.sleep(0.2)
