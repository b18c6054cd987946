"""An agent's reports on one connection: every one the hub has not confirmed, then each new one.

A report stays in the forwarder's outbox until the hub says `Noted` (bot/fleet/forwarding.py);
one still unconfirmed `RESEND_SECONDS` after it was sent (the hub's database was down) is sent
again, and whatever a closed connection could not send goes on the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import aiohttp

from bot.fleet.forwarding import Forwarder

RESEND_SECONDS = 30.0
"""A report the hub has not confirmed this long after it was sent is sent again."""


async def report_while_open(socket: aiohttp.ClientWebSocketResponse, forwarder: Forwarder) -> None:
    """Send the forwarder's unconfirmed reports, then each new one, while `socket` is open."""
    sent: dict[str, float] = {}
    while not socket.closed:
        forwarder.queued.clear()
        now = time.monotonic()
        sent = {id: at for id, at in sent.items() if id in forwarder.outbox}
        for message in forwarder.pending(
            after={id for id, at in sent.items() if now - at < RESEND_SECONDS}
        ):
            try:
                await socket.send_str(message.model_dump_json())
            except (ConnectionError, RuntimeError, aiohttp.ClientError):
                return  # sent again on the next connection
            sent[message.id] = now
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(RESEND_SECONDS / 2):
                await forwarder.queued.wait()
