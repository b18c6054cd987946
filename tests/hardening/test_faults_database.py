"""Issue 7 "Faults", the database side: down (PostgreSQL behind a proxy that is shut after
start) or locked (SQLite, another connection holding BEGIN EXCLUSIVE).

Diagnoses do not need the database: pasted errors and /diagnose still get
their answer (without de-duplication, repeat tracking or buttons - logged).
Remediation does: a click is refused with a clear private message because
the audit row cannot be written, and the cluster receives no write. The
liveness probe stays 200; readiness drops to 503 when the database does not
answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.slack.harness import ADMIN, Bot, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.storage.backends import fresh_postgres_database
from tests.storage.conftest import postgres_base_url

CHANNEL = "C0GENERAL1"
OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a server; `shut()` closes the port and every connection,
    as a database server that went away would."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def shut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        await self._server.wait_closed()


@asynccontextmanager
async def proxied(url: str) -> AsyncIterator[tuple[str, TcpProxy]]:
    parsed = make_url(url)
    proxy = TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432)
    await proxy.start()
    try:
        yield parsed.set(port=proxy.port).render_as_string(hide_password=False), proxy
    finally:
        if proxy._server is not None and proxy._server.is_serving():
            await proxy.shut()


async def _diagnosis_with_button(bot: Bot, pod: str) -> object:
    await bot.send(bot.requests.slash_command(f"pod default/{pod}", channel_id=CHANNEL))
    [posted] = await bot.slack.wait_for("chat.postMessage")
    assert "too-many-pods" in block_text(posted.blocks)
    assert "remediate" in json.dumps(
        posted.blocks
    )  # the button was offered while the database was up
    return posted


async def _answers_without_the_database(bot: Bot, pod: str, *, posted_before: int) -> None:
    """A paste and a command are still acked and answered."""
    status, _ = await bot.send(bot.requests.message(CHANNEL, OOM, ts="1700000900.000100"))
    assert status == 200
    replies = await bot.slack.wait_for("chat.postMessage", count=posted_before + 1)
    assert replies[-1].params["thread_ts"] == "1700000900.000100"
    assert "oom-killed" in block_text(replies[-1].blocks)
    status, body = await bot.send(
        bot.requests.slash_command(f"pod default/{pod}", channel_id=CHANNEL)
    )
    assert status == 200 and "Diagnosing" in json.loads(body)["text"]
    answers = await bot.slack.wait_for("chat.postMessage", count=posted_before + 2)
    assert "too-many-pods" in block_text(answers[-1].blocks)
    assert "remediate" not in json.dumps(answers[-1].blocks)  # no stored action, so no button


async def _click_is_refused(bot: Bot, posted: object, *, says: str) -> None:
    replies_before = len(bot.slack.calls_to("response_url"))
    status, _ = await bot.send(bot.requests.click(posted, "remediate", user_id=ADMIN))  # type: ignore[arg-type]
    assert status == 200
    replies = await bot.slack.wait_for("response_url", count=replies_before + 1)
    refusal = replies[-1].params
    assert refusal["response_type"] == "ephemeral"
    assert says in refusal["text"] and "nothing was changed" in refusal["text"].lower(), refusal
    await bot.settle()
    assert bot.kube.writes() == []  # not even the dry run
    assert bot.slack.calls_to("chat.update") == []


def test_postgres_down_after_start(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    base = postgres_base_url()

    async def scenario(url: str) -> None:
        kube = KubeStandIn(latency=0.0)
        pod = str(scenarios.out_of_pods(kube).pod)
        async with (
            proxied(url) as (via_proxy, proxy),
            running_bot(tmp_path, kube=kube, database_url=via_proxy) as bot,
        ):
            posted = await _diagnosis_with_button(bot, pod)
            assert (await bot.get("/readyz"))[0] == 200
            await proxy.shut()
            status, text = await bot.get("/readyz")
            assert status == 503 and "database unavailable" in text
            assert (await bot.get("/healthz"))[0] == 200
            await _answers_without_the_database(bot, pod, posted_before=1)
            await _click_is_refused(bot, posted, says="Cannot read the stored action")
            assert (await bot.get("/healthz"))[0] == 200

    with (
        fresh_postgres_database(base, prefix="kubemedic_faults") as url,
        caplog.at_level(logging.WARNING),
    ):
        asyncio.run(scenario(url))
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "database unavailable" in logged  # each skipped write is logged


def test_sqlite_locked_by_another_connection(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        pod = str(scenarios.out_of_pods(kube).pod)
        # each write waits 0.25 s for the lock instead of the store's 5 s: the same failures, sooner
        async with running_bot(tmp_path, kube=kube, store_timeout=0.25) as bot:
            posted = await _diagnosis_with_button(bot, pod)
            lock = sqlite3.connect(
                tmp_path / "kubemedic.db", isolation_level=None, check_same_thread=False
            )
            # off the loop: the bot may be finishing a write, and must be able to
            await asyncio.to_thread(
                lock.execute, "BEGIN EXCLUSIVE"
            )  # WAL: readers go on, writers wait
            try:
                assert (await bot.get("/healthz"))[0] == 200
                # readiness reads, and WAL readers are not blocked: a held write lock is
                # transient, so the replica stays in service (writes fail fast and are logged)
                assert (await bot.get("/readyz"))[0] == 200
                await _answers_without_the_database(bot, pod, posted_before=1)
                await _click_is_refused(bot, posted, says="Cannot write the audit log")
            finally:
                lock.execute("ROLLBACK")
                lock.close()

    with caplog.at_level(logging.WARNING):
        asyncio.run(scenario())
    assert "database is locked" in " ".join(r.getMessage() for r in caplog.records)
