"""The soak bench's memory run: the bot's RSS as it answers thousands of distinct pastes.

    python -m bench.soak_bench --distinct-pastes 10000 [--clients 20]

Every paste is new (an error from the soak's set with its own pod name, address, numbers, and
up to 200 log lines of its own: 0-16 KB), in a channel and from a user of its own, as the
soak's requests are; each client sends its next paste once the last one is answered. Whatever
the bot keeps per distinct text, channel or user shows here: printed, the bot's RSS before the
first paste, after the first 1,000 answers and after every further 1,000 up to the last, and
the growth from 1,000 to the last (target: flat, under +10%).
"""

from __future__ import annotations

import asyncio
import itertools
import random
import string
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import aiohttp

from bench.measure import proc_status_kb

if TYPE_CHECKING:
    from bench.soak_slack import CountingSlack
    from tests.standins.slack_requests import SlackRequests

STEP = 1000


@dataclass
class DistinctRun:
    """Closed-loop clients sending distinct pastes; RSS noted every STEP answers."""

    url: str
    slack: CountingSlack
    signer: SlackRequests
    pid: int
    errors: tuple[str, ...]
    total: int
    rng: random.Random = field(default_factory=lambda: random.Random(11))
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    answered: int = 0
    unanswered: int = 0
    rss_mb: dict[int, float] = field(default_factory=dict)

    def _word(self, size: int) -> str:
        return "".join(self.rng.choice(string.ascii_lowercase + string.digits) for _ in range(size))

    def paste(self) -> str:
        """An error from the soak's set, made distinct: its own pod, address, numbers and a line."""
        pod = f"{self._word(6)}-{self._word(10)}-{self._word(5)}"
        address = (
            f"10.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(256)}"
        )
        log = "".join(
            f"I{self.rng.randrange(10**6):06d} {self._word(8)}.go:{self.rng.randrange(999)}] "
            f"{self._word(10)} {self._word(14)} {self._word(30)}\n"
            for _ in range(self.rng.randrange(200))
        )
        return (
            f"pod {pod} on {address}, restart {self.rng.randrange(10**6)}:\n{log}{self.rng.choice(self.errors)}"
            f"\n{self._word(8)} {self._word(12)} failed after {self.rng.randrange(10**4)} ms ({self._word(20)})\n"
        )

    async def _one(self, session: aiohttp.ClientSession) -> None:
        number = next(self.ids)
        channel, ts = f"CDST{number:07d}", f"{int(time.time())}.{number:06d}"
        request = self.signer.message(channel, self.paste(), user="U" + channel[1:], ts=ts)
        async with session.post(
            f"{self.url}/slack/events", data=request.body, headers=request.headers
        ) as reply:
            await reply.read()
        if await self.slack.wait_answers(channel, 1, timeout=60):
            self.answered += 1
        else:
            self.unanswered += 1
        done = self.answered + self.unanswered
        if done % STEP == 0:
            self.rss_mb[done] = (proc_status_kb(self.pid, "VmRSS") or 0) / 1024
            print(f"  {done:,} distinct pastes: bot RSS {self.rss_mb[done]:.0f} MB", flush=True)

    async def run(self, clients: int) -> None:
        self.rss_mb[0] = (proc_status_kb(self.pid, "VmRSS") or 0) / 1024
        print(f"  before the first paste: bot RSS {self.rss_mb[0]:.0f} MB", flush=True)
        left = itertools.count()

        async def client(session: aiohttp.ClientSession) -> None:
            while next(left) < self.total:
                await self._one(session)

        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            await asyncio.gather(*(client(session) for _ in range(clients)))

    def report(self) -> dict[str, float]:
        first, last = (
            self.rss_mb.get(STEP, 0.0),
            self.rss_mb.get(max(self.rss_mb, default=STEP), 0.0),
        )
        growth = last / first - 1 if first else float("nan")
        print("\n| figure | value | target |\n|---|---|---|")
        print(
            f"| bot RSS at {STEP:,} -> {max(self.rss_mb, default=STEP):,} distinct pastes | {first:.0f} MB -> "
            f"{last:.0f} MB ({growth:+.1%}) | flat (< +10%) |"
        )
        print(
            f"| pastes answered / sent | {self.answered:,} / {self.answered + self.unanswered:,} | all |"
        )
        return {
            "rss_first_mb": first,
            "rss_last_mb": last,
            "rss_growth": growth,
            "answered": self.answered,
        }
