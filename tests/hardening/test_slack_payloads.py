"""Hostile Slack requests on POST /slack/events (issue 7, "Bad input" / "Security").

Every request here is correctly signed unless said otherwise, so it gets
past the signature check and exercises what is behind it.  The endpoint
answers 200 (handled or nothing to do), 400 (signed, but not something
Slack sends: one line saying why), 401 (not signed by Slack) or 413 (over
the 1 MiB body limit) — never 500, never a traceback in the log — and the
bot keeps answering the next good request.

Already covered elsewhere: bad signature and stale timestamp
(tests/slack/test_slash_command.py), a forged signature suffix, a prefixed
value, a name as value, a 5,000-char value and an empty value on a
remediation button (tests/slack/test_remediation_clicks.py), and the same
at the service level (tests/remediation/test_click_failures.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from responses.messages import UNKNOWN_BUTTON
from tests.slack.harness import ADMIN, Bot, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_requests import FORM, JSON, SignedRequest, block_actions_from_message

CHANNEL = "C0GENERAL1"
OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"


def assert_no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not bad, [f"{r.name}: {r.getMessage()}" for r in bad]


async def still_answers(bot: Bot) -> None:
    """The next good request is answered: usage at once, and a pasted error in its thread."""
    status, body = await bot.send(bot.requests.slash_command("help"))
    assert status == 200 and "/diagnose pod" in block_text(json.loads(body)["blocks"])
    before = len(bot.slack.calls_to("chat.postMessage"))
    await bot.send(bot.requests.message("C0AFTER0001", OOM, ts="1700009999.000100"))
    posted = await bot.slack.wait_for("chat.postMessage", count=before + 1)
    assert "oom-killed" in block_text(posted[-1].blocks)


def raw(bot: Bot, body: bytes, content_type: str) -> SignedRequest:
    """`body` exactly as given, signed with the right secret."""
    return SignedRequest(body, {"Content-Type": content_type, **bot.requests.sign(body)})


def deep(levels: int) -> list[Any]:
    """A list nested `levels` deep (past the interpreter's recursion limit for 50,000)."""
    value: list[Any] = []
    for _ in range(levels):
        value = [value]
    return value


def malformed(bot: Bot) -> dict[str, SignedRequest]:
    url = bot.slack.response_url(CHANNEL)
    rq = bot.requests
    return {
        "payload is not JSON": rq.form({"payload": "{not json"}),
        "payload is a list": rq.form({"payload": "[1, 2]"}),
        "payload is a string": rq.form({"payload": '"click"'}),
        "body is a JSON list": raw(bot, b"[1, 2, 3]", JSON),
        "body is JSON null": raw(bot, b"null", JSON),
        "50,000-deep JSON": raw(bot, b'{"a":' * 50_000 + b"1" + b"}" * 50_000, JSON),
        "50,000-deep payload": rq.form({"payload": "[" * 50_000 + "]" * 50_000}),
        "event nested 200 deep": rq.event(
            {
                "type": "message",
                "channel": "C1",
                "user": "U1",
                "ts": "1.5",
                "text": OOM,
                "blocks": deep(200),
            }
        ),
        "body is truncated JSON": raw(bot, b'{"type": "event_callback", "event": {', JSON),
        "body is not UTF-8": raw(
            bot, b'{"type":"event_callback","event":{"type":"message","text":"\xff\xfe"}}', JSON
        ),
        "form is not UTF-8": raw(bot, b"command=%2Fdiagnose&text=\xc3\x28&channel_id=C1", FORM),
        "lone surrogate": raw(
            bot,
            b'{"type":"event_callback","event_id":"Ev1","event":{"type":"message",'
            b'"channel":"C1","user":"U1","ts":"1.1","text":"OOMKilled \\ud800"}}',
            JSON,
        ),
        "event is a string": rq.json_body(
            {"type": "event_callback", "event_id": "Ev2", "event": "message"}
        ),
        "event has no type": rq.json_body(
            {"type": "event_callback", "event_id": "Ev3", "event": {"channel": "C1"}}
        ),
        "message without channel": rq.event(
            {"type": "message", "user": "U1", "text": OOM, "ts": "1.2"}
        ),
        "mention without channel": rq.event(
            {"type": "app_mention", "user": "U1", "text": "<@U0BOT> help", "ts": "1.3"}
        ),
        "text is an object": rq.event(
            {"type": "message", "channel": "C1", "user": "U1", "ts": "1.4", "text": {"oom": True}}
        ),
        "command without channel_id": rq.form(
            {"command": "/diagnose", "text": "pod shop/web-0", "user_id": "U1", "response_url": url}
        ),
        "command without response_url": rq.form(
            {"command": "/diagnose", "text": "help", "channel_id": "C1"}
        ),
        "command text is a list": rq.json_body(
            {"command": "/diagnose", "text": ["pod"], "channel_id": "C1", "response_url": url}
        ),
        "click without actions": rq.interaction(
            {"type": "block_actions", "user": {"id": "U1"}, "response_url": url}
        ),
        "actions is a string": rq.interaction(
            {
                "type": "block_actions",
                "user": {"id": "U1"},
                "response_url": url,
                "actions": "remediate",
            }
        ),
        "action is a string": rq.interaction(
            {
                "type": "block_actions",
                "user": {"id": "U1"},
                "response_url": url,
                "actions": ["remediate"],
            }
        ),
        "user is a string": rq.interaction(
            {
                "type": "block_actions",
                "user": ADMIN,
                "response_url": url,
                "actions": [{"action_id": "remediate:delete-pod", "value": "a.b"}],
            }
        ),
        "value is a number": rq.interaction(
            {
                "type": "block_actions",
                "user": {"id": ADMIN},
                "response_url": url,
                "actions": [{"action_id": "remediate:delete-pod", "value": 42}],
            }
        ),
    }


def test_malformed_signed_requests_get_400_and_change_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            for name, request in malformed(bot).items():
                status, text = await bot.send(request)
                assert status == 400, (name, status, text)
                assert len(text.strip().splitlines()) == 1 and "Traceback" not in text, (name, text)
            await bot.settle()
            assert bot.kube.requests == []
            assert [c.method for c in bot.slack.calls if c.method != "auth.test"] == []
            await still_answers(bot)
        assert_no_tracebacks(caplog)

    asyncio.run(scenario())


def test_unsigned_garbage_gets_401_before_it_is_read(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            good = bot.requests.slash_command("help")
            for headers in (
                {"Content-Type": JSON},
                {**good.headers, "X-Slack-Request-Timestamp": "yesterday"},
                {**good.headers, "X-Slack-Signature": "v0=\u00e9"},
                {**good.headers, "X-Slack-Request-Timestamp": "9" * 40},
            ):
                for body in (b"\xff\xfe not utf-8", b"[1,2]", b"payload=%7Bnot+json", good.body):
                    assert (await bot.send(SignedRequest(body, headers)))[0] == 401, (headers, body)
            await still_answers(bot)

    asyncio.run(scenario())


def test_unknown_action_ids_are_refused_privately_and_unknown_types_acknowledged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            url = bot.slack.response_url(CHANNEL)
            click: dict[str, Any] = {
                "type": "block_actions",
                "user": {"id": ADMIN},
                "response_url": url,
                "channel": {"id": CHANNEL},
                "team": {"id": "T0"},
            }
            requests = [
                bot.requests.interaction(
                    {**click, "actions": [{"action_id": "delete_everything", "value": "x"}]}
                ),
                bot.requests.interaction(
                    {**click, "actions": [{"action_id": "feedback_helpful_v2", "value": "x"}]}
                ),
                bot.requests.interaction(
                    {"type": "view_submission", "user": {"id": ADMIN}, "view": {}}
                ),
                bot.requests.interaction({"type": "never_heard_of_it"}),
                bot.requests.event({"type": "reaction_added", "user": "U1", "reaction": "fire"}),
            ]
            for request in requests:
                assert (await bot.send(request)) == (200, "")
            refusals = await bot.slack.wait_for("response_url", count=2)
            await bot.settle()
            assert (
                len(bot.slack.calls_to("response_url")) == 2
            )  # the two unknown buttons, nothing else
            assert all(r.params["response_type"] == "ephemeral" for r in refusals)
            assert all(r.params["text"] == UNKNOWN_BUTTON for r in refusals)
            assert bot.kube.requests == []
            await still_answers(bot)
        assert_no_tracebacks(caplog)

    asyncio.run(scenario())


def test_oversized_values_are_refused_or_bounded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            url = bot.slack.response_url(CHANNEL)
            click: dict[str, Any] = {
                "type": "block_actions",
                "user": {"id": ADMIN},
                "response_url": url,
                "channel": {"id": CHANNEL},
                "container": {"channel_id": CHANNEL},
            }
            for action_id in ("remediate:delete-pod", "feedback_helpful", "show_other_matches"):
                payload = {**click, "actions": [{"action_id": action_id, "value": "A" * 100_000}]}
                assert (await bot.send(bot.requests.interaction(payload)))[0] == 200
            refusals = await bot.slack.wait_for("response_url", count=3)
            assert all(r.params["response_type"] == "ephemeral" for r in refusals)
            assert all(
                len(json.dumps(r.params)) < 2000 for r in refusals
            )  # the value is not echoed
            # a 10 MB body is over the 1 MiB limit: refused before it is read
            status, text = await bot.send(bot.requests.message(CHANNEL, "x" * 10_000_000))
            assert status == 413 and "body size" in text
            assert bot.kube.writes() == []
            await still_answers(bot)
        assert_no_tracebacks(caplog)

    asyncio.run(scenario())


def _tikv_cluster() -> tuple[KubeStandIn, str]:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.tikv_cluster_id_mismatch(kube)
    return kube, str(case.pod)


def test_tampered_and_swapped_buttons_change_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        kube, pod = _tikv_cluster()
        rejected = scenarios.out_of_pods(kube)
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(bot.requests.slash_command(f"pod tidb/{pod}", channel_id=CHANNEL))
            await bot.send(
                bot.requests.slash_command(
                    f"pod {rejected.namespace}/{rejected.pod}", channel_id=CHANNEL
                )
            )
            both = await bot.slack.wait_for("chat.postMessage", count=2)
            # the two answers arrive in either order: the rejected pod's second
            first, second = sorted(
                both, key=lambda posted: "too-many-pods" in block_text(posted.blocks)
            )
            clicks = [
                block_actions_from_message(
                    posted,
                    "remediate",
                    user_id=ADMIN,
                    response_url=bot.slack.response_url(CHANNEL, posted.ts),
                )
                for posted in (first, second)
            ]
            values = [c["actions"][0]["value"] for c in clicks]
            (id_a, sig_a), (id_b, sig_b) = (v.split(".") for v in values)
            one_char = id_a[:-1] + ("x" if id_a[-1] != "x" else "y")
            forged: list[tuple[dict[str, Any], str]] = [
                (clicks[0], f"{one_char}.{sig_a}"),  # one character of the signed id changed
                (clicks[0], f"{id_b}.{sig_a}"),  # the other button's id under this signature
                (clicks[1], f"{id_a}.{sig_b}"),  # and the reverse
                (clicks[0], f"{id_a}.{sig_a}.{id_b}"),  # a second id appended
            ]
            for click, value in forged:
                payload = json.loads(json.dumps(click))
                payload["actions"][0]["value"] = value
                assert (await bot.send(bot.requests.interaction(payload)))[0] == 200
            # a genuine value, clicked from another channel than the one it was posted in
            elsewhere = json.loads(json.dumps(clicks[1]))
            elsewhere["channel"] = {"id": "C0ELSEWHERE", "name": "elsewhere"}
            elsewhere["container"]["channel_id"] = "C0ELSEWHERE"
            assert (await bot.send(bot.requests.interaction(elsewhere)))[0] == 200
            refusals = await bot.slack.wait_for("response_url", count=5)
            assert all(r.params["response_type"] == "ephemeral" for r in refusals)
            assert all("nothing was changed" in r.params["text"].lower() for r in refusals), [
                r.params["text"] for r in refusals
            ]
            assert bot.kube.writes() == []
            # the genuine buttons still work after all that
            await bot.send(bot.requests.interaction(clicks[1]))
            await bot.slack.wait_for("chat.update")
            assert any(
                not w.dry_run and w.path.endswith(f"/pods/{rejected.pod}")
                for w in bot.kube.writes()
            )
        assert_no_tracebacks(caplog)

    asyncio.run(scenario())
