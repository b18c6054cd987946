"""Posted messages from the WebSocket: pasted errors, mentions, direct messages, channel joins.

The same policy as in Slack: a pasted error is answered in its thread only when the use case
says so (high or medium confidence, within the channel's budget); a mention or a direct message
is a direct ask, like `/diagnose`; the bot's own posts, other bots' and webhooks' (props
`from_bot`, `from_webhook`) and system posts are never answered (the shared admission list,
bot.answering.arrivals). Each one becomes durable work keyed by its post id before anything else
happens, so with several replicas (each hears every event) one answers it, and a replica that
dies leaves it to another. Every post is recorded for the incident summaries.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from bot.answering.arrivals import Arrival, Inbox, first_text
from bot.mattermost.websocket import mentions, posted_post
from bot.runtime.background import Background
from bot.runtime.budget import TEXT_CPU_SECONDS, off_loop
from bot.storage.records import ChannelMessage
from bot.summary.incidents import IncidentSummaries
from bot.summary.recording import RECORD_CHARS
from responses.redaction import redact_clipped


def _from_bot(post: dict[str, Any], bot_user_id: str) -> bool:
    """A post by a bot or webhook, or by this bot."""
    props = post.get("props") or {}
    return (
        bool(props.get("from_bot") or props.get("from_webhook"))
        or post.get("user_id") == bot_user_id
    )


def record_of(post: dict[str, Any], *, bot_user_id: str, deleted: bool = False) -> ChannelMessage:
    """A post as the incident summary records it (text redacted and capped)."""
    created = datetime.fromtimestamp(int(post.get("create_at") or 0) / 1000, UTC)
    return ChannelMessage(
        channel=str(post["channel_id"]),
        ts=str(post["id"]),
        user=str(post.get("user_id") or ""),
        text="" if deleted else redact_clipped(str(post.get("message") or ""), RECORD_CHARS),
        thread_ts=str(post.get("root_id") or "") or None,
        deleted=deleted,
        is_bot=_from_bot(post, bot_user_id),
        edited=bool(post.get("edit_at")),
        posted_at=created,
    )


def mention_of(bot_username: str) -> re.Pattern[str]:
    """@kubemedic, not @kubemedic-dev: a username goes on with letters, digits, dots, dashes, underscores."""
    return re.compile(rf"@{re.escape(bot_username)}(?![\w.-])", re.IGNORECASE)


def arrival_of(post: dict[str, Any], bot_user_id: str, *, direct: bool, addressed: bool) -> Arrival:
    """A post as the shared admission list reads it (props `from_bot`, `from_webhook`: another bot's;
    a post `type`: a system post)."""
    props = post.get("props") or {}
    return Arrival(
        text=first_text(post.get("message")),
        channel=str(post["channel_id"]),
        ts=str(post["id"]),
        thread_ts=first_text(post.get("root_id")) or None,
        user=first_text(post.get("user_id")) or None,
        by_self=post.get("user_id") == bot_user_id,
        by_bot=any(str(props.get(key)).lower() == "true" for key in ("from_bot", "from_webhook")),
        system=bool(post.get("type")),
        direct=direct,
        addressed=addressed and not direct,
    )


class MattermostEvents:
    """The WebSocket's event handler: posts to the flow's inbox, and every post to the summaries."""

    def __init__(
        self,
        *,
        inbox: Inbox,
        summaries: IncidentSummaries,
        bot_user_id: str,
        bot_username: str,
        background: Background,
    ) -> None:
        self.inbox, self.summaries, self.bot_user_id, self.background = (
            inbox,
            summaries,
            bot_user_id,
            background,
        )
        self.mention = mention_of(bot_username)

    async def on_event(self, event: dict[str, Any]) -> None:
        name = event.get("event")
        if name == "posted":
            await self.on_posted(event)
        elif name in ("post_edited", "post_deleted"):
            post = posted_post(event)
            if (
                post is not None and post.get("user_id") != self.bot_user_id
            ):  # its own edits: summaries, answers
                self.background.spawn(self._record(post, deleted=name == "post_deleted"))
        elif name == "user_added":
            channel = str((event.get("broadcast") or {}).get("channel_id") or "")
            user = (event.get("data") or {}).get("user_id")
            self.background.spawn(
                self.summaries.on_member_joined(
                    channel=channel, user=user, bot_user_id=self.bot_user_id
                )
            )

    async def _record(self, post: dict[str, Any], *, deleted: bool = False) -> None:
        """The post recorded for the incident summary, its text redacted off the event loop."""
        record = await off_loop(
            TEXT_CPU_SECONDS, record_of, post, bot_user_id=self.bot_user_id, deleted=deleted
        )
        await self.summaries.on_record(record)

    async def on_posted(self, event: dict[str, Any]) -> None:
        post = posted_post(event)
        if post is None:
            return
        direct = (event.get("data") or {}).get("channel_type") == "D"
        addressed = self.bot_user_id in mentions(event) or bool(
            await off_loop(TEXT_CPU_SECONDS, self.mention.search, str(post.get("message")))
        )
        self.background.spawn(self._record(post))
        arrival = arrival_of(post, self.bot_user_id, direct=direct, addressed=addressed)
        await self.inbox.arrive(arrival, f"mm:{arrival.ts}")
