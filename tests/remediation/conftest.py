"""Remediation tests: the real `kubernetes` client over HTTP against the API stand-in,
and the real SqlStore on a SQLite file. Plain `async def` tests run in a fresh loop."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cluster.gateway import KubeGateway
from bot.cluster.kubeconfig import connect
from bot.cluster.writer import KubeWriter
from bot.diagnosis.pod import Judge, judge_pod
from bot.evidence.runner import gather_pod_facts
from bot.remediation.buttons import PreparedButton
from bot.remediation.planning import Offer, offers
from bot.remediation.service import RemediationService
from bot.runtime import signing_key
from bot.settings import Settings
from bot.storage import SqlStore
from intents.matcher import Matcher
from responses.diagnosis import Diagnosis
from tests.standins.kube_api import KubeStandIn, RecordedRequest, start_in_thread, write_kubeconfig

CLUSTER = "prod"
ADMIN = "UADMIN"
FIXED = datetime(2024, 5, 14, 8, 30, 0, tzinfo=UTC)


@dataclass
class Clock:
    """A settable clock for TTLs and restartedAt stamps."""

    now: datetime = FIXED

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Kube:
    """The stand-in, a gateway (reader) to it and a writer sharing the gateway's client."""

    standin: KubeStandIn
    gateway: KubeGateway
    writer: KubeWriter
    clock: Clock = field(default_factory=Clock)

    def writes(self) -> list[RecordedRequest]:
        return self.standin.writes()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def kube(tmp_path: Path, clock: Clock) -> Iterator[Kube]:
    standin = KubeStandIn(latency=0.0)
    with start_in_thread(standin) as server:
        path = write_kubeconfig(tmp_path / "kubeconfig", {CLUSTER: server.url})
        gateway = connect(Settings(KUBECONFIG=str(path), KUBEMEDIC_KUBE_REQUEST_TIMEOUT=5.0))
        writer = KubeWriter.sharing(gateway, timeout=5.0, clock=clock)
        try:
            yield Kube(standin, gateway, writer, clock)
        finally:
            writer.close()
            gateway.close()


@pytest.fixture
def judge(matcher: Matcher) -> Judge:
    return Judge(matcher)


TEST_SIGNING_KEY = signing_key.generate()
"""The tests' signing key, as `serve` would have it (configured, or the one kept in its database)."""


def settings(**env: Any) -> Settings:
    """Settings for a test: a signing secret and key, one admin, and any overrides (by env name)."""
    base: dict[str, Any] = {
        "SLACK_SIGNING_SECRET": "test-secret",
        "KUBEMEDIC_SIGNING_KEY": TEST_SIGNING_KEY,
        "KUBEMEDIC_ADMINS": ADMIN,
    }
    return Settings(**{**base, **env})


@asynccontextmanager
async def sqlite_store(tmp_path: Path, **options: Any) -> AsyncIterator[SqlStore]:
    """A started SqlStore on a SQLite file under tmp_path."""
    folder = tmp_path / "db"
    folder.mkdir(exist_ok=True)
    store = SqlStore(f"sqlite+aiosqlite:///{folder / 'kubemedic.db'}", **options)
    await store.start()
    try:
        yield store
    finally:
        await store.close()


def as_fixes(diagnosis: Diagnosis) -> Diagnosis:
    """The diagnosis with its first finding's actions declared as fixes (as a team's own catalog may)."""
    top = diagnosis.findings[0]
    entry = replace(
        top.match.entry,
        remediation=[replace(a, effect="fixes") for a in top.match.entry.remediation],
    )
    return replace(
        diagnosis,
        findings=(replace(top, match=replace(top.match, entry=entry)), *diagnosis.findings[1:]),
    )


async def pod_offers(
    kube: Kube,
    judge: Judge,
    namespace: str,
    name: str,
    *,
    with_facts: bool = True,
    declared_fixes: bool = False,
    **env: Any,
) -> list[Offer]:
    """The offers for a pod; `declared_fixes`: as if the answer's actions were all declared fixes."""
    facts = await gather_pod_facts(kube.gateway, namespace, name)
    diagnosis = judge_pod(facts, judge=judge, cluster=kube.gateway.cluster_name)
    diagnosis = as_fixes(diagnosis) if declared_fixes else diagnosis
    return await offers(
        diagnosis, facts if with_facts else None, settings=settings(**env), reader=kube.gateway
    )


async def stored_buttons(
    service: RemediationService,
    found: list[Offer],
    *,
    diagnosis_id: str | None = "diag-1",
    channel: str | None = "C1",
    thread_ts: str | None = "111.1",
    user: str | None = "U0",
) -> list[PreparedButton]:
    """One button per offer, its pending action stored first, as the bot's ledger stores them
    (bot/runtime/ledger.py) before the buttons are shown."""
    prepared = service.unstored(
        diagnosis_id, found, channel=channel, thread_ts=thread_ts, user=user
    )
    for pending, _button in prepared:
        await service._store.create_pending_action(pending)
    return [button for _pending, button in prepared]
