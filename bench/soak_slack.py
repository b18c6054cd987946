"""The soak bench's Slack stand-in, which tells the bench's loop about every answered call, and
the errors its simulated users paste (bench/soak_bench.py, soak_storm.py, soak_distinct.py)."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from typing import Any

from aiohttp import web

from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_record import RecordedCall

ANSWER_TIMEOUT = 60.0
ANSWERING = ("chat.postMessage", "chat.update", "response_url")
OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
TIKV = (
    '[2024/05/14 08:27:51.512 +00:00] [FATAL] [server.rs:1045] ["failed to start node: '
    'Other(\\"[components/raftstore/src/store/node.rs:350]: cluster ID mismatch, local 7262388432156321285 '
    "!= remote 7339127044327413962, you are trying to connect to another cluster, please reconnect to "
    'the correct PD\\")"]'
)
ERRORS = (
    OOM,
    "tikv keeps dying:\n" + TIKV,
    "Warning  BackOff  kubelet  Back-off restarting failed container\n" + OOM,
)


class CountingSlack(SlackStandIn):
    """The Slack stand-in, telling the bench's loop about every answered call, by channel."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.by_channel: dict[str, list[RecordedCall]] = defaultdict(list)
        self._waiters: dict[str, asyncio.Event] = {}

    def _done(
        self, rec: RecordedCall, status: int, body: dict[str, Any], resp: web.Response
    ) -> web.Response:
        answered = super()._done(rec, status, body, resp)
        if self.loop is not None and not self.loop.is_closed() and rec.method in ANSWERING:
            self.loop.call_soon_threadsafe(self._note, rec)
        return answered

    def _note(self, rec: RecordedCall) -> None:
        channel = rec.channel
        if rec.method == "response_url":
            channel = (self.hooks.get(rec.response_url_id or "") or {}).get("channel")
        if channel:
            self.by_channel[channel].append(rec)
            self._waiters.setdefault(channel, asyncio.Event()).set()

    def answers(self, channel: str) -> list[RecordedCall]:
        return [c for c in self.by_channel.get(channel, []) if c.status == 200]

    async def wait_answers(
        self, channel: str, count: int, timeout: float = ANSWER_TIMEOUT
    ) -> list[RecordedCall]:
        """The channel's answered calls once there are `count` (fewer after `timeout`)."""
        deadline = time.monotonic() + timeout
        while (
            len(found := self.answers(channel)) < count
            and (left := deadline - time.monotonic()) > 0
        ):
            event = self._waiters.setdefault(channel, asyncio.Event())
            event.clear()
            try:
                await asyncio.wait_for(event.wait(), timeout=min(left, 1.0))
            except TimeoutError:
                pass
        return found
