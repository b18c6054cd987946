"""The alert loop's and the incident summaries' chat ports in Mattermost.

Alert and watcher messages are posted once and edited in place (PUT /posts/{id}/patch); their
notes go in the message's thread; a post in doubt is found again by the noise key kept in its
props. A 429 reaches the alert loop with its wait, never slept out here. Mattermost's "no
permission" and "not found" are the port's `not_in_channel` and `channel_not_found` refusals (the
message then goes to the default channel). The summary is one pinned post, kept current the same way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from bot.mattermost.client import MattermostClient, MattermostError
from bot.mattermost.events import record_of
from bot.noise.chat import ChatFailed, refused, view_of
from bot.runtime.budget import TEXT_CPU_SECONDS, off_loop
from bot.storage.alert_records import AlertThread
from bot.storage.records import ChannelMessage
from bot.summary.chat import ChatError
from responses.mattermost_notes import alert_message, note_message, rollup_message, summary_message
from responses.summary import Summary

KEY_PROP = "kubemedic_key"
PAGE = 200


def failed(exc: MattermostError) -> ChatFailed:
    return refused(exc.status, exc.error, transient=exc.transient, retry_after=exc.retry_after)


class MattermostAlertChat:
    """`AlertChat` over the REST client."""

    def __init__(self, client: MattermostClient) -> None:
        self.client = client

    async def _call(self, call: Any) -> Any:
        try:
            return await call
        except MattermostError as exc:
            raise failed(exc) from exc

    async def post(self, thread: AlertThread, *, now: datetime) -> str:
        posted = await self._call(
            self.client.create_post(
                thread.channel, alert_message(view_of(thread, now)), props={KEY_PROP: thread.key}
            )
        )
        return str(posted["id"])

    async def find(self, thread: AlertThread, *, since: datetime) -> str | None:
        page = await self._call(
            self.client.channel_posts(thread.channel, since_ms=int(since.timestamp() * 1000))
        )
        for post in (page.get("posts") or {}).values():
            if (post.get("props") or {}).get(KEY_PROP) == thread.key and not post.get("root_id"):
                return str(post["id"])
        return None

    async def update(self, thread: AlertThread, *, now: datetime) -> None:
        await self._call(
            self.client.patch_post(
                str(thread.message_ts),
                alert_message(view_of(thread, now)),
                props={KEY_PROP: thread.key},
            )
        )

    async def reply(self, thread: AlertThread, note: dict[str, Any], *, now: datetime) -> None:
        await self._call(
            self.client.create_post(thread.channel, note_message(note), root_id=thread.message_ts)
        )

    async def link(self, thread: AlertThread) -> str | None:
        """The post's permalink (Mattermost redirects /_redirect/pl/<id> to it in its team)."""
        return (
            f"{self.client.base_url}/_redirect/pl/{thread.message_ts}"
            if thread.message_ts
            else None
        )

    async def post_rollup(self, channel: str, titles: list[str], total: int) -> str:
        return str(
            (await self._call(self.client.create_post(channel, rollup_message(titles, total))))[
                "id"
            ]
        )

    async def update_rollup(self, channel: str, ts: str, titles: list[str], total: int) -> None:
        await self._call(self.client.patch_post(ts, rollup_message(titles, total)))


class MattermostSummaryChat:
    """`SummaryChat` over the REST client."""

    def __init__(self, client: MattermostClient, *, bot_user_id: str) -> None:
        self.client = client
        self.bot_user_id = bot_user_id

    async def _call(self, call: Any) -> Any:
        try:
            return await call
        except MattermostError as exc:
            raise ChatError(exc.error, gone=exc.gone, rate_limited=exc.status == 429) from exc

    async def channel_name(self, channel: str) -> str:
        found = await self._call(self.client.channel(channel))
        return "" if found.get("type") in ("D", "G") else str(found.get("name") or "")

    async def user_name(self, user: str) -> str | None:
        found = await self._call(self.client.user(user))
        return (
            None
            if found.get("is_bot")
            else str(found.get("nickname") or found.get("username") or user)
        )

    async def join(self, channel: str) -> None:
        await self._call(self.client.join(channel, self.bot_user_id))

    async def history(
        self, channel: str, *, since: datetime
    ) -> AsyncIterator[tuple[ChannelMessage, bool]]:
        page = await self._call(
            self.client.channel_posts(channel, since_ms=int(since.timestamp() * 1000))
        )
        posts = (page.get("posts") or {}).values()
        roots = {str(p.get("root_id")) for p in posts if p.get("root_id")}
        for post in sorted(posts, key=lambda p: int(p.get("create_at") or 0)):
            if not post.get("root_id") and not post.get("type"):
                yield await self._record(post), str(post["id"]) in roots

    async def replies(self, channel: str, thread: str) -> AsyncIterator[ChannelMessage]:
        page = await self._call(self.client.thread(thread))
        for post in sorted(
            (page.get("posts") or {}).values(), key=lambda p: int(p.get("create_at") or 0)
        ):
            if post.get("id") != thread and not post.get("type"):
                yield await self._record(post)

    async def recent(self, channel: str, limit: int) -> list[ChannelMessage]:
        page = await self._call(self.client.channel_posts(channel, per_page=min(limit, PAGE)))
        posts = sorted(
            (page.get("posts") or {}).values(), key=lambda p: int(p.get("create_at") or 0)
        )
        return [await self._record(p) for p in posts if not p.get("type")]

    async def _record(self, post: dict[str, Any]) -> ChannelMessage:
        """The post as recorded, its text redacted off the event loop."""
        return await off_loop(TEXT_CPU_SECONDS, record_of, post, bot_user_id=self.bot_user_id)

    async def post_summary(self, channel: str, summary: Summary) -> str:
        return str(
            (await self._call(self.client.create_post(channel, summary_message(summary))))["id"]
        )

    async def update_summary(self, channel: str, message_id: str, summary: Summary) -> None:
        await self._call(self.client.patch_post(message_id, summary_message(summary)))

    async def pin(self, channel: str, message_id: str) -> None:
        await self._call(self.client.pin(message_id))
