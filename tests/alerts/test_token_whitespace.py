"""Issue 51 item 8: KUBEMEDIC_ALERTMANAGER_TOKEN from a Secret made from a file ends in a newline;
Alertmanager's header never carries one, so every delivery was refused. The token is stripped."""

from __future__ import annotations

from pathlib import Path

from tests.alerts.payloads import body, group
from tests.alerts.test_receiver import CHANNEL, SETTINGS, TOKEN, oom_cluster
from tests.slack.harness import running_bot


async def test_a_token_with_a_trailing_newline_accepts_alertmanagers_header(tmp_path: Path) -> None:
    kube, crash = oom_cluster()
    async with running_bot(
        tmp_path, kube=kube, **{**SETTINGS, "KUBEMEDIC_ALERTMANAGER_TOKEN": f"{TOKEN}\n"}
    ) as bot:
        assert await bot.post_alert(body(group(crash)), token=TOKEN) == (200, "ok\n")
        await bot.slack.wait_for("chat.postMessage", predicate=lambda c: c.channel == CHANNEL)
        assert (await bot.post_alert(body(group(crash)), token=f"{TOKEN}x"))[
            0
        ] == 401  # still checked


async def test_a_blank_token_leaves_the_receiver_off(tmp_path: Path) -> None:
    async with running_bot(tmp_path, **{**SETTINGS, "KUBEMEDIC_ALERTMANAGER_TOKEN": "\n"}) as bot:
        assert (await bot.post_alert(b"{}", token=""))[0] == 404
