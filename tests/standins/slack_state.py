"""In-memory workspace of the Slack stand-in: channels, messages, threads, pins, users."""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Msg = dict[str, Any]

TEAM_ID = "T0KMEDIC01"
TEAM_DOMAIN = "kubemedic-test"
BOT_USER_ID = "U0KMBOT001"
BOT_ID = "B0KMBOT001"
APP_ID = "A0KMAPP001"


class SlackError(Exception):
    """Becomes ``{"ok": false, "error": error, **extra}`` with HTTP ``status``."""

    def __init__(self, error: str, status: int = 200, **extra: Any) -> None:
        super().__init__(error)
        self.error, self.status, self.extra = error, status, extra

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.extra}


def ts_key(ts: str) -> tuple[int, int]:
    """Exact sort key of a Slack ts ("1700000000.000100")."""
    secs, _, frac = str(ts).partition(".")
    return int(secs or 0), int((frac + "000000")[:6])


def fmt_ts(micros: int) -> str:
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


@dataclass
class Channel:
    """A conversation: top-level messages by ts, thread replies by thread ts, pins, ephemerals."""

    id: str
    name: str
    members: list[str] = field(default_factory=list)
    is_private: bool = False
    created: int = 0
    creator: str = ""
    topic: str = ""
    purpose: str = ""
    messages: dict[str, Msg] = field(default_factory=dict)
    replies: dict[str, list[Msg]] = field(default_factory=dict)
    pins: list[dict[str, Any]] = field(default_factory=list)
    ephemerals: list[Msg] = field(default_factory=list)
    _order: list[str] | None = None
    _keys: list[tuple[int, int]] | None = None

    @property
    def channel_type(self) -> str:
        """``channel_type`` as message events carry it."""
        return "im" if self.id.startswith("D") else "group" if self.is_private else "channel"

    def ordered(self) -> list[str]:
        """Top-level message ts values, oldest first (cached)."""
        if self._order is None:
            self._order = sorted(self.messages, key=ts_key)
        return self._order

    def keys(self) -> list[tuple[int, int]]:
        """Sort keys parallel to :meth:`ordered` (cached)."""
        if self._keys is None:
            self._keys = [ts_key(t) for t in self.ordered()]
        return self._keys

    def touch(self) -> None:
        self._order = self._keys = None

    def info(self, bot_user_id: str) -> dict[str, Any]:
        """The ``channel`` object of conversations.info."""
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": not self.is_private and not self.id.startswith("D"),
            "is_group": self.is_private,
            "is_im": self.id.startswith("D"),
            "is_mpim": False,
            "is_private": self.is_private,
            "created": self.created,
            "creator": self.creator,
            "is_archived": False,
            "is_general": False,
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "is_member": bot_user_id in self.members,
            "context_team_id": TEAM_ID,
            "unlinked": 0,
            "num_members": len(self.members),
            "topic": {
                "value": self.topic,
                "creator": self.creator if self.topic else "",
                "last_set": 0,
            },
            "purpose": {
                "value": self.purpose,
                "creator": self.creator if self.purpose else "",
                "last_set": 0,
            },
            "previous_names": [],
        }


class SlackState:
    """The workspace the stand-in serves. All mutators hold ``lock`` (thread-safe)."""

    def __init__(
        self,
        *,
        strict: bool = False,
        clock: Callable[[], float] = time.time,
        team_id: str = TEAM_ID,
        team_domain: str = TEAM_DOMAIN,
        team_name: str = "kubemedic test",
        bot_user_id: str = BOT_USER_ID,
        bot_id: str = BOT_ID,
        app_id: str = APP_ID,
        bot_name: str = "kubemedic",
    ) -> None:
        """``strict=False`` synthesizes unknown channels (bot is a member) and users;
        ``strict=True`` answers ``channel_not_found`` / ``user_not_found`` instead."""
        self.strict, self.clock = strict, clock
        self.team_id, self.team_domain, self.team_name = team_id, team_domain, team_name
        self.bot_user_id, self.bot_id, self.app_id, self.bot_name = (
            bot_user_id,
            bot_id,
            app_id,
            bot_name,
        )
        self.lock = threading.RLock()
        self.channels: dict[str, Channel] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.hooks: dict[str, dict[str, Any]] = {}  # response_url id -> target
        self.views: list[dict[str, Any]] = []
        self.homes: dict[str, dict[str, Any]] = {}  # user id -> published App Home view
        self._last_ts = 0
        self.add_user(bot_user_id, bot_name, is_bot=True, bot_id=bot_id)

    # ------------------------------------------------------------------ building the workspace
    def next_ts(self) -> str:
        """A unique, increasing ts from ``clock`` ("1700000000.000100" style)."""
        with self.lock:
            self._last_ts = max(int(self.clock() * 1_000_000), self._last_ts + 1)
            return fmt_ts(self._last_ts)

    def _seen_ts(self, ts: str) -> None:
        secs, micros = ts_key(ts)
        self._last_ts = max(self._last_ts, secs * 1_000_000 + micros)

    def add_channel(
        self,
        id: str,
        name: str,
        *,
        members: Iterable[str] = (),
        history: Iterable[Msg] = (),
        replies: Mapping[str, Iterable[Msg]] | None = None,
        is_member: bool = True,
        is_private: bool = False,
        created: int | None = None,
        creator: str = "U0CREATOR1",
        topic: str = "",
        purpose: str = "",
    ) -> Channel:
        """Add (or replace) a channel. ``history`` messages without ``ts`` get increasing ones;
        a message whose ``thread_ts`` differs from its ``ts`` is a thread reply, as are the
        ``replies={thread_ts: [...]}``. ``is_member``: the bot is in the channel."""
        mem = list(dict.fromkeys(members))
        if is_member and self.bot_user_id not in mem:
            mem.append(self.bot_user_id)
        ch = Channel(
            id,
            name,
            mem,
            is_private,
            int(self.clock()) if created is None else created,
            creator,
            topic,
            purpose,
        )
        with self.lock:
            self.channels[id] = ch
            for msg in history:
                self.add_message(id, msg)
            for thread_ts, msgs in (replies or {}).items():
                for msg in msgs:
                    self.add_message(id, {**msg, "thread_ts": thread_ts})
        return ch

    def add_message(self, channel: str, message: Msg) -> Msg:
        """Store a copy of ``message`` in a channel (filling type/ts/team); returns it."""
        msg = copy.deepcopy(message)
        msg.setdefault("type", "message")
        with self.lock:
            ch = self.channel(channel)
            if "ts" in msg:
                self._seen_ts(msg["ts"])
            else:
                msg["ts"] = self.next_ts()
            if "user" in msg:
                msg.setdefault("team", self.team_id)
            thread_ts = msg.get("thread_ts")
            if thread_ts and thread_ts != msg["ts"]:
                ch.replies.setdefault(thread_ts, []).append(msg)
                ch.replies[thread_ts].sort(key=lambda m: ts_key(m["ts"]))
            else:
                ch.messages[msg["ts"]] = msg
                ch.touch()
        return copy.deepcopy(msg)

    def add_user(
        self,
        id: str,
        name: str,
        *,
        real_name: str | None = None,
        is_bot: bool = False,
        is_admin: bool = False,
        tz: str = "UTC",
        **extra: Any,
    ) -> dict[str, Any]:
        """Add a user as users.info returns it (``extra`` keys merged into the object)."""
        real = real_name or name
        user = {
            "id": id,
            "team_id": self.team_id,
            "name": name,
            "deleted": False,
            "real_name": real,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": 0,
            "is_admin": is_admin,
            "is_owner": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(self.clock()),
            "profile": {
                "real_name": real,
                "display_name": name,
                "real_name_normalized": real,
                "display_name_normalized": name,
                "team": self.team_id,
            },
            **extra,
        }
        with self.lock:
            self.users[id] = user
        return copy.deepcopy(user)

    # ------------------------------------------------------------------ lookups
    def channel(self, ref: str | None, *, create: bool | None = None) -> Channel:
        """A channel by id, ``#name`` or name; unknown ids are created unless strict."""
        if not ref:
            raise SlackError("channel_not_found")
        with self.lock:
            if ref in self.channels:
                return self.channels[ref]
            name = ref.removeprefix("#")
            for ch in self.channels.values():
                if ch.name == name:
                    return ch
            if (self.strict if create is None else not create) or ref.startswith("#"):
                raise SlackError("channel_not_found")
            return self.add_channel(ref, ref.lower())

    def user(self, uid: str | None) -> dict[str, Any]:
        with self.lock:
            if uid in self.users:
                return copy.deepcopy(self.users[uid])
            if self.strict or not uid:
                raise SlackError("user_not_found")
            return self.add_user(uid, uid.lower())

    def find(self, ch: Channel, ts: str | None) -> Msg | None:
        """The stored (mutable) message ``ts`` at top level or in a thread."""
        if ts is None:
            return None
        if ts in ch.messages:
            return ch.messages[ts]
        for msgs in ch.replies.values():
            for msg in msgs:
                if msg["ts"] == ts:
                    return msg
        return None

    def remove(self, ch: Channel, ts: str) -> bool:
        if ch.messages.pop(ts, None) is not None:
            ch.touch()
            return True
        for msgs in ch.replies.values():
            for i, msg in enumerate(msgs):
                if msg["ts"] == ts:
                    del msgs[i]
                    return True
        return False

    def decorate(self, ch: Channel, msg: Msg) -> Msg:
        """A copy of ``msg`` with the thread fields Slack adds to parents and replies."""
        out = copy.deepcopy(msg)
        thread = ch.replies.get(msg["ts"])
        if thread and msg.get("thread_ts", msg["ts"]) == msg["ts"]:
            users = list(dict.fromkeys(m.get("user") or m.get("bot_id") or "" for m in thread))
            out.update(
                thread_ts=msg["ts"],
                reply_count=len(thread),
                reply_users=users,
                reply_users_count=len(users),
                latest_reply=thread[-1]["ts"],
                is_locked=False,
                subscribed=False,
            )
        elif msg.get("thread_ts") and msg["thread_ts"] != msg["ts"]:
            parent = ch.messages.get(msg["thread_ts"])
            if parent is not None and parent.get("user"):
                out.setdefault("parent_user_id", parent["user"])
        return out

    def bot_message(self, params: Mapping[str, Any]) -> Msg:
        """The message object Slack stores for a bot-token chat.postMessage."""
        msg: Msg = {
            "user": self.bot_user_id,
            "type": "message",
            "ts": self.next_ts(),
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": params.get("text") or "",
            "team": self.team_id,
            "bot_profile": {
                "id": self.bot_id,
                "app_id": self.app_id,
                "name": self.bot_name,
                "deleted": False,
                "team_id": self.team_id,
                "updated": 1700000000,
                "icons": {},
            },
        }
        for key in ("blocks", "attachments", "metadata"):
            if params.get(key):
                msg[key] = (
                    with_block_ids(params[key]) if key == "blocks" else copy.deepcopy(params[key])
                )
        if params.get("thread_ts"):
            msg["thread_ts"] = str(params["thread_ts"])
        return msg

    def permalink(self, ch: Channel, ts: str, thread_ts: str | None = None) -> str:
        link = f"https://{self.team_domain}.slack.com/archives/{ch.id}/p{ts.replace('.', '')}"
        return link + (
            f"?thread_ts={thread_ts}&cid={ch.id}" if thread_ts and thread_ts != ts else ""
        )

    # ------------------------------------------------------------------ test-side views
    def messages(self, channel: str) -> list[Msg]:
        """Top-level messages of a channel, oldest first (copies, thread fields filled)."""
        with self.lock:
            ch = self.channel(channel, create=False)
            return [self.decorate(ch, ch.messages[ts]) for ts in ch.ordered()]

    def thread(self, channel: str, thread_ts: str) -> list[Msg]:
        """Replies of a thread (without the parent), oldest first."""
        with self.lock:
            ch = self.channel(channel, create=False)
            return [self.decorate(ch, m) for m in ch.replies.get(thread_ts, [])]

    def message(self, channel: str, ts: str) -> Msg | None:
        """One message (top level or reply) as currently stored, or None."""
        with self.lock:
            ch = self.channel(channel, create=False)
            msg = self.find(ch, ts)
            return None if msg is None else self.decorate(ch, msg)

    def ephemerals(self, channel: str) -> list[Msg]:
        """Ephemeral messages (chat.postEphemeral and ephemeral response_url posts)."""
        with self.lock:
            return copy.deepcopy(self.channel(channel, create=False).ephemerals)

    def pinned(self, channel: str) -> list[str]:
        with self.lock:
            return [p["ts"] for p in self.channel(channel, create=False).pins]


def with_block_ids(blocks: Any) -> Any:
    """Copy of ``blocks`` where blocks without ``block_id`` get a random one, as Slack does."""
    out = copy.deepcopy(blocks)
    if isinstance(out, list):
        for block in out:
            if isinstance(block, dict) and "block_id" not in block:
                block["block_id"] = secrets.token_urlsafe(4)[:5]
    return out
