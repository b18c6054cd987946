"""Stand-in rules checked in-process (``SlackStandIn.handle``): paging windows, membership, limits."""

from __future__ import annotations

import pytest

from .slack_api import SlackError, SlackStandIn

INC = "C0INC00001"


def test_history_windows_cursors_and_threads_page() -> None:
    si = SlackStandIn()
    si.add_channel(
        INC,
        "inc-x",
        history=[
            {"user": "U0ALICE001", "text": str(i), "ts": f"1700000000.{i:06d}"} for i in range(1, 8)
        ],
        replies={"1700000000.000002": [{"user": "U0BOB00001", "text": f"r{i}"} for i in range(5)]},
    )
    window = {
        "channel": INC,
        "limit": "3",
        "oldest": "1700000000.000002",
        "latest": "1700000000.000007",
    }
    hist = si.handle("conversations.history", window)
    assert [m["text"] for m in hist["messages"]] == ["6", "5", "4"] and hist["has_more"]
    more = si.handle(
        "conversations.history", {**window, "cursor": hist["response_metadata"]["next_cursor"]}
    )
    assert [m["text"] for m in more["messages"]] == ["3"] and not more["has_more"]
    thread = {"channel": INC, "ts": "1700000000.000002", "limit": "3"}
    first = si.handle("conversations.replies", thread)
    rest = si.handle(
        "conversations.replies", {**thread, "cursor": first["response_metadata"]["next_cursor"]}
    )
    assert [m["text"] for m in first["messages"] + rest["messages"]] == [
        "2",
        "r0",
        "r1",
        "r2",
        "r3",
        "r4",
    ]
    assert (
        first["messages"][0]["reply_count"] == 5
        and first["messages"][1]["parent_user_id"] == "U0ALICE001"
    )
    with pytest.raises(SlackError, match="invalid_cursor"):
        si.handle("conversations.history", {"channel": INC, "cursor": "garbage!"})


def test_membership_join_and_strict_lookups() -> None:
    si = SlackStandIn(strict=True)
    si.add_channel("C0NEWINC01", "inc-new", is_member=False)
    post = {"channel": "C0NEWINC01", "text": "hi"}
    with pytest.raises(SlackError, match="not_in_channel"):
        si.handle("chat.postMessage", post)
    assert "warning" not in si.handle("conversations.join", {"channel": "C0NEWINC01"})
    assert (
        si.handle("conversations.join", {"channel": "#inc-new"})["warning"] == "already_in_channel"
    )
    assert si.handle("chat.postMessage", post)["ok"]
    for method, params, error in (
        ("conversations.info", {"channel": "C0MISSING1"}, "channel_not_found"),
        ("users.info", {"user": "U0NOBODY01"}, "user_not_found"),
        ("chat.postMessage", {"channel": "C0NEWINC01"}, "no_text"),
        ("chat.update", {"channel": "C0NEWINC01", "ts": "1.000001"}, "message_not_found"),
        ("no.such", {}, "unknown_method"),
    ):
        with pytest.raises(SlackError, match=error):
            si.handle(method, params)


def test_block_kit_limits_are_enforced() -> None:
    si = SlackStandIn()
    cases = [
        ([{"type": "divider"}] * 51, "must be less than 51 items"),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}], "3001 characters"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}], "151 characters"),
        ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "x"}] * 11}], "11 items"),
    ]
    for blocks, message in cases:
        with pytest.raises(SlackError) as err:
            si.handle("chat.postMessage", {"channel": INC, "text": "x", "blocks": blocks})
        assert err.value.error == "invalid_blocks"
        assert message in err.value.body()["response_metadata"]["messages"][0]


def test_command_response_url_replaces_its_ephemeral_then_posts_in_channel() -> None:
    si = SlackStandIn()
    si.url = "http://127.0.0.1:9"  # response_url() only needs the base URL, no server here
    rid = si.response_url(INC, user_id="U0ALICE001").rsplit("/", 1)[1]
    si.handle_hook(rid, {"text": "Diagnosing pod web-0…"})
    si.handle_hook(rid, {"text": "oom-killed", "replace_original": True})
    assert [(m["text"], m["ephemeral_to"]) for m in si.ephemerals(INC)] == [
        ("oom-killed", "U0ALICE001")
    ]
    si.handle_hook(rid, {"text": "for everyone", "response_type": "in_channel"})
    assert [m["text"] for m in si.messages(INC)] == ["for everyone"]
    with pytest.raises(SlackError, match="no_service"):
        si.handle_hook("T99999", {"text": "x"})
