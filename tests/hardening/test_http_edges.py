"""HTTP edges (issue 12): malformed timestamps, slow clients, clicks without a channel.

Raw sockets on loopback against the real aiohttp app (and one real
`kubemedic serve --http`, to prove serve wires the timeouts): what a client
sends byte by byte is what the server sees, with no HTTP library smoothing it.
"""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.storage.sql import SqlStore
from tests.slack.harness import ADMIN, SECRET, Bot, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.bot_process import BotProcess
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import block_actions_from_message
from tests.waiting import PATIENCE

TIMEOUTS = {"KUBEMEDIC_HTTP_IDLE_TIMEOUT_SECONDS": "2", "KUBEMEDIC_HTTP_BODY_TIMEOUT_SECONDS": "1"}


async def _raw(url: str, data: bytes, *, read_timeout: float = 5.0) -> bytes:
    """Send `data` on a fresh connection and return everything the server answers."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(data)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(), read_timeout)
    finally:
        writer.close()


def _request(headers: dict[str, bytes], body: bytes = b"command=%2Fdiagnose&text=help") -> bytes:
    head = b"POST /slack/events HTTP/1.1\r\nHost: kubemedic\r\n"
    head += b"Content-Type: application/x-www-form-urlencoded\r\n"
    head += b"Content-Length: " + str(len(body)).encode() + b"\r\n"
    for name, value in headers.items():
        head += name.encode() + b": " + value + b"\r\n"
    return head + b"\r\n" + body


@pytest.mark.parametrize(
    "timestamp",
    [
        b"1" * 5000,  # int() of it raised: HTTP 500 and a traceback
        "١٧٠٠٠٠٠٠٠٠".encode(),  # Arabic-Indic digits: str.isdigit() is True
        "1700000000²".encode(),  # a superscript digit: isdigit() True, int() fails
        b"1" * 13,  # longer than Unix seconds get for 30,000 years
        b"+1700000000",
        b"-1",
        b"0x65",
        b"",
    ],
)
def test_a_malformed_timestamp_header_gets_401(tmp_path: Path, timestamp: bytes) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            answer = await _raw(
                bot.url,
                _request(
                    {
                        "X-Slack-Request-Timestamp": timestamp,
                        "X-Slack-Signature": b"v0=" + b"0" * 64,
                        "Connection": b"close",
                    }
                ),
            )
            assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
            assert b"Traceback" not in answer
            assert (await bot.send(bot.requests.slash_command("help")))[0] == 200  # still serving

    asyncio.run(scenario())


async def _drip(url: str, data: bytes, every: float, limit: float) -> tuple[float, bytes]:
    """Send one byte every `every` seconds; (seconds until the server ended it, its answer)."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    started = time.monotonic()
    answer = b""
    try:
        for byte in data:
            writer.write(bytes([byte]))
            await writer.drain()
            try:
                chunk = await asyncio.wait_for(reader.read(65536), every)
            except TimeoutError:
                if time.monotonic() - started > limit:
                    raise AssertionError(f"still connected after {limit} s") from None
                continue
            answer += chunk
            if not chunk or answer:
                break
        answer += await asyncio.wait_for(reader.read(), 3)
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()
    return time.monotonic() - started, answer


def test_slow_clients_are_dropped_while_others_are_served(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, **TIMEOUTS) as bot:
            signed = bot.requests.slash_command("help")
            headers = {
                k: v.encode() for k, v in signed.headers.items() if k.lower() != "content-type"
            }
            request = _request(headers, signed.body)
            body_at = request.index(b"\r\n\r\n") + 4
            slow_head = asyncio.create_task(
                _drip(bot.url, request[:body_at], every=0.4, limit=PATIENCE)
            )
            # a complete head, then the body a byte at a time
            slow_body = asyncio.create_task(_drip_body(bot, request, body_at))
            await asyncio.sleep(0.3)
            assert (await bot.send(bot.requests.slash_command("help")))[0] == 200  # not held up
            head_seconds, head_answer = await slow_head
            body_seconds, body_answer = await slow_body
            assert head_seconds >= 1.5, head_seconds  # the 2 s idle timeout closed it
            assert head_answer == b""  # closed without a response: it never sent a request
            assert body_seconds >= 0.8, body_seconds  # the 1 s body timeout
            assert body_answer.startswith(b"HTTP/1.1 408"), body_answer[:100]
            assert b"Connection: close" in body_answer

    async def _drip_body(bot: Bot, request: bytes, body_at: int) -> tuple[float, bytes]:
        parts = urlsplit(bot.url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.write(request[:body_at])
        await writer.drain()
        seconds, answer = await _drip_rest(reader, writer, request[body_at:])
        return seconds, answer

    async def _drip_rest(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, rest: bytes
    ) -> tuple[float, bytes]:
        started = time.monotonic()
        answer = b""
        try:
            for byte in rest:
                writer.write(bytes([byte]))
                await writer.drain()
                try:
                    answer = await asyncio.wait_for(reader.read(65536), 0.4)
                except TimeoutError:
                    assert time.monotonic() - started < PATIENCE, "still connected"
                    continue
                break
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
        return time.monotonic() - started, answer

    asyncio.run(scenario())


def test_serve_drops_a_client_dripping_its_headers(tmp_path: Path) -> None:
    """The real `kubemedic serve --http` applies the idle timeout from its settings."""
    slack = SlackStandIn(bot_token="xoxb-kubemedic-test")
    with start_slack(slack) as server:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-kubemedic-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.api_url,
            "KUBECONFIG": str(tmp_path / "no-kubeconfig"),
            "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            **TIMEOUTS,
        }
        with BotProcess(env, tmp_path / "serve.log").wait_ready() as bot:
            with socket.create_connection(("127.0.0.1", bot.port), timeout=10) as sock:
                started = time.monotonic()
                closed = False
                for byte in (
                    b"POST /slack/events HTTP/1.1\r\nHost: kubemedic\r\nX-Slack-Padding: "
                    + b"a" * 40
                ):
                    try:
                        sock.sendall(bytes([byte]))
                        sock.settimeout(0.4)
                        closed = sock.recv(1024) == b""
                    except TimeoutError:
                        continue
                    except OSError:
                        closed = True
                    if closed:
                        break
                seconds = time.monotonic() - started
            assert closed and seconds >= 1.5, seconds  # by the 2 s idle timeout
            assert "Traceback" not in bot.log()


def test_a_click_without_a_channel_is_refused(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.out_of_pods(kube)
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(
                bot.requests.slash_command(
                    f"pod {case.namespace}/{case.pod}", channel_id="C0EDGE0001"
                )
            )
            [posted] = await bot.slack.wait_for("chat.postMessage")
            click = block_actions_from_message(
                posted,
                "remediate",
                user_id=ADMIN,
                response_url=bot.slack.response_url("C0EDGE0001", posted.ts),
            )
            del click["channel"]
            click["container"].pop("channel_id")
            assert (await bot.send(bot.requests.interaction(click)))[0] == 200
            [refusal] = await bot.slack.wait_for("response_url")
            assert refusal.params["response_type"] == "ephemeral"
            assert "not valid" in refusal.params["text"]
            await bot.settle()  # the click is handled: nothing was written
            assert bot.kube.writes() == []
            store = bot.kubemedic.store
            assert isinstance(store, SqlStore)
            assert [(row.outcome, row.reason) for row in await store.list_audit(limit=5)] == [
                ("refused", "stored action invalid or clicked outside its channel")
            ]
            # the same button clicked in its own channel still works
            await bot.send(bot.requests.click(posted, "remediate", user_id=ADMIN))
            await bot.slack.wait_for("chat.update")
            assert [w for w in bot.kube.writes() if not w.dry_run]

    asyncio.run(scenario())
