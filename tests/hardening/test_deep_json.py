"""Issue 24 (LOW): a deeply nested JSON delivery to /alertmanager gets 400 with one line, not a
500 with a RecursionError traceback; the receiver keeps working."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.alerts.payloads import body, group
from tests.alerts.test_receiver import CHANNEL, SETTINGS, TOKEN, oom_cluster
from tests.slack.harness import running_bot


@pytest.mark.parametrize(
    "document",
    [
        b'{"version":"4","alerts":' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        b'{"version":"4","groupKey":"g","status":"firing","alerts":[],"commonLabels":{"x":'
        + b'{"a":' * 300
        + b"1"
        + b"}" * 300
        + b"}}",
    ],
    ids=["50,000 deep", "300 deep in an ignored place"],
)
async def test_deep_json_to_the_receiver_is_a_one_line_400(
    tmp_path: Path, document: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    kube, crash = oom_cluster()
    async with running_bot(tmp_path, kube=kube, **SETTINGS) as bot:
        status, text = await bot.post_alert(document, token=TOKEN)
        assert status == 400 and text.count("\n") == 1 and "nested more than 64 levels" in text, (
            text
        )
        assert await bot.post_alert(body(group(crash)), token=TOKEN) == (200, "ok\n")
        await bot.slack.wait_for("chat.postMessage", predicate=lambda c: c.channel == CHANNEL)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
