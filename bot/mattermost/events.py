"""Posted messages from the WebSocket: pasted errors, mentions, direct messages, channel joins.

The same policy as in Slack: a pasted error is answered in its thread only when the use case
says so (high or medium confidence, within the channel's budget); a mention or a direct message
is a direct ask, like `/diagnose`; the bot's own posts, other bots' and webhooks' (props
`from_bot`, `from_webhook`) and system posts are never answered. Each one becomes durable work
keyed by its post id before anything else happens, so with several replicas (each hears every
event) one answers it, and a replica that dies leaves it to another.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict

from bot.answering.admission import Admission, Admitted, SlowDown, busy_line
from bot.answering.answers import Answers
from bot.answering.arrivals import Arrival, skip_reason
from bot.answering.direct import DirectAsks
from bot.answering.request_text import parse_request
from bot.answering.requests import DiagnoseRequest, InputKind, Place
from bot.answering.results import Answer
from bot.errors import BadInput
from bot.mattermost.client import MattermostClient
from bot.mattermost.speaking import in_thread, tell_answer, tell_summary, teller, usage
from bot.mattermost.websocket import mentions, posted_post
from bot.metrics import Metrics
from bot.runtime.background import Background
from bot.runtime.work import WorkQueue
from bot.storage.records import ChannelMessage
from bot.summary.incidents import IncidentSummaries
from bot.summary.recording import RECORD_CHARS
from responses import messages
from responses.fleet_messages import CLUSTERS_BY_COMMAND
from responses.mattermost_post import notice
from responses.redact import redact_clipped

log = logging.getLogger(__name__)

class PostWork(BaseModel):
    """A post to answer, stored as durable work."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    kind: ClassVar[str] = "mm_paste"
    text: str = ""
    channel: str
    post: str
    root: str | None = None
    user: str | None = None

    @property
    def thread(self) -> str:
        return self.root or self.post

    @classmethod
    def of(cls, payload: dict[str, Any]) -> Self:
        return cls.model_validate(payload)


class MentionWork(PostWork):
    kind: ClassVar[str] = "mm_mention"


class DirectWork(PostWork):
    kind: ClassVar[str] = "mm_dm"


def record_of(post: dict[str, Any], *, bot_user_id: str, deleted: bool = False) -> ChannelMessage:
    """A post as the incident summary records it (text redacted and capped)."""
    created = datetime.fromtimestamp(int(post.get("create_at") or 0) / 1000, UTC)
    props = post.get("props") or {}
    return ChannelMessage(channel=str(post["channel_id"]), ts=str(post["id"]), user=str(post.get("user_id") or ""),
                          text="" if deleted else redact_clipped(str(post.get("message") or ""), RECORD_CHARS),
                          thread_ts=str(post.get("root_id") or "") or None, deleted=deleted,
                          is_bot=bool(props.get("from_bot") or props.get("from_webhook"))
                          or post.get("user_id") == bot_user_id,
                          edited=bool(post.get("edit_at")), posted_at=created)


def arrival_of(post: dict[str, Any], bot_user_id: str, *, direct: bool, addressed: bool) -> Arrival:
    """A post as the shared admission list reads it (props `from_bot`, `from_webhook`: another bot's;
    a post `type`: a system post)."""
    props = post.get("props") or {}
    return Arrival(text=str(post.get("message") or ""), channel=str(post["channel_id"]), ts=str(post["id"]),
                   thread_ts=str(post.get("root_id") or "") or None, user=str(post.get("user_id") or "") or None,
                   by_self=post.get("user_id") == bot_user_id,
                   by_bot=any(str(props.get(key)).lower() == "true" for key in ("from_bot", "from_webhook")),
                   system=bool(post.get("type")), direct=direct, addressed=addressed and not direct)


class MattermostEvents:
    """The WebSocket's event handler, and the handlers of the work it stores."""

    def __init__(self, *, work: WorkQueue, answers: Answers, direct: DirectAsks, summaries: IncidentSummaries,
                 client: MattermostClient, bot_user_id: str, bot_username: str, background: Background,
                 metrics: Metrics, admission: Admission | None) -> None:
        self.work, self.answers, self.direct, self.summaries = work, answers, direct, summaries
        self.client, self.bot_user_id, self.background, self.metrics = client, bot_user_id, background, metrics
        self.admission = admission
        # @kubemedic, not @kubemedic-dev: a username goes on with letters, digits, dots, dashes, underscores
        self._mention = re.compile(rf"@{re.escape(bot_username)}(?![\w.-])", re.IGNORECASE)
        self.work.handler(PostWork.kind)(self.answer_paste)
        self.work.handler(MentionWork.kind)(self.answer_mention)
        self.work.handler(DirectWork.kind)(self.answer_direct)
        for kind in (PostWork, MentionWork, DirectWork):
            self.work.shedder(kind.kind)(self.tell_busy)

    async def on_event(self, event: dict[str, Any]) -> None:
        name = event.get("event")
        if name == "posted":
            await self.on_posted(event)
        elif name in ("post_edited", "post_deleted"):
            post = posted_post(event)
            if post is not None and post.get("user_id") != self.bot_user_id:  # its own edits: summaries, answers
                self.background.spawn(self.summaries.on_record(record_of(
                    post, bot_user_id=self.bot_user_id, deleted=name == "post_deleted")))
        elif name == "user_added":
            channel = str((event.get("broadcast") or {}).get("channel_id") or "")
            user = (event.get("data") or {}).get("user_id")
            self.background.spawn(self.summaries.on_member_joined(channel=channel, user=user,
                                                                  bot_user_id=self.bot_user_id))

    async def on_posted(self, event: dict[str, Any]) -> None:
        post = posted_post(event)
        if post is None:
            return
        direct = (event.get("data") or {}).get("channel_type") == "D"
        addressed = direct or self.bot_user_id in mentions(event) or bool(self._mention.search(str(post.get("message"))))
        reason = skip_reason(arrival_of(post, self.bot_user_id, direct=direct, addressed=addressed))
        self.background.spawn(self.summaries.on_record(record_of(post, bot_user_id=self.bot_user_id)))
        if reason is not None:
            self.metrics.skipped.labels(reason).inc()
            return
        kind = DirectWork if direct else MentionWork if addressed else PostWork
        item = kind(text=str(post.get("message") or ""), channel=str(post["channel_id"]), post=str(post["id"]),
                    root=str(post.get("root_id") or "") or None, user=str(post.get("user_id") or "") or None)
        decision = self.admission.admit(user=item.user, channel=item.channel) if self.admission else None
        if isinstance(decision, SlowDown):
            if addressed or (item.user and self.admission is not None and self.admission.tell_now(item.user)):
                await in_thread(self.client, item.channel, item.thread)(decision.line)
            return
        await self.work.submit(kind.kind, f"mm:{item.post}", item.model_dump(exclude_none=True),
                               slot=decision.slot if isinstance(decision, Admitted) else None)

    async def tell_busy(self, payload: dict[str, Any], ahead: int, retry_after: int) -> None:
        item = PostWork.of(payload)
        await in_thread(self.client, item.channel, item.thread)(busy_line(ahead, retry_after))

    async def answer_paste(self, payload: dict[str, Any], attempt: int) -> None:
        """A pasted error: answered in its thread only when the use case says so."""
        item = PostWork.of(payload)
        request = DiagnoseRequest.paste(item.text)
        place = Place(item.channel, item.thread, item.user)
        answer = await self.direct.walk_pasted(request.text, place) or \
            await self.answers.answer(request, place, kind="message")
        await tell_answer(answer, subject=request.subject, say_private=None)

    async def answer_mention(self, payload: dict[str, Any], attempt: int) -> None:
        await self._answer_directly(PostWork.of(payload), kind="mention")

    async def answer_direct(self, payload: dict[str, Any], attempt: int) -> None:
        await self._answer_directly(PostWork.of(payload), kind="dm")

    async def _answer_directly(self, item: PostWork, *, kind: InputKind) -> None:
        """`@kubemedic ...` or a direct message: like `/diagnose`, answered in the thread."""
        say = in_thread(self.client, item.channel, item.thread)
        try:
            asked = parse_request(self._mention.sub(" ", item.text))
        except BadInput as exc:
            await say(notice(messages.user_error(exc.reason)))
            return
        if asked == "help":
            await say(usage())
        elif asked == "summary":
            await tell_summary(await self.summaries.answer(item.channel), say)
        elif asked == "clusters":
            await say(notice(CLUSTERS_BY_COMMAND))
        else:
            async def render(answer: Answer) -> None:
                await tell_answer(answer, subject=asked.subject, say_private=say)

            await self.direct.answer(asked, Place(item.channel, item.thread, item.user), kind=kind, render=render,
                                     tell=teller(say))
