"""`kubemedic replay DIR --channel C`: a recorded incident's alerts and pages, posted into a channel
at their own pace (`--speed N`: N times faster), with the diagnoses each would have had.

The bot is the one `serve --from-*` runs (`compose`, the same doors and use cases), serving the
recording, and its clock is the recording's: it starts at the first alert's or page's own time
and runs `speed` times as fast as the wall clock, so every "since", every age and every page's
freshness is judged in the recording's time (one clock), and the cluster is judged at the
moment the recording was made (`--at`, else the time it shows). Each alert and page goes in
through its real door (POST /alertmanager, /incidents/<tool>, on a loopback port with secrets
made for the run), as its sender sends it. The bot keeps its state in a database of its own,
thrown away after, and writes no note on any incident tool unless `--write-incidents` is given.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

import aiohttp
from aiohttp import web
from pydantic import SecretStr

from bot.cluster.recording import Recording
from bot.commands.replay_events import Recorded, recorded_events
from bot.commands.serve_runtime import open_store, serving_knowledge
from bot.commands.serving import prove_token
from bot.errors import BadInput
from bot.incidents.signatures import SIGNATURE_HEADER, sign_pagerduty
from bot.metrics import Metrics
from bot.runtime.signing_key import generate
from bot.settings import Settings
from bot.slack.app import shared_session, web_client
from bot.storage.alert_records import AlertThread
from bot.storage.sql import SqlStore
from bot.web.server import http_runner
from bot.wiring.root import Kubemedic, compose
from bot.wiring.slack import SlackChat

SOURCES = ("alertmanager", "pagerduty", "opsgenie", "jsm")
SETTLE_SECONDS = 120.0
"""How long after the last event the messages may take to be posted (the chat's pace)."""


class ReplayClock:
    """The recording's time: `start` until the replay `begin`s, then `speed` times as fast as
    the wall clock (the bot's start-up takes none of the recording's time)."""

    def __init__(self, start: datetime, speed: float) -> None:
        self.start, self.speed, self._began = start, speed, 0.0

    def begin(self) -> None:
        self._began = time.monotonic()

    def __call__(self) -> datetime:
        if not self._began:
            return self.start
        return self.start + timedelta(seconds=(time.monotonic() - self._began) * self.speed)

    def wall_seconds_until(self, when: datetime) -> float:
        return max(0.0, (when - self()).total_seconds() / self.speed)


@dataclass(frozen=True)
class Replay:
    """What to replay where: `directory` (the recording, `recording` says of what kind and
    when), `channel`, `speed`, `write_incidents`."""

    directory: Path
    recording: Recording
    channel: str
    speed: float = 1.0
    write_incidents: bool = False


def replay_settings(settings: Settings, replay: Replay, database: Path) -> Settings:
    """The bot's settings for the run: the recording served, every alert and page to `channel`,
    secrets made for the run, a database of its own, no incident tool written unless asked."""
    source = f"from_{replay.recording.source}"
    update: dict[str, Any] = {
        source: str(replay.directory),
        "recorded_at": replay.recording.at,
        "alert_channel": replay.channel,
        "routing_file": None,
        "watch": False,
        "database_url": f"sqlite+aiosqlite:///{database}",
        "alertmanager_token": SecretStr(generate()),
        "pagerduty_webhook_secret": SecretStr(generate()),
        "opsgenie_webhook_secret": SecretStr(generate()),
        "jsm_webhook_secret": SecretStr(generate()),
        "slack_signing_secret": settings.slack_signing_secret or SecretStr(generate()),
    }
    if not replay.write_incidents:
        update |= {"pagerduty_token": None, "opsgenie_api_key": None, "jsm_api_token": None}
    return settings.model_copy(update=update)


async def replay_into_chat(settings: Settings, replay: Replay, out: TextIO) -> int:
    """Post every recorded alert and page at its time; how many messages were posted."""
    reader = replay.recording.open(now=settings.clock(), served=True)
    events = recorded_events(replay.directory, reader, fallback=settings.clock())
    if not events:
        raise BadInput(
            f"{replay.directory} holds no alerts (`amtool alert query -o json` among its outputs) "
            "and no pages (pages/pagerduty-*.json, opsgenie-*.json, jsm-*.json) to replay"
        )
    clock = ReplayClock(events[0].at, replay.speed)
    with tempfile.TemporaryDirectory(prefix="kubemedic-replay-") as scratch:
        settings = replay_settings(settings, replay, Path(scratch) / "replay.db")
        knowledge = serving_knowledge(settings)
        store, settings = await open_store(settings)
        client = web_client(settings, metrics := Metrics())
        try:
            async with shared_session(client):
                bot_user_id = await prove_token(client, settings.slack_api_url)
                chat = SlackChat(settings, bot_user_id=bot_user_id, client=client)
                bot = compose(
                    settings, chat=chat, matcher=knowledge.matcher, store=store, metrics=metrics,
                    clock=clock,
                )  # fmt: skip
                return await _run(bot, events, clock, out)
        finally:
            await store.close()


async def _run(
    bot: Kubemedic[SlackChat], events: list[Recorded], clock: ReplayClock, out: TextIO
) -> int:
    runner = http_runner(bot.web, idle_timeout=bot.settings.http_idle_timeout_seconds)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    assert bot.alerts is not None  # the channel and the receiver's token are set
    alerting = asyncio.get_running_loop().create_task(bot.alerts.run())
    try:
        async with aiohttp.ClientSession() as session:
            clock.begin()
            for event in events:
                await asyncio.sleep(clock.wall_seconds_until(event.at))
                answer = await _send(session, url, event, bot.settings)
                out.write(f"{event.at:%Y-%m-%d %H:%M:%S} {event.said}: {answer}\n")
        return await _posted(bot.store, clock, out)
    finally:
        alerting.cancel()
        await asyncio.gather(alerting, return_exceptions=True)
        await runner.shutdown()
        await bot.background.drain(10.0)
        await runner.cleanup()


async def _send(
    session: aiohttp.ClientSession, url: str, event: Recorded, settings: Settings
) -> str:
    """POST the event to its door as its sender does; the door's answer, in one line."""
    headers = {"Content-Type": "application/json"}
    if event.door == "alertmanager":
        assert settings.alertmanager_token is not None
        headers["Authorization"] = f"Bearer {settings.alertmanager_token.get_secret_value()}"
        path = "/alertmanager"
    else:
        secret = getattr(settings, f"{event.door}_webhook_secret").get_secret_value()
        if event.door == "pagerduty":
            headers[SIGNATURE_HEADER] = sign_pagerduty(event.body, secret)
        else:
            headers["Authorization"] = f"Bearer {secret}"
        path = f"/incidents/{event.door}"
    async with session.post(f"{url}{path}", data=event.body, headers=headers) as answer:
        return f"{answer.status} {' '.join((await answer.text()).split())[:120]}"


async def _posted(store: SqlStore, clock: ReplayClock, out: TextIO) -> int:
    """Wait (bounded) until every message is posted and every note due written; how many
    messages were posted."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while (threads := await _settled(store, clock)) is None and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    threads = threads or await _threads(store)
    posted = sum(t.message_ts is not None for t in threads)
    missing = len(threads) - posted
    out.write(f"{posted} message{'s' if posted != 1 else ''} posted")
    out.write(f"; {missing} not posted (see the log)\n" if missing else "\n")
    return posted


async def _settled(store: SqlStore, clock: ReplayClock) -> list[AlertThread] | None:
    """The messages when every one is posted and no delivery or note waits; else None.

    The inbox is read first: a delivery is finished only after its thread is stored, so once
    the inbox is empty every thread is there to read (read the other way round, a delivery
    finished between the two reads left its thread unread, and unposted)."""
    if await store.pending_alerts():
        return None
    threads = await _threads(store)
    if any(t.message_ts is None for t in threads) or await store.due_incidents(now=clock()):
        return None
    return threads


async def _threads(store: SqlStore) -> list[AlertThread]:
    return [t for source in SOURCES for t in await store.open_threads(source=source)]
