"""`kubemedic serve --mattermost` refuses to start in one line when it cannot work, and proves the
bot account before serving (a rejected token: exit 2; an unreachable server: exit 1)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

from bot.commands.serving_mattermost import prove_account
from bot.errors import BadInput, ServiceUnavailable
from bot.mattermost.client import MattermostClient
from tests.standins.mattermost_api import MattermostStandIn, running_mattermost


def test_serve_mattermost_without_its_settings_exits_2_naming_them() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KUBEMEDIC_", "SLACK_"))}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--mattermost"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert "KUBEMEDIC_MATTERMOST_URL and KUBEMEDIC_MATTERMOST_TOKEN are not set" in line


def test_a_rejected_token_stops_start_up_and_names_mattermost_s_error() -> None:
    async def scenario() -> None:
        mm = MattermostStandIn()
        async with running_mattermost(mm) as url:
            client = MattermostClient(url, "not-the-bot-token")
            with pytest.raises(
                BadInput,
                match="Mattermost rejected KUBEMEDIC_MATTERMOST_TOKEN: api.context.session",
            ):
                await prove_account(client)
            assert (await MattermostClient(url, mm.state.bot_token).me())["username"] == "kubemedic"
            await client.close()

    asyncio.run(scenario())


def test_an_unreachable_server_is_retried_then_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.commands.serving_mattermost.STARTUP_BACKOFF", (0.01,))

    async def scenario() -> None:
        client = MattermostClient("http://127.0.0.1:9", "token")
        with pytest.raises(
            ServiceUnavailable, match="cannot reach Mattermost at http://127.0.0.1:9"
        ):
            await prove_account(client)
        await client.close()

    asyncio.run(scenario())
