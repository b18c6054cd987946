"""A recording Mattermost stand-in: the REST API (v4), the WebSocket, and the server's calls to a bot.

The bot talks HTTP and WebSocket to it on 127.0.0.1 (KUBEMEDIC_MATTERMOST_URL). What a person
does in Mattermost is a method here that does what the server does: `say` stores a post and
sends the `posted` event (its `post` field JSON inside the JSON, `mentions` too) to every
connected member; `command` POSTs the slash command form to the bot with the command's token
(`Authorization: Token ...`) and a response_url; `click` POSTs the interactive action's request
(user, channel, post, trigger id, the action's private context) to its integration URL and applies
the answer (`update`, `ephemeral_text`); `submit` sends a dialog's submission. Every API call is
recorded; faults (status, Retry-After) can be injected.

    mm = MattermostStandIn()
    mm.state.add_channel("chgeneral0000000000000000c", "general", members=(ALICE,))
    async with running_mattermost(mm):
        await mm.say("chgeneral0000000000000000c", ALICE, "pod crashed: OOMKilled")
        [reply] = await mm.wait_for("POST", "/posts")
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.waiting import PATIENCE

from .mattermost_state import BOT_ID, TEAM_ID, ApiError, MattermostState, new_id

SERVER_VERSION = "10.5.0"


@dataclass
class Call:
    """One API call as received and answered."""

    method: str
    path: str
    body: Any
    status: int = 0
    answer: Any = None
    at: float = field(default_factory=time.monotonic)


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int
    times: int | None = 1
    retry_after: float | None = None


class MattermostStandIn:
    """The server: `state` is its world; `url` its base URL while it runs."""

    def __init__(self, *, bot_token: str = "mm-bot-token") -> None:
        self.state = MattermostState(bot_token=bot_token)
        self.calls: list[Call] = []
        self.url: str | None = None
        self.sockets: list[tuple[web.WebSocketResponse, str]] = []
        self.connections = 0
        self._faults: list[Fault] = []
        self._seq = 0
        self._changed = asyncio.Condition()

    # ------------------------------------------------------------------ recording and faults
    def fail(
        self,
        method: str,
        path: str,
        status: int = 500,
        *,
        times: int | None = 1,
        retry_after: float | None = None,
    ) -> Fault:
        fault = Fault(method, re.compile(path), status, times, retry_after)
        self._faults.append(fault)
        return fault

    def calls_to(self, method: str, path: str, *, ok: bool | None = None) -> list[Call]:
        pattern = re.compile(path)
        return [
            c
            for c in self.calls
            if c.method == method
            and pattern.search(c.path)
            and (ok is None or (c.status < 400) == ok)
        ]

    async def wait_for(
        self, method: str, path: str, count: int = 1, timeout: float = PATIENCE
    ) -> list[Call]:
        """The first `count` answered calls to `path` (a regex), waiting for them."""
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: len(self.calls_to(method, path)) >= count),
                    timeout,
                )
            except TimeoutError:
                seen = [f"{c.method} {c.path} {c.status}" for c in self.calls]
                raise AssertionError(
                    f"{count} x {method} {path} not called in {timeout}s; calls: {seen}"
                ) from None
        return self.calls_to(method, path)[:count]

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()

    # ------------------------------------------------------------------ the HTTP app
    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/api/v4/websocket", self._websocket)
        app.router.add_post("/hooks/commands/{hook}", self._hook)
        app.router.add_route("*", "/api/v4/{path:.*}", self._api)
        return app

    async def _api(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        body = await request.json() if request.can_read_body else None
        call = Call(request.method, path, body)
        try:
            self._fault(call)
            token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            with self.state.lock:
                user = self.state.user_of(token)
                call.status, call.answer = 200, self._route(call, user, dict(request.query))
            if request.method == "POST" and path in ("/posts",):
                call.status = 201
        except ApiError as exc:
            call.status, call.answer = exc.status, exc.body()
        await self._record(call)
        headers = {"Retry-After": str(int(self._retry_after))} if call.status == 429 else None
        if call.status < 400:
            await self._after(call)
        return web.json_response(call.answer, status=call.status, headers=headers)

    _retry_after: float = 1.0

    def _fault(self, call: Call) -> None:
        for fault in self._faults:
            if fault.method == call.method and fault.path.search(call.path) and fault.times != 0:
                if fault.times is not None:
                    fault.times -= 1
                self._retry_after = fault.retry_after or 1.0
                raise ApiError(fault.status, "standin.fault", "injected")

    def _route(self, call: Call, user: str, query: dict[str, str]) -> Any:
        state, parts, body = self.state, call.path.strip("/").split("/"), call.body or {}
        match call.method, parts:
            case "GET", ["users", "me"]:
                return state.users[user]
            case "GET", ["users", user_id]:
                if user_id not in state.users:
                    raise ApiError(404, "app.user.missing_account.const", "Unable to find the user")
                return state.users[user_id]
            case "GET", ["channels", channel_id]:
                channel = state.channel(channel_id, user)
                return {
                    "id": channel.id,
                    "name": channel.name,
                    "display_name": channel.display_name,
                    "type": channel.type,
                    "team_id": TEAM_ID,
                }
            case "GET", ["channels", channel_id, "members", member]:
                if member not in state.channel(channel_id, user).members:
                    raise ApiError(
                        404, "app.channel.get_member.missing.app_error", "No channel member found"
                    )
                return {"channel_id": channel_id, "user_id": member, "roles": "channel_user"}
            case "POST", ["channels", channel_id, "members"]:
                channel = state.channel(channel_id, user)
                if channel.type != "O" and user not in channel.members:
                    raise ApiError(403, "api.context.permissions.app_error", "no permission")
                channel.members.add(str(body.get("user_id")))
                return {"channel_id": channel_id, "user_id": body.get("user_id")}
            case "GET", ["channels", channel_id, "posts"]:
                return self._page(state.channel(channel_id, user).id, query)
            case "POST", ["posts"]:
                return state.for_client(state.create(user, body))
            case "PUT", ["posts", post_id, "patch"]:
                return state.for_client(state.patch(user, post_id, body))
            case "GET", ["posts", post_id]:
                return state.for_client(state.post(post_id))
            case "GET", ["posts", post_id, "thread"]:
                posts = state.thread(state.post(post_id).get("root_id") or post_id)
                return {
                    "order": [p["id"] for p in reversed(posts)],
                    "posts": {p["id"]: state.for_client(p) for p in posts},
                }
            case "POST", ["posts", post_id, "pin"]:
                state.post(post_id)
                state.pinned.add(post_id)
                return {"status": "OK"}
            case "POST", ["actions", "dialogs", "open"]:
                state.open_dialog(user, body)
                return {"status": "OK"}
        raise ApiError(404, "api.context.404.app_error", f"no route {call.method} {call.path}")

    def _page(self, channel: str, query: dict[str, str]) -> dict[str, Any]:
        posts = list(reversed(self.state.top_level(channel)))  # newest first, replies too
        if "since" in query:
            posts = [p for p in posts if p["create_at"] >= int(query["since"])]
        else:
            per_page, page = int(query.get("per_page", 60)), int(query.get("page", 0))
            posts = posts[page * per_page : (page + 1) * per_page]
        return {
            "order": [p["id"] for p in posts],
            "posts": {p["id"]: self.state.for_client(p) for p in posts},
            "next_post_id": "",
            "prev_post_id": "",
        }

    async def _after(self, call: Call) -> None:
        """What a change tells the connected clients: a new post, an edited one."""
        if call.method == "POST" and call.path == "/posts":
            await self.broadcast_post(self.state.posts[call.answer["id"]])
        elif call.method == "PUT" and call.path.endswith("/patch"):
            post = self.state.posts[call.answer["id"]]
            await self._send(
                "post_edited", {"post": json.dumps(self.state.for_client(post))}, post["channel_id"]
            )

    async def _hook(self, request: web.Request) -> web.Response:
        body = await request.json()
        call = Call("POST", f"/hooks/commands/{request.match_info['hook']}", body)
        try:
            with self.state.lock:
                hook = self.state.use_hook(request.match_info["hook"])
            await self._respond(hook, body)
            call.status, call.answer = 200, {}
        except ApiError as exc:
            call.status, call.answer = exc.status, exc.body()
        await self._record(call)
        return web.json_response(call.answer, status=call.status)

    async def _respond(self, hook: dict[str, Any], answer: dict[str, Any]) -> None:
        """A command's answer: ephemeral to its user, or a post in its channel."""
        if answer.get("response_type") == "in_channel":
            with self.state.lock:
                post = self.state.create(
                    BOT_ID,
                    {
                        "channel_id": hook["channel_id"],
                        "root_id": hook.get("root_id"),
                        "message": answer.get("text") or "",
                        "props": {"attachments": answer.get("attachments") or []},
                    },
                )
            await self.broadcast_post(post)
        else:
            self.state.ephemerals.append(
                {
                    "user_id": hook["user_id"],
                    "channel_id": hook["channel_id"],
                    "text": str(answer.get("text") or ""),
                    "attachments": answer.get("attachments") or [],
                }
            )

    # ------------------------------------------------------------------ the WebSocket
    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        header = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        user = self.state.tokens.get(header) if header else None
        if header and user is None:
            return web.json_response(
                ApiError(401, "api.context.session_expired.app_error").body(), status=401
            )
        socket = web.WebSocketResponse(heartbeat=None)
        await socket.prepare(request)
        if user is None:  # the authentication challenge, as first message
            first = await socket.receive_json(timeout=5)
            user = self.state.tokens.get(str((first.get("data") or {}).get("token")))
            reply = {"status": "OK" if user else "FAIL", "seq_reply": first.get("seq")}
            await socket.send_json(reply)
            if user is None:
                await socket.close()
                return socket
        self.connections += 1
        await socket.send_json(
            {
                "event": "hello",
                "data": {"server_version": SERVER_VERSION},
                "broadcast": {"user_id": user, "channel_id": "", "team_id": ""},
                "seq": 0,
            }
        )
        self.sockets.append((socket, user))
        try:
            async for _message in socket:  # pings are answered by aiohttp; actions are not used
                pass
        finally:
            self.sockets = [(s, u) for s, u in self.sockets if s is not socket]
        return socket

    async def drop_sockets(self) -> None:
        """Close every WebSocket, as a restarting server does."""
        for socket, _user in list(self.sockets):
            await socket.close()

    async def _send(
        self, event: str, data: dict[str, Any], channel: str, *, to: str | None = None
    ) -> None:
        members = self.state.channels[channel].members if channel in self.state.channels else set()
        for socket, user in list(self.sockets):
            if (to is None and user in members) or user == to:
                self._seq += 1
                await socket.send_json(
                    {
                        "event": event,
                        "data": data,
                        "seq": self._seq,
                        "broadcast": {
                            "omit_users": None,
                            "user_id": to or "",
                            "channel_id": channel,
                            "team_id": "",
                        },
                    }
                )

    async def broadcast_post(self, post: dict[str, Any]) -> None:
        channel = self.state.channels[post["channel_id"]]
        sender = self.state.users.get(post["user_id"], {}).get("username", "")
        data: dict[str, Any] = {
            "channel_display_name": channel.display_name,
            "channel_name": channel.name,
            "channel_type": channel.type,
            "post": json.dumps(self.state.for_client(post)),
            "sender_name": f"@{sender}",
            "team_id": TEAM_ID,
            "set_online": True,
        }
        mentioned = [
            uid
            for uid, u in self.state.users.items()
            if re.search(rf"@{re.escape(u['username'])}(?![\w.-])", post["message"])
        ]
        if channel.type == "D":
            mentioned += [m for m in channel.members if m != post["user_id"]]
        if mentioned:
            data["mentions"] = json.dumps(sorted(set(mentioned)))
        await self._send("posted", data, channel.id)

    # ------------------------------------------------------------------ what people do
    async def say(
        self,
        channel: str,
        user: str,
        message: str,
        *,
        root_id: str = "",
        props: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """`user` posts `message` (in the thread of `root_id`)."""
        with self.state.lock:
            post = self.state.create(
                user,
                {
                    "channel_id": channel,
                    "message": message,
                    "root_id": root_id,
                    "props": props or {},
                },
            )
        await self.broadcast_post(post)
        return post

    async def add_member(self, channel: str, user: str) -> None:
        """Someone adds `user` to `channel`: the members hear `user_added`."""
        self.state.channels[channel].members.add(user)
        await self._send("user_added", {"user_id": user, "team_id": TEAM_ID}, channel)

    async def command(
        self,
        url: str,
        token: str,
        *,
        channel: str,
        user: str,
        text: str,
        root_id: str = "",
        response_url: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """`/diagnose text` typed by `user` in `channel`: the server's POST to the command's URL
        (`response_url`: another one than this server's, as whoever holds the token may send)."""
        hook = self.state.hook_for(channel, user, root_id)
        with self.state.lock:
            name = self.state.channels[channel].name
            username = self.state.users[user]["username"]
        form = {
            "token": token,
            "team_id": TEAM_ID,
            "team_domain": "ops",
            "channel_id": channel,
            "channel_name": name,
            "user_id": user,
            "user_name": username,
            "command": "/diagnose",
            "text": text,
            "trigger_id": self.state.trigger(user),
            "response_url": response_url or f"{self.url}/hooks/commands/{hook}",
        }
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                url,
                data=form,
                headers={"Authorization": f"Token {token}", "Accept": "application/json"},
            ) as reply,
        ):
            answer = await reply.json(content_type=None) if reply.status == 200 else {}
            status = reply.status
        if status == 200 and (answer.get("text") or answer.get("attachments")):
            await self._respond(self.state.hooks[hook], answer)
        return status, answer

    async def click(self, post_id: str, action_id: str, user: str) -> tuple[int, dict[str, Any]]:
        """`user` clicks a button: the server POSTs the action's request to its integration URL."""
        with self.state.lock:
            try:
                action = self.state.action(post_id, action_id)
            except ApiError as exc:  # the button is gone: what the client is told
                return exc.status, exc.body()
            post = self.state.post(post_id)
            channel = self.state.channels[post["channel_id"]]
            request = {
                "user_id": user,
                "user_name": self.state.users[user]["username"],
                "channel_id": channel.id,
                "channel_name": channel.name,
                "team_id": TEAM_ID,
                "team_domain": "ops",
                "post_id": post_id,
                "trigger_id": self.state.trigger(user),
                "type": "button",
                "data_source": "",
                "context": (action.get("integration") or {}).get("context") or {},
            }
        url = (action.get("integration") or {}).get("url")
        async with aiohttp.ClientSession() as session, session.post(url, json=request) as reply:
            status = reply.status
            answer = await reply.json(content_type=None) if status == 200 else {}
        if status == 200 and answer.get("ephemeral_text"):
            self.state.ephemerals.append(
                {
                    "user_id": user,
                    "channel_id": channel.id,
                    "text": answer["ephemeral_text"],
                    "attachments": [],
                }
            )
        if status == 200 and answer.get("update"):
            with self.state.lock:
                self.state.patch(post["user_id"], post_id, answer["update"])
        return status, answer

    async def submit(
        self,
        dialog: dict[str, Any],
        user: str,
        *,
        cancelled: bool = False,
        submission: dict[str, Any] | None = None,
        channel: str = "",
    ) -> tuple[int, dict[str, Any]]:
        """`user` submits (or cancels) a dialog the bot opened."""
        form = dialog["dialog"]
        body = {
            "type": "dialog_submission",
            "callback_id": form.get("callback_id", ""),
            "state": form.get("state", ""),
            "user_id": user,
            "channel_id": channel,
            "team_id": TEAM_ID,
            "submission": submission or {},
            "cancelled": cancelled,
        }
        async with (
            aiohttp.ClientSession() as session,
            session.post(dialog["url"], json=body) as reply,
        ):
            return reply.status, (
                await reply.json(content_type=None) if reply.status == 200 else {}
            )

    def posts_in(self, channel: str, *, by: str = BOT_ID) -> list[dict[str, Any]]:
        """The channel's posts by `by`, oldest first, as stored (integrations included)."""
        return [p for p in self.state.top_level(channel) if p["user_id"] == by]

    def ephemerals_for(self, user: str) -> list[str]:
        return [e["text"] for e in self.state.ephemerals if e["user_id"] == user]


@asynccontextmanager
async def running_mattermost(
    standin: MattermostStandIn, *, host: str = "127.0.0.1"
) -> AsyncIterator[str]:
    """Serve the stand-in on `host` (loopback by default; the install tier's pod bridge), a free
    port; its base URL."""
    runner = web.AppRunner(standin.make_app())
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    standin.url = f"http://{host}:{runner.addresses[0][1]}"
    try:
        yield standin.url
    finally:
        await standin.drop_sockets()
        await runner.cleanup()


__all__ = ["BOT_ID", "TEAM_ID", "Call", "MattermostStandIn", "new_id", "running_mattermost"]
