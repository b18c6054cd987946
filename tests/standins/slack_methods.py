"""Web API method handlers of the Slack stand-in: ``HANDLERS[method](state, params) -> body``.

Handlers run under ``state.lock`` and raise :class:`SlackError` for ``ok: false`` answers."""

from __future__ import annotations

import base64
import binascii
import copy
import secrets
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

from .slack_state import Channel, Msg, SlackError, SlackState, ts_key, with_block_ids

Params = dict[str, Any]
Body = dict[str, Any]


def _flag(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")


def _limit(p: Params, default: int, most: int) -> int:
    try:
        return max(1, min(int(p.get("limit") or default), most))
    except (TypeError, ValueError) as exc:
        raise SlackError("invalid_limit") from exc


def _member(st: SlackState, ch: Channel) -> None:
    if st.bot_user_id not in ch.members:
        raise SlackError("not_in_channel")


def _msg(st: SlackState, ch: Channel, ts: Any) -> Msg:
    msg = st.find(ch, str(ts) if ts else None)
    if msg is None:
        raise SlackError("message_not_found")
    return msg


def _cursor(ts: str) -> str:
    return base64.b64encode(f"next_ts:{ts}".encode()).decode()


def _uncursor(cursor: str) -> tuple[int, int]:
    try:
        kind, _, ts = base64.b64decode(cursor, validate=True).decode().partition(":")
        if kind != "next_ts":
            raise ValueError(kind)
        return ts_key(ts)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise SlackError("invalid_cursor") from exc


def _page(
    ts_asc: list[str],
    p: Params,
    limit: int,
    newest_first: bool,
    keys: list[tuple[int, int]] | None = None,
) -> tuple[list[str], Body]:
    """Filter sorted ts values by oldest/latest/inclusive, then cut one cursor page."""
    keys = keys if keys is not None else [ts_key(t) for t in ts_asc]
    incl = _flag(p.get("inclusive"))
    lo = ts_key(p.get("oldest") or "0")
    a = (bisect_left if incl else bisect_right)(keys, lo)
    b = len(keys)
    if p.get("latest"):
        b = (bisect_right if incl else bisect_left)(keys, ts_key(p["latest"]))
    at = _uncursor(str(p["cursor"])) if p.get("cursor") else None
    if newest_first:
        b = min(b, bisect_right(keys, at)) if at else b
        start = max(a, b - limit)
        page, nxt = ts_asc[start:b][::-1], (ts_asc[start - 1] if start > a else None)
    else:
        a = max(a, bisect_left(keys, at)) if at else a
        end = min(b, a + limit)
        page, nxt = ts_asc[a:end], (ts_asc[end] if end < b else None)
    meta: Body = {"has_more": nxt is not None}
    if nxt is not None:
        meta["response_metadata"] = {"next_cursor": _cursor(nxt)}
    return page, meta


# ---------------------------------------------------------------------- Block Kit limits


def check_blocks(blocks: Any) -> None:
    """Raise ``invalid_blocks`` (with Slack-like messages) for the common Block Kit limits."""
    if blocks is not None and not isinstance(blocks, list):
        raise SlackError("invalid_blocks_format")
    blocks, problems = blocks or [], []
    if len(blocks) > 50:
        problems.append("[ERROR] must be less than 51 items [json-pointer:/blocks]")
    limits = {"header": 150, "section": 3000, "context": 0, "actions": 0}
    for i, b in enumerate(blocks):
        kind = b.get("type") if isinstance(b, dict) else None
        if kind is None:
            problems.append(f"[ERROR] missing required field: type [json-pointer:/blocks/{i}]")
            continue
        text = (b.get("text") or {}).get("text", "") if isinstance(b.get("text"), dict) else ""
        if limits.get(kind) and len(text) > limits[kind]:
            problems.append(
                f"[ERROR] must be less than {limits[kind] + 1} characters "
                f"[json-pointer:/blocks/{i}/text/text]"
            )
        if len(str(b.get("block_id", ""))) > 255:
            problems.append(
                f"[ERROR] must be less than 256 characters [json-pointer:/blocks/{i}/block_id]"
            )
        elements = b.get("elements") or []
        most = {"context": 10, "actions": 25}.get(kind)
        if most is not None and len(elements) > most:
            problems.append(
                f"[ERROR] must be less than {most + 1} items [json-pointer:/blocks/{i}/elements]"
            )
        for j, el in enumerate(
            elements + ([b["accessory"]] if isinstance(b.get("accessory"), dict) else [])
        ):
            if isinstance(el, dict) and len(str(el.get("value", ""))) > 2000:
                problems.append(
                    f"[ERROR] must be less than 2001 characters "
                    f"[json-pointer:/blocks/{i}/elements/{j}/value]"
                )
    if problems:
        raise SlackError("invalid_blocks", response_metadata={"messages": problems})


def _check_text(p: Params) -> None:
    if not (p.get("text") or p.get("blocks") or p.get("attachments")):
        raise SlackError("no_text")
    if len(str(p.get("text") or "")) > 40000:
        raise SlackError("msg_too_long")
    check_blocks(p.get("blocks"))


# ---------------------------------------------------------------------- methods


def auth_test(st: SlackState, p: Params) -> Body:
    return {
        "ok": True,
        "url": f"https://{st.team_domain}.slack.com/",
        "team": st.team_name,
        "user": st.bot_name,
        "team_id": st.team_id,
        "user_id": st.bot_user_id,
        "bot_id": st.bot_id,
        "is_enterprise_install": False,
    }


def chat_post_message(st: SlackState, p: Params) -> Body:
    ch = st.channel(p.get("channel"))
    _member(st, ch)
    _check_text(p)
    msg = st.bot_message(p)
    stored = st.add_message(ch.id, msg)
    if stored.get("thread_ts") and _flag(p.get("reply_broadcast")):
        st.add_message(
            ch.id,
            {
                **msg,
                "ts": st.next_ts(),
                "subtype": "thread_broadcast",
                "root": {"ts": msg["thread_ts"]},
            },
        )
    return {"ok": True, "channel": ch.id, "ts": msg["ts"], "message": st.decorate(ch, stored)}


def chat_update(st: SlackState, p: Params) -> Body:
    ch = st.channel(p.get("channel"))
    msg = _msg(st, ch, p.get("ts"))
    if msg.get("bot_id") != st.bot_id:
        raise SlackError("cant_update_message")
    if "blocks" in p:
        check_blocks(p["blocks"])
        msg["blocks"] = with_block_ids(p["blocks"] or [])
        if not msg["blocks"]:
            del msg["blocks"]
    if "text" in p:
        msg["text"] = p["text"] or ""
    if "attachments" in p:
        msg["attachments"] = copy.deepcopy(p["attachments"])
    msg["edited"] = {"user": st.bot_user_id, "ts": st.next_ts()}
    return {
        "ok": True,
        "channel": ch.id,
        "ts": msg["ts"],
        "text": msg.get("text", ""),
        "message": st.decorate(ch, msg),
    }


def chat_post_ephemeral(st: SlackState, p: Params) -> Body:
    ch = st.channel(p.get("channel"))
    if not p.get("user"):
        raise SlackError("user_not_in_channel")
    _check_text(p)
    msg = {**st.bot_message(p), "ephemeral_to": p["user"]}
    ch.ephemerals.append(msg)
    return {"ok": True, "message_ts": msg["ts"]}


def chat_delete(st: SlackState, p: Params) -> Body:
    ch = st.channel(p.get("channel"))
    msg = _msg(st, ch, p.get("ts"))
    if msg.get("bot_id") != st.bot_id:
        raise SlackError("cant_delete_message")
    st.remove(ch, msg["ts"])
    ch.pins = [pin for pin in ch.pins if pin["ts"] != msg["ts"]]
    return {"ok": True, "channel": ch.id, "ts": msg["ts"]}


def chat_get_permalink(st: SlackState, p: Params) -> Body:
    ch = st.channel(p.get("channel"))
    msg = _msg(st, ch, p.get("message_ts"))
    return {
        "ok": True,
        "channel": ch.id,
        "permalink": st.permalink(ch, msg["ts"], msg.get("thread_ts")),
    }


def pins_add(st: SlackState, p: Params) -> Body:
    ch = st.channel(p.get("channel"))
    _member(st, ch)
    msg = _msg(st, ch, p.get("timestamp"))
    if any(pin["ts"] == msg["ts"] for pin in ch.pins):
        raise SlackError("already_pinned")
    ch.pins.insert(0, {"ts": msg["ts"], "created": int(st.clock()), "created_by": st.bot_user_id})
    msg["pinned_to"] = [ch.id]
    return {"ok": True}


def pins_remove(st: SlackState, p: Params) -> Body:
    ch = st.channel(p.get("channel"))
    before = len(ch.pins)
    ch.pins = [pin for pin in ch.pins if pin["ts"] != p.get("timestamp")]
    if len(ch.pins) == before:
        raise SlackError("no_pin")
    (st.find(ch, p.get("timestamp")) or {}).pop("pinned_to", None)
    return {"ok": True}


def pins_list(st: SlackState, p: Params) -> Body:
    ch = st.channel(p.get("channel"))
    items = []
    for pin in ch.pins:
        msg = st.find(ch, pin["ts"])
        if msg is not None:
            items.append(
                {
                    "type": "message",
                    "created": pin["created"],
                    "created_by": pin["created_by"],
                    "channel": ch.id,
                    "message": {**st.decorate(ch, msg), "permalink": st.permalink(ch, msg["ts"])},
                }
            )
    return {"ok": True, "items": items}


def conversations_info(st: SlackState, p: Params) -> Body:
    return {"ok": True, "channel": st.channel(p.get("channel")).info(st.bot_user_id)}


def conversations_join(st: SlackState, p: Params) -> Body:
    ch = st.channel(p.get("channel"))
    if ch.is_private:
        raise SlackError("method_not_supported_for_channel_type")
    body: Body = {"ok": True}
    if st.bot_user_id in ch.members:
        body.update(
            warning="already_in_channel", response_metadata={"warnings": ["already_in_channel"]}
        )
    else:
        ch.members.append(st.bot_user_id)
    body["channel"] = ch.info(st.bot_user_id)
    return body


def conversations_history(st: SlackState, p: Params) -> Body:
    ch = st.channel(p.get("channel"))
    _member(st, ch)
    page, meta = _page(ch.ordered(), p, _limit(p, 100, 999), True, ch.keys())
    return {
        "ok": True,
        "messages": [st.decorate(ch, ch.messages[t]) for t in page],
        **meta,
        "pin_count": len(ch.pins),
        "channel_actions_ts": None,
        "channel_actions_count": 0,
    }


def conversations_replies(st: SlackState, p: Params) -> Body:
    ch = st.channel(p.get("channel"))
    _member(st, ch)
    ts = str(p.get("ts") or "")
    parent = ch.messages.get(ts)
    if parent is None:
        reply = st.find(ch, ts)
        parent = ch.messages.get(reply.get("thread_ts", "")) if reply else None
    if parent is None:
        raise SlackError("thread_not_found")
    thread = [m["ts"] for m in ch.replies.get(parent["ts"], [])]
    page, meta = _page(thread, p, _limit(p, 1000, 1000), False)
    by_ts = {m["ts"]: m for m in ch.replies.get(parent["ts"], [])}
    msgs = ([] if p.get("cursor") else [st.decorate(ch, parent)]) + [
        st.decorate(ch, by_ts[t]) for t in page
    ]
    return {"ok": True, "messages": msgs, **meta}


def users_info(st: SlackState, p: Params) -> Body:
    return {"ok": True, "user": st.user(p.get("user"))}


def reactions_add(st: SlackState, p: Params) -> Body:
    ch = st.channel(p.get("channel"))
    msg = _msg(st, ch, p.get("timestamp"))
    name = str(p.get("name") or "").strip(":")
    if not name:
        raise SlackError("invalid_name")
    reactions = msg.setdefault("reactions", [])
    found = next((r for r in reactions if r["name"] == name), None)
    if found is None:
        reactions.append({"name": name, "users": [st.bot_user_id], "count": 1})
    elif st.bot_user_id in found["users"]:
        raise SlackError("already_reacted")
    else:
        found["users"].append(st.bot_user_id)
        found["count"] += 1
    return {"ok": True}


def views_open(st: SlackState, p: Params) -> Body:
    view = p.get("view")
    if not p.get("trigger_id") or not isinstance(view, dict):
        raise SlackError("invalid_arguments")
    check_blocks(view.get("blocks"))
    opened = {
        **copy.deepcopy(view),
        "id": "V" + secrets.token_hex(5).upper(),
        "team_id": st.team_id,
        "state": {"values": {}},
        "hash": secrets.token_hex(8),
        "app_id": st.app_id,
        "bot_id": st.bot_id,
        "root_view_id": None,
        "previous_view_id": None,
    }
    st.views.append(opened)
    return {"ok": True, "view": opened}


def views_publish(st: SlackState, p: Params) -> Body:
    """App Home: the published view replaces the user's previous one."""
    view = p.get("view")
    user = p.get("user_id")
    if not user or not isinstance(view, dict):
        raise SlackError("invalid_arguments")
    if view.get("type") != "home":
        raise SlackError(
            "invalid_arguments", response_metadata={"messages": ["view type must be home"]}
        )
    check_blocks(view.get("blocks"))
    published = {
        **copy.deepcopy(view),
        "id": "V" + secrets.token_hex(5).upper(),
        "team_id": st.team_id,
        "app_id": st.app_id,
        "bot_id": st.bot_id,
        "hash": secrets.token_hex(8),
    }
    st.homes[str(user)] = published
    return {"ok": True, "view": published}


def apps_connections_open(st: SlackState, p: Params) -> Body:
    """Socket Mode's connection URL (the token checks are the HTTP layer's)."""
    return {"ok": True, "url": f"wss://wss-primary.slack.com/link/?ticket={secrets.token_hex(8)}"}


def response_url_post(st: SlackState, rid: str, body: Params) -> Body:
    """A post to a response_url. ``delete_original``/``replace_original`` act on the clicked
    message, or on this URL's last ephemeral response (commands); otherwise a new message,
    ``response_type: in_channel`` in the channel, else ephemeral to the hook's user."""
    hook = st.hooks.get(rid)
    if hook is None:
        raise SlackError("no_service", status=404)
    ch = st.channel(hook["channel"])
    target = hook.get("message_ts") or hook.get("last_ts")
    original = st.find(ch, target)
    replace, delete = _flag(body.get("replace_original")), _flag(body.get("delete_original"))
    if (replace or delete) and original is None and target:
        ch.ephemerals = [m for m in ch.ephemerals if m["ts"] != target]  # an ephemeral original
    if delete:
        if original is not None:
            st.remove(ch, original["ts"])
        return {"ok": True}
    if replace and original is not None:
        check_blocks(body.get("blocks"))
        original["text"] = body.get("text") or ""
        original.pop("blocks", None)
        if body.get("blocks"):
            original["blocks"] = with_block_ids(body["blocks"])
        return {"ok": True}
    _check_text(body)
    msg = st.bot_message({**body, "thread_ts": body.get("thread_ts") or hook.get("thread_ts")})
    if body.get("response_type") == "in_channel":
        st.add_message(ch.id, msg)
    else:
        ch.ephemerals.append({**msg, "ephemeral_to": hook.get("user")})
        hook["last_ts"] = msg["ts"]
    return {"ok": True}


HANDLERS: dict[str, Callable[[SlackState, Params], Body]] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.delete": chat_delete,
    "chat.getPermalink": chat_get_permalink,
    "pins.add": pins_add,
    "pins.remove": pins_remove,
    "pins.list": pins_list,
    "conversations.info": conversations_info,
    "conversations.join": conversations_join,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "users.info": users_info,
    "reactions.add": reactions_add,
    "views.open": views_open,
    "views.publish": views_publish,
    "apps.connections.open": apps_connections_open,
}
