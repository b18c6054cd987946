"""Issue 83's LOW: a byte outside ASCII in an auth header gets 401 and one log line, never a 500.

aiohttp decodes a header's bytes past 0x7f with `surrogateescape`; encoding such a text, or
handing it to `hmac.compare_digest`, raised, and the request got an unauthenticated 500 and a
traceback in the log, on /alertmanager, both incident routes and /teams/messages. Each route is
sent its auth header over a raw socket (an HTTP client would refuse to send such bytes) with a
valid UTF-8 `é` and with an invalid byte.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.incidents.harness import running_paged_bot
from tests.mattermost.harness import running_mattermost_bot
from tests.teams.harness import running_teams_bot

BYTES = (b"t\xc3\xa9-token", b"t\xff-token")
"""`té-token` (valid UTF-8, not ASCII) and an invalid byte."""


async def raw_post(url: str, path: str, header: bytes) -> int:
    """POST `{}` to `path` with `header` (a whole header line) as it is; the status."""
    where = urlsplit(url)
    reader, writer = await asyncio.open_connection(where.hostname, where.port)
    body = b"{}"
    writer.write(
        b"POST " + path.encode() + b" HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
        b"\r\n" + header + b"\r\nContent-Length: 2\r\nConnection: close\r\n\r\n" + body
    )
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return int(answer.split(b" ", 2)[1])


def refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if "refused" in record.getMessage()]


async def test_each_webhook_route_answers_401_with_one_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    headers = {
        "/alertmanager": b"Authorization: Bearer ",
        "/incidents/pagerduty": b"X-PagerDuty-Signature: v1=",
        "/incidents/opsgenie": b"Authorization: Bearer ",
    }
    async with running_paged_bot(
        tmp_path,
        KUBEMEDIC_ALERTMANAGER_TOKEN="kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv",
        KUBEMEDIC_ALERT_CHANNEL="C0ALERTS01",
    ) as paged:
        for path, header in headers.items():
            for value in BYTES:
                caplog.clear()
                with caplog.at_level(logging.INFO):
                    assert await raw_post(paged.bot.url, path, header + value) == 401, path
                assert len(refusals(caplog)) == 1, (path, [r.getMessage() for r in caplog.records])
                assert not any(record.exc_info for record in caplog.records)


async def test_teams_and_mattermost_answer_401_with_one_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_teams_bot(tmp_path / "teams") as teams:
        for value in BYTES:
            caplog.clear()
            with caplog.at_level(logging.INFO):
                header = b"Authorization: Bearer eyJ" + value
                assert await raw_post(teams.url, "/teams/messages", header) == 401
            assert len(refusals(caplog)) == 1 and not any(r.exc_info for r in caplog.records)
    async with running_mattermost_bot(tmp_path / "mm") as mm:
        for value in BYTES:
            caplog.clear()
            with caplog.at_level(logging.INFO):
                header = b"Authorization: Token " + value
                assert await raw_post(mm.url, "/mattermost/command", header) == 401
            assert not any(r.exc_info for r in caplog.records)
