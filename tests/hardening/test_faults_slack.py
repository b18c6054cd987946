"""Issue 7 "Faults", the Slack side: the Web API throttles, fails or cannot be reached.

A 429 with Retry-After is waited out and the answer is posted once; a
persistent 500 is logged, the asker is told privately, and the next request
is served; a Web API that cannot be reached at all costs no crash and the
liveness probe stays 200.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from pathlib import Path

import pytest

from tests.slack.harness import block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn

CHANNEL = "C0INCIDENT1"
OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _oom_cluster() -> tuple[KubeStandIn, str]:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.oom_killed_deployment(kube)
    return kube, f"pod {case.namespace}/{case.pod}"


def test_rate_limited_post_is_retried_after_retry_after_and_posted_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube, command = _oom_cluster()
        async with running_bot(tmp_path, kube=kube) as bot:
            bot.slack.rate_limit("chat.postMessage", times=1, retry_after=1)
            await bot.send(bot.requests.slash_command(command))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            assert "oom-killed" in block_text(posted.blocks)
            # a pasted error in a thread goes through the same client: also once
            bot.slack.rate_limit("chat.postMessage", times=1, retry_after=1)
            await bot.send(bot.requests.message(CHANNEL, OOM, ts="1700000100.000100"))
            await bot.slack.wait_for("chat.postMessage", count=2)
            await bot.settle()
            calls = bot.slack.calls_to("chat.postMessage")
            assert [c.status for c in calls] == [429, 200, 429, 200]
            assert calls[1].at - calls[0].at >= 0.9  # Retry-After honoured
            replies = [c for c in calls if c.ok and c.params.get("channel") == CHANNEL]
            assert len(replies) == 1 and replies[0].params["thread_ts"] == "1700000100.000100"

    asyncio.run(scenario())


def test_persistent_500_is_logged_told_privately_and_the_next_request_is_served(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        kube, command = _oom_cluster()
        async with running_bot(tmp_path, kube=kube) as bot:
            broken = bot.slack.fail("chat.postMessage", 500, times=None)
            status, _ = await bot.send(bot.requests.slash_command(command))
            assert status == 200
            [told] = await bot.slack.wait_for("response_url")
            assert "could not post" in told.params["text"].lower(), told.params
            assert "fatal_error" in told.params["text"]
            assert told.params["response_type"] == "ephemeral"
            assert broken.hits == 3  # the first try and two retries, then it gives up
            assert (await bot.get("/healthz"))[0] == 200
            bot.slack.clear_faults()
            await bot.send(bot.requests.slash_command(command))
            posted = await bot.slack.wait_for("chat.postMessage")
            assert "oom-killed" in block_text(posted[-1].blocks)

    with caplog.at_level(logging.WARNING):
        asyncio.run(scenario())
    assert any("fatal_error" in record.getMessage() for record in caplog.records)


def test_unreachable_web_api_is_no_crash_and_healthz_stays_200(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        kube, command = _oom_cluster()
        dead = f"http://127.0.0.1:{closed_port()}/api/"
        async with running_bot(tmp_path, kube=kube, SLACK_API_URL=dead) as bot:
            for request in (
                bot.requests.slash_command(command),
                bot.requests.message(CHANNEL, OOM),
                bot.requests.slash_command("help"),
            ):
                status, _ = await bot.send(request)
                assert status in (
                    200,
                    500,
                )  # bolt cannot authorize without auth.test: no answer, no crash
            assert (await bot.get("/healthz"))[0] == 200
            assert (await bot.get("/readyz"))[
                0
            ] == 200  # the database is fine; Slack is not ours to probe
            await bot.settle()
            assert bot.slack.calls == []  # nothing reached the (real) stand-in
        # the same process, a second bot with Slack back: answers as usual
        async with running_bot(tmp_path / "again", kube=kube) as bot:
            await bot.send(bot.requests.slash_command(command))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            assert "oom-killed" in block_text(posted.blocks)

    with caplog.at_level(logging.WARNING):
        asyncio.run(scenario())
    assert any("Cannot connect to host" in record.getMessage() for record in caplog.records)


def test_unreachable_web_api_after_start_drops_the_answer_but_keeps_serving(tmp_path: Path) -> None:
    # auth.test succeeded once (cached); then Slack goes away mid-flight, then comes back
    async def scenario() -> None:
        kube, command = _oom_cluster()
        async with running_bot(tmp_path, kube=kube) as bot:
            status, body = await bot.send(bot.requests.slash_command("help"))
            assert status == 200 and "/diagnose pod" in block_text(json.loads(body)["blocks"])
            bot.slack.fail("chat.postMessage", 503, times=None)
            bot.slack.fail("response_url", 503, times=None)
            assert (await bot.send(bot.requests.slash_command(command)))[0] == 200
            await bot.slack.wait_for("response_url", ok=False, count=1)
            assert (await bot.get("/healthz"))[0] == 200
            bot.slack.clear_faults()
            await bot.send(bot.requests.slash_command(command))
            await bot.slack.wait_for("chat.postMessage")

    asyncio.run(scenario())
