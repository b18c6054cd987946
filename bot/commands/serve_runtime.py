"""The serving runtime every `serve` path shares: Slack (serving.py), Mattermost
(serving_mattermost.py) and the worker processes of one replica (workers.py).

Start-up (the catalog before anything connects, the database, a settled heap, the HTTP
server on KUBEMEDIC_LISTEN_HOST) and the graceful stop (SIGTERM/SIGINT: /readyz fails from then
on, stop reading, let in-flight work finish within DRAIN_SECONDS while this replica's leases
are renewed, hand what is left to the other replicas) are written once here, so the chats
differ only in how they connect.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web

from bot.errors import ServiceUnavailable
from bot.fleet.agent_main import stop_on_signals
from bot.fleet.hub import FleetHub
from bot.knowledge import Knowledge, load_knowledge, refuse_if_strict
from bot.remediation.stored_key import with_signing_key
from bot.runtime.background import Background
from bot.runtime.shared_buckets import SharedBuckets
from bot.runtime.slots import SharedSlots
from bot.runtime.work import WorkQueue
from bot.settings import Settings
from bot.storage.base import StoreError
from bot.storage.retention import run_retention
from bot.storage.sql import SqlStore, store_for
from bot.web.server import READINESS, http_runner
from bot.wiring.alerts import AlertParts

log = logging.getLogger(__name__)

DRAIN_SECONDS = 20.0
"""In-flight work gets this long to finish after SIGTERM."""
STARTUP_BACKOFF = (1.0, 2.0)
"""Seconds between attempts to reach the chat at start-up while it cannot be reached."""
YOUNG_OBJECTS_PER_COLLECTION = 10_000
"""Allocations between two collections of the youngest generation (Python's default is 700)."""


@dataclass
class Worker:
    """What one worker process gets from the parent (workers.py)."""

    index: int
    knowledge: Knowledge
    shared: SharedBuckets
    slots: SharedSlots
    """The replica's queue slots (this worker takes `slots.of_worker(index)`)."""
    _ready: int
    """The write end of a pipe: a byte on it tells the parent this worker serves."""

    def started(self) -> None:
        os.write(self._ready, b"1")
        os.close(self._ready)


class Served(Protocol):
    """The parts of a composed bot that the runtime starts and stops."""

    @property
    def background(self) -> Background: ...
    @property
    def work(self) -> WorkQueue: ...
    @property
    def alerts(self) -> AlertParts | None: ...
    @property
    def fleet(self) -> FleetHub | None: ...


class Connection(Protocol):
    """A chat connection that reads events (Socket Mode, Mattermost's WebSocket)."""

    async def stop(self) -> None: ...


def serving_knowledge(settings: Settings) -> Knowledge:
    """The catalog; a broken user file stops start-up only with KUBEMEDIC_CATALOG_STRICT."""
    knowledge = load_knowledge(settings)
    refuse_if_strict(settings, knowledge)
    for problem in knowledge.problems:
        log.warning("catalog: %s", problem)
    if knowledge.problems:
        log.warning(
            "serving without the broken catalog entries (%d problem(s)); "
            "KUBEMEDIC_CATALOG_STRICT=true refuses to start instead",
            len(knowledge.problems),
        )
    return knowledge


async def open_store(settings: Settings) -> tuple[SqlStore, Settings]:
    """The started store, and `settings` with the key to sign with (configured, else the one the
    bot keeps in this database: bot/remediation/stored_key.py)."""
    store = store_for(settings)
    try:
        await store.start()
        return store, await with_signing_key(settings, store)
    except StoreError as exc:
        await store.close()
        raise ServiceUnavailable(f"cannot open the database: {exc}") from exc


def settle_heap() -> None:
    """Keep the cyclic garbage collector off what lives as long as the process.

    The catalog index, the modules and the bot's wiring are frozen out of the
    collector's sight, and the youngest objects are collected every 10,000
    allocations instead of 700 (the older generations half as often as by
    default): in a 30 s storm the collector took 2.05 s of the bot's CPU
    (947 collections), 0.80 s after this (372), with memory as flat
    (`python -m bench.soak_bench --shape storm`).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS_PER_COLLECTION, 20, 20)


async def start_http(
    app: web.Application, settings: Settings, *, port: int, reuse_port: bool = False
) -> web.AppRunner:
    """Settle the heap of the bot just built, then serve `app` on KUBEMEDIC_LISTEN_HOST:PORT
    (`reuse_port`: the workers of one replica each listen on it, and the kernel spreads
    connections over them)."""
    settle_heap()
    runner = http_runner(app, idle_timeout=settings.http_idle_timeout_seconds, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, settings.listen_host, port, reuse_port=reuse_port).start()
    return runner


async def _draining() -> str:
    return "draining: this replica is shutting down"


async def run_until_stopped(
    bot: Served,
    *,
    settings: Settings,
    store: SqlStore,
    runner: web.AppRunner,
    connection: Connection | None,
) -> None:
    """Run the work queue, retention, alerts and the fleet until SIGTERM, then stop in order."""
    stop = stop_on_signals()
    loop = asyncio.get_running_loop()
    sweeping = loop.create_task(bot.work.run(stop))
    pruning = loop.create_task(run_retention(store, settings, stop))
    alerting = loop.create_task(bot.alerts.run()) if bot.alerts is not None else None
    fleet = loop.create_task(bot.fleet.run(stop)) if bot.fleet is not None else None
    await stop.wait()
    # no sweep renews this replica's leases from now on: keep them through the stop delay and drain
    drained = asyncio.Event()
    renewing = loop.create_task(bot.work.renew_until(drained))
    runner.app[READINESS].insert(0, _draining)  # traffic and agents go to the replicas that stay
    listening = loop.create_task(asyncio.sleep(settings.stop_delay_seconds))
    log.info("shutting down: finishing in-flight work")
    if connection is not None:
        await connection.stop()
    if fleet is not None:
        await fleet  # closes the agents' connections: they dial another replica at once
    await listening  # until the Service has seen /readyz fail: nothing arrives at a closed port
    await runner.shutdown()
    await sweeping
    await pruning
    if alerting is not None:
        alerting.cancel()  # gives the alert lease up: another replica leads at once
        with contextlib.suppress(asyncio.CancelledError):
            await alerting
    await bot.background.drain(DRAIN_SECONDS)
    drained.set()
    await renewing
    await bot.work.release()
    await runner.cleanup()
