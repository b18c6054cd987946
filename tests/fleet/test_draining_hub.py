"""A hub replica from SIGTERM on (issue 68): not ready, no agent welcomed, what is in flight drained.

`kubemedic serve --hub` as a real process: after SIGTERM its /readyz answers 503, `/fleet/connect`
answers 503 with Retry-After (its agents dial a replica that stays), its agents' connections are
closed, and the ask it was waiting on still ends with its asker told. It listens where
KUBEMEDIC_LISTEN_HOST says, not on every interface.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp

from bot.fleet import tokens
from bot.fleet.wire import PATH, Hello
from bot.runtime.clock import utc_now
from bot.storage.sql import SqlStore
from tests.slack.harness import BOT_TOKEN, SECRET
from tests.standins.bot_process import BotProcess
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import SlackRequests, post_sync


async def _issue(url: str) -> str:
    store = SqlStore(url)
    await store.start()
    try:
        issued = tokens.issue("prod", now=utc_now())
        await store.add_token(issued.record)
        return issued.text
    finally:
        await store.close()


def _get(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _reachable(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex((host, port)) == 0


def test_a_draining_hub_is_not_ready_refuses_agents_and_drains_what_is_in_flight(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    token = asyncio.run(_issue(url))
    slack = SlackStandIn(bot_token=BOT_TOKEN)
    with start_slack(slack) as server:
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.api_url,
            "KUBECONFIG": "",
            "KUBEMEDIC_DATABASE_URL": url,
            "KUBEMEDIC_LISTEN_HOST": "127.0.0.1",
            "KUBEMEDIC_FLEET_ANSWER_SECONDS": "4",
        }
        with BotProcess(env, tmp_path / "hub.log", args=("--hub",)).wait_ready() as hub:
            assert not _reachable("127.0.0.2", hub.port)  # loopback's other addresses: not bound
            requests = SlackRequests(SECRET, standin=slack)

            async def scenario() -> None:
                auth = {"Authorization": f"Bearer {token}"}
                async with aiohttp.ClientSession() as session:
                    agent = await session.ws_connect(hub.url + PATH, headers=auth)
                    await agent.send_str(Hello(version="raw").model_dump_json())
                    assert json.loads((await agent.receive(timeout=10)).data)["type"] == "welcome"
                    ask = requests.slash_command("pod prod:shop/web-0", channel_id="C0DRAIN001")
                    status, _ = await asyncio.to_thread(
                        post_sync, f"{hub.url}/slack/events", ask.body, ask.headers
                    )
                    assert status == 200
                    sent = json.loads((await agent.receive(timeout=10)).data)
                    assert sent["type"] == "ask"
                    await agent.send_str(json.dumps({"type": "accepted", "id": sent["id"]}))
                    await asyncio.sleep(0.5)  # the hub recorded that the agent took it
                    hub.process.send_signal(signal.SIGTERM)
                    closed = await agent.receive(timeout=10)
                    assert closed.type == aiohttp.WSMsgType.CLOSE and closed.data == 1001
                    ready = await asyncio.to_thread(_get, f"{hub.url}/readyz")
                    assert ready[0] == 503 and "draining" in ready[1]
                    try:
                        await session.ws_connect(hub.url + PATH, headers=auth)
                    except aiohttp.WSServerHandshakeError as exc:
                        assert exc.status == 503 and exc.headers is not None
                        assert exc.headers.get("Retry-After") == "1"
                    else:
                        raise AssertionError("a draining replica welcomed an agent")

            asyncio.run(scenario())
            [told] = slack.wait_for_sync("response_url", timeout=30)
            assert "did not answer within 4 s" in str(told.params.get("text"))
            deadline = time.monotonic() + 30
            while hub.process.poll() is None:
                assert time.monotonic() < deadline, hub.log()
                time.sleep(0.1)
            assert hub.process.returncode == 0, hub.log()
