"""Drive the real slack_sdk clients and a real bolt AsyncApp against the Slack stand-in."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import pytest
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ConfirmObject, SectionBlock
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from . import slack_events as ev
from .slack_api import BOT_USER_ID, SlackStandIn, running_slack_standin, start_in_thread
from .slack_requests import SlackRequests, block_actions_from_message, post, sign

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-1234-5678-standin"
INC = "C0INC00001"
T = TypeVar("T")


def run(main: Callable[[], Awaitable[T]]) -> T:
    """Run ``main`` on a fresh loop and check it left no task behind."""

    async def checked() -> T:
        result = await asyncio.wait_for(main(), 12)
        await asyncio.sleep(0)
        left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert not left, f"leaked tasks: {left}"
        return result

    return asyncio.run(checked())


@asynccontextmanager
async def client_for(si: SlackStandIn, **kw: Any) -> AsyncIterator[AsyncWebClient]:
    async with running_slack_standin(si):
        yield AsyncWebClient(token=TOKEN, base_url=si.api_url, **kw)


def remediation_blocks() -> list[dict[str, Any]]:
    confirm = ConfirmObject(
        title="Delete pod?", text="Deletes pod tidb/basic-tikv-1.", confirm="Delete", deny="Cancel"
    )
    return [
        SectionBlock(text="*tikv-cluster-id-mismatch* (high)").to_dict(),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text="Delete PVC and pod",
                    action_id="remediate:delete-pvc",
                    value="pa_7Qx2",
                    style="danger",
                    confirm=confirm,
                ),
                ButtonElement(text="Helpful", action_id="feedback:helpful", value="fb_1"),
            ]
        ).to_dict(),
    ]


def test_post_update_thread_pins_and_history() -> None:
    si = SlackStandIn(bot_token=TOKEN)
    si.add_channel(
        INC,
        "inc-tikv",
        members=["U0ALICE001"],
        history=[{"user": "U0ALICE001", "text": "tikv down"}],
    )

    async def main() -> None:
        async with client_for(si) as client:
            auth = await client.auth_test()
            assert (auth["user_id"], auth["bot_id"]) == (BOT_USER_ID, si.bot_id)
            posted = await client.chat_postMessage(
                channel=INC, text="diagnosing…", blocks=remediation_blocks()
            )
            ts = posted["ts"]
            assert posted["channel"] == INC and posted["message"]["bot_id"] == si.bot_id
            assert all(
                b.get("block_id") for b in posted["message"]["blocks"]
            )  # Slack fills block_ids
            await client.chat_update(
                channel=INC, ts=ts, text="done", blocks=[SectionBlock(text="done")]
            )
            reply = await client.chat_postMessage(channel=INC, thread_ts=ts, text="details")
            hist = await client.conversations_history(channel=INC)
            assert [m["text"] for m in hist["messages"]] == ["done", "tikv down"]  # newest first
            assert hist["messages"][0]["reply_count"] == 1 and hist["has_more"] is False
            thread = await client.conversations_replies(channel=INC, ts=ts)
            assert [m["ts"] for m in thread["messages"]] == [ts, reply["ts"]]
            await client.pins_add(channel=INC, timestamp=ts)
            pins = await client.pins_list(channel=INC)
            assert pins["items"][0]["message"]["ts"] == ts
            link = await client.chat_getPermalink(channel=INC, message_ts=reply["ts"])
            assert link["permalink"].endswith(f"?thread_ts={ts}&cid={INC}")
            await client.reactions_add(channel=INC, name="eyes", timestamp=ts)
            eph = await client.chat_postEphemeral(channel=INC, user="U0ALICE001", text="only you")
            assert si.ephemerals(INC)[0]["ts"] == eph["message_ts"]
            info = await client.conversations_info(channel=INC)
            assert info["channel"]["name"] == "inc-tikv" and info["channel"]["is_member"] is True
            assert (await client.users_info(user="U0ALICE001"))["user"]["id"] == "U0ALICE001"
            await client.chat_delete(channel=INC, ts=reply["ts"])
            assert si.thread(INC, ts) == []
            with pytest.raises(SlackApiError) as err:
                await client.pins_add(channel=INC, timestamp=ts)
            assert err.value.response["error"] == "already_pinned"
            bad = AsyncWebClient(token="xoxb-wrong", base_url=si.api_url)
            with pytest.raises(SlackApiError, match="invalid_auth"):
                await bad.auth_test()
        assert si.calls_to("chat.postMessage")[0].blocks[1]["elements"][0]["value"] == "pa_7Qx2"
        assert si.calls_to("chat.postMessage")[0].headers["Authorization"] == f"Bearer {TOKEN}"

    run(main)


def test_form_encoded_call_decodes_blocks_and_views_open() -> None:
    si = SlackStandIn()

    async def main() -> None:
        async with client_for(si) as client:
            await client.api_call(
                "chat.postMessage",
                data={"channel": INC, "text": "form", "blocks": json.dumps(remediation_blocks())},
            )
            view = await client.views_open(
                trigger_id="1.2.abc",
                view={
                    "type": "modal",
                    "title": {"type": "plain_text", "text": "Confirm"},
                    "blocks": [],
                },
            )
            assert view["view"]["id"].startswith("V")
        [call] = si.calls_to("chat.postMessage")
        assert call.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
        assert call.blocks[1]["elements"][0]["action_id"] == "remediate:delete-pvc"

    run(main)


def test_rate_limit_is_retried_by_slack_sdk_handler() -> None:
    si = SlackStandIn()
    si.rate_limit("chat.postMessage", times=1, retry_after=0)

    async def main() -> None:
        async with client_for(
            si, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)]
        ) as client:
            resp = await client.chat_postMessage(channel=INC, text="after 429")
            assert resp["ok"]
        attempts = si.calls_to("chat.postMessage")
        assert [c.status for c in attempts] == [429, 200]
        assert attempts[0].response == {"ok": False, "error": "ratelimited"}
        assert [m["text"] for m in si.messages(INC)] == ["after 429"]

    run(main)


def test_rate_limit_headers_and_server_errors() -> None:
    si = SlackStandIn()

    async def main() -> None:
        async with client_for(si) as client:
            si.rate_limit("conversations.history", retry_after=30)
            with pytest.raises(SlackApiError) as err:
                await client.conversations_history(channel=INC)
            assert (
                err.value.response.status_code == 429
                and err.value.response.headers["Retry-After"] == "30"
            )
            si.fail("chat.postMessage", status=500)
            with pytest.raises(SlackApiError) as err:
                await client.chat_postMessage(channel=INC, text="x")
            assert err.value.response.status_code == 500
            si.fail("chat.postMessage", status=503)
            retrying = AsyncWebClient(
                token=TOKEN,
                base_url=si.api_url,
                retry_handlers=[AsyncServerErrorRetryHandler(max_retry_count=1)],
            )
            assert (await retrying.chat_postMessage(channel=INC, text="y"))["ok"]
            si.error("conversations.info", "channel_not_found")
            with pytest.raises(SlackApiError, match="channel_not_found"):
                await client.conversations_info(channel=INC)
            assert (await client.conversations_info(channel=INC))["ok"]  # times=1 used up
        assert [c.status for c in si.calls_to("chat.postMessage")] == [500, 503, 200]

    run(main)


def test_history_pagination_over_2500_messages() -> None:
    si = SlackStandIn()
    si.add_channel(
        INC,
        "inc-big",
        history=[
            {"user": "U0ALICE001", "text": f"line {i}", "ts": f"{1700000000 + i}.000100"}
            for i in range(2500)
        ],
    )

    async def main() -> None:
        async with client_for(si) as client:
            pages: list[dict[str, Any]] = []  # the SDK reuses one response object: copy each page
            async for page in await client.conversations_history(channel=INC, limit=200):
                pages.append(dict(page.data))
            window = await client.conversations_history(
                channel=INC, oldest="1700000010.000100", latest="1700000020.000100", inclusive=True
            )
        texts = [m["text"] for p in pages for m in p["messages"]]
        assert len(pages) == 13 and texts == [f"line {i}" for i in reversed(range(2500))]
        assert pages[0]["has_more"] and not pages[-1]["has_more"]
        assert [m["text"] for m in window["messages"]] == [f"line {i}" for i in range(20, 9, -1)]

    run(main)


def test_sync_webclient_against_threaded_server() -> None:
    si = SlackStandIn()
    before = threading.active_count()
    with start_in_thread(si) as server:
        client = WebClient(token=TOKEN, base_url=server.api_url)
        resp = client.chat_postMessage(channel=INC, text="from a thread")
        assert resp["ts"] == si.messages(INC)[0]["ts"]
        [call] = si.wait_for_sync("chat.postMessage")
        assert call.ok and call.text == "from a thread"
        si.delay("users.info", 0.2)
        started = time.monotonic()
        client.users_info(user="U0ALICE001")
        assert time.monotonic() - started >= 0.2
        with pytest.raises(AssertionError, match="chat.update"):
            si.wait_for_sync("chat.update", timeout=0.05)
    assert threading.active_count() == before


def test_signatures_verify_with_slack_sdk() -> None:
    rq = SlackRequests(SECRET)
    verifier = SignatureVerifier(SECRET)
    req = rq.slash_command("pod shop/web-0")
    assert verifier.is_valid_request(req.body, req.headers)
    assert req.payload["command"] == "/diagnose" and req.payload["text"] == "pod shop/web-0"
    for bad in (
        rq.tampered(req),
        rq.tampered(req, b"web-0", b"web-1"),
        rq.bad_signature(req),
        rq.stale(req),
    ):
        assert not verifier.is_valid_request(bad.body, bad.headers)
    headers = sign(b"{}", SECRET, timestamp=1531420618)
    assert (
        verifier.is_valid(b"{}", "1531420618", headers["X-Slack-Signature"]) is False
    )  # stale on purpose
    fixed = SignatureVerifier(
        SECRET, clock=type("C", (), {"now": staticmethod(lambda: 1531420620.0)})()
    )
    assert fixed.is_valid(b"{}", "1531420618", headers["X-Slack-Signature"])
    event = rq.event(
        ev.message_event(INC, "U0ALICE001", "OOMKilled"), event_id="Ev0SAME0001", retry_num=1
    )
    assert verifier.is_valid_request(event.body, event.headers)
    assert (
        event.headers["X-Slack-Retry-Num"] == "1"
        and event.headers["X-Slack-Retry-Reason"] == "http_timeout"
    )
    assert event.payload["event_id"] == "Ev0SAME0001"
    assert event.payload["authorizations"][0] == {
        "enterprise_id": None,
        "team_id": rq.team_id,
        "user_id": BOT_USER_ID,
        "is_bot": True,
        "is_enterprise_install": False,
    }


def test_block_actions_built_from_posted_button() -> None:
    si = SlackStandIn()
    rq = SlackRequests(SECRET, standin=si)

    async def main() -> None:
        async with client_for(si) as client:
            await client.chat_postMessage(
                channel=INC, text="diagnosis", blocks=remediation_blocks()
            )
            [call] = await si.wait_for("chat.postMessage")
            req = rq.click(call, "remediate", user_id="U0ADMIN001")
            payload = req.payload
            [action] = payload["actions"]
            posted_actions = call.message["blocks"][1]
            assert action["value"] == "pa_7Qx2" and action["action_id"] == "remediate:delete-pvc"
            assert action["block_id"] == posted_actions["block_id"] and action["type"] == "button"
            assert payload["container"] == {
                "type": "message",
                "message_ts": call.ts,
                "channel_id": INC,
                "is_ephemeral": False,
            }
            assert payload["message"]["blocks"] == call.message["blocks"]
            assert payload["user"]["id"] == "U0ADMIN001" and payload["channel"]["id"] == INC
            by_value = block_actions_from_message(call, "fb_1")
            assert by_value["actions"][0]["action_id"] == "feedback:helpful"
            with pytest.raises(LookupError, match="remediate:delete-pvc"):
                block_actions_from_message(call, "nope")
            # the click's response_url replaces the original message, like Slack
            await AsyncWebhookClient(payload["response_url"]).send(
                text="Deleted pod", replace_original=True
            )
            replaced = si.message(INC, str(call.ts)) or {}
            assert replaced["text"] == "Deleted pod" and "blocks" not in replaced

    run(main)


# ---------------------------------------------------------------------- the whole loop with bolt


@asynccontextmanager
async def bolt_server(app: AsyncApp) -> AsyncIterator[str]:
    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", handle)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/slack/events"
    finally:
        await runner.cleanup()


def test_bolt_app_end_to_end() -> None:
    si = SlackStandIn(bot_token=TOKEN)
    rq = SlackRequests(SECRET, standin=si)

    async def main() -> None:
        async with running_slack_standin(si):
            app = AsyncApp(
                signing_secret=SECRET, client=AsyncWebClient(token=TOKEN, base_url=si.api_url)
            )

            @app.command("/diagnose")
            async def diagnose(
                ack: Any, respond: Any, command: dict[str, Any], client: AsyncWebClient
            ) -> None:
                await ack("Diagnosing…")
                await respond(text=f"ephemeral: {command['text']}")
                await client.chat_postMessage(
                    channel=command["channel_id"], text="diagnosis", blocks=remediation_blocks()
                )

            @app.event("message")
            async def on_message(event: dict[str, Any], say: Any) -> None:
                await say(text="looks like OOMKilled", thread_ts=event["ts"])

            @app.action("remediate:delete-pvc")
            async def on_click(ack: Any, body: dict[str, Any], respond: Any) -> None:
                await ack()
                await respond(
                    text=f"done by {body['user']['id']}: {body['actions'][0]['value']}",
                    replace_original=True,
                )

            async with bolt_server(app) as url:
                status, text = await post(url, *rq.slash_command("pod shop/web-0", channel_id=INC))
                assert (status, text) == (200, "Diagnosing…")
                [hook] = await si.wait_for("response_url")
                assert hook.params["text"] == "ephemeral: pod shop/web-0"
                [posted] = await si.wait_for("chat.postMessage")
                assert posted.channel == INC

                status, _ = await post(url, *rq.click(posted, "remediate", user_id="U0ADMIN001"))
                assert status == 200
                await si.wait_for("response_url", count=2)
                assert (si.message(INC, str(posted.ts)) or {})[
                    "text"
                ] == "done by U0ADMIN001: pa_7Qx2"

                msg = rq.event(ev.message_event(INC, "U0ALICE001", "OOMKilled"))
                assert (await post(url, *msg))[0] == 200
                replies = await si.wait_for("chat.postMessage", count=2)
                assert replies[1].params["thread_ts"] == msg.payload["event"]["ts"]
                assert (await post(url, *rq.retry(msg)))[0] == 200  # retry headers accepted
                own = rq.event(ev.app_message_event(INC, "my own reply"))
                assert (await post(url, *own))[0] == 200  # bolt ignores its own message

                challenge = await post(url, *rq.url_verification("abc123"))
                assert challenge[0] == 200 and "abc123" in challenge[1]
                good = rq.slash_command("help", channel_id=INC)
                assert (await post(url, *rq.bad_signature(good)))[0] == 401
                assert (await post(url, *rq.stale(good)))[0] == 401
                assert (await post(url, *rq.tampered(good)))[0] == 401
                await asyncio.sleep(0.2)
                # diagnosis + reply + the retry answered again (plain bolt; dedup is the bot's job)
                assert len(si.calls_to("chat.postMessage")) == 3
                assert si.calls_to("auth.test", ok=True)  # bolt's authorization

    run(main)
