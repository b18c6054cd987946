"""The Mattermost stand-in refuses what Mattermost refuses, so the bot's tests against it mean something:
a wrong token, an action id Mattermost cannot route, a sixth post to a response_url, a dialog
opened after its trigger expired, posting where the bot is not a member; and clients never read a
button's private context."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from bot.mattermost.client import MattermostClient, MattermostError
from tests.standins.mattermost_api import MattermostStandIn, running_mattermost
from tests.standins.mattermost_state import HOOK_USES, TRIGGER_MS

CHANNEL = "chgeneral0000000000000000c"
OUTSIDE = "choutside0000000000000000c"


def _run(check: Any) -> None:
    async def scenario() -> None:
        mm = MattermostStandIn()
        mm.state.add_user("aliceuser000000000000000a2", "alice")
        mm.state.add_channel(CHANNEL, "general", members=("aliceuser000000000000000a2",))
        mm.state.add_channel(OUTSIDE, "outside", type="P", bot=False)
        async with running_mattermost(mm) as url:
            client = MattermostClient(url, mm.state.bot_token)
            try:
                await check(mm, client, url)
            finally:
                await client.close()

    asyncio.run(scenario())


async def _error(call: Any) -> MattermostError:
    try:
        await call
    except MattermostError as exc:
        return exc
    raise AssertionError("the stand-in accepted it")


def test_a_wrong_token_is_401_with_mattermost_s_error_id() -> None:
    async def check(mm: MattermostStandIn, client: MattermostClient, url: str) -> None:
        error = await _error(MattermostClient(url, "wrong").me())
        assert (error.status, error.error) == (401, "api.context.session_expired.app_error")

    _run(check)


def test_action_ids_must_be_alphanumeric_and_contexts_never_reach_clients() -> None:
    async def check(mm: MattermostStandIn, client: MattermostClient, url: str) -> None:
        action = {
            "name": "Go",
            "integration": {"url": "http://127.0.0.1:9/x", "context": {"secret": "s"}},
        }
        error = await _error(
            client.create_post(
                CHANNEL,
                "m",
                props={"attachments": [{"actions": [{**action, "id": "feedback_helpful"}]}]},
            )
        )
        assert error.status == 400
        posted = await client.create_post(
            CHANNEL, "m", props={"attachments": [{"actions": [{**action, "id": "go1"}]}]}
        )
        read = await client.get_post(str(posted["id"]))
        assert "integration" not in read["props"]["attachments"][0]["actions"][0]

    _run(check)


def test_posting_needs_membership_and_a_response_url_takes_five_posts() -> None:
    async def check(mm: MattermostStandIn, client: MattermostClient, url: str) -> None:
        assert (await _error(client.create_post(OUTSIDE, "m"))).status in (403, 404)
        hook = f"{url}/hooks/commands/{mm.state.hook_for(CHANNEL, 'aliceuser000000000000000a2')}"
        for _ in range(HOOK_USES):
            await client.post_json(hook, {"text": "ok"})
        assert (await _error(client.post_json(hook, {"text": "one too many"}))).status == 400

    _run(check)


def test_a_dialog_opens_only_with_a_fresh_trigger() -> None:
    async def check(mm: MattermostStandIn, client: MattermostClient, url: str) -> None:
        dialog = {"title": "Confirm", "elements": []}
        trigger = mm.state.trigger("aliceuser000000000000000a2")
        await client.open_dialog(trigger, "http://127.0.0.1:9/d", dialog)
        assert (
            await _error(client.open_dialog(trigger, "http://127.0.0.1:9/d", dialog))
        ).status == 400  # used
        stale = mm.state.trigger("aliceuser000000000000000a2")
        user, made = mm.state.triggers[stale]
        mm.state.triggers[stale] = (user, made - TRIGGER_MS - 1)
        assert (
            await _error(client.open_dialog(stale, "http://127.0.0.1:9/d", dialog))
        ).status == 400

    _run(check)


def test_the_websocket_refuses_a_wrong_token_and_says_hello_to_the_right_one() -> None:
    async def check(mm: MattermostStandIn, client: MattermostClient, url: str) -> None:
        async with aiohttp.ClientSession() as session:
            try:
                await session.ws_connect(
                    client.websocket_url, headers={"Authorization": "Bearer wrong"}
                )
                raise AssertionError("connected with a wrong token")
            except aiohttp.WSServerHandshakeError as exc:
                assert exc.status == 401
            async with session.ws_connect(
                client.websocket_url
            ) as socket:  # the challenge instead of a header
                await socket.send_json(
                    {
                        "seq": 1,
                        "action": "authentication_challenge",
                        "data": {"token": mm.state.bot_token},
                    }
                )
                assert (await socket.receive_json())["status"] == "OK"
                assert (await socket.receive_json())["event"] == "hello"

    _run(check)
