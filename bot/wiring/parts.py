"""The use cases every chat shares, wired once for the root: the diagnose use case and a chat's
interaction flow (its asks and every button), each against the chat's surface."""

from __future__ import annotations

from bot.answering.answers import Answers
from bot.answering.asking import Asking
from bot.answering.choice_clicks import ClickChecks
from bot.answering.choosing import Choosing
from bot.answering.details import DetailsLookup
from bot.answering.diagnosing import Diagnoser
from bot.answering.direct import DirectAsks
from bot.answering.examples import TeamExamples
from bot.answering.feedback import Feedback
from bot.answering.flow import ChatFlow
from bot.answering.object_finder import ObjectFinder
from bot.answering.picking import Picking
from bot.answering.ports import RemediationPort
from bot.answering.publishing import Publisher
from bot.answering.ratelimit import ChannelRateLimiter
from bot.answering.requests import Place
from bot.answering.results import Posted
from bot.answering.surface import ChatPoster, ChatSurface
from bot.answering.unmatched import UnmatchedPastes
from bot.noise.muting import Muting
from bot.runtime.coalescing import Coalescer
from bot.runtime.ledger import Ledger
from bot.summary.incidents import IncidentSummaries
from bot.web.agent_client import handoff_of
from bot.wiring.adapter import Core
from bot.wiring.hub import ClusterSide
from bot.wiring.recording import said_recorded
from bot.wiring.tickets import tickets_of


def answers_of(
    core: Core,
    side: ClusterSide,
    *,
    surface: ChatPoster,
    remediation: RemediationPort | None,
    summaries: IncidentSummaries,
    ledger: Ledger,
) -> Answers:
    """The diagnose use case, publishing through `surface` and noting answers in incident
    summaries (`remediation`: None where the chat cannot call a button back)."""
    settings, store, metrics, clock = core.settings, core.store, core.metrics, core.clock
    fleet = side.fleet

    async def noted_in_summary(place: Place, posted: Posted) -> None:
        await summaries.on_diagnosis(
            channel=place.channel,
            ts=posted.ts,
            diagnosis_id=posted.diagnosis_id,
            thread_ts=place.thread_ts,
        )

    publisher = Publisher(
        store=store,
        surface=surface,
        metrics=metrics,
        clock=clock,
        repeat_window_minutes=settings.repeat_window_minutes,
        remediation=remediation,
        ledger=ledger,
        tickets=settings.jira_ready,
    )
    diagnoser = Diagnoser(
        matcher=core.matcher,
        readers=side.clusters,
        metrics=metrics,
        examples=TeamExamples(store),
        coalescer=Coalescer(ttl=settings.result_cache_seconds, clock=lambda: clock().timestamp()),
        remote=fleet.remote if fleet is not None else None,
        text_seconds=settings.text_cpu_seconds,
        namespaces=settings.namespaces,
    )
    limiter = ChannelRateLimiter(
        settings.channel_replies_per_minute, shared=core.shared, name="replies"
    )
    return Answers(
        diagnoser=diagnoser,
        publisher=publisher,
        limiter=limiter,
        metrics=metrics,
        after_post=noted_in_summary,
        route=fleet.with_default_cluster if fleet is not None else said_recorded(side.recorded),
        unmatched=UnmatchedPastes(store=store, clock=clock, metrics=metrics),
    )


def chat_flow(
    core: Core,
    side: ClusterSide,
    *,
    surface: ChatSurface,
    answers: Answers,
    summaries: IncidentSummaries,
    muting: Muting | None,
) -> ChatFlow:
    """The interaction flow of one chat: its asks and every button, against the chat's surface."""
    settings, store, metrics, clock = core.settings, core.store, core.metrics, core.clock
    objects = ObjectFinder(
        readers=side.clusters, contexts=settings.contexts, namespaces=settings.namespaces
    )
    handoff = handoff_of(settings, metrics=metrics, background=core.background)
    asking = Asking(store=store, surface=surface, clock=clock, metrics=metrics)
    checks = ClickChecks(
        store=store,
        clock=clock,
        admins=settings.admins,
        refusal_window_minutes=settings.refusal_audit_window_minutes,
    )
    feedback = Feedback(store=store, clock=clock, admins=settings.admins)
    return ChatFlow(
        surface=surface,
        direct=DirectAsks(answers=answers, asking=asking, handoff=handoff, objects=objects),
        choosing=Choosing(
            store=store, checks=checks, answers=answers, metrics=metrics, admins=settings.admins
        ),
        picking=Picking(
            store=store,
            checks=checks,
            diagnoser=answers.diagnoser,
            feedback=feedback,
            metrics=metrics,
        ),
        details=DetailsLookup(store=store),
        feedback=feedback,
        summaries=summaries,
        clock=clock,
        remediation=side.remediation,
        muting=muting,
        tickets=tickets_of(core),
    )
