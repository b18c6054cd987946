"""The Mattermost stand-in's world: users, channels, posts, command hooks, triggers, and its checks.

Shapes and rules follow Mattermost's API reference (v4): posts carry `id`, `create_at` (ms),
`root_id`, `props.attachments[].actions[]` whose `integration` (url and private context) the
server keeps to itself and strips from what clients read; an action id is alphanumeric; a
message holds at most 16,383 characters; a slash command's response_url (/hooks/commands/ID)
takes 5 posts within 30 minutes; a trigger id opens a dialog within 3 seconds; only the author
may edit a post; posting needs channel membership. Errors carry Mattermost's `id` and `status_code`.
"""

from __future__ import annotations

import copy
import itertools
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

MAX_MESSAGE = 16383
MAX_PROPS = 800_000
HOOK_USES = 5
HOOK_LIFETIME_MS = 30 * 60 * 1000
TRIGGER_MS = 3000
_ACTION_ID = re.compile(r"^[A-Za-z0-9]*$")
BOT_ID = "kubemedicbot0000000000000b"
TEAM_ID = "teamops00000000000000000t1"


class ApiError(Exception):
    """An error answer: HTTP `status` with Mattermost's error `id`."""

    def __init__(self, status: int, error_id: str, message: str = "") -> None:
        super().__init__(error_id)
        self.status = status
        self.error_id = error_id
        self.message = message or error_id

    def body(self) -> dict[str, Any]:
        return {
            "id": self.error_id,
            "message": self.message,
            "detailed_error": "",
            "request_id": "standin",
            "status_code": self.status,
        }


def new_id(prefix: str = "") -> str:
    """A 26-character Mattermost-style id."""
    return (prefix + secrets.token_hex(13))[:26]


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Channel:
    id: str
    name: str
    type: str = "O"
    """O public, P private, D direct message, G group message."""
    display_name: str = ""
    members: set[str] = field(default_factory=set)


@dataclass
class MattermostState:
    """Everything the stand-in knows; guarded by `lock` (the HTTP handlers and tests share it)."""

    bot_token: str = "mm-bot-token"
    bot_username: str = "kubemedic"
    lock: threading.RLock = field(default_factory=threading.RLock)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)
    hooks: dict[str, dict[str, Any]] = field(default_factory=dict)
    triggers: dict[str, tuple[str, int]] = field(default_factory=dict)
    dialogs: list[dict[str, Any]] = field(default_factory=list)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    """Private messages a user was shown (a command's ephemeral answer, a click's ephemeral_text)."""
    pinned: set[str] = field(default_factory=set)
    _clock: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.add_user(BOT_ID, self.bot_username, is_bot=True)
        self.tokens[self.bot_token] = BOT_ID

    # ------------------------------------------------------------------ the world
    def add_user(self, user_id: str, username: str, *, is_bot: bool = False) -> None:
        with self.lock:
            self.users[user_id] = {
                "id": user_id,
                "username": username,
                "nickname": "",
                "first_name": "",
                "last_name": "",
                "is_bot": is_bot,
                "delete_at": 0,
            }

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        type: str = "O",
        members: tuple[str, ...] = (),
        bot: bool = True,
    ) -> Channel:
        with self.lock:
            channel = Channel(
                channel_id, name, type, name, set(members) | ({BOT_ID} if bot else set())
            )
            self.channels[channel_id] = channel
            return channel

    def user_of(self, token: str | None) -> str:
        user = self.tokens.get(token or "")
        if user is None:
            raise ApiError(
                401, "api.context.session_expired.app_error", "Invalid or expired session"
            )
        return user

    def channel(self, channel_id: str, user: str) -> Channel:
        channel = self.channels.get(channel_id)
        if channel is None or (channel.type != "O" and user not in channel.members):
            raise ApiError(
                404 if channel is None else 403,
                "app.channel.get.existing.app_error"
                if channel is None
                else "api.context.permissions.app_error",
            )
        return channel

    def post(self, post_id: str) -> dict[str, Any]:
        found = self.posts.get(post_id)
        if found is None or found.get("delete_at"):
            raise ApiError(404, "app.post.get.app_error", "Unable to get the post")
        return found

    # ------------------------------------------------------------------ posts
    def create(self, user: str, body: dict[str, Any]) -> dict[str, Any]:
        """A new post, checked as Mattermost checks it."""
        channel = self.channel(str(body.get("channel_id") or ""), user)
        if user not in channel.members:
            raise ApiError(
                403,
                "api.context.permissions.app_error",
                "You do not have the appropriate permissions",
            )
        root = str(body.get("root_id") or "")
        if root and self.post(root).get("channel_id") != channel.id:
            raise ApiError(
                400, "api.post.create_post.root_id.app_error", "Invalid RootId parameter"
            )
        self._check(body)
        stamp = now_ms() * 1000 + next(self._clock) % 1000  # distinct, ordered
        post = {
            "id": new_id("p"),
            "create_at": stamp // 1000,
            "update_at": stamp // 1000,
            "edit_at": 0,
            "delete_at": 0,
            "user_id": user,
            "channel_id": channel.id,
            "root_id": root,
            "message": str(body.get("message") or ""),
            "type": str(body.get("type") or ""),
            "props": copy.deepcopy(body.get("props") or {}),
            "_seq": stamp,
        }
        self.posts[post["id"]] = post
        return post

    def patch(self, user: str, post_id: str, body: dict[str, Any]) -> dict[str, Any]:
        post = self.post(post_id)
        if post["user_id"] != user:
            raise ApiError(
                403,
                "api.context.permissions.app_error",
                "You do not have the appropriate permissions",
            )
        changed = {
            "message": body.get("message", post["message"]),
            "props": body.get("props", post["props"]),
        }
        self._check(changed)
        post.update(
            message=str(changed["message"]),
            props=copy.deepcopy(changed["props"]),
            edit_at=now_ms(),
            update_at=now_ms(),
        )
        return post

    def _check(self, body: dict[str, Any]) -> None:
        if len(str(body.get("message") or "")) > MAX_MESSAGE:
            raise ApiError(
                400, "model.post.is_valid.message_length.app_error", "Invalid Message property"
            )
        props = body.get("props") or {}
        if len(repr(props)) > MAX_PROPS:
            raise ApiError(400, "model.post.is_valid.props.app_error", "Invalid Props")
        for attachment in props.get("attachments") or []:
            for action in attachment.get("actions") or []:
                integration = action.get("integration") or {}
                if (
                    not action.get("name")
                    or not _ACTION_ID.match(str(action.get("id") or ""))
                    or not str(integration.get("url") or "").startswith(("http://", "https://"))
                ):
                    raise ApiError(
                        400, "model.post.is_valid.action.app_error", f"Invalid action {action!r}"
                    )

    def thread(self, root: str) -> list[dict[str, Any]]:
        return sorted(
            (
                p
                for p in self.posts.values()
                if (p["id"] == root or p["root_id"] == root) and not p["delete_at"]
            ),
            key=lambda p: p["_seq"],
        )

    def replies(self, root: str) -> list[dict[str, Any]]:
        return [p for p in self.thread(root) if p["id"] != root]

    def top_level(self, channel: str) -> list[dict[str, Any]]:
        return sorted(
            (p for p in self.posts.values() if p["channel_id"] == channel and not p["delete_at"]),
            key=lambda p: p["_seq"],
        )

    # ------------------------------------------------------------------ integrations
    def hook_for(self, channel: str, user: str, root: str = "") -> str:
        hook = new_id("h")
        self.hooks[hook] = {
            "channel_id": channel,
            "user_id": user,
            "root_id": root,
            "uses": 0,
            "created": now_ms(),
        }
        return hook

    def use_hook(self, hook_id: str) -> dict[str, Any]:
        hook = self.hooks.get(hook_id)
        if hook is None or now_ms() - hook["created"] > HOOK_LIFETIME_MS:
            raise ApiError(404, "app.command_webhook.get.missing", "Unable to find the webhook")
        if hook["uses"] >= HOOK_USES:
            raise ApiError(400, "app.command_webhook.try_use.invalid", "Invalid webhook")
        hook["uses"] += 1
        return hook

    def trigger(self, user: str) -> str:
        trigger = new_id("t")
        self.triggers[trigger] = (user, now_ms())
        return trigger

    def open_dialog(self, user: str, body: dict[str, Any]) -> None:
        found = self.triggers.pop(str(body.get("trigger_id") or ""), None)
        if found is None or now_ms() - found[1] > TRIGGER_MS:
            raise ApiError(
                400, "interactive_message.decode_trigger_id.expired", "Trigger ID expired"
            )
        dialog = body.get("dialog") or {}
        if not dialog.get("title") or len(str(dialog["title"])) > 24 or not body.get("url"):
            raise ApiError(400, "interactive_message.dialog.invalid", "Invalid dialog")
        self.dialogs.append(
            {"user_id": found[0], "url": body["url"], "dialog": copy.deepcopy(dialog)}
        )

    def action(self, post_id: str, action_id: str) -> dict[str, Any]:
        for attachment in self.post(post_id).get("props", {}).get("attachments") or []:
            for action in attachment.get("actions") or []:
                if action.get("id") == action_id:
                    return dict(action)
        raise ApiError(404, "api.post.do_action.action_id.app_error", "Action not found")

    def for_client(self, post: dict[str, Any]) -> dict[str, Any]:
        """A post as a client reads it: the integrations (url, private context) stripped."""
        shown = {k: copy.deepcopy(v) for k, v in post.items() if not k.startswith("_")}
        for attachment in shown.get("props", {}).get("attachments") or []:
            for action in attachment.get("actions") or []:
                action.pop("integration", None)
        return shown
