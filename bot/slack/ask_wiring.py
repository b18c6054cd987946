"""Asking's parts, built and registered once (called from bot.compose).

Direct asks (the slash command, mentions, direct messages) answer through `SlackDirectAsks`;
the question's buttons and the "Not this" dialog get their listeners here, registered before
bot.slack.actions' catch-all for unknown buttons (bolt runs the first listener that matches).
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.answering.answers import Answers
from bot.answering.asking import Asking
from bot.answering.choice_clicks import ChoiceStore, ClickChecks
from bot.answering.choosing import Choosing
from bot.answering.direct import DirectAsks
from bot.answering.feedback import Feedback
from bot.answering.handoff import Handoff
from bot.answering.object_finder import ObjectFinder
from bot.answering.picking import Picking
from bot.answering.ports import Readers
from bot.metrics import Metrics
from bot.runtime.background import Background
from bot.runtime.clock import Clock
from bot.settings import Settings
from bot.slack.choices import ChoiceListeners, SlackQuestions
from bot.slack.direct import SlackDirectAsks
from bot.slack.modal import NotThisListeners


def register_asking(bolt: AsyncApp, *, settings: Settings, store: ChoiceStore, answers: Answers, handoff: Handoff,
                    readers: Readers, client: AsyncWebClient, background: Background, clock: Clock,
                    metrics: Metrics) -> SlackDirectAsks:
    """Register the choice and "Not this" listeners; the direct asks' entry point."""
    asking = Asking(store=store, poster=SlackQuestions(client), clock=clock, metrics=metrics)
    objects = ObjectFinder(readers=readers, contexts=settings.contexts, namespaces=settings.namespaces)
    direct = DirectAsks(answers=answers, asking=asking, handoff=handoff, objects=objects)
    checks = ClickChecks(store=store, clock=clock, admins=settings.admins,
                         refusal_window_minutes=settings.refusal_audit_window_minutes)
    ChoiceListeners(choosing=Choosing(store=store, checks=checks, answers=answers, metrics=metrics,
                                      admins=settings.admins),
                    direct=direct, background=background, client=client).register(bolt)
    NotThisListeners(picking=Picking(store=store, checks=checks, diagnoser=answers.diagnoser,
                                     feedback=Feedback(store=store, clock=clock, admins=settings.admins),
                                     metrics=metrics),
                     background=background, client=client).register(bolt)
    return SlackDirectAsks(direct)
