"""The diagnose use case without any transport: one path, a policy per input kind.

The use case runs for real (the built-in catalog's matcher, a real SQLite
store, the real publisher); only the posting port is a recorder, because
posting is exactly what a transport provides (the Slack one is tested end
to end in tests/slack).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.answering.answers import Answers
from bot.answering.diagnosing import Diagnoser
from bot.answering.ports import PostFailed
from bot.answering.publishing import Publisher
from bot.answering.ratelimit import ChannelRateLimiter
from bot.answering.requests import DiagnoseRequest, Place
from bot.answering.results import NotPosted, Posted, Quiet, Refused, Unsure
from bot.cluster.reader import ClusterReader
from bot.errors import BadInput
from bot.metrics import Metrics
from bot.runtime.clock import utc_now
from bot.storage.sql import SqlStore
from intents.matcher import Matcher
from responses.chat import AnswerMessage, ChatMessage
from responses.diagnosis import Diagnosis

OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
CHAT = "anyone up for lunch? the new place opened"
HERE = Place("C0CHANNEL01", "1700000000.000100", "U0ALICE001")


class RecordingPoster:
    """The posting port, recording what a transport would have shown."""

    def __init__(self, refuse: str | None = None) -> None:
        self.posted: list[tuple[Place, Diagnosis]] = []
        self.refuse = refuse

    async def post(self, place: Place, message: ChatMessage) -> str | None:
        if self.refuse:
            raise PostFailed(self.refuse)
        assert isinstance(message, AnswerMessage)
        self.posted.append((place, message.diagnosis))
        return f"1700000001.{len(self.posted):06d}"

    async def replace(self, channel: str, message_id: str, message: ChatMessage) -> None:
        raise AssertionError("no repeat in these cases")


class NoClusters:
    def reader(self, context: str | None) -> ClusterReader:
        raise BadInput(f"context {context!r} is not allowed; allowed contexts: none")


@asynccontextmanager
async def answers(
    tmp_path: Path, matcher: Matcher, poster: RecordingPoster, per_minute: int = 6
) -> AsyncIterator[Answers]:
    store = SqlStore(f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}")
    await store.start()
    metrics = Metrics()
    publisher = Publisher(
        store=store,
        surface=poster,
        metrics=metrics,
        clock=utc_now,
        repeat_window_minutes=0,
        remediation=None,
    )
    try:
        yield Answers(
            diagnoser=Diagnoser(matcher=matcher, readers=NoClusters()),
            publisher=publisher,
            limiter=ChannelRateLimiter(per_minute),
            metrics=metrics,
        )
    finally:
        await store.close()


async def test_a_pasted_message_without_a_confident_match_stays_quiet(
    tmp_path: Path, matcher: Matcher
) -> None:
    poster = RecordingPoster()
    async with answers(tmp_path, matcher, poster) as use_case:
        answer = await use_case.answer(DiagnoseRequest.paste(CHAT), HERE, kind="message")
    assert answer == Quiet("low_confidence") and poster.posted == []


async def test_a_question_in_the_channel_stays_quiet_and_a_question_quoting_an_error_is_answered(
    tmp_path: Path, matcher: Matcher
) -> None:
    poster = RecordingPoster()
    async with answers(tmp_path, matcher, poster) as use_case:
        how = await use_case.answer(
            DiagnoseRequest.paste("what does CrashLoopBackOff mean"), HERE, kind="message"
        )
        asked = await use_case.answer(
            DiagnoseRequest.paste("how do liveness probes work?"), HERE, kind="mention"
        )
        why = await use_case.answer(
            DiagnoseRequest.paste("why do I get `Back-off restarting failed container`?"),
            HERE,
            kind="message",
        )
    assert how == Quiet("low_confidence")
    assert isinstance(asked, Unsure) and asked.diagnosis.answer is None
    assert not asked.diagnosis.offered  # a question is offered no diagnoses to pick from
    assert isinstance(why, Posted)
    assert [d.answer.match.id if d.answer else None for _, d in poster.posted] == [
        "crashloop-backoff"
    ]


async def test_an_explicit_ask_without_a_confident_match_is_told_privately(
    tmp_path: Path, matcher: Matcher
) -> None:
    poster = RecordingPoster()
    async with answers(tmp_path, matcher, poster) as use_case:
        for kind in ("command", "mention"):
            answer = await use_case.answer(DiagnoseRequest.paste(CHAT), HERE, kind=kind)
            assert isinstance(answer, Unsure) and answer.diagnosis.answer is None, kind
    assert poster.posted == []


async def test_a_confident_paste_is_published_in_its_thread_within_the_channel_budget(
    tmp_path: Path, matcher: Matcher
) -> None:
    poster = RecordingPoster()
    async with answers(tmp_path, matcher, poster, per_minute=1) as use_case:
        first = await use_case.answer(DiagnoseRequest.paste(OOM), HERE, kind="message")
        second = await use_case.answer(DiagnoseRequest.paste(OOM), HERE, kind="message")
        asked = await use_case.answer(DiagnoseRequest.paste(OOM), HERE, kind="command")
    assert isinstance(first, Posted) and first.diagnosis_id is not None
    assert second == Quiet("rate_limited")  # the budget holds pasted messages back...
    assert isinstance(asked, Posted)  # ...not explicit asks
    assert [
        (place.thread_ts, d.answer.match.id if d.answer else None) for place, d in poster.posted
    ] == [(HERE.thread_ts, "oom-killed"), (HERE.thread_ts, "oom-killed")]


async def test_expected_failures_and_refused_posts_come_back_typed(
    tmp_path: Path, matcher: Matcher
) -> None:
    async with answers(tmp_path, matcher, RecordingPoster(refuse="not_in_channel")) as use_case:
        refused = await use_case.answer(
            DiagnoseRequest("pod", namespace="shop", name="web-0", context="prod"),
            HERE,
            kind="command",
        )
        not_posted = await use_case.answer(DiagnoseRequest.paste(OOM), HERE, kind="command")
    assert refused == Refused("context 'prod' is not allowed; allowed contexts: none")
    assert isinstance(not_posted, NotPosted) and not_posted.error == "not_in_channel"
    assert not_posted.diagnosis.answer is not None
