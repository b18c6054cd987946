"""Issue 83's HIGH: no webhook's text holds the event loop; /healthz and another user's request
are answered while the costliest delivery each route takes is being read.

One Alertmanager alert with a 200,000-character description made /healthz miss 10 of 11 probes
and left another user's /diagnose without an ack for 25 s: the payload was parsed and redacted
inside the request handler, and a PagerDuty page's custom details were redacted as its inbox
row was bound, both on the event loop. Each route is driven here over real HTTP on loopback,
signed as its vendor signs (Alertmanager's bearer token, PagerDuty's `v1=` HMAC, Opsgenie's
bearer secret, the Bot Framework's RS256 token, Slack's signature), with the costliest text it
takes (`key=` repeated, a key judged not secret, in every field up to the route's caps and body
limit). No time is asserted: the test waits for the event "a worker thread is reading the text"
(a thread other than the event loop's inside `within_budget`), then asks /healthz and a signed
slash command (a Teams activity for Teams), and asserts they were answered while that delivery
still had no answer. Read on the loop, the delivery would be answered before anything could see
it read elsewhere. A delivery read so fast that it is answered first proves nothing either way:
it is sent again, longer.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import aiohttp
import pytest

from bot.alerting.payload import ANNOTATION_CHARS, LABEL_CHARS
from bot.incidents.intake import DETAIL_CHARS
from bot.runtime import budget
from tests.hardening.costly_webhooks import (
    ANNOTATION,
    DETAIL,
    LABEL,
    alert_group,
    costly,
    opsgenie_details,
    pagerduty_details,
    slack_text,
    teams_text,
)
from tests.incidents.harness import OG_SECRET, PD_SECRET, running_paged_bot
from tests.slack.harness import Bot, running_bot
from tests.standins.opsgenie_api import bearer, webhook
from tests.standins.pagerduty_api import event, signed
from tests.teams.harness import running_teams_bot
from tests.waiting import until

pytestmark = pytest.mark.slow  # each route reads seconds of CPU on purpose

TOKEN = "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"
SETTINGS = {"KUBEMEDIC_TEXT_CPU_SECONDS": "3", "KUBEMEDIC_ALERT_CHANNEL": "C0ALERTS01"}
Send = Callable[[int], Awaitable[int]]
"""Sends the costly delivery `scale` times its base size; its HTTP status."""


def reading_off_loop() -> bool:
    """Whether a thread other than this one (the event loop's) is reading a text right now."""
    here = threading.get_ident()
    for ident, frame in sys._current_frames().items():
        at = frame if ident != here else None
        while at is not None:
            if at.f_code is budget.within_budget.__code__:
                return True
            at = at.f_back
    return False


async def answered_while_read(send: Send, others: Sequence[Callable[[], Awaitable[int]]]) -> None:
    """`others` are answered while the delivery `send` makes is read on a worker thread."""
    for scale in (1, 2, 4):
        delivery = asyncio.ensure_future(send(scale))
        await until(
            lambda: reading_off_loop() or delivery.done(),  # noqa: B023 (awaited in this turn)
            what="the delivery read on a worker thread, or answered",
        )
        if not delivery.done():
            statuses = [await other() for other in others]
            if not delivery.done():
                assert statuses == [200] * len(others)
                assert await delivery in (200, 202, 413)
                return
        assert await delivery in (200, 202, 413)
    pytest.fail("every delivery was answered before a worker thread was seen reading it")


async def get(url: str) -> int:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status


def slack_probes(bot: Bot) -> list[Callable[[], Awaitable[int]]]:
    async def slash() -> int:
        status, _ = await bot.send(bot.requests.slash_command("help", user_id="U0OTHER001"))
        return status

    return [lambda: get(f"{bot.url}/healthz"), slash]


async def test_alertmanager(tmp_path: Path) -> None:
    async with running_bot(tmp_path, KUBEMEDIC_ALERTMANAGER_TOKEN=TOKEN, **SETTINGS) as bot:

        async def send(scale: int) -> int:
            return (await bot.post_alert(alert_group(scale), token=TOKEN))[0]

        await answered_while_read(send, slack_probes(bot))


async def test_pagerduty(tmp_path: Path) -> None:
    async with running_paged_bot(tmp_path, **SETTINGS) as paged:

        async def send(scale: int) -> int:
            incident = paged.pagerduty.add_incident("down", details=pagerduty_details(scale))
            body = event(incident)
            return (await paged.deliver("/incidents/pagerduty", body, signed(body, PD_SECRET)))[0]

        await answered_while_read(send, slack_probes(paged.bot))


async def test_opsgenie(tmp_path: Path) -> None:
    async with running_paged_bot(tmp_path, **SETTINGS) as paged:

        async def send(_scale: int) -> int:
            alert = paged.opsgenie.add_alert(costly(1_024), details=opsgenie_details())
            return (await paged.deliver("/incidents/opsgenie", webhook(alert), bearer(OG_SECRET)))[
                0
            ]

        await answered_while_read(send, slack_probes(paged.bot))


async def test_slack_message(tmp_path: Path) -> None:
    async with running_bot(tmp_path, **SETTINGS) as bot:

        async def send(scale: int) -> int:
            return (await bot.send(bot.requests.message("C0GENERAL1", slack_text(scale))))[0]

        await answered_while_read(send, slack_probes(bot))


async def test_teams_message(tmp_path: Path) -> None:
    async with running_teams_bot(tmp_path, KUBEMEDIC_TEXT_CPU_SECONDS="3") as teams:

        async def send(scale: int) -> int:
            return (await teams.send(teams.bf.message(teams_text(scale))))[0]

        async def update() -> int:
            activity = {**teams.bf.message("hello"), "type": "conversationUpdate"}
            return (await teams.send(activity))[0]

        await answered_while_read(send, [lambda: get(f"{teams.url}/healthz"), update])


def test_the_costly_inputs_fill_the_routes_caps() -> None:
    assert (LABEL, ANNOTATION, DETAIL) == (LABEL_CHARS, ANNOTATION_CHARS, DETAIL_CHARS)
